/**
 * The gateway under bounded concurrent load while the upstream misbehaves: 503 bursts, 502/500
 * HTML pages, 429s, slow heads, stalled bodies, resets before and in the middle of answers,
 * truncated and malformed JSON, oversized bodies. Asserts that nothing crashes or is lost, that no
 * request outlives its deadline, that every failure is a typed error, that transient faults are
 * recovered by retries, and that memory returns to its baseline. Prints its figures.
 */
import { randomUUID } from "node:crypto";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ERROR_CODES } from "../../src/graphql/errors/codes.js";
import type { ProxiedRequest, ProxyFault, ProxyRecord } from "./support/fault-proxy.js";
import { MEMBERS_QUERY, RESPOND, SHARE, UNSHARE, startStack, webob, type Stack } from "./support/stack.js";

const REQUESTS = 3_000;
const CONCURRENCY = 48;
/** The load stops being issued after this long, whatever is left. */
const LOAD_TIME_LIMIT_MS = 25_000;
const FAULT_RATE = 0.25;
const DEADLINE_MS = 2_500;
const MAX_BODY_BYTES = 65_536;

/** Faults the gateway must recover from on an idempotent call, given a retry. */
const TRANSIENT: ReadonlySet<string> = new Set([
  "503",
  "503-html",
  "502-html",
  "429",
  "slow-headers-timeout",
  "slow-body-timeout",
  "reset",
  "reset-mid-body",
  "truncated",
]);

const FAULTS: ReadonlyArray<readonly [string, ProxyFault]> = [
  [
    "503",
    {
      kind: "status",
      status: 503,
      headers: { "content-type": "application/json" },
      body: webob(503, "Service Unavailable", "busy"),
    },
  ],
  [
    "503-html",
    {
      kind: "status",
      status: 503,
      headers: { "content-type": "text/html" },
      body: "<html><body><h1>503 Service Unavailable</h1>Back soon.</body></html>",
    },
  ],
  [
    "502-html",
    {
      kind: "status",
      status: 502,
      headers: { "content-type": "text/html" },
      body: "<html><body><h1>502 Bad Gateway</h1></body></html>",
    },
  ],
  [
    "500-html",
    {
      kind: "status",
      status: 500,
      headers: { "content-type": "text/html" },
      body: "<html><body>Internal Server Error</body></html>",
    },
  ],
  ["429", { kind: "status", status: 429, headers: { "retry-after": "0" }, body: "" }],
  ["slow-headers-ok", { kind: "slow-headers", ms: 40 }],
  ["slow-headers-timeout", { kind: "slow-headers", ms: 1_200 }],
  ["slow-body-timeout", { kind: "slow-body", ms: 1_200 }],
  ["reset", { kind: "reset" }],
  ["reset-mid-body", { kind: "reset-mid-body" }],
  ["truncated", { kind: "truncated" }],
  ["malformed-json", { kind: "malformed-json" }],
  ["oversized", { kind: "oversized", bytes: MAX_BODY_BYTES * 2 }],
];

/** A small deterministic PRNG (mulberry32), so a run can be replayed. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** For a failure report: when each attempt reached the proxy, and what became of it. */
function describeAttempts(tries: readonly ProxyRecord[], sentAt: number): string {
  return JSON.stringify(
    tries.map((t) => ({
      after: Math.round(t.receivedAt - sentAt),
      forwarded: t.forwarded,
      answeredIn: t.answeredAt === null ? null : Math.round(t.answeredAt - t.receivedAt),
      abandoned: t.abandoned,
    })),
  );
}

/** heapUsed is compared after full collections: expose gc() to this test file's worker. */
const collectGarbage = (): (() => void) => {
  setFlagsFromString("--expose-gc");
  return runInNewContext("gc") as () => void;
};

interface Outcome {
  readonly op: "GET" | "PUT" | "POST" | "DELETE";
  readonly requestId: string;
  readonly status: number;
  readonly ms: number;
  readonly sentAt: number;
  readonly codes: string[];
  readonly errorsWithoutCode: number;
  readonly errorsWithoutRequestId: number;
  readonly assumedApplied: boolean;
}

