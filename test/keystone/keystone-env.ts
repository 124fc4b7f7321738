/**
 * A real Keystone for the identity suites: starts and stops it through `keystone.sh`, and a small
 * client of its v3 API to create projects, users, roles, the image service and its endpoints, and
 * to issue, validate and revoke tokens.
 *
 * One instance (and its short-lived twin) per state folder; `stop()` stops it for every user of
 * that folder, so start it once per run (a vitest globalSetup). The state folder outlives the run:
 * everything the client creates is found again by name on the next run instead of duplicated.
 */
import { execFile } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const KEYSTONE_DIR = dirname(fileURLToPath(import.meta.url));
const SCRIPT = join(KEYSTONE_DIR, "keystone.sh");
const REPO_DIR = resolve(KEYSTONE_DIR, "..", "..");
/** Covers a first install of python3-keystone (about 30 s of apt) plus the first setup. */
const UP_TIMEOUT_MS = 5 * 60_000;
const DOWN_TIMEOUT_MS = 60_000;
const HTTP_TIMEOUT_MS = 15_000;

export const DEFAULT_ADMIN_PASSWORD = "admin-secret";
export const DEFAULT_DOMAIN = "default";

export interface StartKeystoneOptions {
  /** Defaults to `<repo>/.state/keystone`. */
  stateDir?: string;
  /** The bootstrap admin's password (user `admin` on project `admin`). */
  adminPassword?: string;
  /** Token lifetime of the main instance, seconds (Keystone's default: 3600). */
  tokenExpiration?: number;
  /** Token lifetime of the short-lived instance, seconds (default 3). */
  shortLivedExpiration?: number;
}

export interface RunningKeystone {
  /** `http://127.0.0.1:<port>/v3`, no trailing slash. */
  readonly url: string;
  /** The same Keystone (database and fernet keys), issuing tokens that expire after a few seconds. */
  readonly shortLivedUrl: string;
  readonly adminPassword: string;
  stop(): Promise<void>;
}

export async function startKeystone(options: StartKeystoneOptions = {}): Promise<RunningKeystone> {
  const adminPassword = options.adminPassword ?? DEFAULT_ADMIN_PASSWORD;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    KEYSTONE_STATE_DIR: options.stateDir ?? join(REPO_DIR, ".state", "keystone"),
    KEYSTONE_ADMIN_PASSWORD: adminPassword,
  };
  delete env.KEYSTONE_TOKEN_EXPIRATION;
  delete env.KEYSTONE_SHORT_EXPIRATION;
  if (options.tokenExpiration !== undefined) {
    env.KEYSTONE_TOKEN_EXPIRATION = String(options.tokenExpiration);
  }
  if (options.shortLivedExpiration !== undefined) {
    env.KEYSTONE_SHORT_EXPIRATION = String(options.shortLivedExpiration);
  }
  const stdout = await runScript("up", env, UP_TIMEOUT_MS);
  const value = (name: string): string => {
    const found = new RegExp(`^${name}=(http://\\S+)$`, "m").exec(stdout)?.[1];
    if (found === undefined) {
      throw new Error(`keystone.sh up printed no ${name} line:\n${stdout}`);
    }
    return found;
  };
  return {
    url: value("KEYSTONE_URL"),
    shortLivedUrl: value("KEYSTONE_SHORT_LIVED_URL"),
    adminPassword,
    async stop() {
      await runScript("down", env, DOWN_TIMEOUT_MS);
    },
  };
}

/** Runs `keystone.sh <command>`; resolves to its stdout, rejects with the tail of its stderr. */
function runScript(command: "up" | "down", env: NodeJS.ProcessEnv, timeout: number): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    execFile(
      "bash",
      [SCRIPT, command],
      { env, timeout, maxBuffer: 16 * 1024 * 1024, encoding: "utf8" },
      (error, stdout, stderr) => {
        if (error) {
          const tail = stderr.trimEnd().split("\n").slice(-40).join("\n");
          reject(new Error(`keystone.sh ${command} failed (${error.message.split("\n")[0]}):\n${tail}`));
          return;
        }
        resolvePromise(stdout);
      },
    );
  });
}

