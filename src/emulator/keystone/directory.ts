/**
 * Who the emulated Keystone knows: domains, projects, users (with passwords and Rackspace-style API
 * keys), roles and their grants on projects, and application credentials. Names are unique per
 * domain, as in Keystone.
 */
import { newId, newSecret } from "./ids.js";
import type { Named } from "./types.js";

export type Domain = Named;

export interface Project extends Named {
  readonly domainId: string;
}

export interface User extends Named {
  readonly domainId: string;
  readonly password: string;
  readonly apiKey: string | null;
}

export interface Role extends Named {
  /** The roles `keystone-manage bootstrap` creates carry the `immutable` option. */
  readonly immutable: boolean;
}

export interface ApplicationCredential extends Named {
  readonly secret: string;
  readonly userId: string;
  /** null: made with an unscoped token; it then signs in unscoped. */
  readonly projectId: string | null;
  /** Role names, as delegated when it was made. */
  readonly roles: readonly string[];
  readonly description: string | null;
  readonly expiresAt: string | null;
  /** As given when it was made: null when not given (then restricted). */
  readonly unrestricted: boolean | null;
}

export const DEFAULT_DOMAIN: Domain = { id: "default", name: "Default" };

/** The roles bootstrap creates. */
const BOOTSTRAP_ROLES = ["admin", "member", "reader"] as const;

/** Roles a role brings with it, as Keystone's default implied roles: admin → member → reader. */
const IMPLIED: Readonly<Record<string, readonly string[]>> = {
  admin: ["member", "reader"],
  member: ["reader"],
};

export class Directory {
  private readonly domains = new Map<string, Domain>([[DEFAULT_DOMAIN.id, DEFAULT_DOMAIN]]);
  readonly projects = new Map<string, Project>();
  readonly users = new Map<string, User>();
  private readonly roles = new Map<string, Role>();
  /** "user project" → role names, implied ones included, in the order granted. */
  private readonly grants = new Map<string, Set<string>>();
  readonly applicationCredentials = new Map<string, ApplicationCredential>();

  constructor() {
    for (const name of BOOTSTRAP_ROLES) {
      this.roles.set(name, { id: newId(), name, immutable: true });
    }
  }

  addDomain(name: string, id: string = newId()): Domain {
    if (this.domains.has(id) || this.domainByName(name) !== undefined) {
      throw new Error(`a domain ${name} (${id}) exists already`);
    }
    const domain = { id, name };
    this.domains.set(id, domain);
    return domain;
  }

  domain(id: string): Domain | undefined {
    return this.domains.get(id);
  }

  domainByName(name: string): Domain | undefined {
    return [...this.domains.values()].find((domain) => domain.name === name);
  }

  /** The domain of that id, created (named as its id) when unknown. */
  private ensureDomain(id: string): Domain {
    return this.domains.get(id) ?? this.addDomain(id, id);
  }

  addProject(name: string, options: { id?: string; domainId?: string } = {}): Project {
    const domainId = this.ensureDomain(options.domainId ?? DEFAULT_DOMAIN.id).id;
    const id = options.id ?? newId();
    if (this.projects.has(id) || this.projectByName(name, domainId) !== undefined) {
      throw new Error(`a project ${name} (${id}) exists already in domain ${domainId}`);
    }
    const project = { id, name, domainId };
    this.projects.set(id, project);
    return project;
  }

  projectByName(name: string, domainId: string): Project | undefined {
    return [...this.projects.values()].find(
      (project) => project.name === name && project.domainId === domainId,
    );
  }

  addUser(
    name: string,
    password: string,
    options: { id?: string; domainId?: string; apiKey?: string } = {},
  ): User {
    const domainId = this.ensureDomain(options.domainId ?? DEFAULT_DOMAIN.id).id;
    const id = options.id ?? newId();
    if (this.users.has(id) || this.userByName(name, domainId) !== undefined) {
      throw new Error(`a user ${name} (${id}) exists already in domain ${domainId}`);
    }
    const user = { id, name, domainId, password, apiKey: options.apiKey ?? null };
    this.users.set(id, user);
    return user;
  }

  userByName(name: string, domainId: string): User | undefined {
    return [...this.users.values()].find((user) => user.name === name && user.domainId === domainId);
  }

  /** Users of that name in any domain (Identity v2.0 knows no domains). */
  usersNamed(name: string): User[] {
    return [...this.users.values()].filter((user) => user.name === name);
  }

  /** The role of that name, created on demand. */
  role(name: string): Role {
    const found = this.roles.get(name);
    if (found !== undefined) {
      return found;
    }
    const role = { id: newId(), name, immutable: false };
    this.roles.set(name, role);
    return role;
  }

  knownRole(reference: { id?: string; name?: string }): Role | undefined {
    if (reference.name !== undefined) {
      return this.roles.get(reference.name);
    }
    return [...this.roles.values()].find((role) => role.id === reference.id);
  }

  grant(userId: string, projectId: string, role: string): void {
    if (!this.users.has(userId)) {
      throw new Error(`cannot grant a role: no user ${userId}`);
    }
    if (!this.projects.has(projectId)) {
      throw new Error(`cannot grant a role: no project ${projectId}`);
    }
    const key = `${userId} ${projectId}`;
    const granted = this.grants.get(key) ?? new Set<string>();
    for (const name of [role, ...(IMPLIED[role] ?? [])]) {
      this.role(name);
      granted.add(name);
    }
    this.grants.set(key, granted);
  }

  /** The user's roles on the project, implied ones included; empty when none. */
  rolesOf(userId: string, projectId: string): Role[] {
    return [...(this.grants.get(`${userId} ${projectId}`) ?? [])].map((name) => this.role(name));
  }

  /** The first project the user has a role on (Identity v2.0's default tenant). */
  firstProjectOf(userId: string): Project | null {
    for (const project of this.projects.values()) {
      if (this.rolesOf(userId, project.id).length > 0) {
        return project;
      }
    }
    return null;
  }

  addApplicationCredential(input: {
    userId: string;
    projectId: string | null;
    name: string;
    roles: readonly string[];
    secret?: string;
    description?: string | null;
    expiresAt?: string | null;
    unrestricted?: boolean | null;
  }): ApplicationCredential {
    if (this.applicationCredentialByName(input.userId, input.name) !== undefined) {
      throw new Error(`the user ${input.userId} has an application credential ${input.name} already`);
    }
    const credential = {
      id: newId(),
      name: input.name,
      secret: input.secret ?? newSecret(),
      userId: input.userId,
      projectId: input.projectId,
      roles: [...input.roles],
      description: input.description ?? null,
      expiresAt: input.expiresAt ?? null,
      unrestricted: input.unrestricted ?? null,
    };
    this.applicationCredentials.set(credential.id, credential);
    return credential;
  }

  applicationCredentialByName(userId: string, name: string): ApplicationCredential | undefined {
    return [...this.applicationCredentials.values()].find(
      (credential) => credential.userId === userId && credential.name === name,
    );
  }

  /** The credential's roles the user still holds on its project. */
  applicationCredentialRoles(credential: ApplicationCredential): Role[] {
    if (credential.projectId === null) {
      return [];
    }
    return this.rolesOf(credential.userId, credential.projectId).filter((role) =>
      credential.roles.includes(role.name),
    );
  }
}