describe("fault injection under bounded load", () => {
  let s: Stack;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => {
    unhandled.push(reason);
  };

  beforeAll(async () => {
    process.on("unhandledRejection", onUnhandled);
    s = await startStack({
      logLevel: "warn",
      maxLogLines: 200,
      env: {
        UPSTREAM_TIMEOUT_MS: "700",
        UPSTREAM_HEADERS_TIMEOUT_MS: "500",
        UPSTREAM_BODY_TIMEOUT_MS: "500",
        UPSTREAM_RETRIES: "2",
        UPSTREAM_RETRY_BASE_MS: "10",
        UPSTREAM_RETRY_MAX_DELAY_MS: "100",
        REQUEST_DEADLINE_MS: String(DEADLINE_MS),
        UPSTREAM_MAX_BODY_BYTES: String(MAX_BODY_BYTES),
        CIRCUIT_BREAKER_THRESHOLD: "10",
        CIRCUIT_BREAKER_COOLDOWN_MS: "200",
      },
    });
  });
  afterAll(async () => {
    process.off("unhandledRejection", onUnhandled);
    await s.close();
  });

  it(
    "survives, recovers, types every failure, keeps its deadlines, and returns to its memory baseline",
    { timeout: 60_000 },
    async () => {
      const random = prng(20_250_101);
      const images = Array.from({ length: 20 }, () => s.emulator.createImage({ owner: "proj-a" }).id);
      for (const image of images) {
        s.emulator.addMember(image, "proj-b");
        s.emulator.addMember(image, "proj-c", { status: "accepted" });
      }
      const statuses = ["ACCEPTED", "REJECTED", "PENDING"] as const;

      /** The fault chosen for each upstream attempt, by label. */
      const injected = new Map<number, string>();
      s.proxy.choose = (request: ProxiedRequest) => {
        if (random() >= FAULT_RATE) {
          return null;
        }
        const [label, fault] = FAULTS[Math.floor(random() * FAULTS.length)]!;
        injected.set(request.seq, label);
        return fault;
      };

      const plan = (index: number): { op: Outcome["op"]; body: unknown; token: string } => {
        const image = images[Math.floor(index / 20) % images.length]!;
        const pick = index % 20;
        if (pick < 14) {
          return { op: "GET", body: { query: MEMBERS_QUERY, variables: { i: image } }, token: "proj-a" };
        }
        if (pick < 17) {
          return {
            op: "PUT",
            body: { query: RESPOND, variables: { i: image, m: "proj-b", s: statuses[index % 3] } },
            token: "proj-b",
          };
        }
        if (pick < 19) {
          return {
            op: "POST",
            body: { query: SHARE, variables: { i: image, m: `new-${index}` } },
            token: "proj-a",
          };
        }
        s.emulator.addMember(image, `gone-${index}`);
        return {
          op: "DELETE",
          body: { query: UNSHARE, variables: { i: image, m: `gone-${index}` } },
          token: "proj-a",
        };
      };

      const run = async (from: number, to: number, outcomes: Outcome[]): Promise<void> => {
        let next = from;
        const started = performance.now();
        const worker = async (): Promise<void> => {
          while (next < to && performance.now() - started < LOAD_TIME_LIMIT_MS) {
            const index = next++;
            const { op, body, token } = plan(index);
            const requestId = `req-${randomUUID()}`;
            const sent = performance.now();
            try {
              const response = await fetch(s.gateway.url, {
                method: "POST",
                headers: {
                  "content-type": "application/json",
                  "x-auth-token": token,
                  "x-request-id": requestId,
                },
                body: JSON.stringify(body),
              });
              const json = (await response.json()) as {
                errors?: Array<{ extensions?: Record<string, unknown> }>;
                extensions?: { warnings?: unknown[] };
              };
              const errors = json.errors ?? [];
              outcomes.push({
                op,
                requestId,
                status: response.status,
                ms: performance.now() - sent,
                sentAt: sent,
                codes: errors.map((e) => String(e.extensions?.code)),
                errorsWithoutCode: errors.filter((e) => typeof e.extensions?.code !== "string").length,
                errorsWithoutRequestId: errors.filter((e) => e.extensions?.requestId !== requestId).length,
                assumedApplied: (json.extensions?.warnings?.length ?? 0) > 0,
              });
            } catch {
              // No answer at all (or not JSON): lost.
              outcomes.push({
                op,
                requestId,
                status: 0,
                ms: performance.now() - sent,
                sentAt: sent,
                codes: [],
                errorsWithoutCode: 0,
                errorsWithoutRequestId: 0,
                assumedApplied: false,
              });
            }
          }
        };
        await Promise.all(Array.from({ length: CONCURRENCY }, worker));
      };

      // Warm-up, then the memory baseline.
      const gc = collectGarbage();
      await run(0, 300, []);
      s.proxy.clear();
      s.emulator.clearRequests();
      injected.clear();
      gc();
      gc();
      const baseline = process.memoryUsage().heapUsed;

      const outcomes: Outcome[] = [];
      const lag = monitorEventLoopDelay({ resolution: 10 });
      lag.enable();
      const loadStarted = performance.now();
      await run(300, 300 + REQUESTS, outcomes);
      const loadMs = performance.now() - loadStarted;
      lag.disable();

      // What the proxy did, per client request.
      const attempts = new Map<string, ProxyRecord[]>();
      for (const record of s.proxy.records) {
        const list = attempts.get(record.requestId ?? "") ?? [];
        list.push(record);
        attempts.set(record.requestId ?? "", list);
      }
      const labelOf = (record: ProxyRecord): string | null => injected.get(record.seq) ?? null;

      let faultsInjected = 0;
      let recovered = 0;
      let shed = 0;
      let transientOnly = 0;
      let transientRecovered = 0;
      const failedByCode = new Map<string, number>();
      const lost: string[] = [];
      const byFault = new Map<string, number>();
      for (const outcome of outcomes) {
        const tries = attempts.get(outcome.requestId) ?? [];
        const labels = tries.map(labelOf).filter((label): label is string => label !== null);
        faultsInjected += labels.length;
        for (const label of labels) {
          byFault.set(label, (byFault.get(label) ?? 0) + 1);
        }
        const failed = outcome.codes.length > 0;
        if (outcome.status !== 200 || outcome.errorsWithoutCode > 0 || outcome.errorsWithoutRequestId > 0) {
          lost.push(`${outcome.requestId}: HTTP ${outcome.status}, ${outcome.codes.join(",")}`);
          continue;
        }
        for (const code of outcome.codes) {
          failedByCode.set(code, (failedByCode.get(code) ?? 0) + 1);
          if (!(ERROR_CODES as readonly string[]).includes(code)) {
            lost.push(`${outcome.requestId}: unknown code ${code}`);
          }
        }
        if (failed && labels.length === 0) {
          // No fault of its own: only the breaker (opened by others' faults) may refuse it.
          if (outcome.codes.every((code) => code === "SERVICE_UNAVAILABLE") && tries.length === 0) {
            shed += 1;
          } else {
            lost.push(
              `${outcome.requestId}: ${outcome.op} failed without a fault (${outcome.codes.join(",")}) ` +
                `after ${Math.round(outcome.ms)} ms; attempts: ${describeAttempts(tries, outcome.sentAt)}`,
            );
          }
          continue;
        }
        if (!failed && labels.length > 0) {
          recovered += 1;
        }
        const last = tries.at(-1);
        if (last !== undefined && labelOf(last) === null && failed) {
          lost.push(
            `${outcome.requestId}: its last attempt was clean, yet it failed (${outcome.codes.join(",")})`,
          );
        }
        if (
          outcome.op !== "POST" &&
          labels.length > 0 &&
          labels.length <= 2 &&
          labels.every((l) => TRANSIENT.has(l))
        ) {
          transientOnly += 1;
          if (!failed) {
            transientRecovered += 1;
          }
        }
      }
      const slowest = Math.max(...outcomes.map((outcome) => outcome.ms));

      // Memory, after the test's own records of the run are dropped.
      const figures = {
        requests: outcomes.length,
        "load duration (s)": Math.round(loadMs / 100) / 10,
        "faults injected": faultsInjected,
        "recovered (succeeded despite faults)": recovered,
        "transient faults on idempotent calls, recovered": `${transientRecovered}/${transientOnly}`,
        "DELETEs taken as done after a lost answer": outcomes.filter((o) => o.assumedApplied).length,
        "shed by the breaker": shed,
        "failed, by code": Object.fromEntries([...failedByCode].sort()),
        "faults, by kind": Object.fromEntries([...byFault].sort()),
        "slowest request (ms)": Math.round(slowest),
        "event loop delay, max (ms)": Math.round(lag.max / 1e6),
        lost: lost.length,
      };
      s.proxy.clear();
      s.emulator.clearRequests();
      injected.clear();
      outcomes.length = 0;
      attempts.clear();
      await new Promise((resolve) => setTimeout(resolve, 200));
      gc();
      gc();
      const after = process.memoryUsage().heapUsed;
      const growthMb = Math.round(((after - baseline) / 1_048_576) * 10) / 10;
      console.log(
        `fault suite figures\n${JSON.stringify({ ...figures, "heapUsed growth after GC (MB)": growthMb }, null, 2)}`,
      );

      expect(unhandled).toEqual([]);
      expect(lost).toEqual([]);
      expect(figures.requests).toBe(REQUESTS);
      expect(faultsInjected).toBeGreaterThan(REQUESTS * FAULT_RATE * 0.8);
      expect(recovered).toBeGreaterThan(0);
      // Every idempotent request hit by at most two transient faults got its answer through retries.
      expect(transientRecovered).toBe(transientOnly);
      // Nothing outlives its deadline (plus generous slack for the answer itself).
      expect(slowest).toBeLessThan(DEADLINE_MS + 1_500);
      expect(growthMb).toBeLessThan(8);
      // The gateway still answers normally afterwards.
      s.proxy.choose = () => null;
      const check = await s.post(
        { query: MEMBERS_QUERY, variables: { i: images[0] } },
        { "x-auth-token": "proj-a" },
      );
      expect(check.json.errors).toBeUndefined();
    },
  );
});
