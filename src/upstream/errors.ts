/**
 * Transport-level failures of an upstream call. This module knows nothing of GraphQL: the GraphQL
 * layer maps these to error codes in one table (src/graphql/errors/upstream-error-table.ts).
 */
export type UpstreamFailureKind =
  /** The upstream answered with a status the call does not expect. */
  | "status"
  /** No answer within a deadline (connect, headers, body or total). */
  | "timeout"
  /** Connection refused or reset, DNS failure, socket closed. */
  | "unreachable"
  /** A success status with a body that is not what the API documents, or an oversized body. */
  | "bad-response"
  /** A 300 Multiple Choices to a versioned path: the upstream does not serve that API version. */
  | "version-unavailable";

export interface UpstreamCallInfo {
  readonly method: string;
  /** The path as sent, without query string secrets (the API has none) and never with a token. */
  readonly path: string;
}

export class UpstreamError extends Error {
  override readonly name = "UpstreamError";

  constructor(
    readonly kind: UpstreamFailureKind,
    message: string,
    readonly call: UpstreamCallInfo,
    readonly status: number | null = null,
    readonly requestId: string | null = null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
