/**
 * Assembles the gateway from a Config: upstream client (pool, breaker, gate, retries), API
 * selection, schema, Apollo Server and the HTTP listener. Used by the entry point and by the tests
 * alike.
 */
import "reflect-metadata";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { operationLimits, type Config } from "./config.js";
import { buildGatewaySchema } from "./graphql/build-schema.js";
import { keepWasmOnBaselineTier } from "./runtime/wasm-tiering.js";
import { NoSchemaIntrospectionCustomRule } from "graphql";
import { createApollo, gatewayValidationRules } from "./server/create-apollo.js";
import { DirectExecutor } from "./server/direct/direct-executor.js";
import { upstreamIdentity } from "./server/credentials.js";
import { createHttpHandler } from "./server/http-handler.js";
import { InFlightRequests } from "./server/in-flight.js";
import { createLogger, type Logger } from "./server/logger.js";
import { Readiness } from "./server/readiness.js";
import { generateRequestId } from "./server/request-id.js";
import type { ServerContext } from "./server/request-report.js";
import { clientSecrets } from "./server/secrets.js";
import { MemberService } from "./service/member-service.js";
import type { CircuitState } from "./upstream/circuit-breaker.js";
import { UndiciHttpClient } from "./upstream/http-client.js";
import { ApiVersionSelector } from "./upstream/api-version-selector.js";
import { createRequestScope } from "./upstream/request-scope.js";
import { ResilientHttpClient } from "./upstream/resilient-client.js";
import type { MembersV2Options } from "./upstream/v2/members-v2.js";
import { WireReader } from "./upstream/wire.js";

export const USER_AGENT = "image-members-gateway/0.1";

/** Readiness probes wait at most this long for the version document. */
const READINESS_PROBE_MS = 3_000;

export interface RunningGateway {
  /** e.g. http://127.0.0.1:4000/graphql */
  readonly url: string;
  readonly upstreamUrl: string;
  readonly versionSelector: ApiVersionSelector;
  readonly logger: Logger;
  /** The upstream circuit breaker's state. */
  readonly circuit: CircuitState;
  /**
   * Stops accepting connections, lets requests in flight finish (up to SHUTDOWN_TIMEOUT_MS, then
   * abandons their upstream calls), and closes the upstream pool.
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

export async function startGateway(config: Config, options: GatewayOptions = {}): Promise<RunningGateway> {
  if (config.glanceUrl === null) {
    throw new Error(
      "startGateway needs an upstream URL; the entry point starts the emulator when none is set",
    );
  }
  const logger = options.logger ?? createLogger(config.logLevel, config.forwardHeaders);
  keepWasmOnBaselineTier();
  const undici = new UndiciHttpClient({
    baseUrl: config.glanceUrl,
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
    },
    logger,
  );
  const versionSelector = new ApiVersionSelector(http, config.apiVersion, options.v2);
  const schema = buildGatewaySchema();
  const limits = operationLimits(config);
  const apollo = createApollo({
    schema,
    introspection: config.introspection,
    production: config.production,
    logger,
    limits,
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
      }),
    });
    const wire = new WireReader(response);
    wire.array(wire.root().versions, "versions");
  }, config.readinessCacheMs);
  const inFlight = new InFlightRequests();

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
      newScope: (requestId, headers, cancellation) =>
        createRequestScope({
          requestId,
          identity: upstreamIdentity(headers, config.forwardHeaders),
          deadlineMs: config.requestDeadlineMs,
          retryBudget: config.requestRetryBudget,
          cancellation,
        }),
      secretsOf: (headers) => clientSecrets(headers, config.forwardHeaders),
      createContext: (report): ServerContext => ({
        requestId: report.requestId,
        report,
        members: new MemberService(versionSelector, report.upstream),
      }),
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
    await undici.close();
  };

  return {
    url: `http://${host}:${address.port}/graphql`,
    upstreamUrl: config.glanceUrl.toString(),
    versionSelector,
    logger,
    get circuit() {
      return http.circuit;
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
