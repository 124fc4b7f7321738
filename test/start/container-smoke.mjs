/**
 * The Dockerfile's runtime stage replayed without Docker (no engine runs where the tests run): its
 * production install (its own RUN line) into a fresh directory, the bundle copied in, its CMD started
 * with its ENV (but on 127.0.0.1 and a free port), then /health/ready, its HEALTHCHECK command, one
 * GraphQL answer from the embedded demo, and an exit 0 within SHUTDOWN_TIMEOUT_MS of its STOPSIGNAL;
 * the HEALTHCHECK must then fail. Reads the Dockerfile, so an edit that breaks the CMD, the ENV or the
 * health check fails here. USER cannot be switched without root: it is only checked not to be root.
 * Needs `npm run build` first. Talks only to 127.0.0.1, and stops what it started by its pid.
 */
import { spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = resolve(fileURLToPath(new URL("../..", import.meta.url)));
const TIMEOUT_MS = 240_000;
const IMAGE = "5eed0001-0000-4000-8000-000000000001";

/** The runtime stage (after the last FROM), its instructions joined across line continuations. */
function runtimeStage() {
  const text = readFileSync(join(ROOT, "Dockerfile"), "utf8").replace(/\\\n\s*/g, " ");
  const lines = text.split("\n").map((line) => line.trim());
  const last = lines.findLastIndex((line) => line.startsWith("FROM "));
  const stage = lines.slice(last).filter((line) => line !== "" && !line.startsWith("#"));
  const env = {};
  for (const line of stage.filter((l) => l.startsWith("ENV "))) {
    for (const [, name, value] of line.slice(4).matchAll(/(\w+)=(\S+)/g)) {
      env[name] = value;
    }
  }
  /** The JSON array of the stage's last `name` instruction (the exec form, the only one parsed). */
  const json = (name) => {
    const line = stage.findLast((l) => l.startsWith(`${name} `));
    if (line === undefined || !line.includes("[")) {
      throw new Error(`the Dockerfile's runtime stage has no ${name} in the JSON-array form`);
    }
    return JSON.parse(line.slice(line.indexOf("[")));
  };
  const healthcheck = stage.findLast((l) => l.startsWith("HEALTHCHECK "));
  if (healthcheck === undefined || !/^HEALTHCHECK (--\S+\s+)*CMD \[/.test(healthcheck)) {
    throw new Error(`the runtime stage's HEALTHCHECK is not "HEALTHCHECK [options] CMD [...]"`);
  }
  // BuildKit's mounts (npm's download cache) are the builder's business, not the command's.
  const run = stage.filter((l) => l.startsWith("RUN ")).map((l) => l.slice(4).replace(/--mount=\S+\s+/g, ""));
  const user = stage.findLast((l) => l.startsWith("USER "))?.slice(5);
  const stopSignal = stage.findLast((l) => l.startsWith("STOPSIGNAL "))?.slice(11) ?? "SIGTERM";
  return { env, cmd: json("CMD"), healthcheck: json("HEALTHCHECK"), run, user, stopSignal };
}

function freePort() {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => ok(port));
    });
  });
}

/** A command of the image, `node` being this Node.js (the image's is the same major version). */
const executable = (command) => (command === "node" ? process.execPath : command);

const stage = runtimeStage();
if (stage.user === undefined || /^(root|0)(:.*)?$/.test(stage.user)) {
  throw new Error(`the runtime stage must run as a user other than root (USER is ${stage.user ?? "unset"})`);
}
if (stage.cmd[0] !== "node") {
  throw new Error(`CMD must run node itself, so that it receives ${stage.stopSignal} (got ${stage.cmd[0]})`);
}
if (!existsSync(join(ROOT, "dist/bundle/index.js"))) {
  throw new Error("dist/bundle is missing: run npm run build first");
}

