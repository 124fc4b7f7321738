/**
 * CORS for browser clients on other origins. `*` allows any origin (the default outside
 * production); otherwise only the listed origins are answered with CORS headers.
 */
import type { IncomingMessage, ServerResponse } from "node:http";

export type CorsOrigins = "*" | readonly string[];

const ALLOWED_METHODS = "GET, POST, OPTIONS";
const MAX_AGE_SECONDS = "600";

/** Sets CORS headers; answers a preflight itself and returns true when it did. */
export function applyCors(origins: CorsOrigins, request: IncomingMessage, response: ServerResponse): boolean {
  const origin = request.headers.origin;
  const allowed = origin !== undefined && (origins === "*" || origins.includes(origin));
  if (origins !== "*") {
    // The answer depends on the Origin header, allowed or not: shared caches must key on it.
    response.setHeader("vary", "Origin");
  }
  if (allowed) {
    response.setHeader("access-control-allow-origin", origins === "*" ? "*" : origin);
    response.setHeader("access-control-expose-headers", "x-request-id");
  }
  if (request.method !== "OPTIONS") {
    return false;
  }
  if (allowed) {
    response.setHeader("access-control-allow-methods", ALLOWED_METHODS);
    const requested = request.headers["access-control-request-headers"];
    if (requested !== undefined) {
      response.setHeader("access-control-allow-headers", requested);
    }
    response.setHeader("access-control-max-age", MAX_AGE_SECONDS);
  }
  response.writeHead(204);
  response.end();
  return true;
}
