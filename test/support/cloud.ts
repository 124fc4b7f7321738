/**
 * A small OpenStack cloud on loopback for the identity tests: the emulated Keystone and one
 * emulated Glance per region behind it (authtoken on), and the gateway started from OS_* settings,
 * reading its endpoints from the catalog. Users: a `gateway` service user, alice (member of alpha),
 * bob (member of beta), admin (admin of alpha), dave (no role anywhere).
 */
import { Writable } from "node:stream";
import { print } from "graphql";
import { pino } from "pino";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { startGateway, type RunningGateway } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import {
  startEmulator,
  startKeystoneEmulator,
  type Emulator,
  type KeystoneEmulator,
} from "../../src/emulator/index.js";
import type { GraphQLResult, GraphQLErrorJson } from "./harness.js";

export const SERVICE_PASSWORD = "gateway-service-secret";
export const PASSWORD = "user-secret-1";
/** The service user's Rackspace-style API key (Identity v2.0). */
export const SERVICE_API_KEY = "rax-api-key-0123";

export interface Person {
  readonly id: string;
  readonly name: string;
}

export interface Cloud {
  readonly keystone: KeystoneEmulator;
  readonly regions: { readonly RegionOne: Emulator; readonly RegionTwo: Emulator };
  readonly projects: { readonly alpha: Person; readonly beta: Person; readonly service: Person };
  readonly users: {
    readonly alice: Person;
    readonly bob: Person;
    readonly admin: Person;
    readonly dave: Person;
    readonly gateway: Person;
  };
  /** A fresh token of the user, scoped to the project (null: unscoped). */
  token(user: Person, project: Person | null, lifetimeSeconds?: number): string;
  close(): Promise<void>;
}

/** `tokenLifetimeSeconds`: of every token the emulated Keystone issues (default Keystone's hour). */
export async function startCloud(options: { tokenLifetimeSeconds?: number } = {}): Promise<Cloud> {
  const keystone = await startKeystoneEmulator(options);
  const authtoken = {
    uri: keystone.url,
    resolve: (token: string) => keystone.tokenHolder(token),
  };
  const [one, two] = await Promise.all([startEmulator({ authtoken }), startEmulator({ authtoken })]);
  keystone.setImageEndpoints([
    { region: "RegionOne", url: one.url, interface: "public" },
    { region: "RegionTwo", url: two.url, interface: "public" },
  ]);
  const service = keystone.addProject("service");
  const alpha = keystone.addProject("alpha");
  const beta = keystone.addProject("beta");
  const gateway = keystone.addUser("gateway", SERVICE_PASSWORD, { apiKey: SERVICE_API_KEY });
  keystone.grant(gateway.id, service.id, "service");
  const alice = keystone.addUser("alice", PASSWORD);
  keystone.grant(alice.id, alpha.id, "member");
  const bob = keystone.addUser("bob", PASSWORD);
  keystone.grant(bob.id, beta.id, "member");
  const admin = keystone.addUser("admin", PASSWORD);
  keystone.grant(admin.id, alpha.id, "admin");
  const dave = keystone.addUser("dave", PASSWORD);
  return {
    keystone,
    regions: { RegionOne: one, RegionTwo: two },
    projects: { alpha, beta, service },
    users: { alice, bob, admin, dave, gateway },
    token: (user, project, lifetimeSeconds) =>
      keystone.issueToken(
        user.id,
        project?.id ?? null,
        lifetimeSeconds === undefined ? undefined : { lifetimeSeconds },
      ),
    async close() {
      await Promise.all([keystone.close(), one.close(), two.close()]);
    },
  };
}

/** OS_* settings of the gateway's service user on the cloud's Keystone. */
export function serviceEnv(cloud: Cloud): Record<string, string> {
  return {
    OS_AUTH_URL: `${cloud.keystone.url}/v3`,
    OS_USERNAME: "gateway",
    OS_PASSWORD: SERVICE_PASSWORD,
    OS_PROJECT_NAME: "service",
    OS_USER_DOMAIN_NAME: "Default",
    OS_PROJECT_DOMAIN_NAME: "Default",
  };
}

export interface CloudGateway {
  readonly gateway: RunningGateway;
  readonly logs: string[];
  request<TData, TVariables>(
    document: TypedDocumentNode<TData, TVariables>,
    variables: TVariables,
    headers?: Record<string, string>,
  ): Promise<GraphQLResult<TData>>;
  close(): Promise<void>;
}

export async function startCloudGateway(env: Record<string, string>): Promise<CloudGateway> {
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      logs.push(chunk.toString("utf8"));
      callback();
    },
  });
  const config = loadConfig({
    PORT: "0",
    HOST: "127.0.0.1",
    LOG_LEVEL: "info",
    ...env,
  });
  const gateway = await startGateway(config, { logger: pino({ level: "info" }, sink) });
  return {
    gateway,
    logs,
    async request<TData, TVariables>(
      document: TypedDocumentNode<TData, TVariables>,
      variables: TVariables,
      headers: Record<string, string> = {},
    ): Promise<GraphQLResult<TData>> {
      const response = await fetch(gateway.url, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify({ query: print(document), variables }),
      });
      const raw = await response.text();
      const json = JSON.parse(raw) as { data?: TData; errors?: GraphQLErrorJson[] };
      return { status: response.status, data: json.data, errors: json.errors, raw };
    },
    close: () => gateway.close(),
  };
}
