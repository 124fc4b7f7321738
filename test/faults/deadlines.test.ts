/**
 * Deadlines on every phase of an upstream call, the request's own deadline over all of them, and
 * a client hanging up: the upstream call is then abandoned, end to end.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { MEMBERS_QUERY, startStack, type Stack } from "./support/stack.js";

const owner = { "x-auth-token": "proj-a" };

describe("upstream deadlines", () => {
  let s: Stack;
  let image: string;

  beforeAll(async () => {
    s = await startStack({
      env: {
        UPSTREAM_RETRIES: "0",
        CIRCUIT_BREAKER_THRESHOLD: "0",
        UPSTREAM_TIMEOUT_MS: "3000",
        UPSTREAM_HEADERS_TIMEOUT_MS: "200",
        UPSTREAM_BODY_TIMEOUT_MS: "200",
        REQUEST_DEADLINE_MS: "2500",
      },
    });
  });
  afterAll(() => s.close());
  beforeEach(() => {
    s.emulator.reset();
    s.proxy.clear();
    s.proxy.choose = () => null;
    s.logs.length = 0;
    image = s.emulator.createImage({ owner: "proj-a", visibility: "shared" }).id;
  });

  it("headers later than UPSTREAM_HEADERS_TIMEOUT_MS → UPSTREAM_TIMEOUT", async () => {
    s.proxy.choose = () => ({ kind: "slow-headers", ms: 1_500 });
    const started = performance.now();
    const answer = await s.post({ query: MEMBERS_QUERY, variables: { i: image } }, owner);
    expect(answer.json.errors?.[0]?.extensions).toMatchObject({ code: "UPSTREAM_TIMEOUT", retryable: true });
    expect(performance.now() - started).toBeLessThan(200 + 1_000);
  });

  it("a body stalled longer than UPSTREAM_BODY_TIMEOUT_MS → UPSTREAM_TIMEOUT", async () => {
    s.proxy.choose = () => ({ kind: "slow-body", ms: 1_500 });
    const started = performance.now();
    const answer = await s.post({ query: MEMBERS_QUERY, variables: { i: image } }, owner);
    expect(answer.json.errors?.[0]?.extensions).toMatchObject({ code: "UPSTREAM_TIMEOUT" });
    expect(answer.json.errors?.[0]?.message).toBe("The upstream stopped sending its answer");
    expect(performance.now() - started).toBeLessThan(200 + 1_000);
  });

  it("a slow answer within the deadlines is waited for", async () => {
    s.proxy.choose = () => ({ kind: "slow-headers", ms: 50 });
    const answer = await s.post({ query: MEMBERS_QUERY, variables: { i: image } }, owner);
    expect(answer.json.errors).toBeUndefined();
  });

  it("REQUEST_DEADLINE_MS bounds a request's upstream work as a whole", async () => {
    const bounded = await startStack({
      env: {
        UPSTREAM_RETRIES: "5",
        UPSTREAM_RETRY_BASE_MS: "1",
        CIRCUIT_BREAKER_THRESHOLD: "0",
        UPSTREAM_TIMEOUT_MS: "5000",
        REQUEST_DEADLINE_MS: "400",
      },
    });
    try {
      const id = bounded.emulator.createImage({ owner: "proj-a" }).id;
      bounded.proxy.choose = () => ({ kind: "slow-headers", ms: 3_000 });
      const started = performance.now();
      const answer = await bounded.post({ query: MEMBERS_QUERY, variables: { i: id } }, owner);
      expect(performance.now() - started).toBeLessThan(400 + 1_000);
      expect(answer.json.errors?.[0]?.extensions?.code).toBe("UPSTREAM_TIMEOUT");
      expect(answer.json.errors?.[0]?.message).toMatch(/time left for this request/);
    } finally {
      await bounded.close();
    }
  });

  it("a client that hangs up abandons the upstream call", async () => {
    s.proxy.choose = () => ({ kind: "slow-headers", ms: 5_000 });
    const client = new AbortController();
    const pending = fetch(s.gateway.url, {
      method: "POST",
      headers: { "content-type": "application/json", ...owner },
      body: JSON.stringify({ query: MEMBERS_QUERY, variables: { i: image } }),
      signal: client.signal,
    });
    await expect.poll(() => s.proxy.records.length).toBe(1);
    client.abort();
    await expect(pending).rejects.toThrow();

    // The gateway closes its upstream connection long before the upstream would have answered.
    await expect.poll(() => s.proxy.records[0]?.abandoned, { timeout: 2_000 }).toBe(true);
    expect(s.proxy.records[0]?.forwarded).toBe(false);
    await expect
      .poll(() => s.logs.find((line) => line.msg === "graphql request"), { timeout: 2_000 })
      .toMatchObject({ outcome: "client-closed", upstreamCalls: 1 });
  });
});
