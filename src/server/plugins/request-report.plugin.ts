/**
 * Per request, once (no per-field hooks): records the operation name for the access log, logs
 * masked internal failures with the request id, and stamps the answer: every error gets
 * `extensions.requestId` and is cleared of the client's credentials, and upstream warnings (a
 * retried DELETE taken as done) go to the answer's `extensions.warnings`.
 */
import type { ApolloServerPlugin, GraphQLRequestListener, GraphQLResponse } from "@apollo/server";
import type { GraphQLFormattedError } from "graphql";
import { isInternalFailure } from "../../graphql/errors/format-error.js";
import type { Logger } from "../logger.js";
import type { RequestReport, ServerContext } from "../request-report.js";
import { scrub } from "../secrets.js";

export function requestReportPlugin(logger: Logger): ApolloServerPlugin<ServerContext> {
  const listener: GraphQLRequestListener<ServerContext> = {
    didResolveOperation({ contextValue, operationName }) {
      contextValue.report.operationName = operationName;
      return Promise.resolve();
    },
    didEncounterErrors({ contextValue, errors }) {
      const { report } = contextValue;
      for (const error of errors) {
        if (isInternalFailure(error)) {
          logger.error(
            {
              requestId: report.requestId,
              err: {
                type: error.name,
                message: scrub(error.message, report.secrets),
                stack: scrub(error.stack ?? "", report.secrets),
              },
            },
            "internal error",
          );
        }
      }
      return Promise.resolve();
    },
    willSendResponse({ contextValue, response }) {
      stampAnswer(response.body, contextValue.report);
      return Promise.resolve();
    },
  };
  return {
    requestDidStart({ contextValue }) {
      contextValue.report.inPipeline = true;
      return Promise.resolve(listener);
    },
  };
}

function stampAnswer(body: GraphQLResponse["body"], report: RequestReport): void {
  const result = body.kind === "single" ? body.singleResult : body.initialResult;
  if (result.errors !== undefined && result.errors.length > 0) {
    result.errors = stampErrors(result.errors, report);
  }
  const { warnings } = report.upstream;
  if (warnings.length > 0) {
    result.extensions = {
      ...result.extensions,
      warnings: warnings.map(({ code, message, method, path }) => ({
        code,
        message,
        upstream: { method, path },
      })),
    };
  }
}

/** The errors as answered: credentials scrubbed, the request id added, codes noted for the log. */
export function stampErrors(
  errors: readonly GraphQLFormattedError[],
  report: RequestReport,
): GraphQLFormattedError[] {
  return errors.map((error) => {
    const code = error.extensions?.code;
    report.codes.push(typeof code === "string" ? code : "INTERNAL_SERVER_ERROR");
    return {
      ...error,
      message: scrub(error.message, report.secrets),
      extensions: { ...error.extensions, requestId: report.requestId },
    };
  });
}
