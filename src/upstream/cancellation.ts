/**
 * Abandoning the upstream work of one client request (the client went away, shutdown gave up on
 * it). A plain listener list rather than an AbortController: every request carries one, and most
 * are never cancelled.
 */
export interface Cancellation {
  readonly cancelled: boolean;
  /** Why it was cancelled; undefined until then. */
  readonly reason: unknown;
  /** Calls `listener` once, on cancellation; the returned function unregisters it. */
  onCancel(listener: (reason: unknown) => void): () => void;
}

export class CancellationSource implements Cancellation {
  cancelled = false;
  reason: unknown = undefined;
  private listeners: Array<(reason: unknown) => void> = [];

  onCancel(listener: (reason: unknown) => void): () => void {
    if (this.cancelled) {
      return noop;
    }
    this.listeners.push(listener);
    return () => {
      const index = this.listeners.indexOf(listener);
      if (index !== -1) {
        this.listeners.splice(index, 1);
      }
    };
  }

  cancel(reason: unknown): void {
    if (this.cancelled) {
      return;
    }
    this.cancelled = true;
    this.reason = reason;
    const listeners = this.listeners;
    this.listeners = [];
    for (const listener of listeners) {
      listener(reason);
    }
  }
}

function noop(): void {
  // nothing registered
}
