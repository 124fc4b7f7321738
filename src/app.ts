/**
 * Assembles the gateway from a Config: the regions served (each with its upstream stack, see
 * regions.ts), the Keystone session and token validation (identity-setup.ts), schema, Apollo
 * Server and the HTTP listener. Used by the entry point and by the tests alike.
 */
import "reflect-metadata";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { NoSchemaIntrospectionCustomRule } from "graphql";
import { operationLimits, type Config } from "./config.js";
import { UnsupportedOperationError } from "./domain/errors.js";
import { openSharedCaches } from "./cache/shared-caches.js";
import { buildGatewaySchema } from "./graphql/build-schema.js";
import { startIdentity, type Identity } from "./identity-setup.js";
import { DEFAULT_REGION, Regions, USER_AGENT } from "./regions.js";
import { keepWasmOnBaselineTier } from "./runtime/wasm-tiering.js";
import { createApollo, gatewayValidationRules } from "./server/create-apollo.js";
import { upstreamIdentity } from "./server/credentials.js";
import { DirectExecutor } from "./server/direct/direct-executor.js";
import { createHttpHandler } from "./server/http-handler.js";
import { InFlightRequests } from "./server/in-flight.js";
import { createLogger, type Logger } from "./server/logger.js";
import { RegionsReadiness } from "./server/readiness.js";
import type { ServerContext } from "./server/request-report.js";
import { clientSecrets } from "./server/secrets.js";
import { MemberService } from "./service/member-service.js";
import { GatewayMetrics } from "./telemetry/metrics.js";
import { startOpenTelemetry } from "./telemetry/open-telemetry.js";
import { passThrough } from "./telemetry/trace-context.js";
import { GatewayTelemetry } from "./telemetry/telemetry.js";
import type { ApiVersionSelector } from "./upstream/api-version-selector.js";
import type { CircuitState } from "./upstream/circuit-breaker.js";
import { createRequestScope } from "./upstream/request-scope.js";
import type { MembersV2Options } from "./upstream/v2/members-v2.js";

export { USER_AGENT };

/** The header a request chooses its region with. */
const REGION_HEADER = "x-openstack-region";

export interface RunningGateway {
  /** e.g. http://127.0.0.1:4000/graphql */
  readonly url: string;
  /** The default region's Images API endpoint. */
  readonly upstreamUrl: string;
  /** The default region's. */
  readonly versionSelector: ApiVersionSelector;
  readonly logger: Logger;
  /** The default region's upstream circuit breaker state. */
  readonly circuit: CircuitState;
  /** The regions served, the default first. */
  readonly regions: readonly string[];
  /**
   * Stops accepting connections, lets requests in flight finish (up to SHUTDOWN_TIMEOUT_MS, then
   * abandons their upstream calls), and closes the upstream pools.
   */
  close(): Promise<void>;
}

export interface GatewayOptions {
  readonly logger?: Logger;
  /** Paging of GET /v2/images behind sharedImages. */
  readonly v2?: MembersV2Options;
  /**
   * Serve common requests on the direct path (src/server/direct/); default on unless APOLLO_KEY is
   * set. Off, every request goes through Apollo Server's pipeline.
   */
  readonly directExecution?: boolean;
}

/**
 * The Images API endpoints come from GLANCE_URL (one region) or, without it, from the service
 * catalog of the configured Keystone (every region with an image endpoint). Client tokens are
 * validated against that Keystone when service credentials are configured and TOKEN_VALIDATION is
 * on.
 */
