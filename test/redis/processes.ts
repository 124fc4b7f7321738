/**
 * Real processes for the Redis suite, on 127.0.0.1, each stopped by its pid: Debian's
 * `redis-server` (no persistence) for a test of its own (the suite's shared one comes from
 * global-setup.ts), and gateway replicas run from the production bundle as `npm start` runs it,
 * with the settings a test gives.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createConnection, createServer } from "node:net";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { readFileSync } from "node:fs";

const ROOT = resolve(fileURLToPath(new URL("../..", import.meta.url)));

/** The Node.js flags of `npm start`, as package.json gives them. */
function startFlags(): string[] {
  const { scripts } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
    scripts: { start: string };
  };
  return scripts.start.split(/\s+/).filter((word) => word.startsWith("--"));
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === "object" && address !== null ? address.port : 0));
    });
  });
}

async function until(check: () => Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** Sends `signal`, then SIGKILL after 5 s; resolves with how the process ended. */
async function stopByPid(child: ChildProcess, signal: NodeJS.Signals = "SIGTERM"): Promise<Exit> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) {
    return { code: child.exitCode, signal: child.signalCode };
  }
  const exited = new Promise<Exit>((r) => child.once("exit", (code, how) => r({ code, signal: how })));
  process.kill(child.pid, signal);
  const timer = setTimeout(() => child.pid !== undefined && process.kill(child.pid, "SIGKILL"), 5_000);
  const exit = await exited;
  clearTimeout(timer);
  return exit;
}

/** Sends one command (inline form) to the redis-server on `port` and returns the raw reply. */
export function redisCommand(port: number, line: string): Promise<string> {
  return new Promise((resolveReply, reject) => {
    const socket = createConnection({ host: "127.0.0.1", port });
    let reply = "";
    socket.setTimeout(2_000, () => socket.destroy(new Error("redis did not answer")));
    socket.on("data", (chunk) => {
      reply += chunk.toString("utf8");
      if (reply.endsWith("\r\n")) {
        socket.end();
        resolveReply(reply);
      }
    });
    socket.on("error", reject);
    socket.write(`${line}\r\n`);
  });
}

export interface RedisServer {
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  /** Sends one command (inline form) and returns the raw reply. */
  command(line: string): Promise<string>;
  /** SIGSTOP: the server keeps its connections and answers nothing, as a stalled Redis does. */
  pause(): void;
  /** SIGCONT after pause(). */
  resume(): void;
  stop(): Promise<void>;
}

export function redisInstalled(): boolean {
  return spawnSync("redis-server", ["--version"]).status === 0;
}

/** A redis-server of the test's own, on `port` (default: a free one), without persistence. */
export async function startRedis(port?: number): Promise<RedisServer> {
  const chosen = port ?? (await freePort());
  const child = spawn(
    "redis-server",
    [
      "--port",
      String(chosen),
      "--bind",
      "127.0.0.1",
      "--save",
      "",
      "--appendonly",
      "no",
      "--loglevel",
      "warning",
    ],
    { stdio: "ignore" },
  );
  const pid = child.pid;
  if (pid === undefined) {
    throw new Error("redis-server did not start");
  }
  const command = (line: string): Promise<string> => redisCommand(chosen, line);
  try {
    await until(
      () =>
        command("PING").then(
          (reply) => reply.startsWith("+PONG"),
          () => false,
        ),
      "redis-server",
    );
  } catch (error) {
    await stopByPid(child, "SIGKILL");
    throw error;
  }
  return {
    url: `redis://127.0.0.1:${chosen}/0`,
    port: chosen,
    pid,
    command,
    pause: () => process.kill(pid, "SIGSTOP"),
    resume: () => process.kill(pid, "SIGCONT"),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        // A paused server would not act on SIGTERM until continued.
        process.kill(pid, "SIGCONT");
      }
      await stopByPid(child);
    },
  };
}

export interface Replica {
  readonly url: string;
  /** Everything the replica wrote to standard output: its log lines. */
  readonly logs: () => string;
  /** SIGTERM, then SIGKILL after 5 s; how it ended. */
  stop(): Promise<Exit>;
}

/** A gateway process from dist/bundle (built by `npm run test:redis`), as `npm start` runs it. */
export async function startReplica(env: Record<string, string>): Promise<Replica> {
  const port = await freePort();
  const child = spawn(process.execPath, [...startFlags(), join(ROOT, "dist/bundle/index.js")], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", HOST: "127.0.0.1", PORT: String(port), LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  const base = `http://127.0.0.1:${port}`;
  try {
    await until(async () => {
      if (child.exitCode !== null) {
        throw new Error(`the replica exited with ${child.exitCode}: ${output}`);
      }
      return fetch(`${base}/health/live`).then(
        (r) => r.ok,
        () => false,
      );
    }, "the replica");
  } catch (error) {
    await stopByPid(child, "SIGKILL");
    throw error;
  }
  return { url: `${base}/graphql`, logs: () => output, stop: () => stopByPid(child) };
}
