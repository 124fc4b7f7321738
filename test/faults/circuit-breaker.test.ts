/** The circuit breaker through the whole gateway: it opens, answers fast, probes, and closes by itself. */
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { MEMBERS_QUERY, startStack, type Stack } from "./support/stack.js";
import { startUnansweredListener, type UnansweredListener } from "./support/unanswered-listener.js";

const owner = { "x-auth-token": "proj-a" };
const COOLDOWN_MS = 300;

describe("the upstream circuit breaker", () => {
  let s: Stack;
  let image: string;

  beforeAll(async () => {
    s = await startStack({
      env: {
        UPSTREAM_RETRIES: "0",
        CIRCUIT_BREAKER_THRESHOLD: "3",
        CIRCUIT_BREAKER_WINDOW_MS: "10000",
        CIRCUIT_BREAKER_COOLDOWN_MS: String(COOLDOWN_MS),
      },
    });
    image = s.emulator.createImage({ owner: "proj-a", visibility: "shared" }).id;
  });
  afterAll(() => s.close());
  beforeEach(async () => {
    s.proxy.choose = () => null;
    // Back to closed: wait out any cool-down, then one good call.
    await sleep(COOLDOWN_MS + 20);
    await s.post({ query: MEMBERS_QUERY, variables: { i: image } }, owner);
    expect(s.gateway.circuit).toBe("closed");
    s.proxy.clear();
  });

  const members = () => s.post({ query: MEMBERS_QUERY, variables: { i: image } }, owner);

  it("opens after 3 consecutive failures, then answers SERVICE_UNAVAILABLE without calling the upstream", async () => {
    s.proxy.choose = () => ({ kind: "status", status: 503, body: "" });
    for (let i = 0; i < 3; i++) {
      const answer = await members();
      expect(answer.json.errors?.[0]?.extensions).toMatchObject({ upstream: { status: 503 } });
    }
    expect(s.gateway.circuit).toBe("open");
    expect(s.proxy.records).toHaveLength(3);

    const fast = await members();
    expect(fast.json.errors?.[0]?.extensions).toMatchObject({
      code: "SERVICE_UNAVAILABLE",
      retryable: true,
      upstream: { status: null, method: "GET", path: `/v2/images/${image}/members` },
      requestId: fast.headers.get("x-request-id"),
    });
    expect(fast.json.errors?.[0]?.message).toMatch(/calls to it are paused/);
    expect(s.proxy.records).toHaveLength(3);
  });

  it("after the cool-down one probe goes through; its success closes the breaker", async () => {
    s.proxy.choose = () => ({ kind: "reset" });
    for (let i = 0; i < 3; i++) {
      await members();
    }
    expect(s.gateway.circuit).toBe("open");
    s.proxy.choose = () => null;
    await sleep(COOLDOWN_MS + 20);

    const probe = await members();
    expect(probe.json.errors).toBeUndefined();
    expect(s.gateway.circuit).toBe("closed");
    const after = await members();
    expect(after.json.errors).toBeUndefined();
    expect(s.proxy.records).toHaveLength(5);
  });

  it("a failed probe opens it again", async () => {
    s.proxy.choose = () => ({ kind: "status", status: 502, body: "" });
    for (let i = 0; i < 3; i++) {
      await members();
    }
    await sleep(COOLDOWN_MS + 20);
    const probe = await members();
    expect(probe.json.errors?.[0]?.extensions).toMatchObject({ upstream: { status: 502 } });
    expect(s.gateway.circuit).toBe("open");
    expect(s.proxy.records).toHaveLength(4);
  });

  it("answers the upstream gives (404, 500) keep it closed", async () => {
    s.proxy.choose = (request) =>
      request.seq % 2 === 0
        ? { kind: "status", status: 404, body: "" }
        : { kind: "status", status: 500, body: "" };
    for (let i = 0; i < 6; i++) {
      await members();
    }
    expect(s.gateway.circuit).toBe("closed");
  });
});

describe("the circuit breaker and an upstream that takes no connections", () => {
  const CONNECT_TIMEOUT_MS = 150;
  let listener: UnansweredListener;
  let s: Stack;

  beforeAll(async () => {
    listener = await startUnansweredListener();
    s = await startStack({
      env: {
        GLANCE_URL: listener.url,
        UPSTREAM_RETRIES: "0",
        CIRCUIT_BREAKER_THRESHOLD: "2",
        CIRCUIT_BREAKER_WINDOW_MS: "60000",
        CIRCUIT_BREAKER_COOLDOWN_MS: "60000",
        UPSTREAM_CONNECT_TIMEOUT_MS: String(CONNECT_TIMEOUT_MS),
        UPSTREAM_TIMEOUT_MS: "10000",
      },
    });
  });
  afterAll(async () => {
    await s?.close();
    await listener?.close();
  });

  it("connect timeouts count as failures: the breaker opens and later calls make no connection", async () => {
    const image = randomUUID();
    const members = () => s.post({ query: MEMBERS_QUERY, variables: { i: image } }, owner);
    for (let i = 0; i < 2; i++) {
      const started = performance.now();
      const answer = await members();
      expect(answer.json.errors?.[0]).toMatchObject({
        message: "The upstream did not answer in time",
        extensions: { code: "UPSTREAM_TIMEOUT", upstream: { status: null } },
      });
      // The connect timeout ended the call (undici checks it on a clock of about half a second),
      // not the head's deadline.
      expect(performance.now() - started).toBeLessThan(CONNECT_TIMEOUT_MS + 2_000);
    }
    expect(s.gateway.circuit).toBe("open");

    // The upstream now takes connections: any call that went out would make one.
    await listener.accept();
    const fast = await members();
    expect(fast.json.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/calls to it are paused/) as unknown,
      extensions: {
        code: "SERVICE_UNAVAILABLE",
        retryable: true,
        upstream: { status: null, method: "GET", path: `/v2/images/${image}/members` },
      },
    });
    await sleep(100);
    expect(await listener.connections()).toBe(0);
    const requestLines = s.logs.filter((line) => line.msg === "graphql request");
    expect(requestLines.map((line) => line.upstreamCalls)).toEqual([1, 1, 0]);
  });
});
