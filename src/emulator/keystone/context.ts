/** What every route of the emulated Keystone works with: its state, its address and the request. */
import type { Catalog } from "./catalog.js";
import type { Directory, Role } from "./directory.js";
import type { Token, TokenStore } from "./token-store.js";

export interface KeystoneContext {
  readonly directory: Directory;
  readonly tokens: TokenStore;
  readonly catalog: Catalog;
  /** scheme://host:port, no trailing slash. */
  readonly baseUrl: string;
}

export interface KeystoneCall {
  /** Upper case. */
  readonly method: string;
  /** Below the version prefix (`/v3`, `/v2.0`), without the query string or a trailing slash. */
  readonly path: string;
  readonly query: URLSearchParams;
  /** Lower-cased names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** The v3 auth URL, as named in WWW-Authenticate and the identity endpoints. */
export const authUrlOf = (context: KeystoneContext): string => `${context.baseUrl}/v3`;

/** A token's roles now: an application credential's delegated ones, or the user's on the project. */
export function tokenRoles(context: KeystoneContext, token: Token): Role[] {
  if (token.projectId === null) {
    return [];
  }
  if (token.applicationCredentialId !== null) {
    const credential = context.directory.applicationCredentials.get(token.applicationCredentialId);
    return credential === undefined ? [] : context.directory.applicationCredentialRoles(credential);
  }
  return context.directory.rolesOf(token.userId, token.projectId);
}

/** JSON bodies Keystone accepts: application/json, or any application/…+json (werkzeug's is_json). */
export function isJsonContentType(value: string | undefined): boolean {
  const mime = (value ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  return mime === "application/json" || (mime.startsWith("application/") && mime.endsWith("+json"));
}
