/**
 * The tokens the emulated Keystone issued: random strings remembered with what they stand for, their
 * expiry and whether they were revoked. Keystone tells an unknown token ("Could not recognize") from
 * an expired or revoked one ("Failed to validate"), so both are kept.
 */
import { newAuditId, newToken } from "./ids.js";

export interface Token {
  readonly userId: string;
  /** null: unscoped. */
  readonly projectId: string | null;
  readonly methods: readonly string[];
  readonly applicationCredentialId: string | null;
  /** Whole seconds, as Keystone's. */
  readonly issuedAt: Date;
  readonly expiresAt: Date;
  /** Its own first, then the one of the token it was rescoped from. */
  readonly auditIds: readonly string[];
}

export interface IssueInput {
  readonly userId: string;
  readonly projectId: string | null;
  readonly methods: readonly string[];
  readonly applicationCredentialId?: string | null;
  /** Seconds from now; may be negative (an expired token). */
  readonly lifetimeSeconds?: number;
  /** A rescoped token keeps its parent's expiry and audit id. */
  readonly parent?: Token;
}

export type Lookup =
  | { readonly status: "valid"; readonly token: Token }
  | { readonly status: "expired"; readonly token: Token }
  | { readonly status: "revoked" }
  | { readonly status: "unknown" };

/** How long after expiry `?allow_expired` still validates a token: Keystone's 48 hours. */
const ALLOW_EXPIRED_WINDOW_MS = 172_800_000;

export class TokenStore {
  private readonly tokens = new Map<string, { token: Token; revoked: boolean }>();

  constructor(private readonly lifetimeSeconds: number) {}

  issue(input: IssueInput): string {
    const id = newToken();
    const issuedAt = new Date(Math.floor(Date.now() / 1_000) * 1_000);
    const lifetimeMs = (input.lifetimeSeconds ?? this.lifetimeSeconds) * 1_000;
    const token: Token = {
      userId: input.userId,
      projectId: input.projectId,
      methods: input.methods,
      applicationCredentialId: input.applicationCredentialId ?? null,
      issuedAt,
      expiresAt: input.parent?.expiresAt ?? new Date(issuedAt.getTime() + lifetimeMs),
      auditIds: [newAuditId(), ...(input.parent?.auditIds.slice(0, 1) ?? [])],
    };
    this.tokens.set(id, { token, revoked: false });
    return id;
  }

  lookup(id: string): Lookup {
    const entry = this.tokens.get(id);
    if (entry === undefined) {
      return { status: "unknown" };
    }
    if (entry.revoked) {
      return { status: "revoked" };
    }
    const status = entry.token.expiresAt.getTime() <= Date.now() ? "expired" : "valid";
    return { status, token: entry.token };
  }

  /** The token when it is valid now, otherwise null. */
  valid(id: string): Token | null {
    const found = this.lookup(id);
    return found.status === "valid" ? found.token : null;
  }

  /** Whether an expired token is still within `?allow_expired`'s window. */
  withinAllowExpiredWindow(token: Token): boolean {
    return Date.now() < token.expiresAt.getTime() + ALLOW_EXPIRED_WINDOW_MS;
  }

  /** False when the token was unknown or revoked already. */
  revoke(id: string): boolean {
    const entry = this.tokens.get(id);
    if (entry === undefined || entry.revoked) {
      return false;
    }
    entry.revoked = true;
    return true;
  }
}
