/**
 * The benchmark: the gateway against a bare node:http relay (the floor) and against Apollo Server
 * with a RESTDataSource (the common way), over a fast loopback upstream, driven by wrk.
 *
 * Why wrk: on a 2-core machine the load generator must cost as little CPU as possible, and wrk (C,
 * epoll, one thread) drives tens of thousands of requests per second from a fraction of one core,
 * where autocannon (Node.js) needs a full core of its own and would starve the target it measures.
 *
 * The gateway runs as users run it: `npm start`'s command (its Node.js flags and the production
 * bundle), default log level, the access log on and written to a file (.state/bench/gateway.log),
 * as a process manager would; only GLANCE_URL, PORT and NODE_ENV=production are set. Its CPU time
 * and peak RSS are read from /proc. The reference targets are small scripts answering over IPC.
 *
 * Every target runs at once (idle but for its turn); each cell measures them back to back, in
 * BENCH_ROUNDS rounds (default 3) of rotating order, and adds the rounds up.
 *
 * Environment: BENCH_SECONDS (default 6) measured per target and cell, split over the rounds;
 * BENCH_START_WARMUP (default 15; 2 when quick) of load on the first operation once a target has
 * started; BENCH_WARMUP (default min(2, seconds)) before a target's first round of a cell;
 * BENCH_QUICK=1 for a smoke run (one operation, c=32, 0 ms, 2 s); BENCH_OPS / BENCH_TARGETS /
 * BENCH_CONNECTIONS / BENCH_LATENCIES as comma-separated filters; BENCH_DIST, the gateway build to
 * run (default dist); BENCH_GATEWAY_ENV, extra settings for the gateway as NAME=value pairs separated
 * by spaces (e.g. LOG_LEVEL=warn for a logs-off row; the report says so); BENCH_NODE_ARGS_GATEWAY /
 * _RELAY / _DATASOURCE, Node.js flags for a target (default: the gateway's from `npm start`, none
 * for the others). Writes .state/bench/last.json and prints a markdown report.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, totalmem, release } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { procUsage, startGatewayProcess } from "./gateway-process.mjs";
import { OPERATIONS } from "./operations.mjs";
import { startScriptFlags } from "./start-flags.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, "../..");
const STATE = join(ROOT, ".state/bench");

const list = (raw, fallback) =>
  raw === undefined || raw.trim() === ""
    ? fallback
    : raw
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean);
const QUICK = process.env.BENCH_QUICK === "1";
const SECONDS = Number(process.env.BENCH_SECONDS ?? (QUICK ? 2 : 6));
// Each cell's measured time is split into rounds that alternate the targets.
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? (QUICK ? 1 : 3)));
const ROUND_SECONDS = Math.max(1, Math.round(SECONDS / ROUNDS));
// Load right after start, before any cell: a process's JIT keeps tiering up for seconds.
const START_WARMUP = Number(process.env.BENCH_START_WARMUP ?? (QUICK ? 2 : 15));
const WARMUP = Number(process.env.BENCH_WARMUP ?? Math.min(2, SECONDS));
const OPS = list(process.env.BENCH_OPS, QUICK ? ["member"] : OPERATIONS.map((op) => op.key));
const TARGETS = list(process.env.BENCH_TARGETS, ["gateway", "gateway+otel", "relay", "datasource"]);
const CONNECTIONS = list(process.env.BENCH_CONNECTIONS, QUICK ? ["32"] : ["32", "128"]).map(Number);
const LATENCIES = list(process.env.BENCH_LATENCIES, QUICK ? ["0"] : ["0", "5"]).map(Number);
const DIST = resolve(ROOT, process.env.BENCH_DIST ?? "dist");

const GATEWAY_ENV = Object.fromEntries(
  list(process.env.BENCH_GATEWAY_ENV?.replaceAll(" ", ","), []).map((pair) => {
    const at = pair.indexOf("=");
    return [pair.slice(0, at), pair.slice(at + 1)];
  }),
);
const GATEWAY_LOG = join(STATE, "gateway.log");

/**
 * "gateway" is this checkout's build (BENCH_DIST); "gateway=<dir>" another build of the gateway
 * run beside it in the same rounds, for an A/B of two versions; "gateway+<preset>" this build with
 * the settings of a preset (GATEWAY_PRESETS), for the cost of a feature.
 */
