/**
 * What of a client's request reaches the upstream: its token (X-Auth-Token, or an Authorization
 * bearer token) as X-Auth-Token, and the headers named in FORWARD_HEADERS. Nothing else.
 */
import type { UpstreamIdentity } from "../upstream/request-scope.js";

export type IncomingHeaders = Readonly<Record<string, string | string[] | undefined>>;

const PROJECT_HEADERS = ["x-project-id", "x-tenant-id", "x-tenant"] as const;

export function upstreamIdentity(
  incoming: IncomingHeaders,
  forwardHeaders: readonly string[],
): UpstreamIdentity {
  const headers: Record<string, string> = {};
  const token = single(incoming["x-auth-token"]) ?? bearerToken(single(incoming.authorization));
  if (token !== undefined && token !== "") {
    headers["x-auth-token"] = token;
  }
  for (const name of forwardHeaders) {
    const value = single(incoming[name]);
    if (value !== undefined) {
      headers[name] = value;
    }
  }
  const projectHeader = PROJECT_HEADERS.find((name) => headers[name] !== undefined);
  return { headers, project: projectHeader === undefined ? null : (headers[projectHeader] ?? null) };
}

function bearerToken(authorization: string | undefined): string | undefined {
  const match = authorization === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  return match?.[1];
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
