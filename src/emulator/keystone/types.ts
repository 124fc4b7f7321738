/**
 * The emulated Keystone's public contract: what the identity suites and the gateway's tests program
 * against.
 */
import type { FaultAction, FaultRule } from "../types.js";

export type EndpointInterface = "public" | "internal" | "admin";

/** One image endpoint of the catalog (service type "image", name "glance"). */
export interface ImageEndpointOption {
  readonly region: string;
  readonly url: string;
  /** Default public. */
  readonly interface?: EndpointInterface;
}

export interface KeystoneEmulatorOptions {
  /** Default "127.0.0.1". */
  readonly host?: string;
  /** Default 0 (an ephemeral port). */
  readonly port?: number;
  /** Lifetime of issued tokens, seconds (default 3600, Keystone's `[token] expiration`). */
  readonly tokenLifetimeSeconds?: number;
  /** Image endpoints of the catalog: one per region and interface. Default none. */
  readonly imageEndpoints?: readonly ImageEndpointOption[];
}

export interface KeystoneRequest {
  readonly method: string;
  /** The raw request-target, query string included, exactly as received. */
  readonly path: string;
  /** Lower-cased names; repeated headers joined with ", ". */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** What a token stands for, as Glance's authtoken learns it; null when it is not valid. */
export interface KeystoneTokenHolder {
  readonly userId: string;
  readonly projectId: string | null;
  readonly roles: readonly string[];
}

export interface Named {
  readonly id: string;
  readonly name: string;
}

export interface AddProjectOptions {
  /** Default: 32 random hex digits, as Keystone's ids. */
  readonly id?: string;
  /** Default "default"; an unknown domain id is created, named as its id. */
  readonly domainId?: string;
}

export interface AddUserOptions extends AddProjectOptions {
  /** The Rackspace-style API key Identity v2.0 accepts (`RAX-KSKEY:apiKeyCredentials`). */
  readonly apiKey?: string;
}

export interface AddApplicationCredentialOptions {
  /** Role names the credential carries; default every role the user holds on the project now. */
  readonly roles?: readonly string[];
}

export interface KeystoneEmulator {
  /** http://127.0.0.1:<port> (no trailing slash); v3 under /v3, v2.0 under /v2.0. */
  readonly url: string;
  /** Every request received, faulted ones too, in arrival order. */
  readonly requests: readonly KeystoneRequest[];
  /** A domain other than `default` ("Default"), which always exists. */
  addDomain(name: string, options?: { id?: string }): Named;
  addProject(name: string, options?: AddProjectOptions): Named;
  addUser(name: string, password: string, options?: AddUserOptions): Named;
  /** Grants a role (created on demand); `admin` implies `member`, which implies `reader`. */
  grant(userId: string, projectId: string, role: string): void;
  addApplicationCredential(
    userId: string,
    projectId: string,
    name: string,
    options?: AddApplicationCredentialOptions,
  ): { id: string; secret: string };
  /** Replaces the image endpoints of the catalog. */
  setImageEndpoints(endpoints: readonly ImageEndpointOption[]): void;
  /** Issues a token without HTTP; projectId null: unscoped. A negative lifetime gives an expired token. */
  issueToken(userId: string, projectId: string | null, options?: { lifetimeSeconds?: number }): string;
  /** Revokes a token as `DELETE /v3/auth/tokens` does; an unknown token is ignored. */
  revokeToken(token: string): void;
  /** Who a valid token names, and its roles; null for an unknown, expired or revoked token. */
  tokenHolder(token: string): KeystoneTokenHolder | null;
  /** Applies the action to every request until cleared (null): e.g. a 503, or dropped connections. */
  setFault(action: FaultAction | null): void;
  /** Rules are checked in insertion order before normal handling; the first match applies. */
  injectFault(rule: FaultRule): void;
  clearFaults(): void;
  clearRequests(): void;
  /** Stops listening, destroys open sockets and clears pending timers. */
  close(): Promise<void>;
}
