/**
 * One GraphQL request over HTTP: its id (kept from the client when valid, else generated, answered
 * in `x-request-id`), the body and query size limits, the direct path for the common request or
 * else Apollo Server, and the access log line. The upstream calls it causes are abandoned when the
 * client goes away, or when shutdown gives up on it.
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import { HeaderMap, type ApolloServer, type HTTPGraphQLRequest } from "@apollo/server";
import type { GraphQLFormattedError } from "graphql";
import { scrub } from "../domain/redaction.js";
import { toGatewayError } from "../graphql/errors/error-table.js";
import { RequestLimitError } from "../graphql/errors/request-limit-error.js";
import type { GatewayTelemetry } from "../telemetry/telemetry.js";
import type { Cancellation } from "../upstream/cancellation.js";
import type { RequestScope } from "../upstream/request-scope.js";
import type { AccessLog } from "./access-log.js";
import type { DirectExecutor } from "./direct/direct-executor.js";
import { directRequestOf } from "./direct/eligibility.js";
import { parseBody, readBody, sendJson } from "./http-io.js";
import type { InFlightRequests } from "./in-flight.js";
import type { Logger } from "./logger.js";
import { stampErrors } from "./plugins/request-report.plugin.js";
import { requestIdFor } from "./request-id.js";
import type { RequestReport, ServerContext } from "./request-report.js";

/** The context a request's operation runs with; its upstream side is `report.upstream`. */
export type ContextFactory = (report: RequestReport) => ServerContext;

export interface GraphQLRouteOptions {
  readonly apollo: ApolloServer<ServerContext>;
  readonly createContext: ContextFactory;
  readonly logger: Logger;
  readonly accessLog: AccessLog;
  /**
   * The upstream side of a new request: its identity, deadline, retry budget, cancellation and
   * place in the trace.
   */
  readonly newScope: (
    requestId: string,
    headers: IncomingHttpHeaders,
    cancellation: Cancellation,
    trace: unknown,
  ) => RequestScope;
  /** Metrics and traces of each request. */
  readonly telemetry: GatewayTelemetry;
  /**
   * A problem with the request's headers that refuses it before any work (an unknown region), as
   * the message of a BAD_USER_INPUT answer; null when there is none.
   */
  readonly checkHeaders: (headers: IncomingHttpHeaders) => string | null;
  /** The credentials a request carries. */
  readonly secretsOf: (headers: IncomingHttpHeaders) => readonly string[];
  readonly inFlight: InFlightRequests;
  readonly maxRequestBytes: number;
  readonly maxQueryBytes: number;
  /** Serves the common requests without Apollo Server's HTTP layer; null sends all through it. */
  readonly direct: DirectExecutor | null;
}

export async function serveGraphQL(
  options: GraphQLRouteOptions,
  /** The query string of the request URL, "?" included ("" for none). */
  search: string,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const { inFlight, logger } = options;
  const requestId = requestIdFor(request.headers);
  response.setHeader("x-request-id", requestId);
  if (inFlight.draining) {
    response.setHeader("connection", "close");
  }
  const method = (request.method ?? "GET").toUpperCase();
  const work = inFlight.begin();
  const trace = options.telemetry.requestStarted(request.headers);
  const report = newReport(
    requestId,
    options.newScope(requestId, request.headers, work, trace),
    request.headers,
    options.secretsOf,
    trace,
  );
  response.once("close", () => {
    const clientClosed = !response.writableFinished;
    if (clientClosed) {
      work.cancel(new Error("the client closed the connection"));
    }
    inFlight.end(work);
    options.accessLog(report, method, response);
    if (!options.telemetry.active) {
      return;
    }
    options.telemetry.requestEnded(trace, {
      requestId,
      operationType: report.operationType,
      operation: report.operation ?? "none",
      operationName: () => operationNameOf(report),
      codes: report.codes,
      httpStatus: response.statusCode,
      clientClosed,
      seconds: (performance.now() - report.startedAt) / 1_000,
      persistedQueryHit: report.persistedQueryHit,
    });
  });

  try {
    await answer(options, search, method, request, response, report);
  } catch (error) {
    if (response.destroyed) {
      return;
    }
    logger.error({ requestId, err: error }, "request failed");
    if (!response.headersSent) {
      refuse(response, 500, report, "Internal server error", "INTERNAL_SERVER_ERROR");
    } else {
      response.destroy();
    }
  }
}

/**
 * A new request's report. Its credentials are gathered only when something reads them (an answer
 * or log line with text that could carry one); built apart from the request handler so that the
 * getter keeps nothing of the request alive but its headers.
 */
