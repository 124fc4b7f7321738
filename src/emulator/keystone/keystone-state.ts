/**
 * What the emulated Keystone knows: one domain (`default`), projects, users with passwords (and
 * Rackspace-style API keys), role grants, application credentials, the image endpoints of the
 * catalog, and the tokens it issued: random strings remembered with their expiry, and the revoked
 * ones (Keystone answers those with another message).
 */
import { randomBytes } from "node:crypto";

export interface Named {
  readonly id: string;
  readonly name: string;
}

export interface User extends Named {
  readonly password: string;
  readonly apiKey: string | null;
}

export interface ApplicationCredential {
  readonly id: string;
  readonly name: string;
  readonly secret: string;
  readonly userId: string;
  readonly projectId: string;
}

export interface Token {
  readonly userId: string;
  readonly projectId: string | null;
  readonly methods: readonly string[];
  readonly applicationCredential: ApplicationCredential | null;
  readonly issuedAt: Date;
  readonly expiresAt: Date;
  readonly auditId: string;
}

export type EndpointInterface = "public" | "internal" | "admin";

export interface ImageEndpoint {
  readonly region: string;
  readonly url: string;
  readonly interface: EndpointInterface;
}

/** Roles a role brings with it, as Keystone's default implied roles: admin → member → reader. */
const IMPLIED: Readonly<Record<string, readonly string[]>> = {
  admin: ["member", "reader"],
  member: ["reader"],
};

/** 32 lower-case hex characters, as Keystone's ids. */
export const newId = (): string => randomBytes(16).toString("hex");

export class KeystoneState {
  readonly projects = new Map<string, Named>();
  readonly users = new Map<string, User>();
  readonly roles = new Map<string, Named>();
  /** "user project" → role names granted. */
  private readonly grants = new Map<string, Set<string>>();
  readonly applicationCredentials = new Map<string, ApplicationCredential>();
  private readonly tokens = new Map<string, Token>();
  private readonly revoked = new Set<string>();
  imageEndpoints: readonly ImageEndpoint[] = [];
  readonly imageServiceId = newId();
  readonly identityServiceId = newId();

  constructor(readonly tokenLifetimeSeconds: number) {}

  role(name: string): Named {
    const found = [...this.roles.values()].find((role) => role.name === name);
    if (found !== undefined) {
      return found;
    }
    const role = { id: newId(), name };
    this.roles.set(role.id, role);
    return role;
  }

  grant(userId: string, projectId: string, role: string): void {
    const key = `${userId} ${projectId}`;
    const granted = this.grants.get(key) ?? new Set<string>();
    for (const name of [role, ...(IMPLIED[role] ?? [])]) {
      this.role(name);
      granted.add(name);
    }
    this.grants.set(key, granted);
  }

  /** The user's roles on the project, implied ones included; empty when none. */
  rolesOf(userId: string, projectId: string): Named[] {
    return [...(this.grants.get(`${userId} ${projectId}`) ?? [])].map((name) => this.role(name));
  }

  /** The first project the user has a role on (Identity v2.0's default tenant). */
  firstProjectOf(userId: string): Named | null {
    for (const project of this.projects.values()) {
      if (this.rolesOf(userId, project.id).length > 0) {
        return project;
      }
    }
    return null;
  }

  userByName(name: string): User | undefined {
    return [...this.users.values()].find((user) => user.name === name);
  }

  projectByName(name: string): Named | undefined {
    return [...this.projects.values()].find((project) => project.name === name);
  }

  issue(
    userId: string,
    projectId: string | null,
    options: {
      lifetimeSeconds?: number;
      methods?: readonly string[];
      applicationCredential?: ApplicationCredential;
    } = {},
  ): string {
    const token = randomBytes(96).toString("base64url");
    const issuedAt = new Date(Math.floor(Date.now() / 1_000) * 1_000);
    this.tokens.set(token, {
      userId,
      projectId,
      methods: options.methods ?? ["password"],
      applicationCredential: options.applicationCredential ?? null,
      issuedAt,
      expiresAt: new Date(
        issuedAt.getTime() + (options.lifetimeSeconds ?? this.tokenLifetimeSeconds) * 1_000,
      ),
      auditId: randomBytes(16).toString("base64url").slice(0, 22),
    });
    return token;
  }

  /** A token still valid, or why not. */
  lookup(token: string): Token | "unknown" | "expired" | "revoked" {
    const found = this.tokens.get(token);
    if (found === undefined) {
      return this.revoked.has(token) ? "revoked" : "unknown";
    }
    return found.expiresAt.getTime() <= Date.now() ? "expired" : found;
  }

  revoke(token: string): boolean {
    if (!this.tokens.delete(token)) {
      return false;
    }
    this.revoked.add(token);
    return true;
  }
}