const dir = mkdtempSync(join(tmpdir(), "container-smoke-"));
let child = null;
const stopChild = () => {
  if (child?.pid !== undefined && child.exitCode === null && child.signalCode === null) {
    try {
      process.kill(child.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
};
const guard = setTimeout(() => {
  console.error(`container-smoke: not done within ${TIMEOUT_MS} ms`);
  stopChild();
  rmSync(dir, { recursive: true, force: true });
  process.exit(1);
}, TIMEOUT_MS);
let output = "";
try {
  // The COPY of the manifests, then the stage's own RUN lines as written (npm ci --omit=dev ...).
  cpSync(join(ROOT, "package.json"), join(dir, "package.json"));
  cpSync(join(ROOT, "package-lock.json"), join(dir, "package-lock.json"));
  for (const command of stage.run) {
    const installed = spawnSync("sh", ["-c", command], { cwd: dir, stdio: ["ignore", "ignore", "inherit"] });
    if (installed.status !== 0) {
      throw new Error(`RUN ${command} failed with ${installed.status}`);
    }
  }
  for (const dev of ["typescript", "vitest", "rolldown"]) {
    if (existsSync(join(dir, "node_modules", dev))) {
      throw new Error(`the runtime stage installed a development package (${dev})`);
    }
  }
  // COPY --from=build /app/dist/bundle ./dist/bundle
  cpSync(join(ROOT, "dist/bundle"), join(dir, "dist/bundle"), { recursive: true });

  const port = await freePort();
  const env = { PATH: process.env.PATH, ...stage.env, HOST: "127.0.0.1", PORT: String(port) };
  const { loadConfig } = await import(pathToFileURL(join(dir, "dist/bundle/config.js")).href);
  const shutdownTimeoutMs = loadConfig(env).shutdownTimeoutMs;
  const base = `http://127.0.0.1:${port}`;
  const startedAt = performance.now();
  child = spawn(executable(stage.cmd[0]), stage.cmd.slice(1), {
    cwd: dir,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const exited = new Promise((ok) => child.once("exit", (code, signal) => ok({ code, signal })));
  for (;;) {
    const status = await fetch(`${base}/health/ready`).then(
      (r) => r.status,
      () => null,
    );
    if (status === 200) {
      break;
    }
    if (child.exitCode !== null) {
      throw new Error(`the container's command exited with ${child.exitCode}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const readyMs = Math.round(performance.now() - startedAt);

  const [healthCommand, ...healthArgs] = stage.healthcheck;
  const healthCheck = () =>
    spawnSync(executable(healthCommand), healthArgs, { cwd: dir, env, timeout: 10_000, encoding: "utf8" });
  const healthy = healthCheck();
  if (healthy.status !== 0) {
    throw new Error(`the HEALTHCHECK command exited with ${healthy.status} while ready: ${healthy.stderr}`);
  }

  // The README's walkthrough query: the production install's undici, Apollo and the emulator.
  const response = await fetch(`${base}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-auth-token": "demo-owner" },
    body: JSON.stringify({ query: `{ imageMembers(imageId: "${IMAGE}") { memberId status } }` }),
  });
  const answer = await response.json();
  const members = answer?.data?.imageMembers;
  if (response.status !== 200 || members?.length !== 1 || members[0].memberId !== "demo-consumer") {
    throw new Error(`unexpected answer ${response.status}: ${JSON.stringify(answer)}`);
  }

  const stopAt = performance.now();
  process.kill(child.pid, stage.stopSignal);
  const { code, signal } = await exited;
  const stopMs = Math.round(performance.now() - stopAt);
  if (code !== 0) {
    throw new Error(`the gateway ended with code ${code} (signal ${signal}) on ${stage.stopSignal}`);
  }
  if (stopMs > shutdownTimeoutMs) {
    throw new Error(`the gateway took ${stopMs} ms to exit, over SHUTDOWN_TIMEOUT_MS (${shutdownTimeoutMs})`);
  }
  if (!output.includes('"msg":"stopped"')) {
    throw new Error(`no "stopped" line after ${stage.stopSignal}`);
  }
  const unhealthy = healthCheck();
  if (unhealthy.status === 0) {
    throw new Error("the HEALTHCHECK command still succeeds once the gateway has stopped");
  }
  console.log(
    `container-smoke: runtime stage (USER ${stage.user} not switched) ready in ${readyMs} ms; HEALTHCHECK 0, query answered, ${stage.stopSignal} -> exit 0 in ${stopMs} ms (limit ${shutdownTimeoutMs}), HEALTHCHECK ${unhealthy.status} after`,
  );
} catch (error) {
  console.error(`container-smoke: ${error?.message ?? error}\n${output}`);
  process.exitCode = 1;
} finally {
  stopChild();
  clearTimeout(guard);
  rmSync(dir, { recursive: true, force: true });
}
