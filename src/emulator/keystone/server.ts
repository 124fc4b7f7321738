/**
 * The emulated Keystone: Identity v3 under /v3 and Rackspace-style v2.0 under /v2.0 over real HTTP
 * on loopback, with methods for tests to add domains, projects, users, grants, application
 * credentials and endpoints, to issue and revoke tokens without HTTP, and to inject faults.
 */
import { Catalog } from "./catalog.js";
import type { KeystoneContext } from "./context.js";
import { tokenRoles } from "./context.js";
import { Directory } from "./directory.js";
import { KeystoneHttp } from "./http-server.js";
import { routeRequest } from "./router.js";
import { TokenStore } from "./token-store.js";
import type { KeystoneEmulator, KeystoneEmulatorOptions } from "./types.js";

export type {
  AddApplicationCredentialOptions,
  AddProjectOptions,
  AddUserOptions,
  EndpointInterface,
  ImageEndpointOption,
  KeystoneEmulator,
  KeystoneEmulatorOptions,
  KeystoneRequest,
  KeystoneTokenHolder,
  Named,
} from "./types.js";

export async function startKeystoneEmulator(
  options: KeystoneEmulatorOptions = {},
): Promise<KeystoneEmulator> {
  const lifetime = options.tokenLifetimeSeconds ?? 3_600;
  if (!Number.isFinite(lifetime)) {
    throw new RangeError(`tokenLifetimeSeconds must be a finite number, got ${lifetime}`);
  }
  const directory = new Directory();
  const tokens = new TokenStore(lifetime);
  const catalog = new Catalog();
  catalog.setImageEndpoints(options.imageEndpoints ?? []);
  let context: KeystoneContext | null = null;
  const http = await KeystoneHttp.listen(options.host ?? "127.0.0.1", options.port ?? 0, (request) => {
    if (context === null) {
      throw new Error("the emulated Keystone answered before it knew its URL");
    }
    return routeRequest(context, request);
  });
  const ready: KeystoneContext = { directory, tokens, catalog, baseUrl: http.url };
  context = ready;

  const user = (userId: string) => {
    const found = directory.users.get(userId);
    if (found === undefined) {
      throw new Error(`no user ${userId}`);
    }
    return found;
  };
  const project = (projectId: string) => {
    const found = directory.projects.get(projectId);
    if (found === undefined) {
      throw new Error(`no project ${projectId}`);
    }
    return found;
  };

  return {
    url: http.url,
    get requests() {
      return http.requests;
    },
    addDomain(name, domainOptions = {}) {
      const { id } = directory.addDomain(name, domainOptions.id);
      return { id, name };
    },
    addProject(name, projectOptions = {}) {
      const { id } = directory.addProject(name, projectOptions);
      return { id, name };
    },
    addUser(name, password, userOptions = {}) {
      const { id } = directory.addUser(name, password, userOptions);
      return { id, name };
    },
    grant: (userId, projectId, role) => directory.grant(userId, projectId, role),
    addApplicationCredential(userId, projectId, name, credentialOptions = {}) {
      user(userId);
      project(projectId);
      const held = directory.rolesOf(userId, projectId).map((role) => role.name);
      const roles = credentialOptions.roles ?? held;
      const missing = roles.filter((role) => !held.includes(role));
      if (missing.length > 0) {
        throw new Error(`user ${userId} holds no role ${missing.join(", ")} on project ${projectId}`);
      }
      const credential = directory.addApplicationCredential({ userId, projectId, name, roles });
      return { id: credential.id, secret: credential.secret };
    },
    setImageEndpoints: (endpoints) => catalog.setImageEndpoints(endpoints),
    issueToken(userId, projectId, tokenOptions = {}) {
      user(userId);
      if (projectId !== null) {
        project(projectId);
      }
      return tokens.issue({
        userId,
        projectId,
        methods: ["password"],
        ...(tokenOptions.lifetimeSeconds === undefined
          ? {}
          : { lifetimeSeconds: tokenOptions.lifetimeSeconds }),
      });
    },
    revokeToken: (token) => void tokens.revoke(token),
    tokenHolder(token) {
      const found = tokens.valid(token);
      if (found === null) {
        return null;
      }
      return {
        userId: found.userId,
        projectId: found.projectId,
        roles: tokenRoles(ready, found).map((role) => role.name),
      };
    },
    setFault: (action) => http.setFault(action),
    injectFault: (rule) => http.injectFault(rule),
    clearFaults: () => http.clearFaults(),
    clearRequests: () => http.clearRequests(),
    close: () => http.close(),
  };
}
