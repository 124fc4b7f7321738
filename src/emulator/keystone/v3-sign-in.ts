/**
 * `POST /v3/auth/tokens`: a password, an application credential or a token (rescoping), and an
 * optional project scope. 201 with the token in X-Subject-Token and its body (the catalog unless
 * `?nocatalog`); 401 for anything not recognised, without saying what.
 */
import { References } from "./auth-references.js";
import { authUrlOf, type KeystoneCall, type KeystoneContext } from "./context.js";
import type { ApplicationCredential } from "./directory.js";
import { Refusal } from "./refusal.js";
import { MESSAGES, pythonJson, v3Error, type KeystoneReply } from "./replies.js";
import { asObject, asText, readJson, type JsonObject } from "./request-json.js";
import { SCHEMA_MESSAGES } from "./schema-messages.js";
import { KEYSTONE_METHODS, tokenBody } from "./token-body.js";
import type { Token } from "./token-store.js";

const EMULATED_METHODS = new Set(["password", "token", "application_credential"]);

interface Proof {
  readonly userId: string;
  readonly credential?: ApplicationCredential;
  readonly parent?: Token;
}

export function signIn(context: KeystoneContext, call: KeystoneCall): KeystoneReply {
  const authUrl = authUrlOf(context);
  const references = new References(context, authUrl);
  const { auth, identity, methods } = validated(references, readJson(call, authUrl));
  const scope = references.scope(auth);
  if (methods.length === 0) {
    throw references.unauthorized();
  }
  if (methods.some((method) => !KEYSTONE_METHODS.includes(method))) {
    throw new Refusal(
      v3Error(401, MESSAGES.unsupportedMethod, authUrl, { identity: { methods: KEYSTONE_METHODS } }),
    );
  }
  const proofs = methods.map((method) => {
    const section = asObject(identity[method]);
    if (section === null) {
      throw references.badRequest(MESSAGES.expecting(method, "identity"));
    }
    if (!EMULATED_METHODS.has(method)) {
      throw references.unauthorized();
    }
    return prove(context, references, method, section, auth);
  });
  const userId = proofs[0]?.userId ?? "";
  if (proofs.some((proof) => proof.userId !== userId)) {
    throw references.unauthorized();
  }
  const credential = proofs.find((proof) => proof.credential !== undefined)?.credential;
  const parent = proofs.find((proof) => proof.parent !== undefined)?.parent;
  let projectId: string | null;
  if (credential !== undefined) {
    projectId = credential.projectId;
  } else if (scope.kind === "project") {
    if (context.directory.rolesOf(userId, scope.project.id).length === 0) {
      throw references.unauthorized();
    }
    projectId = scope.project.id;
  } else if (scope.kind === "unsupported") {
    throw references.unauthorized();
  } else {
    projectId = null;
  }
  const id = context.tokens.issue({
    userId,
    projectId,
    methods: [...new Set([...(parent?.methods ?? []), ...methods])],
    applicationCredentialId: credential?.id ?? parent?.applicationCredentialId ?? null,
    ...(parent === undefined ? {} : { parent }),
  });
  const token = context.tokens.valid(id);
  if (token === null) {
    // A rescoped token of an expired parent; Keystone refused the parent before.
    throw new Refusal(v3Error(404, MESSAGES.invalidToken, authUrl));
  }
  return pythonJson(
    201,
    tokenBody(context, token, { withCatalog: !call.query.has("nocatalog"), validated: false }),
    {
      headers: { "x-subject-token": id },
    },
  );
}

/** The checks of Keystone's request schema: auth, its identity and the identity's methods. */
function validated(
  references: References,
  body: unknown,
): { auth: JsonObject; identity: JsonObject; methods: string[] } {
  const root = asObject(body);
  if (root === null || !("auth" in root)) {
    throw references.badRequest(MESSAGES.expecting("auth", "request body"));
  }
  const auth = asObject(root.auth);
  if (auth === null) {
    throw references.badRequest(SCHEMA_MESSAGES.authNotObject(root.auth));
  }
  if (!("identity" in auth)) {
    throw references.badRequest(SCHEMA_MESSAGES.identityRequired);
  }
  const identity = asObject(auth.identity);
  if (identity === null) {
    throw references.badRequest(SCHEMA_MESSAGES.identityNotObject(auth.identity));
  }
  if (!("methods" in identity)) {
    throw references.badRequest(SCHEMA_MESSAGES.methodsRequired);
  }
  if (!Array.isArray(identity.methods)) {
    throw references.badRequest(SCHEMA_MESSAGES.methodsNotArray(identity.methods));
  }
  return { auth, identity, methods: [...new Set(identity.methods.map(String))] };
}

function prove(
  context: KeystoneContext,
  references: References,
  method: string,
  section: JsonObject,
  auth: JsonObject,
): Proof {
  switch (method) {
    case "password":
      return { userId: password(references, section) };
    case "application_credential": {
      const credential = applicationCredential(context, references, section);
      if ("scope" in auth) {
        throw new Refusal(
          v3Error(401, MESSAGES.applicationCredentialScope, authUrlOf(context), { identity: {} }),
        );
      }
      return { userId: credential.userId, credential };
    }
    default: {
      const parent = rescoped(context, references, section);
      return { userId: parent.userId, parent };
    }
  }
}

function password(references: References, section: JsonObject): string {
  const reference = asObject(section.user);
  if (reference === null) {
    // Keystone's own wording: the target it names is None.
    throw references.badRequest(MESSAGES.expecting("user", "None"));
  }
  const given = reference.password;
  if (given !== undefined && typeof given !== "string") {
    throw references.badRequest(SCHEMA_MESSAGES.passwordNotString(given));
  }
  const user = references.user(reference, "identity/password/user");
  if (given !== user.password) {
    throw references.unauthorized();
  }
  return user.id;
}

function applicationCredential(
  context: KeystoneContext,
  references: References,
  section: JsonObject,
): ApplicationCredential {
  const id = asText(section.id);
  const name = asText(section.name);
  if (id === null && name === null) {
    throw references.badRequest(MESSAGES.expecting("name or ID", "application credential"));
  }
  let credential: ApplicationCredential | undefined;
  if (id !== null) {
    credential = context.directory.applicationCredentials.get(id);
    if (credential === undefined) {
      throw new Refusal(v3Error(404, MESSAGES.applicationCredentialNotFound(id), authUrlOf(context)));
    }
  } else {
    const user = asObject(section.user);
    if (user === null) {
      throw references.badRequest(MESSAGES.expecting("user", "application credential"));
    }
    const owner = references.user(user, "identity/application_credential/user");
    credential = context.directory.applicationCredentialByName(owner.id, name ?? "");
  }
  if (credential === undefined || credential.secret !== asText(section.secret)) {
    throw references.unauthorized();
  }
  return credential;
}

function rescoped(context: KeystoneContext, references: References, section: JsonObject): Token {
  const id = asText(section.id);
  if (id === null) {
    throw references.badRequest(SCHEMA_MESSAGES.tokenIdRequired(section));
  }
  const found = context.tokens.lookup(id);
  if (found.status === "valid") {
    return found.token;
  }
  const message = found.status === "unknown" ? MESSAGES.unknownToken : MESSAGES.invalidToken;
  throw new Refusal(v3Error(404, message, authUrlOf(context)));
}
