/**
 * Whether Redis answers, as this replica last saw it, shared by every cache kept there: one warning
 * when it stops answering, one line when it answers again, however many operations noticed. While
 * it is down, the caches ask it at most once per probe interval, so that a Redis that accepts
 * connections but does not answer costs a request nothing but memory lookups.
 */

export interface ReachabilityLog {
  warn(details: object, message: string): void;
  info(details: object, message: string): void;
}

/** While down, one operation in this many milliseconds still tries Redis, to notice its return. */
const PROBE_EVERY_MS = 1_000;

export class Reachability {
  private down = false;
  private lastProbe = 0;

  constructor(private readonly log: ReachabilityLog) {}

  get isDown(): boolean {
    return this.down;
  }

  /** Whether an operation should try Redis now: always while up, once per interval while down. */
  shouldTry(now = Date.now()): boolean {
    if (!this.down) {
      return true;
    }
    if (now - this.lastProbe >= PROBE_EVERY_MS) {
      this.lastProbe = now;
      return true;
    }
    return false;
  }

  /** Redis failed or took too long; logs only the first failure of an outage. */
  failed(error: unknown): void {
    if (this.down) {
      return;
    }
    this.down = true;
    this.lastProbe = Date.now();
    this.log.warn(
      { err: error instanceof Error ? error.message : String(error) },
      "redis unreachable: the shared caches fall back to this replica's memory until it answers again",
    );
  }

  /** Redis answered; logs only the first answer after an outage. */
  answered(): void {
    if (this.down) {
      this.down = false;
      this.log.info({}, "redis answering again: the shared caches are shared again");
    }
  }
}
