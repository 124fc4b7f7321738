/**
 * Readiness: whether the upstream answers its version document, asked at most once per
 * `cacheMs` (concurrent checks share one probe), and false as soon as the gateway shuts down.
 */
export interface ReadinessState {
  readonly ready: boolean;
  /** Why not, when not ready. */
  readonly reason?: string;
  /** Per region, when several are served: `ready`, or why not. */
  readonly regions?: Readonly<Record<string, string>>;
}

/** What /health/ready asks. */
export interface ReadinessCheck {
  check(): Promise<ReadinessState>;
}

export type ReadinessProbe = () => Promise<void>;

export class Readiness implements ReadinessCheck {
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

/**
 * Ready when any region is: one region down does not take the replica out of service for the
 * others. With one region, exactly that region's state.
 */
export class RegionsReadiness implements ReadinessCheck {
  private stopped = false;

  constructor(private readonly regions: () => ReadonlyMap<string, ReadinessCheck>) {}

  stop(): void {
    this.stopped = true;
  }

  async check(): Promise<ReadinessState> {
    if (this.stopped) {
      return { ready: false, reason: "the gateway is shutting down" };
    }
    const entries = [...this.regions()];
    if (entries.length === 1) {
      return entries[0]![1].check();
    }
    const states = await Promise.all(entries.map(([, region]) => region.check()));
    const regions = Object.fromEntries(
      entries.map(([name], i) => [name, states[i]!.ready ? "ready" : (states[i]!.reason ?? "unavailable")]),
    );
    return states.some((state) => state.ready)
      ? { ready: true, regions }
      : { ready: false, reason: "no region answers", regions };
  }
}
