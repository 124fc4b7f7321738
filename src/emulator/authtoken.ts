/**
 * Glance behind Keystone: what keystonemiddleware's `authtoken` filter does before Glance's context
 * middleware. A token the identity service knows becomes the identity headers Glance reads
 * (`X-Identity-Status: Confirmed`, `X-Project-Id`, `X-User-Id`, `X-Roles`), replacing whatever the
 * client sent under those names; a missing or unknown token is authtoken's own 401: a JSON body,
 * not Glance's, and `WWW-Authenticate: Keystone uri="…"`.
 */
import type { EmulatorResponse } from "./http-types.js";

/** What the identity service says of a token; null for an unknown, expired or revoked one. */
export interface TokenHolder {
  readonly userId: string;
  readonly projectId: string | null;
  readonly roles: readonly string[];
}

export interface AuthtokenSettings {
  /** `www_authenticate_uri`: the Keystone URL named in the 401's WWW-Authenticate. */
  readonly uri: string;
  readonly resolve: (token: string) => TokenHolder | null;
}

const IDENTITY_HEADERS = [
  "x-identity-status",
  "x-project-id",
  "x-tenant-id",
  "x-tenant",
  "x-user-id",
  "x-roles",
] as const;

/** The request's headers as Glance sees them behind authtoken, or authtoken's 401. */
export function authenticate(
  headers: Readonly<Record<string, string>>,
  settings: AuthtokenSettings,
):
  | { readonly kind: "in"; readonly headers: Record<string, string> }
  | { readonly kind: "refused"; readonly response: EmulatorResponse } {
  const token = headers["x-auth-token"]?.trim() ?? "";
  const holder = token === "" ? null : settings.resolve(token);
  if (holder === null) {
    const response: EmulatorResponse = {
      status: 401,
      reason: "Unauthorized",
      headers: {
        "content-type": "application/json",
        "www-authenticate": `Keystone uri="${settings.uri}"`,
      },
      body: JSON.stringify({
        error: {
          code: 401,
          title: "Unauthorized",
          message: "The request you have made requires authentication.",
        },
      }),
    };
    return { kind: "refused", response };
  }
  const seen: Record<string, string> = { ...headers };
  for (const name of IDENTITY_HEADERS) {
    delete seen[name];
  }
  seen["x-identity-status"] = "Confirmed";
  seen["x-user-id"] = holder.userId;
  seen["x-roles"] = holder.roles.join(",");
  if (holder.projectId !== null) {
    seen["x-project-id"] = holder.projectId;
  }
  return { kind: "in", headers: seen };
}
