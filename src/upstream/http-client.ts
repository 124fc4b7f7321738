/**
 * The only module that speaks HTTP to the upstream: one keep-alive connection pool per upstream
 * origin, explicit deadlines, bounded bodies, and every failure turned into an UpstreamError.
 */
import { Pool, errors as undiciErrors } from "undici";
import { errorMessageFromBody } from "./error-body.js";
import { UpstreamError, type UpstreamFailureKind } from "./errors.js";

export type HttpMethod = "GET" | "POST" | "PUT" | "DELETE";

export interface UpstreamRequest {
  readonly method: HttpMethod;
  /** Path below the upstream's base path, segments already encoded; may carry a query string. */
  readonly path: string;
  /** Credentials and forwarded headers (lower-case names). */
  readonly headers: Readonly<Record<string, string>>;
  /** Serialised as JSON when present. */
  readonly body?: unknown;
  /** The statuses that mean success for this call; anything else is an UpstreamError. */
  readonly expect: readonly number[];
  /** Aborts the call, e.g. when the GraphQL client has gone away. */
  readonly signal?: AbortSignal;
}

export interface UpstreamResponse {
  readonly status: number;
  /** Parsed JSON body; undefined when the body is empty. */
  readonly json: unknown;
  readonly requestId: string | null;
  /** What was called, for error reports. */
  readonly call: { readonly method: string; readonly path: string };
}

export interface UpstreamTimeouts {
  readonly connectMs: number;
  readonly headersMs: number;
  readonly bodyMs: number;
  readonly totalMs: number;
}

export interface HttpClientOptions {
  readonly baseUrl: URL;
  readonly timeouts: UpstreamTimeouts;
  readonly maxBodyBytes: number;
  readonly connections: number;
  readonly userAgent: string;
}

export class UpstreamHttpClient {
  private readonly pool: Pool;
  private readonly basePath: string;

  constructor(private readonly options: HttpClientOptions) {
    this.basePath = options.baseUrl.pathname.replace(/\/+$/, "");
    this.pool = new Pool(options.baseUrl.origin, {
      connections: options.connections,
      keepAliveTimeout: 10_000,
      headersTimeout: options.timeouts.headersMs,
      bodyTimeout: options.timeouts.bodyMs,
      connect: { timeout: options.timeouts.connectMs },
    });
  }

  async send(request: UpstreamRequest): Promise<UpstreamResponse> {
    const path = this.basePath + request.path;
    const call = { method: request.method, path };
    const deadline = AbortSignal.timeout(this.options.timeouts.totalMs);
    const signal = request.signal ? AbortSignal.any([deadline, request.signal]) : deadline;
    const headers: Record<string, string> = {
      ...request.headers,
      accept: "application/json",
      "user-agent": this.options.userAgent,
    };
    let payload: string | undefined;
    if (request.body !== undefined) {
      payload = JSON.stringify(request.body);
      headers["content-type"] = "application/json";
    }

    let status: number;
    let responseHeaders: Record<string, string | string[] | undefined>;
    let text: string;
    try {
      const response = await this.pool.request({
        method: request.method,
        path,
        headers,
        body: payload,
        signal,
      });
      status = response.statusCode;
      responseHeaders = response.headers;
      text = await readBounded(response.body, this.options.maxBodyBytes, call);
    } catch (error) {
      throw toUpstreamError(error, call, signal);
    }

    const requestId = firstHeader(responseHeaders["x-openstack-request-id"]);
    if (!request.expect.includes(status)) {
      const token = request.headers["x-auth-token"];
      // An upstream (or a proxy before it) must never get to echo a token into an error message.
      const safeText = token !== undefined && token.length > 0 ? text.replaceAll(token, "[redacted]") : text;
      throw statusError(status, firstHeader(responseHeaders["content-type"]), safeText, call, requestId);
    }
    return { status, json: parseJson(text, call, status, requestId), requestId, call };
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

async function readBounded(
  body: AsyncIterable<Buffer> & { destroy(error?: Error): unknown },
  maxBytes: number,
  call: { method: string; path: string },
): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > maxBytes) {
      body.destroy();
      throw new UpstreamError("bad-response", `The upstream answer is larger than ${maxBytes} bytes`, call);
    }
    chunks.push(chunk);
  }
  return chunks.length === 1 ? chunks[0]!.toString("utf8") : Buffer.concat(chunks).toString("utf8");
}

function statusError(
  status: number,
  contentType: string | null,
  text: string,
  call: { method: string; path: string },
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
  const detail = errorMessageFromBody(contentType ?? undefined, text);
  const message = detail ?? `The upstream answered HTTP ${status}`;
  return new UpstreamError("status", message, call, status, requestId);
}

function parseJson(
  text: string,
  call: { method: string; path: string },
  status: number,
  requestId: string | null,
): unknown {
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

function toUpstreamError(
  error: unknown,
  call: { method: string; path: string },
  signal: AbortSignal,
): UpstreamError {
  if (error instanceof UpstreamError) {
    return error;
  }
  const kind = failureKind(error, signal);
  const message =
    kind === "timeout"
      ? "The upstream did not answer in time"
      : kind === "bad-response"
        ? "The upstream answer was cut short"
        : "The upstream could not be reached";
  return new UpstreamError(kind, message, call, null, null, { cause: error });
}

function failureKind(error: unknown, signal: AbortSignal): UpstreamFailureKind {
  if (signal.aborted) {
    const reason: unknown = signal.reason;
    return reason instanceof DOMException && reason.name === "TimeoutError" ? "timeout" : "unreachable";
  }
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string" && TIMEOUT_CODES.has(code)) {
    return "timeout";
  }
  if (error instanceof undiciErrors.ResponseContentLengthMismatchError) {
    return "bad-response";
  }
  return "unreachable";
}
