/** The circuit breaker through the whole gateway: it opens, answers fast, probes, and closes by itself. */
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { MEMBERS_QUERY, startStack, type Stack } from "./support/stack.js";

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