// --- the v3 API ------------------------------------------------------------------------------------

export interface Named {
  readonly id: string;
  readonly name: string;
}

export interface Reply {
  readonly status: number;
  readonly headers: Headers;
  /** The body as sent. */
  readonly text: string;
  /** The body parsed, or `{}` when it is empty or not JSON. */
  readonly json: Record<string, unknown>;
}

/** The `token` object of POST and GET /v3/auth/tokens. */
export interface TokenBody {
  token: {
    methods: string[];
    user: {
      id: string;
      name: string;
      domain: { id: string; name: string };
      password_expires_at: string | null;
    };
    audit_ids: string[];
    expires_at: string;
    issued_at: string;
    project?: { id: string; name: string; domain: { id: string; name: string } };
    is_domain?: boolean;
    roles?: { id: string; name: string }[];
    catalog?: CatalogEntry[];
    application_credential?: { id: string; name: string; restricted: boolean };
  };
}

export interface CatalogEntry {
  id: string;
  type: string;
  name: string;
  endpoints: { id: string; interface: string; region_id: string; region: string; url: string }[];
}

export interface IssuedToken {
  /** The `X-Subject-Token` header. */
  token: string;
  body: TokenBody;
}

export interface PasswordCredentials {
  user: string;
  password: string;
  /** A project name in the default domain; without it the token is unscoped. */
  project?: string;
}

export interface ApplicationCredential {
  id: string;
  name: string;
  secret: string;
  project_id: string;
  roles: { id: string; name: string }[];
}

async function send(
  url: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: unknown,
): Promise<Reply> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: {
      accept: "application/json",
      ...(body === undefined ? {} : { "content-type": "application/json" }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
  });
  const text = await response.text();
  let json: Record<string, unknown> = {};
  try {
    const parsed: unknown = text === "" ? {} : JSON.parse(text);
    if (typeof parsed === "object" && parsed !== null) {
      json = parsed as Record<string, unknown>;
    }
  } catch {
    // Not JSON: `text` has it.
  }
  return { status: response.status, headers: response.headers, text, json };
}

function expectStatus(reply: Reply, expected: readonly number[], what: string): void {
  if (!expected.includes(reply.status)) {
    throw new Error(`${what} answered ${reply.status}: ${reply.text}`);
  }
}

/** The body of POST /v3/auth/tokens for a password in the default domain. */
export function passwordAuth(credentials: PasswordCredentials): unknown {
  return {
    auth: {
      identity: {
        methods: ["password"],
        password: {
          user: { name: credentials.user, domain: { id: DEFAULT_DOMAIN }, password: credentials.password },
        },
      },
      ...(credentials.project === undefined
        ? {}
        : { scope: { project: { name: credentials.project, domain: { id: DEFAULT_DOMAIN } } } }),
    },
  };
}

/** A token by password (POST /v3/auth/tokens, 201); the body includes the catalog. */
export async function issueToken(url: string, credentials: PasswordCredentials): Promise<IssuedToken> {
  const reply = await send(url, "POST", "/auth/tokens", {}, passwordAuth(credentials));
  expectStatus(reply, [201], `a token for ${credentials.user}`);
  const token = reply.headers.get("x-subject-token");
  if (token === null) {
    throw new Error(`a token for ${credentials.user} answered 201 without X-Subject-Token`);
  }
  return { token, body: reply.json as unknown as TokenBody };
}

/** A token for an application credential (POST /v3/auth/tokens, 201). */
export async function issueApplicationCredentialToken(
  url: string,
  credential: { id: string; secret: string },
): Promise<IssuedToken> {
  const reply = await send(
    url,
    "POST",
    "/auth/tokens",
    {},
    {
      auth: {
        identity: {
          methods: ["application_credential"],
          application_credential: { id: credential.id, secret: credential.secret },
        },
      },
    },
  );
  expectStatus(reply, [201], "a token for an application credential");
  return { token: reply.headers.get("x-subject-token") ?? "", body: reply.json as unknown as TokenBody };
}