const isGateway = (target) =>
  target === "gateway" || target.startsWith("gateway=") || target.startsWith("gateway+");
const distOf = (target) =>
  target.startsWith("gateway=") ? resolve(ROOT, target.slice("gateway=".length)) : DIST;

/**
 * Settings of the "gateway+<preset>" targets. otel: traces and metrics over OTLP/HTTP (the SDK's
 * defaults: protobuf, every request sampled, batches of 512 spans) to a receiver of the runner's
 * that answers at once; otel10: the same with one trace in ten kept (parentbased_traceidratio);
 * nometrics: no /metrics.
 */
const GATEWAY_PRESETS = {
  otel: (sinkUrl) => ({ OTEL_EXPORTER_OTLP_ENDPOINT: sinkUrl }),
  otel10: (sinkUrl) => ({
    OTEL_EXPORTER_OTLP_ENDPOINT: sinkUrl,
    OTEL_TRACES_SAMPLER: "parentbased_traceidratio",
    OTEL_TRACES_SAMPLER_ARG: "0.1",
  }),
  nometrics: () => ({ METRICS: "off" }),
};
const presetOf = (target) => (target.startsWith("gateway+") ? target.slice("gateway+".length) : null);
const titleOf = (target) => TARGET_TITLES[target] ?? target;
const logOf = (target) =>
  target === "gateway" ? GATEWAY_LOG : join(STATE, `gateway-${TARGETS.indexOf(target)}.log`);

const TARGET_FILES = {
  relay: join(HERE, "targets/relay.mjs"),
  datasource: join(HERE, "targets/datasource.mjs"),
};
const TARGET_TITLES = {
  gateway: "gateway",
  "gateway+otel": "gateway, OTel traces + metrics",
  "gateway+otel10": "gateway, OTel, 10 % of traces",
  "gateway+nometrics": "gateway, METRICS=off",
  relay: "node:http relay",
  datasource: "Apollo + RESTDataSource",
};

/**
 * Node.js flags per target: the gateway runs with the flags of `npm start` (as it is deployed),
 * the reference points with none; BENCH_NODE_ARGS_<TARGET> (space-separated) replaces either.
 */
function nodeArgsFor(target) {
  const raw = process.env[`BENCH_NODE_ARGS_${target.toUpperCase()}`];
  if (raw !== undefined) {
    return raw.split(/\s+/).filter(Boolean);
  }
  return isGateway(target) ? startScriptFlags(join(ROOT, "package.json")) : [];
}

// --- processes ------------------------------------------------------------------------------

const children = new Set();
function stopAll() {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        child.kill("SIGKILL");
      } catch {
        // already gone
      }
    }
  }
}
process.on("exit", stopAll);
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    stopAll();
    process.exit(130);
  });
}

const hasTaskset = spawnSync("taskset", ["-c", "0", "true"]).status === 0;
const CORES = cpus().length;
const PINNING = hasTaskset && CORES >= 2;
// The target gets the last core to itself; wrk and the upstream share the others.
const TARGET_CPUS = PINNING ? String(CORES - 1) : null;
const LOAD_CPUS = PINNING ? (CORES === 2 ? "0" : `0-${CORES - 2}`) : null;

function pinned(cpuList, command, args) {
  return cpuList === null ? [command, args] : ["taskset", ["-c", cpuList, command, ...args]];
}

let messageId = 0;
function ask(child, type, extra = {}) {
  const id = ++messageId;
  return new Promise((resolveAnswer, reject) => {
    const timer = setTimeout(() => {
      child.off("message", onMessage);
      reject(new Error(`no ${type} answer from child ${child.pid}`));
    }, 10_000);
    const onMessage = (message) => {
      if (message?.type === type && message.id === id) {
        clearTimeout(timer);
        child.off("message", onMessage);
        resolveAnswer(message);
      }
    };
    child.on("message", onMessage);
    child.send({ type, id, ...extra });
  });
}

