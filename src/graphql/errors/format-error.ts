/**
 * Apollo Server's formatError: known failures become GatewayErrors through the table (also when
 * they arrive wrapped, as a validation rule's or a plugin's refusal does); errors Apollo Server and
 * graphql-js raise themselves (parse, validation, variable coercion) keep their codes; anything
 * else is masked so internals never reach a client. Masked errors are logged, with the request id,
 * by the request plugin (src/server/plugins/request-report.plugin.ts).
 */
import type { GraphQLFormattedError } from "graphql";
import { GraphQLError } from "graphql";
import { unwrapResolverError } from "@apollo/server/errors";
import { toGatewayError } from "./error-table.js";
import type { GatewayError } from "./gateway-error.js";

export function formatGatewayError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const mapped = knownFailure(error);
  if (mapped !== null) {
    return {
      message: mapped.message,
      locations: formatted.locations,
      path: formatted.path,
      extensions: { ...mapped.extensions },
    };
  }
  if (isApolloClientError(error)) {
    // Apollo Server's own refusals of a malformed request (e.g. a persisted-query hash that does not
    // match its query) come without a code but with a 4xx status: the client's fault, not ours.
    return { ...formatted, extensions: { ...formatted.extensions, code: "BAD_REQUEST" } };
  }
  if (!isInternalFailure(error)) {
    return formatted;
  }
  return {
    message: "Internal server error",
    locations: formatted.locations,
    path: formatted.path,
    extensions: { code: "INTERNAL_SERVER_ERROR", retryable: false },
  };
}

/**
 * Execution errors as Apollo Server answers them, for the direct path (src/server/direct/): the
 * default code Apollo Server gives an error without one, then formatGatewayError. (Apollo Server
 * would also turn an `extensions.http` into the answer's status; no resolver error carries one,
 * GatewayError deliberately so.)
 */
export function formatExecutionErrors(errors: readonly GraphQLError[]): GraphQLFormattedError[] {
  return errors.map((error) =>
    formatGatewayError(
      {
        ...error.toJSON(),
        // graphql-jit leaves `extensions` undefined on an error without any.
        extensions: {
          ...error.extensions,
          code: (error.extensions as GraphQLError["extensions"] | undefined)?.code ?? "INTERNAL_SERVER_ERROR",
        },
      },
      error,
    ),
  );
}

/** The table's error for `error`, looking behind Apollo's and graphql-js's wrappers. */
export function knownFailure(error: unknown): GatewayError | null {
  const original = unwrapResolverError(error);
  const mapped = toGatewayError(original);
  if (mapped !== null) {
    return mapped;
  }
  return original instanceof GraphQLError && original.originalError !== undefined
    ? toGatewayError(original.originalError)
    : null;
}

/** True for failures the gateway does not know, which are masked and logged. */
export function isInternalFailure(error: unknown): boolean {
  if (knownFailure(error) !== null) {
    return false;
  }
  const original = unwrapResolverError(error);
  const isResolverFailure = original !== error || !(original instanceof GraphQLError);
  if (!isResolverFailure) {
    // Apollo Server's and graphql-js's own errors (parse, validation, coercion) carry their code.
    return !(error instanceof GraphQLError && typeof error.extensions.code === "string");
  }
  // A resolver may deliberately throw a coded GraphQLError (e.g. a federation library).
  return !(
    original instanceof GraphQLError &&
    typeof original.extensions.code === "string" &&
    original.extensions.code !== "INTERNAL_SERVER_ERROR"
  );
}

function isApolloClientError(error: unknown): boolean {
  if (!(error instanceof GraphQLError) || typeof error.extensions.code === "string") {
    return false;
  }
  const status = (error.extensions.http as { status?: unknown } | undefined)?.status;
  return typeof status === "number" && status >= 400 && status < 500;
}
