/**
 * The only module that speaks HTTP to the upstream: one keep-alive connection pool per upstream
 * origin, explicit deadlines for every phase of a call, bounded bodies, and every failure turned
 * into an UpstreamError. One `send` here is one exchange; retries, the process-wide concurrency cap
 * and the circuit breaker live around it (resilient-client.ts).
 */
import { scrub } from "../domain/redaction.js";
import { errorMessageFromBody } from "./error-body.js";
import { CallDeadline } from "./call-deadline.js";
import type { Cancellation } from "./cancellation.js";
import { Exchange } from "./exchange.js";
import { UpstreamError, type UpstreamCallInfo } from "./errors.js";
import type { RequestScope } from "./request-scope.js";
import { parseRetryAfter } from "./retry-after.js";
import { Pool, ResponseContentLengthMismatchError } from "./undici-pool.js";

export type HttpMethod = "GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface UpstreamRequest {
  readonly method: HttpMethod;
  /** Path below the upstream's base path, segments already encoded; may carry a query string. */
  readonly path: string;
  /** Credentials and forwarded headers (lower-case names). */
  readonly headers: Readonly<Record<string, string>>;
  /** Serialised as JSON when present. */
  readonly body?: unknown;
  /** The body's media type; default application/json (v2's PATCH needs its JSON-patch type). */
  readonly contentType?: string;
  /** The statuses that mean success for this call; anything else is an UpstreamError. */
  readonly expect: readonly number[];
  /** Abandons the call, e.g. when the GraphQL client has gone away. */
  readonly cancellation?: Cancellation;
  /** The client request this call belongs to: request id, deadline, retry budget. */
  readonly scope?: RequestScope;
  /** Headers added by the layers around this one (the trace context), as a flat name/value list. */
  readonly extraHeaders?: readonly string[];
}

export interface UpstreamResponse {
  readonly status: number;
  /** Parsed JSON body; undefined when the body is empty. */
  readonly json: unknown;
  readonly requestId: string | null;
  /** What was called, for error reports. */
  readonly call: UpstreamCallInfo;
  /** The answer's headers, lower-case names. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

/** What the members API implementations call; the resilient client and the plain one both are. */
export interface UpstreamHttpClient {
  send(request: UpstreamRequest): Promise<UpstreamResponse>;
}

export interface UpstreamTimeouts {
  /** Establishing the connection. */
  readonly connectMs: number;
  /** From dispatch until the response head. */
  readonly headersMs: number;
  /** The longest silence between two chunks of the body. */
  readonly bodyMs: number;
  /** The whole exchange. */
  readonly totalMs: number;
}

export interface HttpClientOptions {
  readonly baseUrl: URL;
  readonly timeouts: UpstreamTimeouts;
  readonly maxBodyBytes: number;
  readonly connections: number;
  readonly userAgent: string;
}

/** Why a call's own controller aborted it. */
class DeadlineExceeded extends Error {
  constructor(readonly phase: "headers" | "body" | "total" | "request") {
    super(`deadline exceeded: ${phase}`);
  }
}

const DEADLINE_MESSAGES: Readonly<Record<DeadlineExceeded["phase"], string>> = {
  headers: "The upstream did not answer in time",
  body: "The upstream stopped sending its answer",
  total: "The upstream did not answer in time",
  request: "The upstream did not answer within the time left for this request",
};

export class UndiciHttpClient implements UpstreamHttpClient {
  private readonly pool: Pool;
  private readonly basePath: string;
  private readonly origin: string;

  constructor(private readonly options: HttpClientOptions) {
    this.basePath = options.baseUrl.pathname.replace(/\/+$/, "");
    this.origin = options.baseUrl.origin;
    this.pool = new Pool(options.baseUrl.origin, {
      connections: options.connections,
      keepAliveTimeout: 10_000,
      // Off: every call carries its own deadlines for the head, the body and the whole exchange
      // (call-deadline.ts). undici's would only duplicate them, and each request would leave a
      // timer object behind in undici's timer list for up to a second, long enough to be promoted
      // to the old generation: under load that alone grew the heap by about a megabyte a second.
      headersTimeout: 0,
      bodyTimeout: 0,
      connect: { timeout: options.timeouts.connectMs },
    });
  }

  callInfo(request: UpstreamRequest): UpstreamCallInfo {
    return { method: request.method, path: this.basePath + request.path };
  }

