/**
 * THE table from failures to GraphQL error codes. Every upstream status and transport failure, and
 * every failure the gateway decides itself, is mapped here and nowhere else.
 */
import {
  ForbiddenError,
  IdentityServiceError,
  InputError,
  NotFoundError,
  UnauthenticatedError,
  UnsupportedOperationError,
} from "../../domain/errors.js";
import { UpstreamError } from "../../upstream/errors.js";
import type { ErrorCode } from "./codes.js";
import { GatewayError } from "./gateway-error.js";
import { RequestLimitError } from "./request-limit-error.js";

interface Row {
  readonly code: ErrorCode;
  readonly retryable: boolean;
}

/** Upstream HTTP statuses. */
export const STATUS_TABLE: ReadonlyMap<number, Row> = new Map<number, Row>([
  [400, { code: "BAD_USER_INPUT", retryable: false }],
  [401, { code: "UNAUTHENTICATED", retryable: false }],
  [403, { code: "FORBIDDEN", retryable: false }],
  [404, { code: "NOT_FOUND", retryable: false }],
  [409, { code: "CONFLICT", retryable: false }],
  [413, { code: "OVER_LIMIT", retryable: false }],
  [429, { code: "RATE_LIMITED", retryable: true }],
  [500, { code: "UPSTREAM_ERROR", retryable: false }],
  [502, { code: "SERVICE_UNAVAILABLE", retryable: true }],
  [503, { code: "SERVICE_UNAVAILABLE", retryable: true }],
  [504, { code: "UPSTREAM_TIMEOUT", retryable: true }],
]);

/** Any other status, and success answers whose body is not what the API documents. */
const BAD_RESPONSE: Row = { code: "UPSTREAM_BAD_RESPONSE", retryable: false };

/** Failures without an HTTP status. */
const KIND_TABLE: Readonly<Record<Exclude<UpstreamError["kind"], "status">, Row>> = {
  timeout: { code: "UPSTREAM_TIMEOUT", retryable: true },
  unreachable: { code: "UPSTREAM_UNREACHABLE", retryable: true },
  "bad-response": BAD_RESPONSE,
  "version-unavailable": BAD_RESPONSE,
  // Refused by the gateway itself, before sending: its queue is full or the breaker is open.
  overloaded: { code: "SERVICE_UNAVAILABLE", retryable: true },
  "circuit-open": { code: "SERVICE_UNAVAILABLE", retryable: true },
  // The gateway abandoned the call (it is shutting down, or the client went away).
  aborted: { code: "SERVICE_UNAVAILABLE", retryable: true },
};

/** Returns the GraphQL error for a known failure, or null for anything else (to be masked). */
export function toGatewayError(error: unknown): GatewayError | null {
  if (error instanceof GatewayError) {
    return error;
  }
  if (error instanceof UpstreamError) {
    const row =
      error.kind === "status"
        ? (STATUS_TABLE.get(error.status ?? 0) ?? BAD_RESPONSE)
        : KIND_TABLE[error.kind];
    const message =
      error.kind === "status" && row === BAD_RESPONSE
        ? `The upstream answered with unexpected HTTP status ${error.status}: ${error.message}`
        : error.message;
    return new GatewayError(row.code, message, row.retryable, {
      status: error.status,
      method: error.call.method,
      path: error.call.path,
      requestId: error.requestId,
    });
  }
  if (error instanceof RequestLimitError) {
    return new GatewayError(
      error.limit === "MAX_REQUEST_BYTES" ? "REQUEST_TOO_LARGE" : "QUERY_TOO_COMPLEX",
      error.message,
      false,
    );
  }
  if (error instanceof InputError) {
    return new GatewayError("BAD_USER_INPUT", error.message, false);
  }
  if (error instanceof UnsupportedOperationError) {
    return new GatewayError("UNSUPPORTED_OPERATION", error.message, false);
  }
  if (error instanceof NotFoundError) {
    return new GatewayError("NOT_FOUND", error.message, false);
  }
  if (error instanceof ForbiddenError) {
    return new GatewayError("FORBIDDEN", error.message, false);
  }
  if (error instanceof UnauthenticatedError) {
    return new GatewayError("UNAUTHENTICATED", error.message, false);
  }
  if (error instanceof IdentityServiceError) {
    return new GatewayError("SERVICE_UNAVAILABLE", error.message, true);
  }
  return null;
}
