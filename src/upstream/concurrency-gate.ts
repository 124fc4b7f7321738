/**
 * Bounded concurrency, the gateway's one helper for it: at most `maxActive` slots held at once, at
 * most `maxQueued` callers waiting for one, in arrival order; a caller that finds the queue full is
 * refused at once. A released slot goes straight to the longest waiter, so a caller arriving
 * meanwhile cannot slip past the cap.
 *
 * It serves two caps:
 * - the process-wide cap on upstream calls (the resilient client): a bounded queue, so an
 *   overloaded gateway answers quickly instead of piling up work, and each wait bounded by its
 *   request's deadline and given up when the request is cancelled;
 * - one client request's own cap on its calls in flight (`run`, from the request's RequestScope):
 *   no queue bound and no timeout of its own, since every call it admits carries the request's
 *   deadline and cancellation to the process-wide gate and the HTTP client.
 *
 * Not a library: p-limit (7, ESM, Node >= 20) has no queue bound, no timeout on a wait and no way to
 * withdraw one waiter (only `clearQueue`, for all of them), which the process-wide cap needs;
 * p-queue (9) times a task's run rather than its wait, withdraws waiters through an AbortSignal
 * (one per call, where a request carries a plain listener list), and runs tasks rather than lending
 * a slot across an attempt as the resilient client takes it. With this class kept for that cap, the
 * per-request cap is `run` on it rather than a second implementation. p-limit would also cost more
 * on this path (Node 20, 100,000 simulated requests, each with its own limiter of 8): about 5 us per
 * request of one call and 0.6 us per call for requests of 40, against 0.2 us here; it builds each
 * limiter with defineProperties and starts every task a microtask late, through an async function.
 */
import type { Cancellation } from "./cancellation.js";

export type GateRefusal = "queue-full" | "timeout" | "aborted";

export class GateRefusedError extends Error {
  override readonly name = "GateRefusedError";

  constructor(
    readonly reason: GateRefusal,
    override readonly cause?: unknown,
  ) {
    super(`upstream slot refused: ${reason}`);
  }
}

interface Waiter {
  /** Called once the waiter has been taken off the queue. */
  readonly grant: () => void;
  readonly refuse: (reason: GateRefusal, cause?: unknown) => void;
}

export class ConcurrencyGate {
  private active = 0;
  private readonly waiting: Waiter[] = [];

  constructor(
    readonly maxActive: number,
    readonly maxQueued: number = Infinity,
  ) {}

  get inFlight(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiting.length;
  }

  /** Takes a slot when one is free, without waiting. */
  tryAcquire(): boolean {
    if (this.active < this.maxActive) {
      this.active += 1;
      return true;
    }
    return false;
  }

  /**
   * Waits for a slot, at most `timeoutMs` (Infinity: no timeout); rejects with a GateRefusedError
   * when the queue is full, at the timeout, or on cancellation.
   */
  acquire(timeoutMs: number, cancellation?: Cancellation): Promise<void> {
    if (this.tryAcquire()) {
      return Promise.resolve();
    }
    if (this.waiting.length >= this.maxQueued) {
      return Promise.reject(new GateRefusedError("queue-full"));
    }
    if (cancellation?.cancelled === true) {
      return Promise.reject(new GateRefusedError("aborted", cancellation.reason));
    }
    if (timeoutMs <= 0) {
      return Promise.reject(new GateRefusedError("timeout"));
    }
    return new Promise<void>((resolve, reject) => {
      const stop = (): void => {
        clearTimeout(timer);
        stopListening?.();
      };
      const waiter: Waiter = {
        grant: () => {
          stop();
          resolve();
        },
        refuse: (reason, cause) => {
          stop();
          const index = this.waiting.indexOf(waiter);
          if (index !== -1) {
            this.waiting.splice(index, 1);
          }
          reject(new GateRefusedError(reason, cause));
        },
      };
      const timer = Number.isFinite(timeoutMs)
        ? setTimeout(() => waiter.refuse("timeout"), timeoutMs)
        : undefined;
      const stopListening = cancellation?.onCancel((reason) => waiter.refuse("aborted", reason));
      this.waiting.push(waiter);
    });
  }

  /** Returns a slot: the longest waiter gets it, else it becomes free. */
  release(): void {
    const next = this.waiting.shift();
    if (next !== undefined) {
      next.grant();
    } else {
      this.active -= 1;
    }
  }

  /**
   * Runs `task` in a slot, waiting for one as long as it takes (within the queue bound), and
   * returns the slot when the task settles. No async frame when a slot is free: that costs one
   * `then`. A task's synchronous exception becomes its rejection, as in an async function.
   */
  run<T>(task: () => Promise<T>): Promise<T> {
    if (this.tryAcquire()) {
      return this.runHolding(task);
    }
    return this.acquire(Infinity).then(() => this.runHolding(task));
  }

  private runHolding<T>(task: () => Promise<T>): Promise<T> {
    let result: Promise<T>;
    try {
      result = task();
    } catch (error) {
      this.release();
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
      return Promise.reject(error);
    }
    return result.then(
      (value) => {
        this.release();
        return value;
      },
      (error: unknown) => {
        this.release();
        throw error;
      },
    );
  }
}