function startChild(file, env, cpuList) {
  const [command, args] = pinned(cpuList, process.execPath, [...(env.NODE_ARGS ?? []), file]);
  const startedAt = performance.now();
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { ...process.env, ...env, NODE_ARGS: undefined },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  children.add(child);
  child.on("exit", () => children.delete(child));
  const ready = new Promise((resolveReady, reject) => {
    const onExit = (code) => reject(new Error(`${file} exited with ${code} before it was ready`));
    child.once("exit", onExit);
    child.on("message", (message) => {
      if (message?.type === "ready") {
        child.off("exit", onExit);
        resolveReady({ url: message.url, readyMs: performance.now() - startedAt });
      }
    });
  });
  return { child, startedAt, ready };
}

async function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) {
    return;
  }
  const exited = new Promise((resolveExit) => child.once("exit", resolveExit));
  try {
    if (child.connected) {
      child.send({ type: "stop" });
    } else {
      child.kill("SIGTERM");
    }
  } catch {
    // already gone
  }
  const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
}

// --- requests ---------------------------------------------------------------------------------

async function post(url, body) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", "x-auth-token": "bench-owner" },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: await response.json() };
}

function checkAnswer(answer, op) {
  if (answer.status !== 200) {
    return `HTTP ${answer.status}: ${JSON.stringify(answer.json).slice(0, 300)}`;
  }
  if (answer.json.errors?.length) {
    return `errors: ${JSON.stringify(answer.json.errors).slice(0, 300)}`;
  }
  if (answer.json.data == null) {
    return "no data";
  }
  if (op.key === "entities50" && answer.json.data._entities?.length !== 50) {
    return "not 50 entities";
  }
  return null;
}

function runWrk(url, bodyFile, connections, seconds) {
  const [command, args] = pinned(LOAD_CPUS, "wrk", [
    "-t1",
    `-c${connections}`,
    `-d${seconds}s`,
    "--timeout",
    "10s",
    "-s",
    join(HERE, "wrk-graphql-post.lua"),
    url,
  ]);
  return new Promise((resolveRun, reject) => {
    const child = spawn(command, args, {
      env: { ...process.env, BENCH_BODY_FILE: bodyFile },
      stdio: ["ignore", "pipe", "pipe"],
    });
    children.add(child);
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk) => (out += chunk));
    child.stderr.on("data", (chunk) => (err += chunk));
    child.on("exit", (code) => {
      children.delete(child);
      const line = out.split("\n").find((l) => l.startsWith("BENCH_JSON "));
      if (code !== 0 || line === undefined) {
        reject(new Error(`wrk failed (${code}): ${err || out}`));
        return;
      }
      resolveRun(JSON.parse(line.slice("BENCH_JSON ".length)));
    });
  });
}

const cpuOf = (usage) => usage.userUs + usage.systemUs;

/** A target's usage: over IPC for the reference scripts, from /proc for the gateway. */
function usageOf(child) {
  return child.connected ? ask(child, "usage") : Promise.resolve(procUsage(child.pid));
}

/** Waits until the upstream has seen no call for 300 ms (at most 10 s), then resets its count. */
async function settle(upstreamChild) {
  await ask(upstreamChild, "usage", { reset: true });
  for (let i = 0; i < 33; i++) {
    await new Promise((r) => setTimeout(r, 300));
    if ((await ask(upstreamChild, "usage", { reset: true })).calls === 0) {
      return;
    }
  }
}

// --- machine ----------------------------------------------------------------------------------

function machineInfo() {
  const wrk = spawnSync("wrk", ["-v"], { encoding: "utf8" });
  return {
    cpuModel: cpus()[0]?.model ?? "unknown",
    cores: CORES,
    memoryGb: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    kernel: release(),
    node: process.version,
    wrk: (wrk.stdout || wrk.stderr || "").split("\n")[0].trim(),
    pinning: PINNING ? { target: TARGET_CPUS, wrkAndUpstream: LOAD_CPUS } : null,
  };
}

