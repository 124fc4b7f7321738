/**
 * Apollo Server's formatError: known failures become GatewayErrors through the table; errors
 * Apollo Server and graphql-js raise themselves (parse, validation, variable coercion) keep their
 * codes; anything else is masked so internals never reach a client.
 */
import type { GraphQLFormattedError } from "graphql";
import { GraphQLError } from "graphql";
import { unwrapResolverError } from "@apollo/server/errors";
import { toGatewayError } from "./error-table.js";

export type InternalErrorReporter = (error: unknown) => void;

export function createFormatError(
  reportInternal: InternalErrorReporter,
): (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError {
  return (formatted, error) => {
    const original = unwrapResolverError(error);
    const mapped = toGatewayError(original);
    if (mapped !== null) {
      return { ...formatted, message: mapped.message, extensions: { ...mapped.extensions } };
    }
    const isResolverFailure = original !== error || !(original instanceof GraphQLError);
    if (!isResolverFailure && typeof formatted.extensions?.code === "string") {
      return formatted;
    }
    if (
      original instanceof GraphQLError &&
      typeof original.extensions.code === "string" &&
      original.extensions.code !== "INTERNAL_SERVER_ERROR"
    ) {
      // A resolver deliberately threw a coded GraphQLError (e.g. a federation library).
      return formatted;
    }
    reportInternal(original);
    return {
      message: "Internal server error",
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: "INTERNAL_SERVER_ERROR", retryable: false },
    };
  };
}
