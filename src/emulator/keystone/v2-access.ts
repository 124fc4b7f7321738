/**
 * Identity v2.0's `access` document in the shape Rackspace answers: the token with its tenant, the
 * user with roles, and a service catalog naming Cloud Images `cloudImages` with one endpoint per
 * region (`publicURL`, and `internalURL` when the region has an internal endpoint).
 */
import { tokenRoles, type KeystoneContext } from "./context.js";
import { rackspaceTime } from "./replies.js";
import type { Token } from "./token-store.js";

/** The method a v2.0 API-key sign-in records in its token. */
export const API_KEY_METHOD = "apikey";

export function accessBody(
  context: KeystoneContext,
  id: string,
  token: Token,
  withCatalog: boolean,
): { access: Record<string, unknown> } {
  const user = context.directory.users.get(token.userId);
  const tenant = token.projectId === null ? undefined : context.directory.projects.get(token.projectId);
  const regions = imageRegions(context);
  const access: Record<string, unknown> = {
    token: {
      id,
      expires: rackspaceTime(token.expiresAt),
      ...(tenant === undefined ? {} : { tenant: { id: tenant.id, name: tenant.name } }),
      "RAX-AUTH:authenticatedBy": [token.methods.includes(API_KEY_METHOD) ? "APIKEY" : "PASSWORD"],
    },
    user: {
      id: token.userId,
      name: user?.name ?? "",
      roles: tokenRoles(context, token).map((role) => ({ id: role.id, name: role.name })),
      "RAX-AUTH:defaultRegion": regions[0]?.[0] ?? "",
    },
  };
  if (withCatalog) {
    access.serviceCatalog = [
      {
        name: "cloudImages",
        type: "image",
        endpoints: regions.map(([region, urls]) => ({
          region,
          ...(tenant === undefined ? {} : { tenantId: tenant.id }),
          publicURL: urls.public,
          ...(urls.internal === undefined ? {} : { internalURL: urls.internal }),
        })),
      },
    ];
  }
  return { access };
}

/** The regions with a public image endpoint, in catalog order, with their URLs by interface. */
function imageRegions(context: KeystoneContext): [string, Partial<Record<string, string>>][] {
  const grouped = new Map<string, Partial<Record<string, string>>>();
  for (const endpoint of context.catalog.imageEndpoints) {
    grouped.set(endpoint.region, { [endpoint.interface]: endpoint.url, ...grouped.get(endpoint.region) });
  }
  return [...grouped].filter(([, urls]) => urls.public !== undefined);
}
