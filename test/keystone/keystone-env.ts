/**
 * A real Keystone for the identity suites: starts and stops it through `keystone.sh`, and speaks
 * just enough of its v3 API (with the bootstrap admin's token) to create projects, users, roles,
 * the image service and its endpoints, and to issue and revoke tokens.
 */
import { execFile } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), "keystone.sh");
/** Covers a first install of python3-keystone plus the first setup. */
const UP_TIMEOUT_MS = 5 * 60_000;
export const ADMIN_PASSWORD = "admin-secret";

export interface RunningKeystone {
  /** http://127.0.0.1:<port>/v3 */
  readonly url: string;
  /** The same Keystone, issuing tokens that expire after a few seconds. */
  readonly shortLivedUrl: string;
  stop(): Promise<void>;
}

function run(command: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      "bash",
      [SCRIPT, command],
      { timeout: timeoutMs, env: { ...process.env, KEYSTONE_ADMIN_PASSWORD: ADMIN_PASSWORD } },
      (error, stdout, stderr) =>
        error === null
          ? resolve(stdout)
          : reject(new Error(`keystone.sh ${command} failed: ${error.message}\n${stderr}`)),
    );
  });
}

export async function startKeystone(): Promise<RunningKeystone> {
  const stdout = await run("up", UP_TIMEOUT_MS);
  const value = (name: string): string => {
    const found = new RegExp(`^${name}=(\\S+)$`, "m").exec(stdout)?.[1];
    if (found === undefined) {
      throw new Error(`keystone.sh up printed no ${name}:\n${stdout}`);
    }
    return found;
  };
  return {
    url: value("KEYSTONE_URL"),
    shortLivedUrl: value("KEYSTONE_SHORT_LIVED_URL"),
    stop: async () => void (await run("down", 60_000)),
  };
}

interface Reply {
  readonly status: number;
  readonly headers: Headers;
  readonly json: Record<string, unknown>;
}

export interface Named {
  readonly id: string;
  readonly name: string;
}

const passwordAuth = (user: string, password: string, project: string | null): unknown => ({
  auth: {
    identity: {
      methods: ["password"],
      password: { user: { name: user, domain: { id: "default" }, password } },
    },
    ...(project === null ? {} : { scope: { project: { name: project, domain: { id: "default" } } } }),
  },
});

/** Revokes a token (DELETE /v3/auth/tokens, the token authorising its own revocation). */
export async function revokeToken(url: string, token: string): Promise<number> {
  const response = await fetch(`${url}/auth/tokens`, {
    method: "DELETE",
    headers: { "x-auth-token": token, "x-subject-token": token },
  });
  await response.arrayBuffer();
  return response.status;
}

/** Keystone's v3 API with the bootstrap admin's token. */
export class KeystoneAdmin {
  private constructor(
    readonly url: string,
    private readonly token: string,
  ) {}

  static async signIn(url: string): Promise<KeystoneAdmin> {
    return new KeystoneAdmin(url, (await issueToken(url, "admin", ADMIN_PASSWORD, "admin")).token);
  }

  async call(method: string, path: string, body?: unknown): Promise<Reply> {
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers: { "content-type": "application/json", "x-auth-token": this.token },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let json: Record<string, unknown> = {};
    try {
      json = text === "" ? {} : (JSON.parse(text) as Record<string, unknown>);
    } catch {
      json = { text };
    }
    return { status: response.status, headers: response.headers, json };
  }

  /** Creates one, or finds it by name when it exists (lists are filtered here: `?name=` is not reliable). */
  async ensure(collection: string, key: string, body: Record<string, unknown>): Promise<Named> {
    const created = await this.call("POST", `/${collection}`, { [key]: body });
    if (created.status === 201) {
      return created.json[key] as Named;
    }
    if (created.status !== 409) {
      throw new Error(`POST /${collection} answered ${created.status}: ${JSON.stringify(created.json)}`);
    }
    const listed = (await this.call("GET", `/${collection}`)).json[collection] as Named[];
    const found = listed.find((item) => item.name === body.name);
    if (found === undefined) {
      throw new Error(`${String(body.name)} exists in ${collection} but is not listed`);
    }
    return found;
  }

  project(name: string): Promise<Named> {
    return this.ensure("projects", "project", { name, domain_id: "default" });
  }

  user(name: string, password: string): Promise<Named> {
    return this.ensure("users", "user", { name, password, domain_id: "default" });
  }

  role(name: string): Promise<Named> {
    return this.ensure("roles", "role", { name });
  }

  async grant(project: Named, user: Named, role: Named): Promise<void> {
    const reply = await this.call("PUT", `/projects/${project.id}/users/${user.id}/roles/${role.id}`);
    if (reply.status !== 204) {
      throw new Error(`granting ${role.name} answered ${reply.status}`);
    }
  }

  /** Registers the image service with a public and an internal endpoint per region. */
  async imageEndpoints(endpoints: Readonly<Record<string, string>>): Promise<void> {
    // Services are not unique by name: reuse the image service of an earlier run, and replace its
    // endpoints, which point at ports that are gone.
    const services = (await this.call("GET", "/services")).json.services as { id: string; type: string }[];
    const service =
      services.find((item) => item.type === "image") ??
      ((await this.call("POST", "/services", { service: { name: "glance", type: "image" } })).json
        .service as Named);
    const existing = (await this.call("GET", "/endpoints")).json.endpoints as {
      id: string;
      service_id: string;
    }[];
    for (const endpoint of existing.filter((item) => item.service_id === service.id)) {
      const deleted = await this.call("DELETE", `/endpoints/${endpoint.id}`);
      if (deleted.status !== 204) {
        throw new Error(`DELETE /endpoints/${endpoint.id} answered ${deleted.status}`);
      }
    }
    for (const [region, url] of Object.entries(endpoints)) {
      const made = await this.call("POST", "/regions", { region: { id: region } });
      if (made.status !== 201 && made.status !== 409) {
        throw new Error(`POST /regions answered ${made.status}`);
      }
      for (const iface of ["public", "internal"]) {
        const endpoint = await this.call("POST", "/endpoints", {
          endpoint: { service_id: service.id, region_id: region, interface: iface, url },
        });
        if (endpoint.status !== 201) {
          throw new Error(`POST /endpoints answered ${endpoint.status}`);
        }
      }
    }
  }
}

/** A token by password; project null: unscoped. */
export async function issueToken(
  url: string,
  user: string,
  password: string,
  project: string | null,
): Promise<{ token: string; body: { token: Record<string, unknown> } }> {
  const response = await fetch(`${url}/auth/tokens?nocatalog`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(passwordAuth(user, password, project)),
  });
  const text = await response.text();
  if (response.status !== 201) {
    throw new Error(`a token for ${user} answered ${response.status}: ${text}`);
  }
  return {
    token: response.headers.get("x-subject-token") ?? "",
    body: JSON.parse(text) as { token: Record<string, unknown> },
  };
}
