/**
 * A process-wide circuit breaker in front of the upstream. Closed: calls go through, and a run of
 * `threshold` consecutive failures within `windowMs` opens it: transport failures (a connection
 * refused, reset or never established), timeouts, 502, 503, 504. Calls the gateway refuses itself
 * (breaker open, queue full, no time left) count neither way.
 * Open: calls are refused at once, without touching the upstream. After `cooldownMs` one call is
 * let through as a probe (half-open): its success closes the breaker, its failure opens it again.
 * Any answer the upstream gives on its own (a 2xx, a 4xx, a 500) counts as a success: it is up.
 */
export interface CircuitBreakerOptions {
  /** Consecutive failures that open the breaker; 0 turns it off. */
  readonly threshold: number;
  readonly windowMs: number;
  readonly cooldownMs: number;
}

export type CircuitState = "closed" | "open" | "half-open";
export type CallOutcome = "success" | "failure" | "neutral";
/** "probe": the call is the half-open probe and must report its outcome with probe = true. */
export type Admission = "go" | "probe" | "refuse";

export type CircuitListener = (state: CircuitState, previous: CircuitState) => void;

export class CircuitBreaker {
  private current: CircuitState = "closed";
  private failures = 0;
  private firstFailureAt = 0;
  private openedAt = 0;
  private probing = false;

  constructor(
    private readonly options: CircuitBreakerOptions,
    private readonly onChange: CircuitListener = () => undefined,
    private readonly now: () => number = () => performance.now(),
  ) {}

  get state(): CircuitState {
    return this.current;
  }

  /** Milliseconds until an open breaker lets a probe through (0 when not open). */
  get retryInMs(): number {
    return this.current === "open"
      ? Math.max(0, Math.ceil(this.openedAt + this.options.cooldownMs - this.now()))
      : 0;
  }

  admit(): Admission {
    if (this.options.threshold <= 0 || this.current === "closed") {
      return "go";
    }
    if (this.current === "open") {
      if (this.now() - this.openedAt < this.options.cooldownMs) {
        return "refuse";
      }
      this.change("half-open");
    }
    if (this.probing) {
      return "refuse";
    }
    this.probing = true;
    return "probe";
  }

  record(outcome: CallOutcome, probe: boolean): void {
    if (this.options.threshold <= 0) {
      return;
    }
    if (probe) {
      this.probing = false;
      if (outcome === "success") {
        this.failures = 0;
        this.change("closed");
      } else if (outcome === "failure") {
        this.open();
      }
      return;
    }
    if (this.current !== "closed") {
      // A call admitted before the breaker opened: the probe alone decides.
      return;
    }
    if (outcome === "success") {
      this.failures = 0;
    } else if (outcome === "failure") {
      const now = this.now();
      if (this.failures === 0 || now - this.firstFailureAt > this.options.windowMs) {
        this.failures = 1;
        this.firstFailureAt = now;
      } else {
        this.failures += 1;
      }
      if (this.failures >= this.options.threshold) {
        this.open();
      }
    }
  }

  private open(): void {
    this.openedAt = this.now();
    this.failures = 0;
    this.change("open");
  }

  private change(next: CircuitState): void {
    const previous = this.current;
    if (previous !== next) {
      this.current = next;
      this.onChange(next, previous);
    }
  }
}