/** A token revoking itself (DELETE /v3/auth/tokens, which Keystone allows the token's subject). */
export async function revokeToken(url: string, token: string): Promise<number> {
  return (await send(url, "DELETE", "/auth/tokens", { "x-auth-token": token, "x-subject-token": token }))
    .status;
}

/** Keystone's v3 API with one token: the bootstrap admin's for set-up, or any user's. */
export class KeystoneClient {
  private constructor(
    readonly url: string,
    readonly token: string,
    /** The token's own body (its user, project and roles). */
    readonly self: TokenBody,
  ) {}

  static async signIn(url: string, credentials: PasswordCredentials): Promise<KeystoneClient> {
    const issued = await issueToken(url, credentials);
    return new KeystoneClient(url, issued.token, issued.body);
  }

  /** The bootstrap admin, scoped to project `admin`. */
  static admin(url: string, password = DEFAULT_ADMIN_PASSWORD): Promise<KeystoneClient> {
    return KeystoneClient.signIn(url, { user: "admin", password, project: "admin" });
  }

  request(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Reply> {
    return send(this.url, method, path, { "x-auth-token": this.token, ...headers }, body);
  }

  /** Lists a collection whole (`?name=` filters proved unreliable: filter here). */
  async list<T>(collection: string): Promise<T[]> {
    const reply = await this.request("GET", `/${collection}`);
    expectStatus(reply, [200], `GET /${collection}`);
    return reply.json[collection.split("/").at(-1) ?? collection] as T[];
  }

  async findByName(collection: string, name: string): Promise<Named | undefined> {
    return (await this.list<Named>(collection)).find((item) => item.name === name);
  }

  /** Creates the project in the default domain, or finds it by name. */
  async createProject(name: string): Promise<Named> {
    return this.createOrFind("projects", "project", { name, domain_id: DEFAULT_DOMAIN });
  }

  /**
   * Creates the user in the default domain, or finds it by name and, when the password differs,
   * sets it. Keystone revokes a user's tokens when its password changes, with second precision:
   * tokens issued in the same second as the change would be revoked too, so this waits a second.
   */
  async createUser(name: string, password: string): Promise<Named> {
    const created = await this.request("POST", "/users", {
      user: { name, password, domain_id: DEFAULT_DOMAIN },
    });
    if (created.status === 201) {
      return created.json.user as Named;
    }
    expectStatus(created, [409], `POST /users (${name})`);
    const found = await this.findByName("users", name);
    if (found === undefined) {
      throw new Error(`user ${name} exists but is not listed`);
    }
    const signIn = await send(this.url, "POST", "/auth/tokens", {}, passwordAuth({ user: name, password }));
    if (signIn.status === 201) {
      return found;
    }
    const updated = await this.request("PATCH", `/users/${found.id}`, { user: { password } });
    expectStatus(updated, [200], `PATCH /users/${found.id}`);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    return found;
  }

  async ensureRole(name: string): Promise<Named> {
    return this.createOrFind("roles", "role", { name });
  }

  /** PUT /v3/projects/{project}/users/{user}/roles/{role}: 204, also when it was assigned already. */
  async assignRole(project: Named, user: Named, role: Named): Promise<void> {
    const reply = await this.request("PUT", `/projects/${project.id}/users/${user.id}/roles/${role.id}`);
    expectStatus(reply, [204], `assigning ${role.name} to ${user.name} on ${project.name}`);
  }

  /** Creates the service, or finds it by type and name (Keystone does not keep names unique). */
  async createService(type: string, name: string): Promise<Named> {
    const found = (await this.list<Named & { type: string }>("services")).find(
      (item) => item.type === type && item.name === name,
    );
    if (found !== undefined) {
      return found;
    }
    const reply = await this.request("POST", "/services", { service: { type, name } });
    expectStatus(reply, [201], `POST /services (${type})`);
    return reply.json.service as Named;
  }

  /** Creates the region unless it exists. */
  async createRegion(id: string): Promise<void> {
    const reply = await this.request("POST", "/regions", { region: { id } });
    expectStatus(reply, [201, 409], `POST /regions (${id})`);
  }

  /**
   * Creates the endpoint, first deleting the service's other endpoints of that region and interface
   * (from an earlier run: their ports are gone).
   */
  async createEndpoint(endpoint: {
    service: Named;
    region: string;
    interface: "public" | "internal" | "admin";
    url: string;
  }): Promise<{ id: string; url: string }> {
    const existing = await this.list<{
      id: string;
      service_id: string;
      region_id: string;
      interface: string;
      url: string;
    }>("endpoints");
    for (const old of existing) {
      if (
        old.service_id === endpoint.service.id &&
        old.region_id === endpoint.region &&
        old.interface === endpoint.interface
      ) {
        if (old.url === endpoint.url) {
          return old;
        }
        expectStatus(
          await this.request("DELETE", `/endpoints/${old.id}`),
          [204],
          `DELETE /endpoints/${old.id}`,
        );
      }
    }
    const reply = await this.request("POST", "/endpoints", {
      endpoint: {
        service_id: endpoint.service.id,
        region_id: endpoint.region,
        interface: endpoint.interface,
        url: endpoint.url,
      },
    });
    expectStatus(reply, [201], `POST /endpoints (${endpoint.region} ${endpoint.interface})`);
    return reply.json.endpoint as { id: string; url: string };
  }

  issueToken(credentials: PasswordCredentials): Promise<IssuedToken> {
    return issueToken(this.url, credentials);
  }

  /** GET /v3/auth/tokens for `subject` with this client's token; the raw answer. */
  validateToken(subject: string, options: { nocatalog?: boolean } = {}): Promise<Reply> {
    const query = options.nocatalog === true ? "?nocatalog" : "";
    return this.request("GET", `/auth/tokens${query}`, undefined, { "x-subject-token": subject });
  }

  /** DELETE /v3/auth/tokens for `subject` with this client's token; the raw answer. */
  revokeToken(subject: string): Promise<Reply> {
    return this.request("DELETE", "/auth/tokens", undefined, { "x-subject-token": subject });
  }

  /**
   * Creates an application credential for this client's own user (Keystone lets only the user
   * create its own), on the token's project with the token's roles unless `roles` names fewer.
   */
  async createApplicationCredential(
    name: string,
    options: { roles?: string[] } = {},
  ): Promise<ApplicationCredential> {
    const body: Record<string, unknown> = { name };
    if (options.roles !== undefined) {
      body.roles = options.roles.map((role) => ({ name: role }));
    }
    const path = `/users/${this.self.token.user.id}/application_credentials`;
    let reply = await this.request("POST", path, { application_credential: body });
    if (reply.status === 409) {
      // Names are unique per user, and the secret is shown only once: replace one of an earlier run.
      const old = (await this.list<Named>(path.slice(1))).find((item) => item.name === name);
      if (old !== undefined) {
        expectStatus(await this.request("DELETE", `${path}/${old.id}`), [204], `DELETE ${path}/${old.id}`);
      }
      reply = await this.request("POST", path, { application_credential: body });
    }
    expectStatus(reply, [201], `POST ${path}`);
    return reply.json.application_credential as ApplicationCredential;
  }

  private async createOrFind(collection: string, key: string, body: Record<string, unknown>): Promise<Named> {
    const created = await this.request("POST", `/${collection}`, { [key]: body });
    if (created.status === 201) {
      return created.json[key] as Named;
    }
    expectStatus(created, [409], `POST /${collection} (${String(body.name)})`);
    const found = await this.findByName(collection, String(body.name));
    if (found === undefined) {
      throw new Error(`${String(body.name)} exists in ${collection} but is not listed`);
    }
    return found;
  }
}
