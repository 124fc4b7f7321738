/**
 * The Dockerfile's runtime stage replayed without Docker (no engine runs where the tests run): its
 * production install into a fresh directory, the bundle copied in, its CMD started with its ENV
 * (but on 127.0.0.1 and a free port), then /health/ready, its HEALTHCHECK command, one GraphQL
 * answer from the embedded demo, and a clean exit on its STOPSIGNAL. Reads the Dockerfile, so an edit
 * that breaks the CMD, the ENV or the health check fails here. Needs `npm run build` first.
 */
import { spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(fileURLToPath(new URL("../..", import.meta.url)));
const TIMEOUT_MS = 180_000;

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
  const json = (prefix) => {
    const line = stage.find((l) => l.startsWith(prefix));
    if (line === undefined) {
      throw new Error(`the Dockerfile's runtime stage has no ${prefix.trim()}`);
    }
    return JSON.parse(line.slice(line.indexOf("[")));
  };
  // BuildKit's mounts (the npm cache) are the builder's business, not the command's.
  const run = stage.filter((l) => l.startsWith("RUN ")).map((l) => l.slice(4).replace(/--mount=\S+\s+/g, ""));
  const user = stage.find((l) => l.startsWith("USER "))?.slice(5);
  const stopSignal = stage.find((l) => l.startsWith("STOPSIGNAL "))?.slice(11) ?? "SIGTERM";
  return { env, cmd: json("CMD "), healthcheck: json("HEALTHCHECK "), run, user, stopSignal };
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

const stage = runtimeStage();
if (stage.user === undefined || stage.user === "root" || stage.user === "0") {
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
const guard = setTimeout(() => {
  console.error(`container-smoke: not done within ${TIMEOUT_MS} ms`);
  child?.kill("SIGKILL");
  process.exit(1);
}, TIMEOUT_MS);
try {
  cpSync(join(ROOT, "package.json"), join(dir, "package.json"));
  cpSync(join(ROOT, "package-lock.json"), join(dir, "package-lock.json"));
  // The stage's own install commands, as written (npm ci --omit=dev ...).
  for (const command of stage.run) {
    const installed = spawnSync("sh", ["-c", command], { cwd: dir, stdio: ["ignore", "ignore", "inherit"] });
    if (installed.status !== 0) {
      throw new Error(`RUN ${command} failed with ${installed.status}`);
    }
  }
  if (existsSync(join(dir, "node_modules/typescript")) || existsSync(join(dir, "node_modules/vitest"))) {
    throw new Error("the runtime stage installed development packages");
  }
  cpSync(join(ROOT, "dist/bundle"), join(dir, "dist/bundle"), { recursive: true });

  const port = await freePort();
  const env = { PATH: process.env.PATH, ...stage.env, HOST: "127.0.0.1", PORT: String(port) };
  const base = `http://127.0.0.1:${port}`;
  const startedAt = performance.now();
  child = spawn(stage.cmd[0] === "node" ? process.execPath : stage.cmd[0], stage.cmd.slice(1), {
    cwd: dir,
    env,
    stdio: ["ignore", "pipe", "inherit"],
  });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
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
      throw new Error(`the container's command exited with ${child.exitCode}:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const readyMs = Math.round(performance.now() - startedAt);

  const [healthCommand, ...healthArgs] = stage.healthcheck.slice(stage.healthcheck[0] === "CMD" ? 1 : 0);
  const health = spawnSync(healthCommand === "node" ? process.execPath : healthCommand, healthArgs, {
    cwd: dir,
    env,
    timeout: 10_000,
  });
  if (health.status !== 0) {
    throw new Error(`the HEALTHCHECK command exited with ${health.status}: ${health.stderr}`);
  }

  const answer = await fetch(`${base}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-auth-token": "demo-owner" },
    body: JSON.stringify({ query: "{ __typename }" }),
  }).then((r) => r.json());
  if (answer?.data?.__typename !== "Query") {
    throw new Error(`unexpected answer: ${JSON.stringify(answer)}`);
  }

  child.kill(stage.stopSignal);
  const { code, signal } = await exited;
  if (code !== 0) {
    throw new Error(
      `the gateway ended with code ${code} (signal ${signal}) on ${stage.stopSignal}:\n${output}`,
    );
  }
  console.log(
    `container-smoke: runtime stage ready in ${readyMs} ms as the Dockerfile runs it; health check, a query and ${stage.stopSignal} all as expected`,
  );
} catch (error) {
  child?.kill("SIGKILL");
  console.error(`container-smoke: ${error?.message ?? error}`);
  process.exitCode = 1;
} finally {
  clearTimeout(guard);
  rmSync(dir, { recursive: true, force: true });
}
