/**
 * The Images API endpoints the gateway serves, one per region, each with its own upstream stack:
 * connection pool, circuit breaker, concurrency gate, API version detection and readiness probe.
 * One region failing never fails another. From GLANCE_URL there is one region; from the service
 * catalog, one per region with an image endpoint, replaced when a new sign-in lists other URLs.
 */
import type { Config } from "./config.js";
import type { ImageEndpoint } from "./identity/types.js";
import type { Logger } from "./server/logger.js";
import { Readiness } from "./server/readiness.js";
import { generateRequestId } from "./server/request-id.js";
import { ApiVersionSelector } from "./upstream/api-version-selector.js";
import type { CircuitState } from "./upstream/circuit-breaker.js";
import { UndiciHttpClient } from "./upstream/http-client.js";
import { createRequestScope } from "./upstream/request-scope.js";
import type { UpstreamObserver } from "./upstream/observer.js";
import { ResilientHttpClient } from "./upstream/resilient-client.js";
import type { MembersV2Options } from "./upstream/v2/members-v2.js";
import { WireReader } from "./upstream/wire.js";

export const USER_AGENT = "image-members-gateway/0.1";

/** Readiness probes wait at most this long for the version document. */
const READINESS_PROBE_MS = 3_000;

/** The region name when GLANCE_URL gives the endpoint and OS_REGION_NAME names none. */
export const DEFAULT_REGION = "default";

export interface RegionUpstream {
  readonly name: string;
  readonly url: string;
  readonly versionSelector: ApiVersionSelector;
  readonly readiness: Readiness;
  readonly circuit: CircuitState;
  /** Upstream calls in flight and waiting for a slot. */
  readonly inFlight: number;
  readonly queued: number;
  close(): Promise<void>;
}

export interface RegionsOptions {
  readonly config: Config;
  readonly logger: Logger;
  readonly v2?: MembersV2Options;
  /** A region's circuit opened: its endpoint stopped answering. */
  readonly onCircuitOpen?: (region: string) => void;
  /** Watches each region's upstream calls (metrics, traces). */
  readonly observer?: (region: string, url: URL) => UpstreamObserver;
}

export class Regions {
  private readonly served = new Map<string, RegionUpstream>();
  private preferred: string | null;

  constructor(private readonly options: RegionsOptions) {
    this.preferred = options.config.openstack?.regionName ?? options.config.osRegionName;
  }

  /** Serves exactly these endpoints; a region whose URL changed gets a new stack. */
  update(endpoints: readonly ImageEndpoint[]): void {
    const wanted = new Map(endpoints.map((endpoint) => [endpoint.region, endpoint.url]));
    for (const [name, region] of this.served) {
      if (wanted.get(name) !== region.url) {
        this.served.delete(name);
        this.options.logger.info({ region: name, url: region.url }, "region no longer served at this URL");
        void region.close();
      }
    }
    for (const [name, url] of wanted) {
      if (!this.served.has(name)) {
        this.served.set(name, this.createRegion(name, url));
        this.options.logger.info({ region: name, url }, "serving region");
      }
    }
  }

  get(name: string): RegionUpstream | undefined {
    return this.served.get(name);
  }

  /** A region by its exact name, else by the same name in another case (`dfw` for `DFW`). */
  find(name: string): RegionUpstream | undefined {
    const exact = this.served.get(name);
    if (exact !== undefined) {
      return exact;
    }
    const lower = name.toLowerCase();
    for (const region of this.served.values()) {
      if (region.name.toLowerCase() === lower) {
        return region;
      }
    }
    return undefined;
  }

  get names(): string[] {
    return [...this.served.keys()];
  }

  /** OS_REGION_NAME when served, else the first region. */
  get defaultRegion(): RegionUpstream {
    const preferred = this.preferred === null ? undefined : this.served.get(this.preferred);
    const region = preferred ?? this.served.values().next().value;
    if (region === undefined) {
      throw new Error("no region is served");
    }
    return region;
  }

  /** Names OS_REGION_NAME's problem, if the regions served do not include it. */
  checkPreferred(): string | null {
    if (this.preferred === null || this.served.has(this.preferred)) {
      return null;
    }
    return `OS_REGION_NAME is ${this.preferred}, but the catalog has no image endpoint there; it lists: ${this.names.join(", ")}`;
  }

  async close(): Promise<void> {
    const regions = [...this.served.values()];
    this.served.clear();
    await Promise.all(regions.map((region) => region.close()));
  }

  private createRegion(name: string, url: string): RegionUpstream {
    const { config, logger } = this.options;
    const regionLogger =
      this.served.size === 0 && name === DEFAULT_REGION ? logger : logger.child({ region: name });
    const baseUrl = new URL(url);
    const undici = new UndiciHttpClient({
      baseUrl,
      timeouts: {
        connectMs: config.upstreamConnectTimeoutMs,
        headersMs: config.upstreamHeadersTimeoutMs,
        bodyMs: config.upstreamBodyTimeoutMs,
        totalMs: config.upstreamTimeoutMs,
      },
      maxBodyBytes: config.upstreamMaxBodyBytes,
      connections: config.upstreamConnections,
      userAgent: USER_AGENT,
    });
    const http = new ResilientHttpClient(
      undici,
      {
        retry: {
          retries: config.upstreamRetries,
          baseDelayMs: config.upstreamRetryBaseMs,
          maxDelayMs: config.upstreamRetryMaxDelayMs,
        },
        breaker: {
          threshold: config.circuitBreakerThreshold,
          windowMs: config.circuitBreakerWindowMs,
          cooldownMs: config.circuitBreakerCooldownMs,
        },
        maxConcurrent: config.upstreamMaxConcurrent,
        maxQueued: config.upstreamMaxQueued,
        defaultDeadlineMs: config.requestDeadlineMs,
        onCircuitOpen: () => this.options.onCircuitOpen?.(name),
        observer: this.options.observer?.(name, baseUrl),
      },
      regionLogger,
    );
    const readiness = new Readiness(async () => {
      const response = await undici.send({
        method: "GET",
        path: "/versions",
        headers: {},
        expect: [200, 300],
        scope: createRequestScope({
          requestId: generateRequestId(),
          deadlineMs: Math.min(config.upstreamTimeoutMs, READINESS_PROBE_MS),
          retryBudget: 0,
          region: name,
        }),
      });
      const wire = new WireReader(response);
      wire.array(wire.root().versions, "versions");
    }, config.readinessCacheMs);
    const versionSelector = new ApiVersionSelector(http, config.apiVersion, this.options.v2);
    return {
      name,
      url,
      versionSelector,
      readiness,
      get circuit() {
        return http.circuit;
      },
      get inFlight() {
        return http.gate.inFlight;
      },
      get queued() {
        return http.gate.queued;
      },
      async close() {
        readiness.stop();
        await undici.close();
      },
    };
  }
}
