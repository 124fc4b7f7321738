/**
 * The client requests being served, so that shutdown can wait for them, within a bound, and
 * abandon what is left when the bound passes.
 */
import { CancellationSource } from "../upstream/cancellation.js";

export class InFlightRequests {
  private readonly active = new Set<CancellationSource>();
  private idle: Array<() => void> = [];
  private stopping = false;

  get draining(): boolean {
    return this.stopping;
  }

  get size(): number {
    return this.active.size;
  }

  /** Registers a request; cancelling what it returns abandons the request's upstream calls. */
  begin(): CancellationSource {
    const work = new CancellationSource();
    this.active.add(work);
    return work;
  }

  end(work: CancellationSource): void {
    this.active.delete(work);
    if (this.active.size === 0 && this.idle.length > 0) {
      const waiting = this.idle;
      this.idle = [];
      for (const resolve of waiting) {
        resolve();
      }
    }
  }

  /** Stops taking new work; resolves true once no request is left, false when `timeoutMs` passed first. */
  drain(timeoutMs: number): Promise<boolean> {
    this.stopping = true;
    if (this.active.size === 0) {
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.idle = this.idle.filter((candidate) => candidate !== done);
        resolve(false);
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        resolve(true);
      };
      this.idle.push(done);
    });
  }

  abortAll(reason: Error): void {
    for (const work of this.active) {
      work.cancel(reason);
    }
  }
}
