/**
 * Identity v2.0 in the shape Rackspace Identity answers: tokens by API key
 * (`RAX-KSKEY:apiKeyCredentials`) or password, a service catalog naming Cloud Images `cloudImages`
 * with one endpoint per region, and validation by an admin or service token.
 */
import { json, keystoneTime, v2NotFound, v2Unauthorized, type KeystoneReply } from "./replies.js";
import type { KeystoneState, Token } from "./keystone-state.js";

const VALIDATORS = new Set(["admin", "service"]);

type Body = Record<string, unknown>;
const object = (value: unknown): Body | null =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Body) : null;
const text = (value: unknown): string | null => (typeof value === "string" ? value : null);

export function identityV2(
  state: KeystoneState,
  method: string,
  path: string,
  headers: Readonly<Record<string, string>>,
  body: unknown,
): KeystoneReply {
  if (path === "/tokens" && method === "POST") {
    return issue(state, body);
  }
  const validated = /^\/tokens\/([^/]+)$/.exec(path);
  if (validated !== null && method === "GET") {
    const caller = state.lookup(headers["x-auth-token"] ?? "");
    if (typeof caller === "string") {
      return v2Unauthorized();
    }
    const subject = decodeURIComponent(validated[1]!);
    const privileged =
      caller.projectId !== null &&
      state.rolesOf(caller.userId, caller.projectId).some((role) => VALIDATORS.has(role.name));
    if (!privileged && subject !== headers["x-auth-token"]) {
      return json(403, { forbidden: { code: 403, message: "Not Authorized" } });
    }
    const found = state.lookup(subject);
    return typeof found === "string"
      ? v2NotFound()
      : json(200, { access: access(state, subject, found, false) });
  }
  return json(404, { itemNotFound: { code: 404, message: "Resource not found" } });
}

function issue(state: KeystoneState, body: unknown): KeystoneReply {
  const auth = object(object(body)?.auth);
  const apiKey = object(auth?.["RAX-KSKEY:apiKeyCredentials"]);
  const password = object(auth?.passwordCredentials);
  const user = state.userByName(text(apiKey?.username) ?? text(password?.username) ?? "");
  const accepted =
    user !== undefined &&
    (apiKey !== null
      ? user.apiKey !== null && user.apiKey === text(apiKey.apiKey)
      : password !== null && user.password === text(password.password));
  if (!accepted) {
    return v2Unauthorized();
  }
  const tenantId = text(auth?.tenantId);
  const tenantName = text(auth?.tenantName);
  const tenant =
    tenantId !== null
      ? state.projects.get(tenantId)
      : tenantName !== null
        ? state.projectByName(tenantName)
        : (state.firstProjectOf(user.id) ?? undefined);
  if (
    (tenantId !== null || tenantName !== null) &&
    (tenant === undefined || state.rolesOf(user.id, tenant.id).length === 0)
  ) {
    return v2Unauthorized();
  }
  const token = state.issue(user.id, tenant?.id ?? null);
  return json(200, { access: access(state, token, state.lookup(token) as Token, true) });
}

function access(state: KeystoneState, id: string, token: Token, withCatalog: boolean): Body {
  const user = state.users.get(token.userId)!;
  const tenant = token.projectId === null ? null : state.projects.get(token.projectId)!;
  const roles = tenant === null ? [] : state.rolesOf(user.id, tenant.id);
  return {
    token: {
      id,
      expires: keystoneTime(token.expiresAt).replace(".000000Z", ".000Z"),
      ...(tenant === null ? {} : { tenant: { id: tenant.id, name: tenant.name } }),
    },
    user: { id: user.id, name: user.name, roles: roles.map((role) => ({ id: role.id, name: role.name })) },
    ...(withCatalog
      ? {
          serviceCatalog: [
            {
              name: "cloudImages",
              type: "image",
              endpoints: regions(state).map(([region, urls]) => ({
                region,
                tenantId: tenant?.id ?? "",
                publicURL: urls.public,
                ...(urls.internal === undefined ? {} : { internalURL: urls.internal }),
              })),
            },
          ],
        }
      : {}),
  };
}

/** The image endpoints grouped by region. */
function regions(state: KeystoneState): [string, Partial<Record<string, string>>][] {
  const grouped = new Map<string, Partial<Record<string, string>>>();
  for (const endpoint of state.imageEndpoints) {
    grouped.set(endpoint.region, { ...grouped.get(endpoint.region), [endpoint.interface]: endpoint.url });
  }
  return [...grouped].filter(([, urls]) => urls.public !== undefined);
}