// --- the run ------------------------------------------------------------------------------------

async function main() {
  if (spawnSync("wrk", ["-v"]).error) {
    throw new Error("wrk is not installed: run test/bench/setup.sh");
  }
  mkdirSync(join(STATE, "bodies"), { recursive: true });
  const operations = OPERATIONS.filter((op) => OPS.includes(op.key));
  const bodyFiles = {};
  for (const op of new Set([OPERATIONS[0], ...operations])) {
    bodyFiles[op.key] = join(STATE, "bodies", `${op.key}.json`);
    writeFileSync(bodyFiles[op.key], JSON.stringify(op.body));
  }

  const machine = machineInfo();
  const settings = {
    seconds: SECONDS,
    rounds: ROUNDS,
    startWarmupSeconds: START_WARMUP,
    warmupSeconds: WARMUP,
    connections: CONNECTIONS,
    upstreamLatencyMs: LATENCIES,
    operations: operations.map((op) => op.key),
    targets: TARGETS,
    dist: DIST,
    quick: QUICK,
    nodeArgs: Object.fromEntries(TARGETS.map((target) => [target, nodeArgsFor(target)])),
    gatewayEnv: GATEWAY_ENV,
  };
  console.error(`bench: ${JSON.stringify({ machine, settings })}`);

  const upstream = startChild(join(HERE, "upstream.mjs"), {}, LOAD_CPUS);
  const { url: upstreamUrl } = await upstream.ready;
  for (const target of TARGETS) {
    const preset = presetOf(target);
    if (preset !== null && GATEWAY_PRESETS[preset] === undefined) {
      throw new Error(`unknown gateway preset ${preset}: ${Object.keys(GATEWAY_PRESETS).join(", ")}`);
    }
  }
  const sink = TARGETS.includes("gateway+otel")
    ? startChild(join(HERE, "otlp-sink.mjs"), {}, LOAD_CPUS)
    : null;
  const sinkUrl = sink === null ? null : (await sink.ready).url;

  // Every target is started (alone, so that its start-up is measured undisturbed) and kept running:
  // each cell then measures the targets back to back, in rounds whose order rotates, so that the
  // machine getting faster or slower during the run moves every target of a cell alike.
  const running = {};
  const startup = {};
  try {
    for (const target of TARGETS) {
      running[target] = await startTarget(target, upstream.child, upstreamUrl, startup, sinkUrl);
      if (START_WARMUP > 0) {
        await runWrk(running[target].url, bodyFiles[OPERATIONS[0].key], 32, START_WARMUP);
      }
    }
    const results = [];
    for (const latency of LATENCIES) {
      await ask(upstream.child, "latency", { ms: latency });
      for (const op of operations) {
        const targets = TARGETS.filter((target) =>
          op.targets.includes(isGateway(target) ? "gateway" : target),
        );
        const probes = {};
        for (const target of targets) {
          probes[target] = await probe(running[target].url, op, upstream.child, target);
        }
        for (const connections of CONNECTIONS) {
          const cells = targets.map((target) => newCell(target, op, connections, latency, probes[target]));
          for (let round = 0; round < ROUNDS; round++) {
            for (let i = 0; i < cells.length; i++) {
              const cell = cells[(i + round) % cells.length];
              if (cell.failure !== undefined) {
                continue;
              }
              try {
                await measure(cell, running[cell.target].child, running[cell.target].url, upstream.child, {
                  bodyFile: bodyFiles[op.key],
                  warmup: round === 0 ? WARMUP : 0,
                  seconds: ROUND_SECONDS,
                });
              } catch (error) {
                cell.failure = String(error?.message ?? error);
              }
            }
          }
          for (const cell of cells) {
            const result = finish(cell);
            results.push(result);
            console.error(`bench: ${JSON.stringify(result)}`);
          }
        }
      }
    }
    const peakRssMb = {};
    for (const target of TARGETS) {
      peakRssMb[target] = round((await usageOf(running[target].child)).maxRssKb / 1024, 1);
    }
    const gatewayLog = TARGETS.includes("gateway") ? logSummary(GATEWAY_LOG) : null;
    const otlpReceived = sink === null ? null : (await ask(sink.child, "usage")).received;
    const report = {
      at: new Date().toISOString(),
      machine,
      settings,
      startup,
      peakRssMb,
      gatewayLog,
      otlpReceived,
      results,
    };
    report.comparisons = compare(results);
    report.goals = goals(report);
    writeFileSync(join(STATE, "last.json"), `${JSON.stringify(report, null, 2)}\n`);
    console.log(markdown(report));
    console.log(`\nJSON: ${join(STATE, "last.json")}`);
  } finally {
    for (const target of Object.keys(running)) {
      await stopChild(running[target].child);
    }
    await stopChild(upstream.child);
    if (sink !== null) {
      await stopChild(sink.child);
    }
  }
}

