/**
 * Identity v2.0 in the shape Rackspace Identity answers (no Keystone serves v2.0 any more): tokens
 * by API key (`RAX-KSKEY:apiKeyCredentials`) or password, optionally for a tenant, and validation
 * (`GET /v2.0/tokens/{id}`) by an admin or service token, or the token itself.
 */
import type { KeystoneCall, KeystoneContext } from "./context.js";
import { tokenRoles } from "./context.js";
import type { User } from "./directory.js";
import { DEFAULT_DOMAIN } from "./directory.js";
import { V2_VALIDATOR_ROLES } from "./policy.js";
import { MESSAGES, v2Error, type KeystoneReply } from "./replies.js";
import { asObject, asText, type JsonObject } from "./request-json.js";
import { accessBody, API_KEY_METHOD } from "./v2-access.js";

const JSON_HEADERS = { "content-type": "application/json" };

export function identityV2(context: KeystoneContext, call: KeystoneCall): KeystoneReply {
  if (call.path === "/tokens" && call.method === "POST") {
    return signIn(context, call);
  }
  const validated = /^\/tokens\/([^/]+)$/.exec(call.path);
  if (validated !== null && call.method === "GET") {
    return validate(context, call, decodeURIComponent(validated[1] ?? ""));
  }
  return v2Error(404, "itemNotFound", MESSAGES.v2ResourceNotFound);
}

function signIn(context: KeystoneContext, call: KeystoneCall): KeystoneReply {
  let body: unknown;
  try {
    body = JSON.parse(call.body) as unknown;
  } catch {
    return v2Error(400, "badRequest", MESSAGES.v2BadRequest);
  }
  const auth = asObject(asObject(body)?.auth);
  const apiKey = asObject(auth?.["RAX-KSKEY:apiKeyCredentials"]);
  const password = asObject(auth?.passwordCredentials);
  if (auth === null || (apiKey === null && password === null)) {
    return v2Error(400, "badRequest", MESSAGES.v2BadRequest);
  }
  const refused = v2Error(
    401,
    "unauthorized",
    apiKey !== null ? MESSAGES.v2BadApiKey : MESSAGES.v2BadPassword,
  );
  const user = userNamed(context, asText((apiKey ?? password)?.username) ?? "");
  const accepted =
    user !== undefined &&
    (apiKey !== null
      ? user.apiKey !== null && user.apiKey === asText(apiKey.apiKey)
      : user.password === asText(password?.password));
  if (!accepted) {
    return refused;
  }
  const tenant = tenantOf(context, user, auth);
  if (tenant === undefined) {
    return refused;
  }
  const id = context.tokens.issue({
    userId: user.id,
    projectId: tenant,
    methods: [apiKey !== null ? API_KEY_METHOD : "password"],
  });
  const token = context.tokens.valid(id);
  return token === null
    ? refused
    : { status: 200, headers: JSON_HEADERS, body: JSON.stringify(accessBody(context, id, token, true)) };
}

/** Identity v2.0 knows no domains: a user of that name, in the default domain first. */
function userNamed(context: KeystoneContext, name: string): User | undefined {
  const users = context.directory.usersNamed(name);
  return users.find((user) => user.domainId === DEFAULT_DOMAIN.id) ?? users[0];
}

/** The tenant asked for (undefined when the user has no role there), or the user's first one. */
function tenantOf(context: KeystoneContext, user: User, auth: JsonObject): string | null | undefined {
  const tenantId = asText(auth.tenantId);
  const tenantName = asText(auth.tenantName);
  if (tenantId === null && tenantName === null) {
    return context.directory.firstProjectOf(user.id)?.id ?? null;
  }
  const project =
    tenantId !== null
      ? context.directory.projects.get(tenantId)
      : [...context.directory.projects.values()].find((candidate) => candidate.name === tenantName);
  return project !== undefined && context.directory.rolesOf(user.id, project.id).length > 0
    ? project.id
    : undefined;
}

function validate(context: KeystoneContext, call: KeystoneCall, subjectId: string): KeystoneReply {
  const callerId = call.headers["x-auth-token"] ?? "";
  const caller = context.tokens.valid(callerId);
  if (caller === null) {
    return v2Error(401, "unauthorized", MESSAGES.v2NoValidToken);
  }
  const privileged = tokenRoles(context, caller).some((role) => V2_VALIDATOR_ROLES.includes(role.name));
  if (!privileged && subjectId !== callerId) {
    return v2Error(403, "forbidden", MESSAGES.v2Forbidden);
  }
  const subject = context.tokens.valid(subjectId);
  return subject === null
    ? v2Error(404, "itemNotFound", MESSAGES.v2TokenNotFound)
    : {
        status: 200,
        headers: JSON_HEADERS,
        body: JSON.stringify(accessBody(context, subjectId, subject, false)),
      };
}
