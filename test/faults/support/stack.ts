/**
 * The gateway, the fault proxy and the emulator, all on 127.0.0.1: client → gateway → proxy →
 * emulator. Logs are captured as parsed JSON lines.
 */
import { Writable } from "node:stream";
import { pino } from "pino";
import { startGateway, type RunningGateway } from "../../../src/app.js";
import { loadConfig } from "../../../src/config.js";
import { startEmulator, type EmulatedApi, type Emulator } from "../../../src/emulator/index.js";
import { startFaultProxy, type FaultProxy } from "./fault-proxy.js";

export interface StackOptions {
  api?: EmulatedApi;
  /** Extra environment for loadConfig. */
  env?: Record<string, string>;
  /** Log level of the captured logs (default info). */
  logLevel?: string;
  /** Keep at most this many log lines (default: all). */
  maxLogLines?: number;
}

export interface Answer {
  status: number;
  headers: Headers;
  json: {
    data?: Record<string, unknown> | null;
    errors?: Array<{ message: string; path?: unknown[]; extensions?: Record<string, unknown> }>;
    extensions?: Record<string, unknown>;
  };
  raw: string;
}

export interface Stack {
  readonly emulator: Emulator;
  readonly proxy: FaultProxy;
  readonly gateway: RunningGateway;
  /** Captured log lines, parsed. */
  readonly logs: Array<Record<string, unknown>>;
  /** Log lines written, including any not kept. */
  logCount(): number;
  post(body: unknown, headers?: Record<string, string>): Promise<Answer>;
  close(): Promise<void>;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const emulator = await startEmulator({ api: options.api ?? "v2" });
  const proxy = await startFaultProxy(emulator.url);
  const logs: Array<Record<string, unknown>> = [];
  let count = 0;
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString("utf8").split("\n")) {
        if (line.trim() === "") {
          continue;
        }
        count += 1;
        if (options.maxLogLines === undefined || logs.length < options.maxLogLines) {
          logs.push(JSON.parse(line) as Record<string, unknown>);
        }
      }
      callback();
    },
  });
  const config = loadConfig({
    PORT: "0",
    HOST: "127.0.0.1",
    GLANCE_URL: proxy.url,
    GLANCE_API_VERSION: options.api === "v1" ? "v1" : "v2",
    ...options.env,
  });
  const gateway = await startGateway(config, { logger: pino({ level: options.logLevel ?? "info" }, sink) });

  return {
    emulator,
    proxy,
    gateway,
    logs,
    logCount: () => count,
    async post(body, headers = {}) {
      const response = await fetch(gateway.url, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: typeof body === "string" ? body : JSON.stringify(body),
      });
      const raw = await response.text();
      return {
        status: response.status,
        headers: response.headers,
        json: JSON.parse(raw) as Answer["json"],
        raw,
      };
    },
    async close() {
      await gateway.close();
      await proxy.close();
      await emulator.close();
    },
  };
}

export const MEMBERS_QUERY = "query Members($i: ID!) { imageMembers(imageId: $i) { memberId status } }";
export const UNSHARE = "mutation Unshare($i: ID!, $m: ID!) { unshareImage(imageId: $i, memberId: $m) }";
export const SHARE = "mutation Share($i: ID!, $m: ID!) { shareImage(imageId: $i, memberId: $m) { status } }";
export const RESPOND =
  "mutation Respond($i: ID!, $m: ID!, $s: MemberStatus!) { respondToShare(imageId: $i, memberId: $m, status: $s) { status } }";

/** A JSON error body as webob writes it. */
export function webob(status: number, title: string, text: string): string {
  return JSON.stringify({ message: `${text}<br /><br />\n\n\n`, code: `${status} ${title}`, title });
}
