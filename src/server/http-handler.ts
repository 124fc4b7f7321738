/**
 * The HTTP front: POST (and GET for queries) on /graphql through Apollo Server, liveness on
 * /health/live, readiness on /health/ready, the Prometheus metrics on /metrics, 404 elsewhere. Plain node:http keeps per-request work
 * small.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { createAccessLog } from "./access-log.js";
import { applyCors, type CorsOrigins } from "./cors.js";
import { serveGraphQL, type GraphQLRouteOptions } from "./graphql-route.js";
import { sendJson } from "./http-io.js";
import type { ReadinessCheck } from "./readiness.js";

export interface HttpHandlerOptions extends Omit<GraphQLRouteOptions, "accessLog"> {
  readonly corsOrigins: CorsOrigins;
  readonly readiness: ReadinessCheck;
  /** The metrics in the Prometheus text format; null when METRICS is off. */
  readonly metrics: () => Promise<{ contentType: string; text: string } | null>;
}

export function createHttpHandler(
  options: HttpHandlerOptions,
): (request: IncomingMessage, response: ServerResponse) => void {
  const { corsOrigins, logger, readiness } = options;
  const route: GraphQLRouteOptions = { ...options, accessLog: createAccessLog(logger) };
  return (request, response) => {
    if (applyCors(corsOrigins, request, response)) {
      return;
    }
    // The common case, a POST to /graphql, needs no URL parsing.
    const url = request.url === "/graphql" ? null : new URL(request.url ?? "/", "http://gateway.invalid");
    switch (url === null ? "/graphql" : url.pathname) {
      case "/graphql":
      case "/graphql/":
        serveGraphQL(route, url?.search ?? "", request, response).catch((error: unknown) => {
          logger.error({ err: error }, "request failed");
          response.destroy();
        });
        return;
      case "/health/live":
        sendJson(response, 200, { status: "ok" });
        return;
      case "/health/ready":
        readiness.check().then(
          (state) =>
            sendJson(response, state.ready ? 200 : 503, {
              ...(state.ready ? { status: "ready" } : { status: "unavailable", reason: state.reason }),
              ...(state.regions === undefined ? {} : { regions: state.regions }),
            }),
          (error: unknown) => {
            logger.error({ err: error }, "readiness check failed");
            sendJson(response, 503, { status: "unavailable", reason: "the readiness check failed" });
          },
        );
        return;
      case "/metrics":
        serveMetrics(options, response);
        return;
      default:
        sendJson(response, 404, {
          errors: [
            {
              message: `No route for ${url?.pathname ?? ""}; GraphQL is served on /graphql`,
              extensions: { code: "NOT_FOUND", retryable: false },
            },
          ],
        });
    }
  };
}

function serveMetrics(options: HttpHandlerOptions, response: ServerResponse): void {
  options.metrics().then(
    (exposition) => {
      if (exposition === null) {
        sendJson(response, 404, { status: "off", reason: "METRICS is off" });
        return;
      }
      response.statusCode = 200;
      response.setHeader("content-type", exposition.contentType);
      response.setHeader("cache-control", "no-store");
      response.end(exposition.text);
    },
    (error: unknown) => {
      options.logger.error({ err: error }, "collecting the metrics failed");
      sendJson(response, 500, { status: "error", reason: "collecting the metrics failed" });
    },
  );
}
