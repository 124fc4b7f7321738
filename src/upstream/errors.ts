/**
 * Transport-level failures of an upstream call. This module knows nothing of GraphQL: the GraphQL
 * layer maps these to error codes in one table (src/graphql/errors/error-table.ts).
 */
export type UpstreamFailureKind =
  /** The upstream answered with a status the call does not expect. */
  | "status"
  /** No answer within a deadline (connect, headers, body, the call's or the request's own). */
  | "timeout"
  /** Connection refused or reset, DNS failure, socket closed. */
  | "unreachable"
  /** A success status with a body that is not what the API documents, or an oversized body. */
  | "bad-response"
  /** A 300 Multiple Choices to a versioned path: the upstream does not serve that API version. */
  | "version-unavailable"
  /** Not sent: the gateway already has as many upstream calls in flight and waiting as it allows. */
  | "overloaded"
  /** Not sent: the upstream failed repeatedly and calls to it are paused for a while. */
  | "circuit-open"
  /** Abandoned by the gateway: the client went away, or the gateway is shutting down. */
  | "aborted";

export interface UpstreamCallInfo {
  readonly method: string;
  /** The path as sent, without query string secrets (the API has none) and never with a token. */
  readonly path: string;
}

export interface UpstreamErrorOptions {
  readonly cause?: unknown;
  /** What the upstream's Retry-After asked for, in milliseconds (429 and 503 answers). */
  readonly retryAfterMs?: number | null;
  /**
   * True when the request certainly never reached the upstream (connection refused or never
   * established, not sent).
   */
  readonly notSent?: boolean;
  /**
   * True when the gateway itself decided not to send the call (the breaker is open, its queue is
   * full, no time is left): such a failure says nothing of the upstream's health.
   */
  readonly refusedByGateway?: boolean;
}

export class UpstreamError extends Error {
  override readonly name = "UpstreamError";
  readonly retryAfterMs: number | null;
  readonly notSent: boolean;
  readonly refusedByGateway: boolean;

  constructor(
    readonly kind: UpstreamFailureKind,
    message: string,
    readonly call: UpstreamCallInfo,
    readonly status: number | null = null,
    readonly requestId: string | null = null,
    options?: UpstreamErrorOptions,
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.retryAfterMs = options?.retryAfterMs ?? null;
    this.notSent = options?.notSent ?? false;
    this.refusedByGateway = options?.refusedByGateway ?? false;
  }
}
