/**
 * The process-wide cap on upstream calls: at most `maxActive` in flight, at most `maxQueued`
 * waiting in arrival order. A call that finds the queue full is refused at once, so an overloaded
 * gateway answers quickly instead of piling up work.
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
  readonly grant: () => void;
  readonly refuse: (reason: GateRefusal, cause?: unknown) => void;
}

export class ConcurrencyGate {
  private active = 0;
  private readonly waiting: Waiter[] = [];

  constructor(
    readonly maxActive: number,
    readonly maxQueued: number,
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

  /** Waits for a slot, at most `timeoutMs`; rejects with a GateRefusedError. */
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
      const leave = (): void => {
        clearTimeout(timer);
        stopListening?.();
        const index = this.waiting.indexOf(waiter);
        if (index !== -1) {
          this.waiting.splice(index, 1);
        }
      };
      const waiter: Waiter = {
        grant: () => {
          leave();
          resolve();
        },
        refuse: (reason, cause) => {
          leave();
          reject(new GateRefusedError(reason, cause));
        },
      };
      const timer = setTimeout(() => waiter.refuse("timeout"), timeoutMs);
      const stopListening = cancellation?.onCancel((reason) => waiter.refuse("aborted", reason));
      this.waiting.push(waiter);
    });
  }

  /** Returns a slot: the longest waiter gets it, else it becomes free. */
  release(): void {
    const next = this.waiting[0];
    if (next !== undefined) {
      next.grant();
    } else {
      this.active -= 1;
    }
  }
}
