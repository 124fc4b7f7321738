/**
 * The references of an Identity v3 sign-in: a user (by id, or by name and domain) and the scope
 * (a project by id, or by name and domain). A malformed reference is a 400; one naming nothing
 * known is the plain 401, as Keystone gives nothing away.
 */
import type { KeystoneContext } from "./context.js";
import type { Domain, Project, User } from "./directory.js";
import { Refusal } from "./refusal.js";
import { MESSAGES, v3Error } from "./replies.js";
import { asObject, asText, type JsonObject } from "./request-json.js";

export type Scope =
  | { readonly kind: "none" }
  | { readonly kind: "project"; readonly project: Project }
  /** A domain, the system or a trust: none of them grants the emulated users anything. */
  | { readonly kind: "unsupported" };

export class References {
  constructor(
    private readonly context: KeystoneContext,
    private readonly authUrl: string,
  ) {}

  badRequest(message: string): Refusal {
    return new Refusal(v3Error(400, message, this.authUrl));
  }

  unauthorized(): Refusal {
    return new Refusal(v3Error(401, MESSAGES.unauthorized, this.authUrl));
  }

  /** `field` names the reference in the 400 of one without id and name, e.g. identity/password/user. */
  user(reference: JsonObject, field: string): User {
    const id = asText(reference.id);
    const name = asText(reference.name);
    if (id === null && name === null) {
      throw this.badRequest(MESSAGES.idOrName(field));
    }
    const user =
      id !== null
        ? this.context.directory.users.get(id)
        : this.context.directory.userByName(name ?? "", this.domainOf(reference, "user", field).id);
    if (user === undefined) {
      throw this.unauthorized();
    }
    return user;
  }

  scope(auth: JsonObject): Scope {
    if (!("scope" in auth)) {
      return { kind: "none" };
    }
    const scope = asObject(auth.scope) ?? {};
    if ("project" in scope) {
      return { kind: "project", project: this.project(asObject(scope.project) ?? {}) };
    }
    if ("domain" in scope || "system" in scope || "OS-TRUST:trust" in scope) {
      return { kind: "unsupported" };
    }
    if ("unscoped" in scope) {
      return { kind: "none" };
    }
    throw this.badRequest(MESSAGES.expecting("system, project, domain, OS-TRUST:trust or unscoped", "scope"));
  }

  private project(reference: JsonObject): Project {
    const id = asText(reference.id);
    const name = asText(reference.name);
    if (id === null && name === null) {
      throw this.badRequest(MESSAGES.idOrName("scope/project"));
    }
    const project =
      id !== null
        ? this.context.directory.projects.get(id)
        : this.context.directory.projectByName(
            name ?? "",
            this.domainOf(reference, "project", "scope/project").id,
          );
    if (project === undefined) {
      throw this.unauthorized();
    }
    return project;
  }

  /** The domain a reference by name needs: by id or by name. */
  private domainOf(reference: JsonObject, owner: string, field: string): Domain {
    if (!("domain" in reference)) {
      throw this.badRequest(MESSAGES.expecting("domain", owner));
    }
    const given = asObject(reference.domain) ?? {};
    const id = asText(given.id);
    const name = asText(given.name);
    if (id === null && name === null) {
      throw this.badRequest(MESSAGES.idOrName(`${field}/domain`));
    }
    const domain =
      id !== null ? this.context.directory.domain(id) : this.context.directory.domainByName(name ?? "");
    if (domain === undefined) {
      throw this.unauthorized();
    }
    return domain;
  }
}
