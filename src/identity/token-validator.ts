/**
 * Client tokens, validated against Keystone once and then remembered: a valid token until it
 * expires or TOKEN_CACHE_SECONDS pass, whichever is first; an invalid one for TOKEN_CACHE_SECONDS.
 * Remembered by a SHA-256 hash, never the token itself. Concurrent requests with the same new token
 * share one validation. Keystone unreachable is an UpstreamError (retryable), never an invalid token.
 *
 * With a shared cache (Redis, REDIS_URL), what one replica learnt is found by the others: a token is
 * validated once for the fleet. The local cache stays in front of it, so a token seen before costs
 * this replica no round trip.
 */
import { createHash } from "node:crypto";
import { LRUCache } from "lru-cache";
import type { Caller } from "../domain/caller.js";
import { IdentityServiceError, UnauthenticatedError } from "../domain/errors.js";
import type { RequestScope } from "../upstream/request-scope.js";
import type { KeystoneClient, Validation } from "./keystone-client.js";
import type { ServiceSession } from "./service-session.js";

/** Distinct tokens remembered at once; the least recently used go first. */
const MAX_ENTRIES = 10_000;

type Known = Caller | "invalid";

/** A key-value store shared by the replicas (src/cache/ gives one over Redis); TTLs in seconds. */
export interface SharedStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, options?: { ttl?: number | null }): Promise<void>;
}

export interface TokenValidatorOptions {
  /** Shared by the replicas; entries under `token:` and the token's hash. */
  readonly shared?: SharedStore | null;
  /** Told of every lookup: answered from a cache, or validated by Keystone. */
  readonly onLookup?: (result: "hit" | "miss") => void;
}

export class TokenValidator {
  private readonly known: LRUCache<string, Known> | null;
  private readonly pending = new Map<string, Promise<Known>>();
  private readonly shared: SharedStore | null;

  constructor(
    private readonly client: KeystoneClient,
    private readonly session: ServiceSession,
    private readonly cacheSeconds: number,
    private readonly options: TokenValidatorOptions = {},
  ) {
    this.known = cacheSeconds > 0 ? new LRUCache<string, Known>({ max: MAX_ENTRIES }) : null;
    this.shared = cacheSeconds > 0 ? (options.shared ?? null) : null;
  }

  /** The caller the token names; UnauthenticatedError when there is none or Keystone rejects it. */
  async caller(token: string | undefined, scope: RequestScope): Promise<Caller> {
    if (token === undefined) {
      throw new UnauthenticatedError(
        "No token: send a Keystone token in X-Auth-Token or as Authorization: Bearer",
      );
    }
    const key = createHash("sha256").update(token).digest("base64url");
    let known = this.known?.get(key);
    if (known === undefined) {
      let lookup = this.pending.get(key);
      if (lookup === undefined) {
        lookup = this.lookUp(key, token, scope).finally(() => this.pending.delete(key));
        this.pending.set(key, lookup);
      }
      known = await lookup;
    } else {
      this.options.onLookup?.("hit");
    }
    if (known === "invalid") {
      throw new UnauthenticatedError("The token is invalid, expired or revoked");
    }
    if (known.expiresAt.getTime() <= Date.now()) {
      this.known?.delete(key);
      throw new UnauthenticatedError("The token is invalid, expired or revoked");
    }
    return known;
  }

  /** From the shared cache, or else from Keystone (and then remembered in both caches). */
  private async lookUp(key: string, token: string, scope: RequestScope): Promise<Known> {
    const shared = this.shared === null ? undefined : parseKnown(await this.shared.get(`token:${key}`));
    if (shared !== undefined) {
      this.options.onLookup?.("hit");
      this.remember(key, shared, false);
      return shared;
    }
    this.options.onLookup?.("miss");
    const known = await this.validate(token, scope);
    this.remember(key, known, true);
    return known;
  }

  private async validate(token: string, scope: RequestScope): Promise<Known> {
    let validation: Validation = await this.client.validate(await this.session.token(), token, scope);
    if (validation.kind === "service-token-refused") {
      const renewed = await this.session.refresh(true);
      validation = await this.client.validate(renewed.token, token, scope);
      if (validation.kind === "service-token-refused") {
        throw new IdentityServiceError("Keystone refused the gateway's own token right after issuing it");
      }
    }
    return validation.kind === "valid" ? validation.caller : "invalid";
  }

  private remember(key: string, known: Known, share: boolean): void {
    if (this.known === null) {
      return;
    }
    const forMs =
      known === "invalid"
        ? this.cacheSeconds * 1_000
        : Math.min(this.cacheSeconds * 1_000, known.expiresAt.getTime() - Date.now());
    if (forMs <= 0) {
      return;
    }
    this.known.set(key, known, { ttl: forMs });
    if (share && this.shared !== null) {
      // Shared caches count whole seconds: rounded down, never past the token's expiry.
      const ttl = Math.floor(forMs / 1_000);
      if (ttl > 0) {
        void this.shared.set(`token:${key}`, JSON.stringify(known), { ttl }).catch(() => undefined);
      }
    }
  }
}

/** A shared cache entry as written by `remember`; undefined for anything else. */
function parseKnown(text: string | undefined): Known | undefined {
  if (text === undefined) {
    return undefined;
  }
  try {
    const value = JSON.parse(text) as unknown;
    if (value === "invalid") {
      return value;
    }
    const caller = value as { expiresAt?: unknown; user?: unknown; roles?: unknown };
    if (
      typeof caller.expiresAt !== "string" ||
      typeof caller.user !== "object" ||
      !Array.isArray(caller.roles)
    ) {
      return undefined;
    }
    return { ...(value as Omit<Caller, "expiresAt">), expiresAt: new Date(caller.expiresAt) };
  } catch {
    return undefined;
  }
}
