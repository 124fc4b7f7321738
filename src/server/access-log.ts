/**
 * One line per GraphQL request, written when its answer is complete or its client has gone:
 * request id, operation, HTTP status, duration, error codes, upstream calls, and which pipeline
 * answered (the direct path or Apollo Server's). Nothing from the request's headers, URL or body,
 * except the operation name, which is cleared of credentials.
 */
import type { ServerResponse } from "node:http";
import type { Logger } from "./logger.js";
import type { RequestReport } from "./request-report.js";
import { scrub } from "../domain/redaction.js";

const MAX_OPERATION_NAME = 100;

export type AccessLog = (report: RequestReport, method: string, response: ServerResponse) => void;

export function createAccessLog(logger: Logger): AccessLog {
  // The line is built from the fields above only, never from headers, so the logger's redaction
  // paths (which cost as much as the rest of the line together) have nothing to find in it.
  const lines = logger.child({}, { redact: [] });
  return (report, method, response) => {
    if (!lines.isLevelEnabled("info")) {
      return;
    }
    const completed = response.writableFinished;
    const operation =
      report.operationName === null
        ? null
        : scrub(report.operationName, report.secrets).slice(0, MAX_OPERATION_NAME);
    lines.info(
      {
        requestId: report.requestId,
        method,
        operation,
        status: response.statusCode,
        durationMs: Math.round((performance.now() - report.startedAt) * 10) / 10,
        outcome: !completed ? "client-closed" : report.codes.length === 0 ? "ok" : "error",
        codes: report.codes,
        upstreamCalls: report.upstream.attempts,
        upstreamRetries: report.upstream.retries,
        pipeline: report.pipeline,
      },
      "graphql request",
    );
  };
}
