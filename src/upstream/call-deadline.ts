/**
 * The deadlines of one upstream exchange on a single timer: the whole exchange must end by
 * `totalMs`, the response head must arrive within `headersMs`, and then the body may not stall
 * for longer than `bodyMs`. Progress only moves a number; the timer re-arms itself when it fires
 * early, so a fast exchange costs one setTimeout and one clearTimeout.
 */
export type DeadlinePhase = "headers" | "body" | "total";

export class CallDeadline {
  private readonly totalAt: number;
  private phaseAt: number;
  private phase: "headers" | "body" = "headers";
  private timer: NodeJS.Timeout | undefined;
  private onExpire: (phase: DeadlinePhase) => void = () => undefined;

  constructor(
    private readonly totalMs: number,
    private readonly headersMs: number,
    private readonly bodyMs: number,
  ) {
    const now = performance.now();
    this.totalAt = now + totalMs;
    this.phaseAt = now + headersMs;
  }

  /** Arms the timer; `onExpire` is called at most once, with the deadline that passed. */
  start(onExpire: (phase: DeadlinePhase) => void): void {
    this.onExpire = onExpire;
    this.timer = setTimeout(this.check, Math.min(this.totalMs, this.headersMs));
  }

  /** The response head arrived: from now on the body's silences are bounded. */
  headReceived(): void {
    this.phase = "body";
    this.phaseAt = performance.now() + this.bodyMs;
  }

  /** A chunk of the body arrived. */
  bodyProgress(): void {
    this.phaseAt = performance.now() + this.bodyMs;
  }

  clear(): void {
    clearTimeout(this.timer);
  }

  private readonly check = (): void => {
    const now = performance.now();
    if (now >= this.totalAt) {
      this.onExpire("total");
    } else if (now >= this.phaseAt) {
      this.onExpire(this.phase);
    } else {
      this.timer = setTimeout(this.check, Math.max(1, Math.min(this.totalAt, this.phaseAt) - now));
    }
  };
}
