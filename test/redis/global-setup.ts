/**
 * The Redis suite's shared redis-server: `redis.sh up` (which installs Debian's redis-server when
 * it is missing) on a free loopback port, in a state folder of this run, and `redis.sh down` (by
 * the recorded pid) at the end, also when a test failed. Tests that stop or stall Redis start one
 * of their own (processes.ts); each test keeps its keys under a prefix of its own.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";
import { freePort } from "./processes.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** The shared redis-server, `redis://127.0.0.1:<port>/0`. */
    redisUrl: string;
  }
}

const SCRIPT = resolve(fileURLToPath(import.meta.url), "..", "redis.sh");

export async function setup(project: TestProject): Promise<() => void> {
  const stateDir = mkdtempSync(join(tmpdir(), "gateway-redis-"));
  const env = { ...process.env, REDIS_STATE_DIR: stateDir, REDIS_TEST_PORT: String(await freePort()) };
  const run = (command: "up" | "down"): string =>
    execFileSync("bash", [SCRIPT, command], { env, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  const stop = (): void => {
    run("down");
    rmSync(stateDir, { recursive: true, force: true });
  };
  try {
    const url = /^REDIS_URL=(\S+)$/m.exec(run("up"))?.[1];
    if (url === undefined) {
      throw new Error("redis.sh up printed no REDIS_URL");
    }
    project.provide("redisUrl", url);
  } catch (error) {
    stop();
    throw error;
  }
  return stop;
}