/** Starts a target and waits for its first correct GraphQL answer (start-up: from spawn to it). */
async function startTarget(target, upstreamChild, upstreamUrl, startup, sinkUrl) {
  await ask(upstreamChild, "latency", { ms: 0 });
  const started = isGateway(target)
    ? await startGatewayProcess({
        dist: distOf(target),
        upstreamUrl,
        nodeArgs: nodeArgsFor(target),
        env: { ...GATEWAY_ENV, ...GATEWAY_PRESETS[presetOf(target)]?.(sinkUrl) },
        logFile: logOf(target),
        cpuList: TARGET_CPUS,
        track: (child) => {
          children.add(child);
          child.on("exit", () => children.delete(child));
        },
      })
    : startChild(
        TARGET_FILES[target],
        {
          GLANCE_URL: upstreamUrl,
          GLANCE_API_VERSION: "v2",
          // Every target runs as it would be deployed.
          NODE_ENV: "production",
          NODE_ARGS: nodeArgsFor(target),
        },
        TARGET_CPUS,
      );
  const { url, readyMs } = await started.ready;
  const first = OPERATIONS[0];
  let firstAnswerMs = null;
  for (let attempt = 0; attempt < 500 && firstAnswerMs === null; attempt++) {
    try {
      const answer = await post(url, first.body);
      if (checkAnswer(answer, first) === null) {
        firstAnswerMs = performance.now() - started.startedAt;
      }
    } catch {
      await new Promise((r) => setTimeout(r, 10));
    }
  }
  startup[target] = { readyMessageMs: round(readyMs), firstAnswerMs: round(firstAnswerMs) };
  console.error(`bench: ${target} ready in ${round(readyMs)} ms, first answer at ${round(firstAnswerMs)} ms`);
  await settle(upstreamChild);
  return { child: started.child, url };
}

/** One request alone: its correctness and its exact upstream call count, once the upstream is idle. */
async function probe(url, op, upstreamChild, target) {
  await settle(upstreamChild);
  const answer = await post(url, op.body);
  const problem = checkAnswer(answer, op);
  const calls = (await ask(upstreamChild, "usage", { reset: true })).calls;
  if (problem !== null) {
    console.error(`bench: ${target} ${op.key}: ${problem}`);
  }
  return { problem, calls };
}

function newCell(target, op, connections, latency, probed) {
  return {
    target,
    operation: op.key,
    connections,
    upstreamLatencyMs: latency,
    expectedUpstreamCalls: op.expectedCalls,
    probeUpstreamCalls: probed.calls,
    probeProblem: probed.problem,
    rounds: [],
  };
}

