/**
 * Per request, once (no per-field hooks): records the operation name for the access log, logs
 * masked internal failures with the request id, and stamps the answer: every error gets
 * `extensions.requestId` and is cleared of the client's credentials, and upstream warnings (a
 * retried DELETE taken as done) go to the answer's `extensions.warnings`.
 */
import type { ApolloServerPlugin, GraphQLRequestListener, GraphQLResponse } from "@apollo/server";
import type { GraphQLError, GraphQLFormattedError } from "graphql";
import { isInternalFailure } from "../../graphql/errors/format-error.js";
import { rootFieldLabel } from "../../graphql/operation-label.js";
import type { Logger } from "../logger.js";
import type { RequestReport, ServerContext } from "../request-report.js";
import { scrubDeep } from "../secrets.js";

export function requestReportPlugin(logger: Logger): ApolloServerPlugin<ServerContext> {
  const listener: GraphQLRequestListener<ServerContext> = {
    didResolveOperation({ contextValue, operationName, operation, metrics }) {
      const { report } = contextValue;
      report.operationName = operationName;
      if (operation !== undefined) {
        report.operationType = operation.operation;
        report.operation = rootFieldLabel(operation);
      }
      report.persistedQueryHit = metrics.persistedQueryHit === true;
      return Promise.resolve();
    },
    didEncounterErrors({ contextValue, errors }) {
      logInternalFailures(logger, errors, contextValue.report);
      return Promise.resolve();
    },
    willSendResponse({ contextValue, response }) {
      stampAnswer(response.body, contextValue.report);
      return Promise.resolve();
    },
  };
  return {
    requestDidStart({ contextValue }) {
      contextValue.report.pipeline = "apollo";
      return Promise.resolve(listener);
    },
  };
}

/** Logs, with the request id, every error the gateway will mask as an internal one. */
export function logInternalFailures(
  logger: Logger,
  errors: readonly GraphQLError[],
  report: RequestReport,
): void {
  for (const error of errors) {
    if (isInternalFailure(error)) {
      logger.error(
        {
          requestId: report.requestId,
          // Cleared of credentials as the answered errors are (see stampErrors).
          err: scrubDeep(
            { type: error.name, message: error.message, stack: error.stack ?? "", path: error.path },
            report.secrets,
          ),
        },
        "internal error",
      );
    }
  }
}

function stampAnswer(body: GraphQLResponse["body"], report: RequestReport): void {
  stampResult(body.kind === "single" ? body.singleResult : body.initialResult, report);
}

/** Errors stamped (see stampErrors) and upstream warnings added, in place. */
export function stampResult(
  result: { errors?: readonly GraphQLFormattedError[]; extensions?: Record<string, unknown> },
  report: RequestReport,
): void {
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

/**
 * The errors as answered, whichever pipeline answers: every string in them cleared of the client's
 * credentials (the message, the path, the extensions at any depth, such as the upstream path a
 * member id was sent in), the request id added, codes noted for the log.
 */
export function stampErrors(
  errors: readonly GraphQLFormattedError[],
  report: RequestReport,
): GraphQLFormattedError[] {
  return errors.map((answered) => {
    const error = scrubDeep(answered, report.secrets);
    const code = error.extensions?.code;
    report.codes.push(typeof code === "string" ? code : "INTERNAL_SERVER_ERROR");
    return { ...error, extensions: { ...error.extensions, requestId: report.requestId } };
  });
}
