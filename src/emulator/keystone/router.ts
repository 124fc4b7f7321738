/**
 * Which API answers a request: Keystone's version list at `/`, Identity v3 under `/v3`, the
 * Rackspace-style v2.0 under `/v2.0`, Flask's 404 elsewhere. Keystone's answers carry
 * `Vary: X-Auth-Token` and an `x-openstack-request-id`.
 */
import type { KeystoneContext } from "./context.js";
import { identityV2 } from "./identity-v2.js";
import { identityV3, versionEntry } from "./identity-v3.js";
import { newRequestId } from "./ids.js";
import { methodNotAllowed, notFoundPage, pythonJson, type KeystoneReply } from "./replies.js";

export interface RawRequest {
  readonly method: string;
  readonly target: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export function routeRequest(context: KeystoneContext, request: RawRequest): KeystoneReply {
  const url = new URL(request.target.startsWith("/") ? request.target : `/${request.target}`, "http://k");
  const path = url.pathname === "/" ? "/" : url.pathname.replace(/\/+$/, "");
  const call = (prefix: string) => ({
    method: request.method,
    path: path.slice(prefix.length),
    query: url.searchParams,
    headers: request.headers,
    body: request.body,
  });
  if (path === "/v2.0" || path.startsWith("/v2.0/")) {
    return identityV2(context, call("/v2.0"));
  }
  let reply: KeystoneReply;
  if (path === "/v3" || path.startsWith("/v3/")) {
    reply = identityV3(context, call("/v3"));
  } else if (path === "/") {
    reply = ["GET", "HEAD"].includes(request.method)
      ? pythonJson(
          300,
          { versions: { values: [versionEntry(`${context.baseUrl}/v3`)] } },
          { headers: { location: `${context.baseUrl}/v3/` } },
        )
      : methodNotAllowed(request.method, "HEAD, OPTIONS, GET", "html");
  } else {
    reply = notFoundPage();
  }
  return {
    ...reply,
    headers: { ...reply.headers, vary: "X-Auth-Token", "x-openstack-request-id": newRequestId() },
  };
}
