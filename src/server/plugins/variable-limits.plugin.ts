/**
 * Applies the list limits to a request's variables once its operation is known, before execution
 * and therefore before any upstream call. (The limits visible in the document itself are a
 * validation rule: src/graphql/limits/operation-limits.rule.ts.)
 */
import type { ApolloServerPlugin, GraphQLRequestListener } from "@apollo/server";
import { GraphQLError } from "graphql";
import type { OperationLimits } from "../../graphql/limits/operation-limits.js";
import { variableLimitError } from "../../graphql/limits/variable-limits.js";
import type { ServerContext } from "../request-report.js";

export function variableLimitsPlugin(limits: OperationLimits): ApolloServerPlugin<ServerContext> {
  const listener: GraphQLRequestListener<ServerContext> = {
    didResolveOperation({ document, operation, request }) {
      const error =
        operation === undefined ? null : variableLimitError(document, operation, request.variables, limits);
      if (error !== null) {
        // A refusal of the request as sent: HTTP 400, as for a validation failure.
        throw new GraphQLError(error.message, {
          originalError: error,
          extensions: { http: { status: 400 } },
        });
      }
      return Promise.resolve();
    },
  };
  return { requestDidStart: () => Promise.resolve(listener) };
}
