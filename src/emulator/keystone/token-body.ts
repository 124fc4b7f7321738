/** Identity v3's token body: `{"token": {methods, user, audit_ids, expires_at, issued_at, ...}}`. */
import { v3Catalog } from "./catalog.js";
import { authUrlOf, tokenRoles, type KeystoneContext } from "./context.js";
import { DEFAULT_DOMAIN } from "./directory.js";
import { keystoneTime } from "./replies.js";
import type { Token } from "./token-store.js";

/** Keystone 22's `[auth] methods`, in order: a token records its methods as bits of this list. */
export const KEYSTONE_METHODS: readonly string[] = [
  "external",
  "password",
  "token",
  "oauth1",
  "mapped",
  "application_credential",
];

/** The methods as read back from a token's bits when it is validated: highest bit first. */
const decodedOrder = (methods: readonly string[]): string[] =>
  [...methods].sort((a, b) => KEYSTONE_METHODS.indexOf(b) - KEYSTONE_METHODS.indexOf(a));

const domainOf = (context: KeystoneContext, id: string) => {
  const domain = context.directory.domain(id) ?? DEFAULT_DOMAIN;
  return { id: domain.id, name: domain.name };
};

/**
 * In Keystone's key order; project, roles and catalog only for a project-scoped token. At sign-in
 * the methods are listed as given, on validation as decoded from the token.
 */
export function tokenBody(
  context: KeystoneContext,
  token: Token,
  options: { withCatalog: boolean; validated: boolean },
): { token: Record<string, unknown> } {
  const user = context.directory.users.get(token.userId);
  const body: Record<string, unknown> = {
    methods: options.validated ? decodedOrder(token.methods) : token.methods,
    user: {
      domain: domainOf(context, user?.domainId ?? DEFAULT_DOMAIN.id),
      id: token.userId,
      name: user?.name ?? "",
      password_expires_at: null,
    },
    audit_ids: token.auditIds,
    expires_at: keystoneTime(token.expiresAt),
    issued_at: keystoneTime(token.issuedAt),
  };
  const project = token.projectId === null ? undefined : context.directory.projects.get(token.projectId);
  if (project !== undefined) {
    body.project = { domain: domainOf(context, project.domainId), id: project.id, name: project.name };
    body.is_domain = false;
    body.roles = tokenRoles(context, token).map((role) => ({ id: role.id, name: role.name }));
    if (options.withCatalog) {
      body.catalog = v3Catalog(context.catalog.services(authUrlOf(context)));
    }
  }
  const credential =
    token.applicationCredentialId === null
      ? undefined
      : context.directory.applicationCredentials.get(token.applicationCredentialId);
  if (credential !== undefined) {
    body.application_credential = {
      id: credential.id,
      name: credential.name,
      restricted: credential.unrestricted !== true,
    };
  }
  return { token: body };
}
