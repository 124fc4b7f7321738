/**
 * Starts the real gateway (real HTTP, real undici) in front of the embedded emulator, both on
 * 127.0.0.1, and sends GraphQL over HTTP. Logs are captured so tests can read them.
 */
import { Writable } from "node:stream";
import { print } from "graphql";
import { pino } from "pino";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { startGateway, type RunningGateway } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import {
  startEmulator,
  type EmulatedApi,
  type Emulator,
  type EmulatorOptions,
} from "../../src/emulator/index.js";
import type { MembersV2Options } from "../../src/upstream/v2/members-v2.js";

export interface GraphQLErrorJson {
  message: string;
  path?: ReadonlyArray<string | number>;
  extensions?: Record<string, unknown> & { code?: string };
}

export interface GraphQLResult<TData> {
  status: number;
  data: TData | null | undefined;
  errors: GraphQLErrorJson[] | undefined;
  raw: string;
}

export interface HarnessOptions {
  /** What the emulator serves (default v2). */
  api?: EmulatedApi;
  /** Extra environment for loadConfig (GLANCE_API_VERSION, FORWARD_HEADERS, UPSTREAM_TIMEOUT_MS, ...). */
  env?: Record<string, string>;
  emulator?: Omit<EmulatorOptions, "api">;
  v2?: MembersV2Options;
  /** Point the gateway somewhere else than the emulator (e.g. a closed port). */
  upstreamUrl?: string;
  /** The direct path for common requests (default on, as in production). */
  directExecution?: boolean;
}

export interface Harness {
  readonly emulator: Emulator;
  readonly gateway: RunningGateway;
  /** Every log line the gateway wrote, as text. */
  readonly logs: string[];
  request<TData, TVariables>(
    document: TypedDocumentNode<TData, TVariables>,
    variables: TVariables,
    headers?: Record<string, string>,
  ): Promise<GraphQLResult<TData>>;
  post(body: string, headers?: Record<string, string>): Promise<GraphQLResult<unknown>>;
  close(): Promise<void>;
}

/** Acting as a project against the emulator: it takes the token as the project id. */
export const as = (project: string): Record<string, string> => ({ "x-auth-token": project });

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const emulator = await startEmulator({ api: options.api ?? "v2", ...options.emulator });
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
    GLANCE_URL: options.upstreamUrl ?? emulator.url,
    LOG_LEVEL: "info",
    ...options.env,
  });
  const gateway = await startGateway(config, {
    logger: pino({ level: "info" }, sink),
    v2: options.v2,
    directExecution: options.directExecution,
  });

  const post = async (
    body: string,
    headers: Record<string, string> = {},
  ): Promise<GraphQLResult<unknown>> => {
    const response = await fetch(gateway.url, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body,
    });
    const raw = await response.text();
    const json = JSON.parse(raw) as { data?: unknown; errors?: GraphQLErrorJson[] };
    return { status: response.status, data: json.data, errors: json.errors, raw };
  };

  return {
    emulator,
    gateway,
    logs,
    post,
    async request<TData, TVariables>(
      document: TypedDocumentNode<TData, TVariables>,
      variables: TVariables,
      headers: Record<string, string> = {},
    ): Promise<GraphQLResult<TData>> {
      return (await post(
        JSON.stringify({ query: print(document), variables }),
        headers,
      )) as GraphQLResult<TData>;
    },
    async close() {
      await gateway.close();
      await emulator.close();
    },
  };
}

/** The codes of a result's errors, in order. */
export const codes = (result: { errors?: GraphQLErrorJson[] | undefined }): Array<string | undefined> =>
  (result.errors ?? []).map((error) => error.extensions?.code);