function newReport(
  requestId: string,
  upstream: RequestScope,
  headers: IncomingHttpHeaders,
  secretsOf: (headers: IncomingHttpHeaders) => readonly string[],
  trace: unknown,
): RequestReport {
  let secrets: readonly string[] | null = null;
  return {
    requestId,
    startedAt: performance.now(),
    upstream,
    get secrets() {
      secrets ??= secretsOf(headers);
      return secrets;
    },
    operationName: null,
    operationType: null,
    operation: null,
    persistedQueryHit: false,
    trace,
    codes: [],
    pipeline: null,
  };
}

async function answer(
  options: GraphQLRouteOptions,
  search: string,
  method: string,
  request: IncomingMessage,
  response: ServerResponse,
  report: RequestReport,
): Promise<void> {
  const body = await readBody(request, options.maxRequestBytes);
  if (body === null) {
    // The rest of the body is not read: the connection closes after the answer.
    response.setHeader("connection", "close");
    refuseLimit(
      response,
      413,
      report,
      new RequestLimitError(
        "MAX_REQUEST_BYTES",
        options.maxRequestBytes,
        `The request body is larger than ${options.maxRequestBytes} bytes`,
      ),
    );
    return;
  }
  const problem = options.checkHeaders(request.headers);
  if (problem !== null) {
    refuse(response, 400, report, problem, "BAD_USER_INPUT");
    return;
  }
  const parsed = parseBody(request.headers["content-type"], body);
  const query = method === "GET" ? new URLSearchParams(search).get("query") : queryOf(parsed);
  if (
    typeof query === "string" &&
    query.length * 3 > options.maxQueryBytes &&
    Buffer.byteLength(query) > options.maxQueryBytes
  ) {
    refuseLimit(
      response,
      400,
      report,
      new RequestLimitError(
        "MAX_QUERY_BYTES",
        options.maxQueryBytes,
        `The GraphQL document is larger than ${options.maxQueryBytes} bytes`,
      ),
    );
    return;
  }
  const direct = options.direct === null ? null : directRequestOf(method, request.headers, parsed);
  if (options.direct !== null && direct !== null) {
    const answered = await options.direct.run(direct, () => options.createContext(report));
    if (answered !== null) {
      response.statusCode = 200;
      response.setHeader("content-type", answered.contentType);
      response.setHeader("content-length", Buffer.byteLength(answered.body));
      response.end(answered.body);
      return;
    }
  }
  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) {
      headers.set(name, Array.isArray(value) ? value.join(", ") : value);
    }
  }
  const httpGraphQLRequest: HTTPGraphQLRequest = { method, headers, search, body: parsed };
  const result = await options.apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest,
    context: () => Promise.resolve(options.createContext(report)),
  });
  for (const [name, value] of result.headers) {
    response.setHeader(name, value);
  }
  response.statusCode = result.status ?? 200;
  if (result.body.kind === "complete") {
    let text = result.body.string;
    if (report.pipeline === null && response.statusCode >= 400) {
      // Refused before Apollo Server's request pipeline (CSRF, malformed request): its plugins did
      // not see it, so the request id is added here.
      text = stampRefusal(text, report);
      if (response.statusCode >= 500) {
        options.logger.error({ requestId: report.requestId, status: response.statusCode }, "request failed");
      }
    }
    // A known length lets Node send the answer in one write instead of chunked pieces.
    response.setHeader("content-length", Buffer.byteLength(text));
    response.end(text);
  } else {
    for await (const chunk of result.body.asyncIterator) {
      response.write(chunk);
    }
    response.end();
  }
}

/** The client's operation name for a span, cleared of credentials and bounded as in the access log. */
function operationNameOf(report: RequestReport): string | null {
  return report.operationName === null ? null : scrub(report.operationName, report.secrets).slice(0, 100);
}

function queryOf(body: unknown): unknown {
  return typeof body === "object" && body !== null && !Array.isArray(body)
    ? (body as { query?: unknown }).query
    : undefined;
}

function stampRefusal(text: string, report: RequestReport): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return text;
  }
  if (
    typeof parsed !== "object" ||
    parsed === null ||
    !Array.isArray((parsed as { errors?: unknown }).errors)
  ) {
    return text;
  }
  const { errors } = parsed as { errors: GraphQLFormattedError[] };
  return JSON.stringify({ ...parsed, errors: stampErrors(errors, report) });
}

function refuseLimit(
  response: ServerResponse,
  status: number,
  report: RequestReport,
  error: RequestLimitError,
): void {
  refuse(response, status, report, error.message, toGatewayError(error)?.code ?? "QUERY_TOO_COMPLEX");
}

function refuse(
  response: ServerResponse,
  status: number,
  report: RequestReport,
  message: string,
  code: string,
): void {
  sendJson(response, status, {
    errors: stampErrors([{ message, extensions: { code, retryable: false } }], report),
  });
}