/** One round of one cell: closed-loop load from wrk, with the target's CPU time around it. */
async function measure(cell, child, url, upstreamChild, { bodyFile, warmup, seconds }) {
  if (warmup > 0) {
    await runWrk(url, bodyFile, cell.connections, warmup);
  }
  await settle(upstreamChild);
  const before = await usageOf(child);
  const wrk = await runWrk(url, bodyFile, cell.connections, seconds);
  const after = await usageOf(child);
  const upstreamCalls = (await ask(upstreamChild, "usage", { reset: true })).calls;
  cell.rounds.push({ wrk, cpuUs: cpuOf(after) - cpuOf(before), maxRssKb: after.maxRssKb, upstreamCalls });
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** A cell's figures over its rounds: totals for rates and CPU, medians for the latencies. */
function finish(cell) {
  const { rounds, ...result } = cell;
  if (rounds.length === 0) {
    return result;
  }
  const sum = (pick) => rounds.reduce((total, r) => total + pick(r), 0);
  const requests = sum((r) => r.wrk.requests);
  const durationUs = sum((r) => r.wrk.durationUs);
  const errors = {};
  for (const r of rounds) {
    for (const [kind, count] of Object.entries(r.wrk.errors)) {
      errors[kind] = (errors[kind] ?? 0) + count;
    }
  }
  const ok = requests - (errors.status ?? 0) - (errors.graphql ?? 0);
  const cpuUs = sum((r) => r.cpuUs);
  return {
    ...result,
    rounds: rounds.length,
    requestsPerSecond: round(requests / (durationUs / 1e6)),
    medianRoundRequestsPerSecond: round(median(rounds.map((r) => r.wrk.requests / (r.wrk.durationUs / 1e6)))),
    roundRequestsPerSecond: rounds.map((r) => round(r.wrk.requests / (r.wrk.durationUs / 1e6))),
    p50Ms: round(median(rounds.map((r) => r.wrk.p50Us)) / 1000, 2),
    p99Ms: round(median(rounds.map((r) => r.wrk.p99Us)) / 1000, 2),
    maxMs: round(Math.max(...rounds.map((r) => r.wrk.maxUs)) / 1000, 2),
    requests,
    errors,
    cpuUsPerOp: round(cpuUs / Math.max(1, requests)),
    cpuCoresBusy: round(cpuUs / durationUs, 2),
    peakRssMb: round(Math.max(...rounds.map((r) => r.maxRssKb)) / 1024, 1),
    upstreamCallsPerOp: round(sum((r) => r.upstreamCalls) / Math.max(1, ok), 2),
  };
}

/** The gateway's log as written during the run: lines by message, bytes. Shows the access log was on. */
function logSummary(file) {
  const text = readFileSync(file, "utf8");
  const messages = {};
  for (const line of text.split("\n")) {
    const msg = /"msg":"([^"]*)"/.exec(line)?.[1];
    if (msg !== undefined) {
      messages[msg] = (messages[msg] ?? 0) + 1;
    }
  }
  return { file, bytes: Buffer.byteLength(text), messages };
}

