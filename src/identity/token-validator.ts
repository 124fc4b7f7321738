/**
 * Client tokens, validated against Keystone once and then remembered: a valid token until it
 * expires or TOKEN_CACHE_SECONDS pass, whichever is first; an invalid one for TOKEN_CACHE_SECONDS.
 * Remembered by a SHA-256 hash, never the token itself. Concurrent requests with the same new token
 * share one validation. Keystone unreachable is an UpstreamError (retryable), never an invalid token.
 *
 * With a shared cache (Redis, REDIS_URL), what one replica learnt is found by the others: a token is
 * validated once for the fleet. The local cache stays in front of it, so a token seen before costs
 * this replica no round trip. A shared entry carries the instant it stops being good (the same rule:
 * expiry or TOKEN_CACHE_SECONDS after the validation), so a replica that reads it later keeps it
 * only for what remains, and the caller's `expiresAt` travels as an ISO string.
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
  /**
   * Told once per `caller()` with a token: `hit` when a cache answered (or a validation of the same
   * token already under way, which costs this request no call of its own), `miss` when this
   * request had Keystone validate it.
   */
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
      } else {
        this.options.onLookup?.("hit");
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
    const shared = await this.fromShared(key);
    if (shared !== undefined) {
      this.options.onLookup?.("hit");
      this.known?.set(key, shared.known, { ttl: shared.forMs });
      return shared.known;
    }
    this.options.onLookup?.("miss");
    const known = await this.validate(token, scope);
    // Waited for (within the shared cache's own bound): the client's next request may land on
    // another replica, which should find it.
    await this.remember(key, known);
    return known;
  }

  /** The shared cache's entry and how long it stays good; undefined when there is none to use. */
  private async fromShared(key: string): Promise<{ known: Known; forMs: number } | undefined> {
    if (this.shared === null) {
      return undefined;
    }
    let text: string | undefined;
    try {
      text = await this.shared.get(sharedKey(key));
    } catch {
      // The shared cache is an optimisation: unreadable, Keystone answers.
      return undefined;
    }
    const entry = parseEntry(text);
    const forMs = entry === undefined ? 0 : entry.until - Date.now();
    return entry !== undefined && forMs > 0 ? { known: entry.known, forMs } : undefined;
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

  private async remember(key: string, known: Known): Promise<void> {
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
    // Shared caches count whole seconds: rounded up so that Redis drops the entry no sooner than
    // `until`, which readers check themselves.
    const ttl = Math.ceil(forMs / 1_000);
    await this.shared
      ?.set(sharedKey(key), JSON.stringify(toEntry(known, Date.now() + forMs)), { ttl })
      .catch(() => undefined);
  }
}

/** The shared cache's key: the token's hash, never the token. */
const sharedKey = (hash: string): string => `token:${hash}`;

/** A shared cache entry, as JSON: until when it is good (epoch ms), and the caller or "invalid". */
interface Entry {
  readonly v: 1;
  readonly until: number;
  readonly caller: (Omit<Caller, "expiresAt"> & { readonly expiresAt: string }) | null;
}

function toEntry(known: Known, until: number): Entry {
  return {
    v: 1,
    until,
    caller: known === "invalid" ? null : { ...known, expiresAt: known.expiresAt.toISOString() },
  };
}

/** An entry as written by `toEntry`; undefined for anything else (an older format, a damaged one). */
function parseEntry(text: string | undefined): { known: Known; until: number } | undefined {
  if (text === undefined) {
    return undefined;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(value) || value.v !== 1 || typeof value.until !== "number") {
    return undefined;
  }
  if (value.caller === null) {
    return { known: "invalid", until: value.until };
  }
  const caller = value.caller;
  if (
    !isObject(caller) ||
    !isNamed(caller.user) ||
    !(caller.project === null || isNamed(caller.project)) ||
    !Array.isArray(caller.roles) ||
    !caller.roles.every((role) => typeof role === "string") ||
    typeof caller.expiresAt !== "string"
  ) {
    return undefined;
  }
  const expiresAt = new Date(caller.expiresAt);
  if (Number.isNaN(expiresAt.getTime())) {
    return undefined;
  }
  return {
    known: {
      user: { id: caller.user.id, name: caller.user.name },
      project: caller.project === null ? null : { id: caller.project.id, name: caller.project.name },
      roles: caller.roles,
      expiresAt,
    },
    until: value.until,
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isNamed(value: unknown): value is { id: string; name: string | null } {
  return (
    isObject(value) && typeof value.id === "string" && (value.name === null || typeof value.name === "string")
  );
}