export async function startGateway(config: Config, options: GatewayOptions = {}): Promise<RunningGateway> {
  const glanceUrl = config.glanceUrl;
  if (glanceUrl === null && config.openstack === null) {
    throw new Error(
      "startGateway needs GLANCE_URL or OpenStack credentials; the entry point starts the emulator when neither is set",
    );
  }
  const logger = options.logger ?? createLogger(config.logLevel, config.forwardHeaders);
  keepWasmOnBaselineTier();
  const otel = await startOpenTelemetry(config, logger);
  const metrics: GatewayMetrics | null =
    config.metrics === "on" || otel?.meter != null
      ? new GatewayMetrics({
          prometheus: config.metrics === "on",
          meter: otel?.meter ?? null,
          sources: {
            regions: () => regions.names.map((name: string) => regions.get(name)!),
            requestsInFlight: () => inFlight.size,
          },
        })
      : null;
  const telemetry: GatewayTelemetry = new GatewayTelemetry(metrics, otel, () => regions.names.length);
  const caches = await openSharedCaches({
    redisUrl: config.redisUrl,
    keyPrefix: config.redisKeyPrefix,
    logger,
  });
  let identity: Identity | null = null;
  const regions: Regions = new Regions({
    config,
    logger,
    v2: options.v2,
    observer: telemetry.active ? (region, url) => telemetry.upstreamObserver(region, url) : undefined,
    // An endpoint that stopped answering may have moved: read the catalog again.
    onCircuitOpen:
      glanceUrl === null ? () => void identity?.session.refresh().catch(() => undefined) : undefined,
  });
  try {
    if (glanceUrl !== null) {
      regions.update([
        {
          region: config.openstack?.regionName ?? config.osRegionName ?? DEFAULT_REGION,
          url: glanceUrl.toString(),
        },
      ]);
    }
    if (config.openstack !== null && (glanceUrl === null || config.tokenValidation === "on")) {
      identity = await startIdentity(
        config,
        config.openstack,
        logger,
        glanceUrl === null ? regions : null,
        {
          shared: caches.tokens,
          onLookup: (result) => telemetry.tokenLookup(result),
        },
        telemetry.active ? telemetry.identityObserver(config.openstack.authUrl) : undefined,
      );
    }
  } catch (error) {
    await regions.close();
    await caches.close();
    await otel?.shutdown();
    throw error;
  }
  const validator = config.tokenValidation === "on" ? (identity?.validator ?? null) : null;

  const schema = buildGatewaySchema();
  const limits = operationLimits(config);
  const apollo = createApollo({
    schema,
    introspection: config.introspection,
    production: config.production,
    logger,
    limits,
    persistedQueries: caches.apq,
  });
  await apollo.start();
  const direct =
    (options.directExecution ?? true) && !config.apolloKeySet
      ? new DirectExecutor({
          schema,
          validationRules: [
            ...gatewayValidationRules(limits),
            ...(config.introspection ? [] : [NoSchemaIntrospectionCustomRule]),
          ],
          limits,
          logger,
        })
      : null;

  const readiness = new RegionsReadiness(
    () => new Map(regions.names.map((name) => [name, regions.get(name)!.readiness])),
  );
  const inFlight = new InFlightRequests();
  const regionOf = (headers: IncomingHttpHeaders): string | undefined => {
    const asked = headers[REGION_HEADER];
    return typeof asked === "string" && asked !== "" ? asked : undefined;
  };

  const server = createServer(
    createHttpHandler({
      apollo,
      logger,
      corsOrigins: config.corsOrigins,
      readiness,
      inFlight,
      maxRequestBytes: config.maxRequestBytes,
      maxQueryBytes: config.maxQueryBytes,
      direct,
      telemetry,
      metrics: async () => (metrics === null ? null : metrics.prometheusText()),
      checkHeaders: (headers) => {
        const asked = regionOf(headers);
        if (asked === undefined || regions.find(asked) !== undefined) {
          return null;
        }
        return `Unknown region "${asked}" in X-OpenStack-Region: this gateway serves ${regions.names.join(", ")}`;
      },
      newScope: (requestId, headers, cancellation, trace) => {
        const asked = regionOf(headers);
        return createRequestScope({
          requestId,
          identity: upstreamIdentity(headers, config.forwardHeaders),
          region: (asked === undefined ? undefined : regions.find(asked)?.name) ?? regions.defaultRegion.name,
          deadlineMs: config.requestDeadlineMs,
          retryBudget: config.requestRetryBudget,
          cancellation,
          trace,
          traceHeaders: trace === null ? passThrough(headers) : undefined,
          verify:
            validator === null
              ? undefined
              : (scope) => validator.caller(scope.identity.headers["x-auth-token"], scope),
        });
      },
      secretsOf: (headers) => clientSecrets(headers, config.forwardHeaders),
      createContext: (report): ServerContext => {
        const scope = report.upstream;
        const region = regions.get(scope.region) ?? regions.defaultRegion;
        return {
          requestId: report.requestId,
          report,
          members: new MemberService(region.versionSelector, scope),
          viewer: async () => {
            if (scope.verify === null) {
              throw new UnsupportedOperationError(
                "viewer needs token validation: configure service credentials (OS_AUTH_URL and the OS_* settings, or OS_CLOUD) and leave TOKEN_VALIDATION on",
              );
            }
            return { caller: await scope.verify(), region: scope.region, regions: regions.names };
          },
        };
      },
    }),
  );
  server.keepAliveTimeout = 65_000;
  await listen(server, config.host, config.port);
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;

  let closing: Promise<void> | null = null;
  const close = async (): Promise<void> => {
    readiness.stop();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const drained = await inFlight.drain(config.shutdownTimeoutMs);
    if (!drained) {
      logger.warn({ requests: inFlight.size }, "shutdown: abandoning requests still in flight");
      inFlight.abortAll(new Error("the gateway is shutting down"));
      await inFlight.drain(1_000);
    }
    server.closeAllConnections();
    await closed;
    await apollo.stop();
    await Promise.all([regions.close(), identity?.close(), caches.close()]);
    // Last: the spans of the requests that just finished are still to be sent.
    await otel?.shutdown();
  };

  return {
    url: `http://${host}:${address.port}/graphql`,
    get upstreamUrl() {
      return regions.defaultRegion.url;
    },
    get versionSelector() {
      return regions.defaultRegion.versionSelector;
    },
    logger,
    get circuit() {
      return regions.defaultRegion.circuit;
    },
    get regions() {
      const first = regions.defaultRegion.name;
      return [first, ...regions.names.filter((name) => name !== first)];
    },
    close() {
      closing ??= close();
      return closing;
    },
  };
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
}
