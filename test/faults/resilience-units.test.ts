/** The resilience building blocks on their own: Retry-After, the retry policy, the breaker, the gate. */
import { describe, expect, it } from "vitest";
import { CancellationSource } from "../../src/upstream/cancellation.js";
import { CircuitBreaker, type CircuitState } from "../../src/upstream/circuit-breaker.js";
import { ConcurrencyGate, GateRefusedError } from "../../src/upstream/concurrency-gate.js";
import { UpstreamError, type UpstreamFailureKind } from "../../src/upstream/errors.js";
import { parseRetryAfter } from "../../src/upstream/retry-after.js";
import { isRetryable, mayHaveBeenApplied, retryDelay } from "../../src/upstream/retry-policy.js";

const call = { method: "GET", path: "/v2/images/x/members" };
const failure = (kind: UpstreamFailureKind, status: number | null = null, notSent = false): UpstreamError =>
  new UpstreamError(kind, "failed", call, status, null, { notSent });

describe("Retry-After", () => {
  it("reads delay-seconds and HTTP dates, and nothing else", () => {
    const now = Date.parse("2025-01-01T00:00:00Z");
    expect(parseRetryAfter("3", now)).toBe(3_000);
    expect(parseRetryAfter(" 0 ", now)).toBe(0);
    expect(parseRetryAfter("Wed, 01 Jan 2025 00:00:05 GMT", now)).toBe(5_000);
    expect(parseRetryAfter("Tue, 31 Dec 2024 23:59:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("soon", now)).toBeNull();
    expect(parseRetryAfter("-1", now)).toBeNull();
  });
});

describe("the retry policy", () => {
  const describeFailure = (error: UpstreamError): string =>
    `${error.kind}${error.status === null ? "" : ` ${error.status}`}${error.notSent ? " (not sent)" : ""}`;

  it.each([
    ["GET", failure("status", 503), true],
    ["GET", failure("status", 429), true],
    ["GET", failure("status", 502), true],
    ["GET", failure("status", 504), true],
    ["GET", failure("status", 500), false],
    ["GET", failure("status", 404), false],
    ["GET", failure("timeout"), true],
    ["GET", failure("unreachable"), true],
    ["GET", failure("bad-response", 200), false],
    ["GET", failure("circuit-open", null, true), false],
    ["GET", failure("overloaded", null, true), false],
    ["GET", failure("aborted"), false],
    ["PUT", failure("status", 503), true],
    ["DELETE", failure("unreachable"), true],
    ["POST", failure("status", 503), false],
    ["POST", failure("status", 429), false],
    ["POST", failure("unreachable"), false],
    ["POST", failure("timeout"), false],
    ["POST", failure("unreachable", null, true), true],
  ] as const)("%s after %s", (method, error, expected) => {
    expect(`${method} after ${describeFailure(error)}: ${isRetryable(method, error)}`).toBe(
      `${method} after ${describeFailure(error)}: ${expected}`,
    );
  });

  it("knows which failures the upstream may have acted on", () => {
    expect(mayHaveBeenApplied(failure("unreachable"))).toBe(true);
    expect(mayHaveBeenApplied(failure("timeout"))).toBe(true);
    expect(mayHaveBeenApplied(failure("status", 502))).toBe(true);
    expect(mayHaveBeenApplied(failure("status", 504))).toBe(true);
    expect(mayHaveBeenApplied(failure("status", 503))).toBe(false);
    expect(mayHaveBeenApplied(failure("status", 429))).toBe(false);
    expect(mayHaveBeenApplied(failure("unreachable", null, true))).toBe(false);
  });

  it("backs off exponentially with jitter, within the cap", () => {
    const policy = { retries: 5, baseDelayMs: 100, maxDelayMs: 1_000 };
    expect(retryDelay(policy, 0, null, () => 0)).toBe(50);
    expect(retryDelay(policy, 0, null, () => 1)).toBe(100);
    expect(retryDelay(policy, 2, null, () => 0)).toBe(200);
    expect(retryDelay(policy, 2, null, () => 1)).toBe(400);
    expect(retryDelay(policy, 10, null, () => 1)).toBe(1_000);
    expect(retryDelay(policy, 1_000, null, () => 1)).toBe(1_000);
  });

  it("waits what Retry-After asks, and gives up when it asks for more than the cap", () => {
    const policy = { retries: 5, baseDelayMs: 100, maxDelayMs: 1_000 };
    expect(retryDelay(policy, 0, 700)).toBe(700);
    expect(retryDelay(policy, 0, 0)).toBe(0);
    expect(retryDelay(policy, 0, 1_001)).toBeNull();
  });
});

describe("the circuit breaker", () => {
  const breaker = (threshold = 3, windowMs = 1_000, cooldownMs = 500) => {
    let now = 0;
    const changes: Array<[CircuitState, CircuitState]> = [];
    const instance = new CircuitBreaker(
      { threshold, windowMs, cooldownMs },
      (state, previous) => changes.push([state, previous]),
      () => now,
    );
    return { instance, changes, advance: (ms: number) => (now += ms) };
  };

  it("opens after `threshold` consecutive failures and refuses until the cool-down has passed", () => {
    const { instance, changes, advance } = breaker();
    for (let i = 0; i < 3; i++) {
      expect(instance.admit()).toBe("go");
      instance.record("failure", false);
    }
    expect(instance.state).toBe("open");
    expect(instance.admit()).toBe("refuse");
    advance(499);
    expect(instance.admit()).toBe("refuse");
    expect(instance.retryInMs).toBe(1);
    advance(1);
    expect(instance.admit()).toBe("probe");
    expect(instance.state).toBe("half-open");
    expect(instance.admit()).toBe("refuse");
    instance.record("success", true);
    expect(instance.state).toBe("closed");
    expect(changes).toEqual([
      ["open", "closed"],
      ["half-open", "open"],
      ["closed", "half-open"],
    ]);
  });

  it("a success, or the window passing, starts the count again", () => {
    const { instance, advance } = breaker();
    instance.record("failure", false);
    instance.record("failure", false);
    instance.record("success", false);
    instance.record("failure", false);
    instance.record("failure", false);
    expect(instance.state).toBe("closed");
    advance(1_001);
    instance.record("failure", false);
    instance.record("failure", false);
    expect(instance.state).toBe("closed");
    instance.record("failure", false);
    expect(instance.state).toBe("open");
  });

  it("a failed probe opens it again; a neutral one lets the next call probe", () => {
    const { instance, advance } = breaker(1);
    instance.record("failure", false);
    advance(500);
    expect(instance.admit()).toBe("probe");
    instance.record("neutral", true);
    expect(instance.admit()).toBe("probe");
    instance.record("failure", true);
    expect(instance.state).toBe("open");
    expect(instance.admit()).toBe("refuse");
  });

  it("neutral outcomes neither count nor reset; threshold 0 turns it off", () => {
    const { instance } = breaker(2);
    instance.record("failure", false);
    instance.record("neutral", false);
    instance.record("failure", false);
    expect(instance.state).toBe("open");
    const off = breaker(0).instance;
    for (let i = 0; i < 10; i++) {
      off.record("failure", false);
    }
    expect(off.admit()).toBe("go");
  });
});

describe("the concurrency gate", () => {
  it("admits up to its cap, queues up to its queue, refuses beyond, and hands slots in order", async () => {
    const gate = new ConcurrencyGate(2, 2);
    expect(gate.tryAcquire()).toBe(true);
    expect(gate.tryAcquire()).toBe(true);
    expect(gate.tryAcquire()).toBe(false);
    const order: string[] = [];
    const first = gate.acquire(1_000).then(() => order.push("first"));
    const second = gate.acquire(1_000).then(() => order.push("second"));
    await expect(gate.acquire(1_000)).rejects.toMatchObject({ reason: "queue-full" });
    expect(gate.queued).toBe(2);
    gate.release();
    gate.release();
    await Promise.all([first, second]);
    expect(order).toEqual(["first", "second"]);
    expect(gate.inFlight).toBe(2);
    gate.release();
    gate.release();
    expect(gate.inFlight).toBe(0);
  });

  it("a waiter gives up at its timeout or when aborted, and leaves the queue", async () => {
    const gate = new ConcurrencyGate(1, 5);
    gate.tryAcquire();
    await expect(gate.acquire(10)).rejects.toBeInstanceOf(GateRefusedError);
    const work = new CancellationSource();
    const waiting = gate.acquire(10_000, work);
    work.cancel(new Error("gone"));
    await expect(waiting).rejects.toMatchObject({ reason: "aborted" });
    expect(gate.queued).toBe(0);
    gate.release();
    expect(gate.inFlight).toBe(0);
  });
});
