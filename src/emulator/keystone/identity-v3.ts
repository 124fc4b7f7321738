/**
 * Identity v3 as far as the gateway and its tests use it: the version document, tokens (sign in,
 * validate, check, revoke), the catalog and application credentials. Other URLs are Flask's 404,
 * other methods of a known URL its 405.
 */
import { v3Catalog } from "./catalog.js";
import { authUrlOf, type KeystoneCall, type KeystoneContext } from "./context.js";
import { replyOf } from "./refusal.js";
import {
  MESSAGES,
  methodNotAllowed,
  notFoundPage,
  pythonJson,
  v3Error,
  type KeystoneReply,
} from "./replies.js";
import { applicationCredentials } from "./v3-application-credentials.js";
import { checkToken } from "./v3-token-check.js";
import { signIn } from "./v3-sign-in.js";

/** Keystone 22's v3 version entry. */
export function versionEntry(authUrl: string): Record<string, unknown> {
  return {
    id: "v3.14",
    status: "stable",
    updated: "2020-04-07T00:00:00Z",
    links: [{ rel: "self", href: `${authUrl}/` }],
    "media-types": [{ base: "application/json", type: "application/vnd.openstack.identity-v3+json" }],
  };
}

export function identityV3(context: KeystoneContext, call: KeystoneCall): KeystoneReply {
  try {
    return route(context, call);
  } catch (error) {
    return replyOf(error);
  }
}

function route(context: KeystoneContext, call: KeystoneCall): KeystoneReply {
  const authUrl = authUrlOf(context);
  if (call.path === "") {
    return ["GET", "HEAD"].includes(call.method)
      ? pythonJson(200, { version: versionEntry(authUrl) })
      : methodNotAllowed(call.method, "HEAD, OPTIONS, GET", "html");
  }
  if (call.path === "/auth/tokens") {
    switch (call.method) {
      case "POST":
        return signIn(context, call);
      case "GET":
      case "HEAD":
      case "DELETE":
        return checkToken(context, call);
      default:
        return methodNotAllowed(call.method, "POST, GET, HEAD, OPTIONS, DELETE");
    }
  }
  if (call.path === "/auth/catalog") {
    return ["GET", "HEAD"].includes(call.method)
      ? catalog(context, call)
      : methodNotAllowed(call.method, "HEAD, OPTIONS, GET");
  }
  const credentials = /^\/users\/([^/]+)\/application_credentials$/.exec(call.path);
  if (credentials !== null) {
    return applicationCredentials(context, call, decodeURIComponent(credentials[1] ?? ""));
  }
  return notFoundPage();
}

/** The catalog of a project-scoped token; an unscoped one is refused (403), as Keystone does. */
function catalog(context: KeystoneContext, call: KeystoneCall): KeystoneReply {
  const authUrl = authUrlOf(context);
  const caller = context.tokens.valid(call.headers["x-auth-token"] ?? "");
  if (caller === null) {
    return v3Error(401, MESSAGES.unauthorized, authUrl);
  }
  if (caller.projectId === null) {
    return v3Error(403, MESSAGES.forbidden, authUrl);
  }
  return pythonJson(
    200,
    { catalog: v3Catalog(context.catalog.services(authUrl)), links: { self: `${authUrl}/auth/catalog` } },
    { newline: true },
  );
}
