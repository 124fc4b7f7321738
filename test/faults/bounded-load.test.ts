/** The process-wide cap on upstream calls: beyond the slots and the queue, requests are refused at once. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MEMBERS_QUERY, startStack, type Answer, type Stack } from "./support/stack.js";

describe("bounded upstream load", () => {
  let s: Stack;

  beforeAll(async () => {
    s = await startStack({
      env: {
        UPSTREAM_MAX_CONCURRENT: "2",
        UPSTREAM_MAX_QUEUED: "2",
        UPSTREAM_RETRIES: "0",
        CIRCUIT_BREAKER_THRESHOLD: "0",
      },
    });
  });
  afterAll(() => s.close());

  it("2 in flight and 2 waiting are served; the rest get SERVICE_UNAVAILABLE before any of them", async () => {
    const images = Array.from({ length: 8 }, () => s.emulator.createImage({ owner: "proj-a" }).id);
    s.proxy.choose = () => ({ kind: "slow-headers", ms: 300 });
    const finished: Array<{ index: number; answer: Answer }> = [];

    await Promise.all(
      images.map(async (image, index) => {
        const answer = await s.post(
          { query: MEMBERS_QUERY, variables: { i: image } },
          { "x-auth-token": "proj-a" },
        );
        finished.push({ index, answer });
      }),
    );

    const served = finished.filter(({ answer }) => answer.json.errors === undefined);
    const refused = finished.filter(({ answer }) => answer.json.errors !== undefined);
    expect(served).toHaveLength(4);
    expect(refused).toHaveLength(4);
    for (const { answer } of refused) {
      expect(answer.json.errors?.[0]?.extensions).toMatchObject({
        code: "SERVICE_UNAVAILABLE",
        retryable: true,
        upstream: { status: null, method: "GET" },
      });
      expect(answer.json.errors?.[0]?.message).toMatch(/too many upstream calls/);
    }
    // Refusals come first: none waited for a slot.
    expect(finished.slice(0, 4).map(({ answer }) => answer.json.errors?.[0]?.extensions?.code)).toEqual(
      Array(4).fill("SERVICE_UNAVAILABLE"),
    );
    expect(s.proxy.records).toHaveLength(4);
  });

  it("a call waiting for a slot never outlives its request's deadline", async () => {
    const hurried = await startStack({
      env: {
        UPSTREAM_MAX_CONCURRENT: "1",
        UPSTREAM_MAX_QUEUED: "10",
        UPSTREAM_RETRIES: "0",
        REQUEST_DEADLINE_MS: "300",
        UPSTREAM_TIMEOUT_MS: "5000",
        CIRCUIT_BREAKER_THRESHOLD: "0",
      },
    });
    try {
      const images = Array.from({ length: 4 }, () => hurried.emulator.createImage({ owner: "proj-a" }).id);
      hurried.proxy.choose = () => ({ kind: "slow-headers", ms: 2_000 });
      const started = performance.now();
      const answers = await Promise.all(
        images.map((image) =>
          hurried.post({ query: MEMBERS_QUERY, variables: { i: image } }, { "x-auth-token": "proj-a" }),
        ),
      );
      expect(performance.now() - started).toBeLessThan(300 + 1_500);
      for (const answer of answers) {
        expect(["UPSTREAM_TIMEOUT", "SERVICE_UNAVAILABLE"]).toContain(
          answer.json.errors?.[0]?.extensions?.code,
        );
      }
    } finally {
      await hurried.close();
    }
  });
});
