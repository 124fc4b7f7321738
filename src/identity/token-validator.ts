/**
 * Client tokens, validated against Keystone once and then remembered: a valid token until it
 * expires or TOKEN_CACHE_SECONDS pass, whichever is first; an invalid one for TOKEN_CACHE_SECONDS.
 * Remembered by a SHA-256 hash, never the token itself. Concurrent requests with the same new token
 * share one validation. Keystone unreachable is an UpstreamError (retryable), never an invalid token.
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

export class TokenValidator {
  private readonly known: LRUCache<string, Known> | null;
  private readonly pending = new Map<string, Promise<Known>>();

  constructor(
    private readonly client: KeystoneClient,
    private readonly session: ServiceSession,
    private readonly cacheSeconds: number,
  ) {
    this.known = cacheSeconds > 0 ? new LRUCache<string, Known>({ max: MAX_ENTRIES }) : null;
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
      let validation = this.pending.get(key);
      if (validation === undefined) {
        validation = this.validate(token, scope).finally(() => this.pending.delete(key));
        this.pending.set(key, validation);
      }
      known = await validation;
      this.remember(key, known);
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

  private remember(key: string, known: Known): void {
    if (this.known === null) {
      return;
    }
    const forMs =
      known === "invalid"
        ? this.cacheSeconds * 1_000
        : Math.min(this.cacheSeconds * 1_000, known.expiresAt.getTime() - Date.now());
    if (forMs > 0) {
      this.known.set(key, known, { ttl: forMs });
    }
  }
}
