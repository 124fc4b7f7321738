/**
 * Readiness: whether the upstream answers its version document, asked at most once per
 * `cacheMs` (concurrent checks share one probe), and false as soon as the gateway shuts down.
 */
export interface ReadinessState {
  readonly ready: boolean;
  /** Why not, when not ready. */
  readonly reason?: string;
}

export type ReadinessProbe = () => Promise<void>;

export class Readiness {
  private cached: { state: ReadinessState; at: number } | null = null;
  private pending: Promise<ReadinessState> | null = null;
  private stopped = false;

  constructor(
    private readonly probe: ReadinessProbe,
    private readonly cacheMs: number,
  ) {}

  stop(): void {
    this.stopped = true;
  }

  check(): Promise<ReadinessState> {
    if (this.stopped) {
      return Promise.resolve({ ready: false, reason: "the gateway is shutting down" });
    }
    if (this.cached !== null && performance.now() - this.cached.at < this.cacheMs) {
      return Promise.resolve(this.cached.state);
    }
    this.pending ??= this.probe().then(
      () => this.remember({ ready: true }),
      (error: unknown) =>
        this.remember({
          ready: false,
          reason: `upstream: ${error instanceof Error ? error.message : String(error)}`,
        }),
    );
    return this.pending;
  }

  private remember(state: ReadinessState): ReadinessState {
    this.cached = { state, at: performance.now() };
    this.pending = null;
    return state;
  }
}