function round(value, digits = 1) {
  if (value === null || value === undefined || Number.isNaN(value)) {
    return null;
  }
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

function compare(results) {
  const find = (target, cell) =>
    results.find(
      (r) =>
        r.target === target &&
        r.operation === cell.operation &&
        r.connections === cell.connections &&
        r.upstreamLatencyMs === cell.upstreamLatencyMs &&
        r.requestsPerSecond !== undefined,
    );
  return results
    .filter((r) => r.target === "gateway" && r.requestsPerSecond !== undefined)
    .map((gateway) => {
      const relay = find("relay", gateway);
      const rds = find("datasource", gateway);
      return {
        operation: gateway.operation,
        connections: gateway.connections,
        upstreamLatencyMs: gateway.upstreamLatencyMs,
        // The targets are judged on the median round of each (the rounds alternate the targets).
        gatewayOverRelay: relay
          ? round(gateway.medianRoundRequestsPerSecond / relay.medianRoundRequestsPerSecond, 2)
          : null,
        gatewayOverDatasource: rds
          ? round(gateway.medianRoundRequestsPerSecond / rds.medianRoundRequestsPerSecond, 2)
          : null,
        gatewayP99Ms: gateway.p99Ms,
        datasourceP99Ms: rds?.p99Ms ?? null,
        cpuOverRelay: relay ? round(gateway.cpuUsPerOp / relay.cpuUsPerOp, 2) : null,
        cpuOverDatasource: rds ? round(gateway.cpuUsPerOp / rds.cpuUsPerOp, 2) : null,
      };
    });
}

const ratioOf = (cell) =>
  cell === undefined || cell.datasourceP99Ms === null
    ? null
    : round(cell.gatewayP99Ms / cell.datasourceP99Ms, 2);

function goals(report) {
  const cmp = report.comparisons;
  const min = (values) => {
    const v = values.filter((x) => x !== null && x !== undefined);
    return v.length ? Math.min(...v) : null;
  };
  const gatewayCells = report.results.filter((r) => r.target === "gateway");
  // The targets are defined on the single-member query at c=32 with 0 ms upstream latency.
  const target = cmp.find(
    (c) => c.operation === "member" && c.connections === 32 && c.upstreamLatencyMs === 0,
  );
  const calls = (key) => gatewayCells.find((r) => r.operation === key)?.probeUpstreamCalls ?? null;
  const p99Cells = cmp.filter((c) => c.upstreamLatencyMs === 5 && c.datasourceP99Ms !== null);
  const verdict = (value, ok) => ({ value, met: value === null ? null : ok(value) });
  return {
    "imageMember, c=32, 0 ms: gateway ≥ 2× RESTDataSource req/s": verdict(
      target?.gatewayOverDatasource ?? null,
      (v) => v >= 2,
    ),
    "imageMember, c=32, 0 ms: gateway ≥ 50% of relay req/s": verdict(
      target?.gatewayOverRelay ?? null,
      (v) => v >= 0.5,
    ),
    "imageMember, c=32, 5 ms: gateway p99 ≤ RESTDataSource's (ratio)": verdict(
      ratioOf(p99Cells.find((c) => c.operation === "member" && c.connections === 32)),
      (v) => v <= 1,
    ),
    "every operation at 5 ms: worst gateway/RDS p99 ratio (informative)": verdict(
      p99Cells.length ? Math.max(...p99Cells.map(ratioOf)) : null,
      () => null,
    ),
    "every cell: worst gateway/RDS req/s (informative)": verdict(
      min(cmp.map((c) => c.gatewayOverDatasource)),
      () => null,
    ),
    "imageMember, c=32, 0 ms: gateway peak RSS ≤ 110 MB": verdict(
      gatewayCells.find((r) => r.operation === "member" && r.connections === 32 && r.upstreamLatencyMs === 0)
        ?.peakRssMb ?? null,
      (v) => v <= 110,
    ),
    "gateway peak RSS over the whole run, MB (informative)": verdict(
      report.peakRssMb.gateway ?? null,
      () => null,
    ),
    "gateway ready (first answer) < 1 s": verdict(
      report.startup.gateway?.firstAnswerMs ?? null,
      (v) => v < 1000,
    ),
    "1 upstream call for 10 aliases": verdict(calls("aliases10"), (v) => v === 1),
    "10 upstream calls for 50 representations": verdict(calls("entities50"), (v) => v === 10),
  };
}

function markdown(report) {
  const m = report.machine;
  const lines = [];
  lines.push(`## Benchmark — ${report.at}`, "");
  lines.push(
    `Machine: ${m.cpuModel}, ${m.cores} cores, ${m.memoryGb} GB, Linux ${m.kernel}, Node ${m.node}, ${m.wrk}.`,
    m.pinning
      ? `Pinning (taskset): target on CPU ${m.pinning.target}; wrk and upstream on CPU ${m.pinning.wrkAndUpstream}.`
      : "No CPU pinning (taskset missing or one core).",
    `Load: wrk, 1 thread, closed loop; ${report.settings.startWarmupSeconds} s of warm-up once a target has started; per target and cell ${report.settings.warmupSeconds} s warm-up, then ${report.settings.rounds} round(s) of ${Math.round(report.settings.seconds / report.settings.rounds)} s alternating with the other targets (req/s and CPU over all rounds; p50/p99 the median round's).`,
    `Gateway: \`npm start\`'s command (production bundle), NODE_ENV=production, ${
      Object.keys(GATEWAY_ENV).length === 0
        ? "default log level (info), access log on"
        : `with ${Object.entries(GATEWAY_ENV)
            .map(([name, value]) => `${name}=${value}`)
            .join(" ")}`
    }; standard output to a file${
      report.gatewayLog === null
        ? ""
        : ` (${Object.entries(report.gatewayLog.messages)
            .map(([msg, count]) => `${count} × "${msg}"`)
            .join(", ")}; ${round(report.gatewayLog.bytes / 1_048_576)} MB)`
    }.`,
    `Node.js flags: ${Object.entries(report.settings.nodeArgs)
      .map(([target, args]) => `${titleOf(target)} ${args.length ? args.join(" ") : "(none)"}`)
      .join("; ")}.`,
    ...(report.otlpReceived == null
      ? []
      : [
          `gateway+otel: OTEL_EXPORTER_OTLP_ENDPOINT set and nothing else (traces and metrics, http/protobuf, every request sampled); its receiver took ${report.otlpReceived.requests} exports, ${round(report.otlpReceived.bytes / 1_048_576)} MB.`,
        ]),
    "wrk rather than autocannon: a C event loop that drives the load from a fraction of one core, where a Node.js load generator would need a core of its own and starve the target on a 2-core machine.",
    "",
  );
  lines.push(
    "| target | operation | c | upstream ms | req/s (all rounds) | req/s (median round) | p50 ms | p99 ms | CPU µs/op | peak RSS MB | upstream calls/op (1 req / under load) | errors |",
  );
  lines.push("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|");
  for (const r of report.results) {
    if (r.failure) {
      lines.push(
        `| ${titleOf(r.target)} | ${r.operation} | ${r.connections} | ${r.upstreamLatencyMs} | failed: ${r.failure.slice(0, 80)} ||||||||`,
      );
      continue;
    }
    const errors =
      r.errors.status +
      r.errors.timeout +
      r.errors.connect +
      r.errors.read +
      r.errors.write +
      (r.errors.graphql ?? 0);
    lines.push(
      `| ${titleOf(r.target)} | ${r.operation} | ${r.connections} | ${r.upstreamLatencyMs} | ${r.requestsPerSecond} | ${r.medianRoundRequestsPerSecond} | ${r.p50Ms} | ${r.p99Ms} | ${r.cpuUsPerOp} | ${r.peakRssMb} | ${r.probeUpstreamCalls} / ${r.upstreamCallsPerOp} | ${errors}${r.probeProblem ? " ⚠" : ""} |`,
    );
  }
  lines.push(
    "",
    "| operation | c | upstream ms | gateway/relay req/s (median rounds) | gateway/RDS req/s (median rounds) | gateway p99 | RDS p99 | CPU/op gateway/relay | CPU/op gateway/RDS |",
  );
  lines.push("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
  for (const c of report.comparisons) {
    lines.push(
      `| ${c.operation} | ${c.connections} | ${c.upstreamLatencyMs} | ${c.gatewayOverRelay ?? "n/a"} | ${c.gatewayOverDatasource ?? "n/a"} | ${c.gatewayP99Ms} | ${c.datasourceP99Ms ?? "n/a"} | ${c.cpuOverRelay ?? "n/a"} | ${c.cpuOverDatasource ?? "n/a"} |`,
    );
  }
  lines.push("", "| target | ready message ms | first answer ms | peak RSS MB |", "|---|---:|---:|---:|");
  for (const [target, s] of Object.entries(report.startup)) {
    lines.push(
      `| ${titleOf(target)} | ${s.readyMessageMs} | ${s.firstAnswerMs} | ${report.peakRssMb[target] ?? "n/a"} |`,
    );
  }
  lines.push("", "| goal | measured | met |", "|---|---:|:---:|");
  for (const [goal, { value, met }] of Object.entries(report.goals)) {
    lines.push(`| ${goal} | ${value ?? "n/a"} | ${met === null ? "—" : met ? "yes" : "**no**"} |`);
  }
  return lines.join("\n");
}

main().catch((error) => {
  console.error(`bench: ${error?.stack ?? error}`);
  stopAll();
  process.exitCode = 1;
});
