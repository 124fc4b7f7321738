/** Every `extensions.code` the gateway itself produces. */
export const ERROR_CODES = [
  "BAD_USER_INPUT",
  "UNAUTHENTICATED",
  "FORBIDDEN",
  "NOT_FOUND",
  "CONFLICT",
  "OVER_LIMIT",
  "RATE_LIMITED",
  "UPSTREAM_ERROR",
  "SERVICE_UNAVAILABLE",
  "UPSTREAM_TIMEOUT",
  "UPSTREAM_UNREACHABLE",
  "UPSTREAM_BAD_RESPONSE",
  "UNSUPPORTED_OPERATION",
  "QUERY_TOO_COMPLEX",
  "REQUEST_TOO_LARGE",
  "INTERNAL_SERVER_ERROR",
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** Codes Apollo Server and graphql-js attach themselves (parse, validation, HTTP-level refusals). */
export const APOLLO_ERROR_CODES = [
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  "BAD_REQUEST",
  "PERSISTED_QUERY_NOT_FOUND",
  "PERSISTED_QUERY_NOT_SUPPORTED",
  "OPERATION_RESOLUTION_FAILURE",
] as const;

/** Warnings a successful answer may carry in its top-level `extensions.warnings`. */
export const WARNING_CODES = ["ASSUMED_APPLIED"] as const;
