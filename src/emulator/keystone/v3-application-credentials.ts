/**
 * `/v3/users/{user_id}/application_credentials`: a user's own token (not one from an application
 * credential) makes a credential for the token's project (POST), delegating the token's roles or the
 * subset named; the secret is shown this once. GET lists the user's own credentials, secrets left out.
 */
import { authUrlOf, tokenRoles, type KeystoneCall, type KeystoneContext } from "./context.js";
import type { ApplicationCredential, Directory, Role } from "./directory.js";
import { Refusal } from "./refusal.js";
import { MESSAGES, methodNotAllowed, pythonJson, v3Error, type KeystoneReply } from "./replies.js";
import { asObject, asText, readJson } from "./request-json.js";
import { SCHEMA_MESSAGES } from "./schema-messages.js";

export function applicationCredentials(
  context: KeystoneContext,
  call: KeystoneCall,
  userId: string,
): KeystoneReply {
  switch (call.method) {
    case "POST":
      return createApplicationCredential(context, call, userId);
    case "GET":
    case "HEAD":
      return listApplicationCredentials(context, call, userId);
    default:
      return methodNotAllowed(call.method, "POST, HEAD, OPTIONS, GET");
  }
}

function listApplicationCredentials(
  context: KeystoneContext,
  call: KeystoneCall,
  userId: string,
): KeystoneReply {
  const authUrl = authUrlOf(context);
  const caller = context.tokens.valid(call.headers["x-auth-token"] ?? "");
  if (caller === null) {
    return v3Error(401, MESSAGES.unauthorized, authUrl);
  }
  if (caller.userId !== userId) {
    return v3Error(403, MESSAGES.forbiddenAction("identity:list_application_credentials"), authUrl);
  }
  const name = call.query.get("name");
  const listed = [...context.directory.applicationCredentials.values()]
    .filter((credential) => credential.userId === userId && (name === null || credential.name === name))
    .map((credential) => {
      const { secret: _secret, ...shown } = render(
        credential,
        context.directory.applicationCredentialRoles(credential),
        authUrl,
      );
      return shown;
    });
  const query = call.query.toString();
  return pythonJson(
    200,
    {
      application_credentials: listed,
      links: {
        next: null,
        self: `${authUrl}/users/${userId}/application_credentials${query === "" ? "" : `?${query}`}`,
        previous: null,
      },
    },
    { newline: true },
  );
}

function createApplicationCredential(
  context: KeystoneContext,
  call: KeystoneCall,
  userId: string,
): KeystoneReply {
  const authUrl = authUrlOf(context);
  const caller = context.tokens.valid(call.headers["x-auth-token"] ?? "");
  if (caller === null) {
    return v3Error(401, MESSAGES.unauthorized, authUrl);
  }
  if (caller.methods.includes("application_credential")) {
    return v3Error(403, MESSAGES.applicationCredentialByApplicationCredential, authUrl);
  }
  if (caller.userId !== userId) {
    return v3Error(403, MESSAGES.forbiddenAction("identity:create_application_credential"), authUrl);
  }
  // Keystone validates the member against its schema, an absent one as {}.
  const given = asObject(asObject(readJson(call, authUrl))?.application_credential) ?? {};
  if (!("name" in given)) {
    return v3Error(400, SCHEMA_MESSAGES.nameRequired, authUrl);
  }
  const badName = SCHEMA_MESSAGES.badName(given.name);
  if (badName !== null) {
    return v3Error(400, badName, authUrl);
  }
  const name = String(given.name);
  if (context.directory.applicationCredentialByName(userId, name) !== undefined) {
    return v3Error(409, MESSAGES.applicationCredentialDuplicate(name), authUrl);
  }
  const held = tokenRoles(context, caller);
  const roles = Array.isArray(given.roles) ? requested(context.directory, given.roles, held, authUrl) : held;
  const credential = context.directory.addApplicationCredential({
    userId,
    projectId: caller.projectId,
    name,
    roles: roles.map((role) => role.name),
    ...(asText(given.secret) === null ? {} : { secret: asText(given.secret) ?? "" }),
    description: asText(given.description),
    expiresAt: asText(given.expires_at),
    unrestricted: typeof given.unrestricted === "boolean" ? given.unrestricted : null,
  });
  return pythonJson(201, { application_credential: render(credential, roles, authUrl) }, { newline: true });
}

/** The roles named (by name or id): each must exist (404) and be held by the token (400). */
function requested(directory: Directory, items: unknown[], held: readonly Role[], authUrl: string): Role[] {
  return items.map((item) => {
    const reference = asObject(item) ?? {};
    const name = asText(reference.name);
    const id = asText(reference.id);
    const role = directory.knownRole(name !== null ? { name } : { id: id ?? "" });
    if (role === undefined) {
      const message = name !== null ? MESSAGES.roleNotDefined(name) : MESSAGES.roleNotFound(id ?? "");
      throw new Refusal(v3Error(404, message, authUrl));
    }
    if (!held.some((candidate) => candidate.id === role.id)) {
      throw new Refusal(v3Error(400, MESSAGES.applicationCredentialUnassignedRole, authUrl));
    }
    return role;
  });
}

function render(credential: ApplicationCredential, roles: readonly Role[], authUrl: string) {
  return {
    id: credential.id,
    name: credential.name,
    description: credential.description,
    user_id: credential.userId,
    project_id: credential.projectId,
    system: null,
    expires_at: credential.expiresAt,
    unrestricted: credential.unrestricted,
    roles: roles.map((role) => ({
      id: role.id,
      name: role.name,
      domain_id: null,
      description: null,
      options: role.immutable ? { immutable: true } : {},
    })),
    secret: credential.secret,
    links: { self: `${authUrl}/application_credentials/${credential.id}` },
  };
}