  async send(request: UpstreamRequest): Promise<UpstreamResponse> {
    const call = this.callInfo(request);
    const path = call.path;
    const { timeouts } = this.options;
    // A flat name/value list: undici takes it as it is, with no intermediate object.
    const headers: string[] = ["accept", "application/json", "user-agent", this.options.userAgent];
    const scope = request.scope;
    for (const name in request.headers) {
      // The request's own id wins over a forwarded one.
      if (scope === undefined || name !== "x-openstack-request-id") {
        headers.push(name, request.headers[name]!);
      }
    }
    if (scope !== undefined) {
      headers.push("x-openstack-request-id", scope.requestId);
    }
    const traceHeaders = request.extraHeaders ?? scope?.traceHeaders;
    if (traceHeaders !== undefined && traceHeaders.length > 0) {
      headers.push(...traceHeaders);
    }
    let payload: string | undefined;
    if (request.body !== undefined) {
      payload = JSON.stringify(request.body);
      headers.push("content-type", request.contentType ?? "application/json");
    }

    const outer = request.cancellation;
    if (outer?.cancelled === true) {
      throw aborted(call, outer.reason);
    }
    const left = scope === undefined ? Infinity : scope.deadline - performance.now();
    if (left <= 0) {
      throw new UpstreamError("timeout", DEADLINE_MESSAGES.request, call, null, null, {
        notSent: true,
        refusedByGateway: true,
      });
    }
    const totalPhase = left < timeouts.totalMs ? "request" : "total";
    const deadline = new CallDeadline(Math.min(left, timeouts.totalMs), timeouts.headersMs, timeouts.bodyMs);
    const exchange = new Exchange(
      this.options.maxBodyBytes,
      deadline,
      () =>
        new UpstreamError(
          "bad-response",
          `The upstream answer is larger than ${this.options.maxBodyBytes} bytes`,
          call,
        ),
    );
    deadline.start((phase) => exchange.abort(new DeadlineExceeded(phase === "total" ? totalPhase : phase)));
    const stopListening = outer?.onCancel((reason) => exchange.abort(reason));

    let status: number;
    let responseHeaders: Record<string, string | string[] | undefined>;
    let text: string;
    try {
      this.pool.dispatch(
        { origin: this.origin, method: request.method, path, headers, body: payload },
        exchange,
      );
      ({ status, headers: responseHeaders, text } = await exchange.done);
    } catch (error) {
      throw toUpstreamError(error, call, exchange.abortReason, outer, exchange.status !== undefined);
    } finally {
      deadline.clear();
      stopListening?.();
    }

    const requestId = firstHeader(responseHeaders["x-openstack-request-id"]);
    if (!request.expect.includes(status)) {
      const tokens = [request.headers["x-auth-token"], request.headers["x-subject-token"]].filter(
        (token) => token !== undefined,
      );
      // An upstream (or a proxy before it) must never get to echo a token into an error message;
      // redacted by the rule the answers follow (domain/redaction.ts), so its prose stays readable.
      const safeText = tokens.length > 0 ? scrub(text, tokens) : text;
      throw statusError(status, responseHeaders, safeText, call, requestId);
    }
    return {
      status,
      json: parseJson(text, call, status, requestId),
      requestId,
      call,
      headers: responseHeaders,
    };
  }

  /** Waits for calls in flight, up to `graceMs`, then cuts whatever is left. */
  async close(graceMs = 5_000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const cut = new Promise<"cut">((resolve) => {
      timer = setTimeout(() => resolve("cut"), graceMs);
    });
    try {
      if ((await Promise.race([this.pool.close(), cut])) === "cut") {
        await this.pool.destroy();
      }
    } finally {
      clearTimeout(timer);
    }
  }
}

function statusError(
  status: number,
  headers: Record<string, string | string[] | undefined>,
  text: string,
  call: UpstreamCallInfo,
  requestId: string | null,
): UpstreamError {
  if (status === 300) {
    return new UpstreamError(
      "version-unavailable",
      "The upstream does not serve this Images API version (it answered with its version list)",
      call,
      status,
      requestId,
    );
  }
  const detail = errorMessageFromBody(firstHeader(headers["content-type"]) ?? undefined, text);
  const message = detail ?? `The upstream answered HTTP ${status}`;
  const retryAfter = firstHeader(headers["retry-after"]);
  return new UpstreamError("status", message, call, status, requestId, {
    retryAfterMs: retryAfter === null ? null : parseRetryAfter(retryAfter, Date.now()),
  });
}

function parseJson(text: string, call: UpstreamCallInfo, status: number, requestId: string | null): unknown {
  if (text === "") {
    return undefined;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UpstreamError(
      "bad-response",
      "The upstream answer is not valid JSON",
      call,
      status,
      requestId,
      {
        cause: error,
      },
    );
  }
}

function firstHeader(value: string | string[] | undefined): string | null {
  if (Array.isArray(value)) {
    return value[0] ?? null;
  }
  return value ?? null;
}

const TIMEOUT_CODES = new Set(["UND_ERR_CONNECT_TIMEOUT", "UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT"]);
/** Failures that happen before a single byte of the request can have reached the upstream. */
const NOT_SENT_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "UND_ERR_CONNECT_TIMEOUT",
]);

function aborted(call: UpstreamCallInfo, reason: unknown): UpstreamError {
  const why = reason instanceof Error && reason.message !== "" ? `: ${reason.message}` : "";
  return new UpstreamError("aborted", `The upstream call was abandoned${why}`, call, null, null, {
    cause: reason,
  });
}

function toUpstreamError(
  error: unknown,
  call: UpstreamCallInfo,
  abortReason: unknown,
  outer: Cancellation | undefined,
  answering: boolean,
): UpstreamError {
  if (error instanceof UpstreamError) {
    return error;
  }
  if (abortReason instanceof DeadlineExceeded) {
    return new UpstreamError("timeout", DEADLINE_MESSAGES[abortReason.phase], call, null, null, {
      cause: error,
    });
  }
  if (abortReason !== undefined && outer?.cancelled === true) {
    return aborted(call, abortReason);
  }
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string" && TIMEOUT_CODES.has(code)) {
    return new UpstreamError("timeout", "The upstream did not answer in time", call, null, null, {
      cause: error,
      notSent: NOT_SENT_CODES.has(code),
    });
  }
  // A body shorter than announced, or a connection closed mid-answer, is a transport failure too.
  const message =
    answering || error instanceof ResponseContentLengthMismatchError
      ? "The upstream answer was cut short"
      : "The upstream could not be reached";
  return new UpstreamError("unreachable", message, call, null, null, {
    cause: error,
    notSent: typeof code === "string" && NOT_SENT_CODES.has(code),
  });
}
