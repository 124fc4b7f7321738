/**
 * `GET` (validate), `HEAD` (check) and `DELETE` (revoke) of `/v3/auth/tokens`, in Keystone's order:
 * the caller's X-Auth-Token (401), then the subject token (404, unknown or expired/revoked), then
 * the policy (403), then a missing subject (404).
 */
import { authUrlOf, tokenRoles, type KeystoneCall, type KeystoneContext } from "./context.js";
import { mayActOnToken, POLICY_NAMES, type TokenAction } from "./policy.js";
import { MESSAGES, noContent, pythonJson, v3Error, type KeystoneReply } from "./replies.js";
import { tokenBody } from "./token-body.js";
import type { Token } from "./token-store.js";

const ACTIONS: Readonly<Record<string, TokenAction>> = { GET: "validate", HEAD: "check", DELETE: "revoke" };

/** oslo's bool_from_string, as Keystone reads `?allow_expired`. */
const TRUE_STRINGS = new Set(["1", "t", "true", "on", "y", "yes"]);

/** `?allow_expired` (GET and HEAD) lets a token validate until 48 hours after it expired. */
function allowsExpired(context: KeystoneContext, call: KeystoneCall, token: Token): boolean {
  return (
    call.method !== "DELETE" &&
    TRUE_STRINGS.has((call.query.get("allow_expired") ?? "").toLowerCase()) &&
    context.tokens.withinAllowExpiredWindow(token)
  );
}

export function checkToken(context: KeystoneContext, call: KeystoneCall): KeystoneReply {
  const authUrl = authUrlOf(context);
  const action = ACTIONS[call.method] ?? "validate";
  const caller = context.tokens.valid(call.headers["x-auth-token"] ?? "");
  if (caller === null) {
    return v3Error(401, MESSAGES.unauthorized, authUrl);
  }
  const subjectId = call.headers["x-subject-token"] ?? "";
  let subject: Token | null = null;
  if (subjectId !== "") {
    const found = context.tokens.lookup(subjectId);
    if (found.status === "unknown") {
      return v3Error(404, MESSAGES.unknownToken, authUrl);
    }
    if (
      found.status === "revoked" ||
      (found.status === "expired" && !allowsExpired(context, call, found.token))
    ) {
      return v3Error(404, MESSAGES.invalidToken, authUrl);
    }
    subject = found.token;
  }
  const roles = tokenRoles(context, caller).map((role) => role.name);
  if (!mayActOnToken(action, { userId: caller.userId, roles }, subject?.userId ?? null)) {
    return v3Error(403, MESSAGES.forbiddenAction(POLICY_NAMES[action]), authUrl);
  }
  if (subject === null) {
    return v3Error(404, MESSAGES.noSubjectToken, authUrl);
  }
  if (action === "revoke") {
    context.tokens.revoke(subjectId);
    return noContent();
  }
  return pythonJson(
    200,
    tokenBody(context, subject, { withCatalog: !call.query.has("nocatalog"), validated: true }),
    {
      headers: { "x-subject-token": subjectId },
    },
  );
}
