/** Success answers shaped as Glance's serializers shape them. */
import type { EmulatorResponse } from "./http-types.js";
import { pyJsonDumps } from "./python.js";
import { reasonPhrase } from "./webob-errors.js";

export interface JsonOptions {
  /**
   * Glance's member and image serializers call json.dumps(ensure_ascii=False); the generic
   * JSONResponseSerializer (v1, schemas, versions) keeps Python's default of escaping non-ASCII.
   */
  ensureAscii: boolean;
  headers?: Record<string, string>;
}

export function jsonResponse(status: number, value: unknown, options: JsonOptions): EmulatorResponse {
  return {
    status,
    reason: reasonPhrase(status),
    headers: { ...options.headers, "content-type": "application/json" },
    body: pyJsonDumps(value, { ensureAscii: options.ensureAscii }),
  };
}

/** webob 1.8 drops both body and Content-Type on a 204. */
export function noContent(): EmulatorResponse {
  return { status: 204, reason: reasonPhrase(204), headers: {}, body: "" };
}

/** isotime(): seconds precision, UTC, a literal Z. */
export function isotime(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}
