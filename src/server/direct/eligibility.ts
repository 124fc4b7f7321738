/**
 * Which GraphQL requests the direct path may serve: a JSON POST of a query or mutation, with no
 * persisted-query hash, no federated trace asked for, and an Accept header whose answer type is
 * unambiguous. Every other request (GET, batches, uploads, APQ, ftv1 traces, unusual Accept or
 * Content-Type headers, malformed bodies) goes through Apollo Server, which answers it in full.
 */
import type { IncomingHttpHeaders } from "node:http";

export const JSON_ANSWER = "application/json; charset=utf-8";
export const GRAPHQL_RESPONSE_ANSWER = "application/graphql-response+json; charset=utf-8";

export interface DirectRequest {
  readonly query: string;
  readonly operationName: string | undefined;
  readonly variables: Readonly<Record<string, unknown>> | undefined;
  /** The Content-Type of the answer, as Apollo Server would choose it for this Accept header. */
  readonly contentType: string;
}

const JSON_CONTENT_TYPES = new Set(["application/json", "application/json; charset=utf-8"]);
const BODY_FIELDS = new Set(["query", "operationName", "variables", "extensions"]);
/** Media ranges under which Apollo Server picks application/json. */
const JSON_RANGES = new Set(["*/*", "application/*", "application/json"]);
/** What Apollo Client sends by default: it prefers the GraphQL response type. */
const GRAPHQL_RESPONSE_PREFERRED = new Set([
  "application/graphql-response+json,application/json;q=0.9",
  "application/graphql-response+json, application/json;q=0.9",
  "application/graphql-response+json",
]);

export function directRequestOf(
  method: string,
  headers: IncomingHttpHeaders,
  body: unknown,
): DirectRequest | null {
  if (method !== "POST" || headers["apollo-federation-include-trace"] !== undefined) {
    return null;
  }
  const contentType = headers["content-type"]?.toLowerCase().replace(/;\s*/, "; ");
  if (contentType === undefined || !JSON_CONTENT_TYPES.has(contentType)) {
    return null;
  }
  const answerType = answerTypeFor(headers.accept);
  if (answerType === null || !isPlainObject(body)) {
    return null;
  }
  for (const key of Object.keys(body)) {
    if (!BODY_FIELDS.has(key)) {
      return null;
    }
  }
  const { query, operationName, variables, extensions } = body;
  if (typeof query !== "string" || query === "") {
    return null;
  }
  if (operationName !== undefined && operationName !== null && typeof operationName !== "string") {
    return null;
  }
  if (variables !== undefined && variables !== null && !isPlainObject(variables)) {
    return null;
  }
  if (extensions !== undefined && extensions !== null) {
    if (!isPlainObject(extensions) || "persistedQuery" in extensions) {
      return null;
    }
  }
  return {
    query,
    operationName: operationName ?? undefined,
    variables: variables ?? undefined,
    contentType: answerType,
  };
}

/** The answer's Content-Type for an Accept header, or null when only Apollo Server can tell. */
export function answerTypeFor(accept: string | undefined): string | null {
  if (accept === undefined || accept === "") {
    return JSON_ANSWER;
  }
  const normalised = accept.trim().toLowerCase();
  if (GRAPHQL_RESPONSE_PREFERRED.has(normalised)) {
    return GRAPHQL_RESPONSE_ANSWER;
  }
  const ranges = normalised.split(",").map((range) => range.trim());
  return ranges.every((range) => JSON_RANGES.has(range)) ? JSON_ANSWER : null;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
