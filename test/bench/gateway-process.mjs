/**
 * The gateway as users run it, for the benchmark and the profiler: `npm start`'s command run
 * directly (npm would be one more process between the runner and the gateway, and would build
 * first): the start script's Node.js flags and the production bundle, the default log level, the
 * access log on, standard output going to a file as a process manager would keep it. Nothing else is
 * set but the upstream, the port and NODE_ENV=production (plus what a caller asks for explicitly).
 * Its CPU time and peak RSS are read from /proc, since it runs no IPC channel.
 */
import { spawn, spawnSync } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";

// USER_HZ: the unit of /proc/<pid>/stat's CPU times on Linux.
const CLOCK_TICK_US = 1e6 / Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout || 100);

/** CPU time (µs) and peak resident set (KB) of a process, from /proc. */
export function procUsage(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return {
    userUs: Number(fields[11]) * CLOCK_TICK_US,
    systemUs: Number(fields[12]) * CLOCK_TICK_US,
    maxRssKb: Number(/^VmHWM:\s+(\d+)/m.exec(status)?.[1] ?? 0),
  };
}

function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

/** The caller's environment without the settings that would change how the gateway runs. */
function cleanEnv(env) {
  const kept = {};
  for (const [name, value] of Object.entries(env)) {
    if (
      !/^(LOG_LEVEL|GLANCE_|UPSTREAM_|MAX_|REQUEST_|CIRCUIT_|EMULATOR_|APOLLO_|OTEL_|OS_|REDIS_|METRICS$|HOST$|PORT$)/.test(
        name,
      )
    ) {
      kept[name] = value;
    }
  }
  return kept;
}

/**
 * Starts the gateway; `ready` resolves once /health/live answers. `cpuList` pins it with taskset
 * (which execs, so the child's pid is the gateway's). Stop it with SIGTERM, as a process manager does.
 */
export async function startGatewayProcess({
  dist,
  upstreamUrl,
  nodeArgs,
  env = {},
  logFile,
  cpuList,
  track,
}) {
  const port = await freePort();
  const log = openSync(logFile, "w");
  const gatewayArgs = [...nodeArgs, join(dist, "bundle/index.js")];
  const [command, args] =
    cpuList === null
      ? [process.execPath, gatewayArgs]
      : ["taskset", ["-c", cpuList, process.execPath, ...gatewayArgs]];
  const startedAt = performance.now();
  const child = spawn(command, args, {
    env: {
      ...cleanEnv(process.env),
      GLANCE_URL: upstreamUrl,
      PORT: String(port),
      NODE_ENV: "production",
      ...env,
    },
    stdio: ["ignore", log, "inherit"],
  });
  closeSync(log);
  track?.(child);
  const base = `http://127.0.0.1:${port}`;
  const ready = (async () => {
    for (let attempt = 0; attempt < 1_000; attempt++) {
      if (child.exitCode !== null) {
        throw new Error(`the gateway exited with ${child.exitCode} before it was ready`);
      }
      const live = await fetch(`${base}/health/live`).then(
        (response) => response.ok,
        () => false,
      );
      if (live) {
        return { url: `${base}/graphql`, readyMs: performance.now() - startedAt };
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error("the gateway did not answer /health/live within 10 s");
  })();
  return { child, startedAt, ready };
}
