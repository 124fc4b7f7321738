/**
 * The emulated Keystone over real HTTP on loopback: Identity v3 under /v3, Rackspace-style v2.0
 * under /v2.0, a journal of every request, and methods for tests to add projects, users, grants,
 * application credentials and endpoints, and to issue and revoke tokens without HTTP.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { identityV2 } from "./identity-v2.js";
import { identityV3 } from "./identity-v3.js";
import { KeystoneState, newId, type EndpointInterface, type Named } from "./keystone-state.js";
import { json, type KeystoneReply } from "./replies.js";

export interface ImageEndpointOption {
  readonly region: string;
  readonly url: string;
  /** Default public. */
  readonly interface?: EndpointInterface;
}

export interface KeystoneEmulatorOptions {
  readonly host?: string;
  readonly port?: number;
  /** Lifetime of issued tokens, seconds (default 3600, Keystone's). */
  readonly tokenLifetimeSeconds?: number;
  readonly imageEndpoints?: readonly ImageEndpointOption[];
}

export interface KeystoneRequest {
  readonly method: string;
  /** The raw request target, query string included. */
  readonly path: string;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** What a token stands for, as Glance's authtoken learns it; null when it is not valid. */
export interface KeystoneTokenHolder {
  readonly userId: string;
  readonly projectId: string | null;
  readonly roles: readonly string[];
}

export interface KeystoneEmulator {
  /** http://127.0.0.1:<port>; v3 under /v3, v2.0 under /v2.0. */
  readonly url: string;
  readonly requests: readonly KeystoneRequest[];
  addProject(name: string, options?: { id?: string }): Named;
  addUser(name: string, password: string, options?: { id?: string; apiKey?: string }): Named;
  grant(userId: string, projectId: string, role: string): void;
  addApplicationCredential(userId: string, projectId: string, name: string): { id: string; secret: string };
  setImageEndpoints(endpoints: readonly ImageEndpointOption[]): void;
  /** projectId null: an unscoped token. */
  issueToken(userId: string, projectId: string | null, options?: { lifetimeSeconds?: number }): string;
  revokeToken(token: string): void;
  tokenHolder(token: string): KeystoneTokenHolder | null;
  clearRequests(): void;
  close(): Promise<void>;
}

export async function startKeystoneEmulator(
  options: KeystoneEmulatorOptions = {},
): Promise<KeystoneEmulator> {
  const state = new KeystoneState(options.tokenLifetimeSeconds ?? 3_600);
  const setEndpoints = (endpoints: readonly ImageEndpointOption[]): void => {
    state.imageEndpoints = endpoints.map((item) => ({ ...item, interface: item.interface ?? "public" }));
  };
  setEndpoints(options.imageEndpoints ?? []);
  let journal: KeystoneRequest[] = [];
  const sockets = new Set<Socket>();
  let baseUrl = "";

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (value !== undefined) {
          headers[name] = Array.isArray(value) ? value.join(", ") : value;
        }
      }
      const text = Buffer.concat(chunks).toString("utf8");
      const target = req.url ?? "/";
      const method = (req.method ?? "GET").toUpperCase();
      journal.push({ method, path: target, headers, body: text });
      const reply = answer(method, target, headers, text);
      res.writeHead(reply.status, {
        ...reply.headers,
        "content-length": String(Buffer.byteLength(reply.body)),
      });
      res.end(method === "HEAD" ? undefined : reply.body);
    });
  });
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });

  const answer = (
    method: string,
    target: string,
    headers: Record<string, string>,
    text: string,
  ): KeystoneReply => {
    const url = new URL(target, "http://keystone.invalid");
    let body: unknown;
    try {
      body = text === "" ? undefined : JSON.parse(text);
    } catch {
      return json(400, { error: { code: 400, message: "Malformed JSON", title: "Bad Request" } });
    }
    if (url.pathname === "/v3" || url.pathname.startsWith("/v3/")) {
      return identityV3(state, baseUrl, {
        method,
        path: url.pathname.slice(3),
        query: url.searchParams,
        headers,
        body,
      });
    }
    if (url.pathname.startsWith("/v2.0/")) {
      return identityV2(state, method, url.pathname.slice(5), headers, body);
    }
    return json(404, {
      error: { code: 404, message: "The resource could not be found.", title: "Not Found" },
    });
  };

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { address, port } = server.address() as AddressInfo;
  baseUrl = `http://${address.includes(":") ? `[${address}]` : address}:${port}`;
  let closing: Promise<void> | null = null;

  return {
    url: baseUrl,
    get requests() {
      return journal;
    },
    addProject(name, projectOptions = {}) {
      const project = { id: projectOptions.id ?? newId(), name };
      state.projects.set(project.id, project);
      return project;
    },
    addUser(name, password, userOptions = {}) {
      const user = { id: userOptions.id ?? newId(), name, password, apiKey: userOptions.apiKey ?? null };
      state.users.set(user.id, user);
      return { id: user.id, name };
    },
    grant: (userId, projectId, role) => state.grant(userId, projectId, role),
    addApplicationCredential(userId, projectId, name) {
      const credential = { id: newId(), name, secret: newId() + newId(), userId, projectId };
      state.applicationCredentials.set(credential.id, credential);
      return { id: credential.id, secret: credential.secret };
    },
    setImageEndpoints: setEndpoints,
    issueToken: (userId, projectId, tokenOptions = {}) => state.issue(userId, projectId, tokenOptions),
    revokeToken: (token) => void state.revoke(token),
    tokenHolder(token) {
      const found = state.lookup(token);
      if (typeof found === "string") {
        return null;
      }
      return {
        userId: found.userId,
        projectId: found.projectId,
        roles:
          found.projectId === null
            ? []
            : state.rolesOf(found.userId, found.projectId).map((role) => role.name),
      };
    },
    clearRequests() {
      journal = [];
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) {
          socket.destroy();
        }
      });
      return closing;
    },
  };
}
