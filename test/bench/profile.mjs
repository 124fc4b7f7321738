/**
 * CPU profile of the gateway under load: the single-member query, c=32, 0 ms upstream latency,
 * `node --cpu-prof`, then the top self-time functions of the profile. The gateway runs as in the
 * benchmark (gateway-process.mjs): as users run it, access log on.
 *
 * Environment: BENCH_SECONDS (default 5), BENCH_DIST (default dist), PROFILE_TOP (default 30),
 * PROFILE_TARGET (gateway, relay or datasource), PROFILE_GATEWAY_ENV (settings for the gateway as
 * NAME=value pairs separated by spaces), PROFILE_OTEL=1 (traces and metrics over OTLP to a
 * receiver of the profiler's, as the benchmark's gateway+otel target).
 * Writes the .cpuprofile under .state/bench/profile/ and prints a markdown table.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { OPERATIONS } from "./operations.mjs";
import { summarise } from "./cpuprofile-summary.mjs";
import { startGatewayProcess } from "./gateway-process.mjs";
import { startScriptFlags } from "./start-flags.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, "../..");
const OUT = join(ROOT, ".state/bench/profile");
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const DIST = resolve(ROOT, process.env.BENCH_DIST ?? "dist");
const PIN = spawnSync("taskset", ["-c", "0", "true"]).status === 0;

const children = new Set();
const stopAll = () => {
  for (const child of children) {
    if (child.exitCode === null) {
      child.kill("SIGKILL");
    }
  }
};
process.on("exit", stopAll);

function start(file, env, cpu, nodeArgs = []) {
  const args = [...nodeArgs, file];
  const child = PIN
    ? spawn("taskset", ["-c", cpu, process.execPath, ...args], {
        cwd: ROOT,
        env: { ...process.env, ...env },
        stdio: ["ignore", "inherit", "inherit", "ipc"],
      })
    : spawn(process.execPath, args, {
        cwd: ROOT,
        env: { ...process.env, ...env },
        stdio: ["ignore", "inherit", "inherit", "ipc"],
      });
  children.add(child);
  child.on("exit", () => children.delete(child));
  const ready = new Promise((ok, fail) => {
    child.once("exit", (code) => fail(new Error(`${file} exited with ${code}`)));
    child.on("message", (m) => m?.type === "ready" && ok(m.url));
  });
  return { child, ready };
}

async function main() {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const op = OPERATIONS.find((o) => o.key === "member");
  const bodyFile = join(OUT, "body.json");
  writeFileSync(bodyFile, JSON.stringify(op.body));

  const target = process.env.PROFILE_TARGET ?? "gateway";
  const upstream = start(join(HERE, "upstream.mjs"), {}, "0");
  const upstreamUrl = await upstream.ready;
  const profiling = ["--cpu-prof", `--cpu-prof-dir=${OUT}`];
  const gatewayEnv = Object.fromEntries(
    (process.env.PROFILE_GATEWAY_ENV ?? "")
      .split(/\s+/)
      .filter(Boolean)
      .map((pair) => [pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1)]),
  );
  const sink = process.env.PROFILE_OTEL === "1" ? start(join(HERE, "otlp-sink.mjs"), {}, "0") : null;
  if (sink !== null) {
    gatewayEnv.OTEL_EXPORTER_OTLP_ENDPOINT = await sink.ready;
  }
  // The gateway as the benchmark runs it (as users do); the reference targets as their scripts.
  const gateway =
    target === "gateway"
      ? await startGatewayProcess({
          dist: DIST,
          upstreamUrl,
          nodeArgs: [...startScriptFlags(join(ROOT, "package.json")), ...profiling],
          env: gatewayEnv,
          logFile: join(OUT, "gateway.log"),
          cpuList: PIN ? "1" : null,
          track: (child) => {
            children.add(child);
            child.on("exit", () => children.delete(child));
          },
        }).then(({ child, ready }) => ({ child, ready: ready.then((r) => r.url) }))
      : start(
          join(HERE, `targets/${target}.mjs`),
          { GLANCE_URL: upstreamUrl, GLANCE_API_VERSION: "v2", NODE_ENV: "production" },
          "1",
          profiling,
        );
  const url = await gateway.ready;
  const wrk = (seconds) =>
    spawnSync(
      PIN ? "taskset" : "wrk",
      [
        ...(PIN ? ["-c", "0", "wrk"] : []),
        "-t1",
        "-c32",
        `-d${seconds}s`,
        "-s",
        join(HERE, "wrk-graphql-post.lua"),
        url,
      ],
      { env: { ...process.env, BENCH_BODY_FILE: bodyFile }, encoding: "utf8" },
    );
  wrk(2); // warm-up, inside the profile too: JIT tiers settle
  const measured = wrk(SECONDS);
  const line = measured.stdout.split("\n").find((l) => l.startsWith("BENCH_JSON "));
  console.error(`profile: load ${line ?? measured.stderr}`);

  const exited = new Promise((ok) => gateway.child.once("exit", ok));
  if (gateway.child.connected) {
    gateway.child.send({ type: "stop" });
  } else {
    gateway.child.kill("SIGTERM");
  }
  await exited;
  upstream.child.kill("SIGTERM");
  sink?.child.kill("SIGTERM");

  const file = readdirSync(OUT).find((f) => f.endsWith(".cpuprofile"));
  if (file === undefined) {
    throw new Error("no .cpuprofile written");
  }
  const profile = JSON.parse(readFileSync(join(OUT, file), "utf8"));
  console.log(summarise(profile, Number(process.env.PROFILE_TOP ?? 30)));
  console.log(`\nprofile: ${join(OUT, file)}`);
}

main().catch((error) => {
  console.error(error?.stack ?? error);
  stopAll();
  process.exitCode = 1;
});
