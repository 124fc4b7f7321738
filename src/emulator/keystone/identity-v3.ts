/**
 * Identity v3 as the gateway uses it: tokens by password or application credential (issue,
 * validate, revoke) and the catalog. Who may validate whom follows Keystone 22's default policy:
 * a token holding `admin` or `service`, or the token itself; revoking takes `admin` or the token
 * itself.
 */
import { MESSAGES, json, keystoneTime, v3Error, type KeystoneReply } from "./replies.js";
import { randomBytes } from "node:crypto";
import { newId, type KeystoneState, type Named, type Token } from "./keystone-state.js";

export interface V3Request {
  readonly method: string;
  /** Below /v3, without the query string. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
}

const DOMAIN = { id: "default", name: "Default" } as const;
const VALIDATORS = new Set(["admin", "service"]);

type Body = Record<string, unknown>;
const object = (value: unknown): Body | null =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Body) : null;
const text = (value: unknown): string | null => (typeof value === "string" ? value : null);

export function identityV3(state: KeystoneState, baseUrl: string, request: V3Request): KeystoneReply {
  const authUrl = `${baseUrl}/v3`;
  const refuse = (): KeystoneReply => v3Error(401, MESSAGES.unauthorized, authUrl);
  if (request.path === "/auth/tokens") {
    switch (request.method) {
      case "POST":
        return issue(state, baseUrl, request) ?? refuse();
      case "GET":
      case "HEAD":
      case "DELETE":
        return checkToken(state, baseUrl, request);
    }
  }
  if (request.path === "/auth/catalog" && request.method === "GET") {
    const caller = state.lookup(request.headers["x-auth-token"] ?? "");
    if (typeof caller === "string") {
      return refuse();
    }
    return json(200, {
      catalog: catalog(state, baseUrl),
      links: { self: `${authUrl}/auth/catalog`, previous: null, next: null },
    });
  }
  const credentials = /^\/users\/([^/]+)\/application_credentials$/.exec(request.path);
  if (credentials !== null && request.method === "POST") {
    return createApplicationCredential(state, authUrl, credentials[1]!, request);
  }
  if (request.path === "" || request.path === "/") {
    return json(200, {
      version: { id: "v3.14", status: "stable", links: [{ rel: "self", href: `${authUrl}/` }] },
    });
  }
  return v3Error(404, MESSAGES.notFound, authUrl);
}

function issue(state: KeystoneState, baseUrl: string, request: V3Request): KeystoneReply | null {
  const auth = object(object(request.body)?.auth);
  const identity = object(auth?.identity);
  const methods = Array.isArray(identity?.methods) ? identity.methods : [];
  let userId: string;
  let projectId: string | null = null;
  let credential = null;
  if (methods.includes("password")) {
    const user = object(object(identity?.password)?.user);
    const found = findUser(state, user);
    if (found === undefined || found.password !== text(user?.password)) {
      return null;
    }
    userId = found.id;
    const scope = object(object(auth?.scope)?.project);
    if (scope !== null) {
      const project =
        text(scope.id) !== null
          ? state.projects.get(text(scope.id) ?? "")
          : state.projectByName(text(scope.name) ?? "");
      if (project === undefined || state.rolesOf(userId, project.id).length === 0) {
        return null;
      }
      projectId = project.id;
    }
  } else if (methods.includes("application_credential")) {
    const given = object(identity?.application_credential);
    const id = text(given?.id);
    credential =
      id !== null
        ? state.applicationCredentials.get(id)
        : [...state.applicationCredentials.values()].find(
            (item) =>
              item.name === text(given?.name) && item.userId === findUser(state, object(given?.user))?.id,
          );
    if (credential === undefined || credential.secret !== text(given?.secret)) {
      return null;
    }
    userId = credential.userId;
    projectId = credential.projectId;
  } else {
    return null;
  }
  const token = state.issue(userId, projectId, {
    methods: credential === null ? ["password"] : ["application_credential"],
    applicationCredential: credential ?? undefined,
  });
  const issued = state.lookup(token) as Token;
  return json(201, tokenBody(state, baseUrl, issued, !request.query.has("nocatalog")), {
    "x-subject-token": token,
  });
}

/** A user's own token makes an application credential for its project. */
function createApplicationCredential(
  state: KeystoneState,
  authUrl: string,
  userId: string,
  request: V3Request,
): KeystoneReply {
  const caller = state.lookup(request.headers["x-auth-token"] ?? "");
  if (typeof caller === "string") {
    return v3Error(401, MESSAGES.unauthorized, authUrl);
  }
  if (caller.userId !== userId || caller.projectId === null) {
    return v3Error(
      403,
      "You are not authorized to perform the requested action: identity:create_application_credential.",
      authUrl,
    );
  }
  const name = text(object(object(request.body)?.application_credential)?.name) ?? "";
  const credential = {
    id: newId(),
    name,
    secret: randomBytes(48).toString("base64url"),
    userId,
    projectId: caller.projectId,
  };
  state.applicationCredentials.set(credential.id, credential);
  return json(201, {
    application_credential: {
      id: credential.id,
      name,
      secret: credential.secret,
      user_id: userId,
      project_id: credential.projectId,
      roles: state.rolesOf(userId, credential.projectId).map((role) => ({ id: role.id, name: role.name })),
      expires_at: null,
      unrestricted: false,
      description: null,
    },
  });
}

function findUser(state: KeystoneState, user: Body | null) {
  const id = text(user?.id);
  return id !== null ? state.users.get(id) : state.userByName(text(user?.name) ?? "");
}

/** GET and HEAD validate the subject token, DELETE revokes it. */
function checkToken(state: KeystoneState, baseUrl: string, request: V3Request): KeystoneReply {
  const authUrl = `${baseUrl}/v3`;
  const caller = state.lookup(request.headers["x-auth-token"] ?? "");
  if (typeof caller === "string") {
    return v3Error(401, MESSAGES.unauthorized, authUrl);
  }
  const subject = request.headers["x-subject-token"] ?? "";
  const self = subject === request.headers["x-auth-token"];
  const privileged =
    caller.projectId !== null &&
    state.rolesOf(caller.userId, caller.projectId).some((role) => VALIDATORS.has(role.name));
  if (request.method === "DELETE" && !self && !holds(state, caller, "admin")) {
    return v3Error(403, MESSAGES.revokeForbidden, authUrl);
  }
  if (!self && !privileged) {
    return v3Error(403, MESSAGES.validateForbidden, authUrl);
  }
  const found = state.lookup(subject);
  if (found === "unknown") {
    return v3Error(404, MESSAGES.unknownToken, authUrl);
  }
  if (found === "revoked" || found === "expired") {
    return v3Error(404, found === "revoked" ? MESSAGES.revokedToken : MESSAGES.expiredToken, authUrl);
  }
  if (request.method === "DELETE") {
    state.revoke(subject);
    return { status: 204, headers: {}, body: "" };
  }
  const reply = json(200, tokenBody(state, baseUrl, found, !request.query.has("nocatalog")), {
    "x-subject-token": subject,
  });
  return request.method === "HEAD" ? { ...reply, body: "" } : reply;
}

function holds(state: KeystoneState, token: Token, role: string): boolean {
  return (
    token.projectId !== null &&
    state.rolesOf(token.userId, token.projectId).some((held) => held.name === role)
  );
}

function tokenBody(state: KeystoneState, baseUrl: string, token: Token, withCatalog: boolean): Body {
  const user = state.users.get(token.userId)!;
  const body: Body = {
    methods: token.methods,
    user: { domain: DOMAIN, id: user.id, name: user.name, password_expires_at: null },
    audit_ids: [token.auditId],
    expires_at: keystoneTime(token.expiresAt),
    issued_at: keystoneTime(token.issuedAt),
  };
  if (token.projectId !== null) {
    const project = state.projects.get(token.projectId)!;
    body.project = { domain: DOMAIN, id: project.id, name: project.name };
    body.is_domain = false;
    body.roles = state
      .rolesOf(token.userId, project.id)
      .map((role: Named) => ({ id: role.id, name: role.name }));
    if (token.applicationCredential !== null) {
      body.application_credential = {
        id: token.applicationCredential.id,
        name: token.applicationCredential.name,
        restricted: true,
      };
    }
    if (withCatalog) {
      body.catalog = catalog(state, baseUrl);
    }
  }
  return { token: body };
}

/** The identity service itself, and the image endpoints. */
function catalog(state: KeystoneState, baseUrl: string): Body[] {
  const endpoint = (region: string, iface: string, url: string): Body => ({
    id: `${region}-${iface}-${url}`.replace(/[^A-Za-z0-9]/g, "").slice(-32),
    interface: iface,
    region_id: region,
    url,
    region,
  });
  return [
    {
      endpoints: ["public", "internal", "admin"].map((iface) =>
        endpoint("RegionOne", iface, `${baseUrl}/v3`),
      ),
      id: state.identityServiceId,
      type: "identity",
      name: "keystone",
    },
    {
      endpoints: state.imageEndpoints.map((item) => endpoint(item.region, item.interface, item.url)),
      id: state.imageServiceId,
      type: "image",
      name: "glance",
    },
  ];
}
