/**
 * One upstream exchange as an undici dispatch handler: collects the status, headers and a bounded
 * body, with no intermediate stream, and settles a promise once. `abort` ends it from outside (a
 * deadline, the client going away) whether or not the pool has started it yet.
 */
import type { Dispatcher } from "undici";

export interface ExchangeResult {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
}

type Controller = Dispatcher.DispatchController;

export interface ExchangeProgress {
  headReceived(): void;
  bodyProgress(): void;
}

export class Exchange implements Dispatcher.DispatchHandler {
  /** Set once the response head has arrived. */
  status: number | undefined = undefined;
  /** Why `abort` ended the exchange, if it did. */
  abortReason: unknown = undefined;
  readonly done: Promise<ExchangeResult>;

  private controller: Controller | null = null;
  private headers: Record<string, string | string[] | undefined> = {};
  private chunks: Buffer[] = [];
  private size = 0;
  private settled = false;
  private resolve!: (result: ExchangeResult) => void;
  private reject!: (error: unknown) => void;

  constructor(
    private readonly maxBodyBytes: number,
    /** Told when the head arrives and on every chunk of the body. */
    private readonly progress: ExchangeProgress,
    /** The error for a body over `maxBodyBytes`. */
    private readonly tooLarge: () => Error,
  ) {
    this.done = new Promise<ExchangeResult>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }

  abort(reason: unknown): void {
    if (this.settled) {
      return;
    }
    this.abortReason = reason;
    this.fail(reason);
    this.controller?.abort(reason instanceof Error ? reason : new Error(String(reason)));
  }

  onRequestStart(controller: Controller): void {
    this.controller = controller;
    if (this.settled) {
      controller.abort(new Error("the exchange was abandoned before it started"));
    }
  }

  onResponseStart(
    _controller: Controller,
    statusCode: number,
    headers: Record<string, string | string[] | undefined>,
  ): void {
    if (statusCode < 200) {
      return;
    }
    this.status = statusCode;
    this.headers = headers;
    this.progress.headReceived();
  }

  onResponseData(controller: Controller, chunk: Buffer): void {
    if (this.settled) {
      return;
    }
    this.progress.bodyProgress();
    this.size += chunk.length;
    if (this.size > this.maxBodyBytes) {
      const error = this.tooLarge();
      this.fail(error);
      controller.abort(error);
      return;
    }
    this.chunks.push(chunk);
  }

  onResponseEnd(): void {
    if (this.settled || this.status === undefined) {
      return;
    }
    this.settled = true;
    const { chunks } = this;
    const text =
      chunks.length === 0
        ? ""
        : chunks.length === 1
          ? chunks[0]!.toString("utf8")
          : Buffer.concat(chunks).toString("utf8");
    this.resolve({ status: this.status, headers: this.headers, text });
  }

  onResponseError(_controller: Controller, error: Error): void {
    this.fail(error);
  }

  private fail(error: unknown): void {
    if (this.settled) {
      return;
    }
    this.settled = true;
    this.reject(error);
  }
}
