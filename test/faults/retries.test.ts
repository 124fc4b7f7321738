/** Retries through the whole gateway: which calls, after what, how long, and within which budget. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { inOrder, type ProxyFault } from "./support/fault-proxy.js";
import { MEMBERS_QUERY, RESPOND, SHARE, startStack, webob, type Stack } from "./support/stack.js";

const unavailable: ProxyFault = {
  kind: "status",
  status: 503,
  headers: { "content-type": "application/json" },
  body: webob(503, "Service Unavailable", "The server is currently unavailable."),
};
const owner = { "x-auth-token": "proj-a" };

describe("retries of idempotent upstream calls", () => {
  let s: Stack;
  let image: string;

  beforeAll(async () => {
    s = await startStack({
      logLevel: "debug",
      env: {
        UPSTREAM_RETRIES: "2",
        UPSTREAM_RETRY_BASE_MS: "5",
        UPSTREAM_RETRY_MAX_DELAY_MS: "300",
        CIRCUIT_BREAKER_THRESHOLD: "0",
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
    s.emulator.addMember(image, "proj-b");
  });

  const accessLine = (requestId: string | null): Record<string, unknown> | undefined =>
    s.logs.find((line) => line.msg === "graphql request" && line.requestId === requestId);

  it("a GET answered 503 twice, then 200: one answer, three attempts, counted in the access log", async () => {
    s.proxy.choose = inOrder([unavailable, unavailable]);
    const answer = await s.post({ query: MEMBERS_QUERY, variables: { i: image } }, owner);

    expect(answer.json.errors).toBeUndefined();
    expect(answer.json.data).toEqual({ imageMembers: [{ memberId: "proj-b", status: "PENDING" }] });
    expect(s.proxy.records.map((r) => r.fault)).toEqual(["status", "status", null]);
    const requestId = answer.headers.get("x-request-id");
    expect(new Set(s.proxy.records.map((r) => r.requestId))).toEqual(new Set([requestId]));
    await expect.poll(() => accessLine(requestId)).toMatchObject({ upstreamCalls: 3, upstreamRetries: 2 });
  });

  it("gives up after its retries with the upstream's last answer", async () => {
    s.proxy.choose = () => unavailable;
    const answer = await s.post({ query: MEMBERS_QUERY, variables: { i: image } }, owner);

    expect(s.proxy.records).toHaveLength(3);
    expect(answer.json.errors?.[0]?.extensions).toMatchObject({
      code: "SERVICE_UNAVAILABLE",
      retryable: true,
      upstream: { status: 503, method: "GET", path: `/v2/images/${image}/members` },
    });
    expect(answer.json.errors?.[0]?.message).toBe("The server is currently unavailable.");
  });

  it.each<[string, ProxyFault]>([
    ["a connection reset before the answer", { kind: "reset" }],
    ["a connection reset mid-body", { kind: "reset-mid-body" }],
    ["a truncated body", { kind: "truncated" }],
    [
      "a 502 HTML page",
      {
        kind: "status",
        status: 502,
        headers: { "content-type": "text/html" },
        body: "<html><body>down</body></html>",
      },
    ],
    ["a 504", { kind: "status", status: 504, body: "" }],
  ])("a GET recovers from %s", async (_what, fault) => {
    s.proxy.choose = inOrder([fault]);
    const answer = await s.post({ query: MEMBERS_QUERY, variables: { i: image } }, owner);
    expect(answer.json.errors).toBeUndefined();
    expect(s.proxy.records.map((r) => r.fault)).toEqual([fault.kind, null]);
  });

  it("honours Retry-After when it is within the cap", async () => {
    s.proxy.choose = inOrder([
      { kind: "status", status: 429, headers: { "retry-after": "0" }, body: "" },
      { kind: "status", status: 503, headers: { "retry-after": "Thu, 01 Jan 1970 00:00:00 GMT" }, body: "" },
    ]);
    const answer = await s.post({ query: MEMBERS_QUERY, variables: { i: image } }, owner);
    expect(answer.json.errors).toBeUndefined();
    const waits = s.logs.filter((line) => line.msg === "retrying upstream call").map((line) => line.delayMs);
    expect(waits).toEqual([0, 0]);
  });

  it("does not retry before a Retry-After longer than the cap: the client gets RATE_LIMITED at once", async () => {
    s.proxy.choose = () => ({ kind: "status", status: 429, headers: { "retry-after": "30" }, body: "" });
    const started = performance.now();
    const answer = await s.post({ query: MEMBERS_QUERY, variables: { i: image } }, owner);
    expect(answer.json.errors?.[0]?.extensions).toMatchObject({ code: "RATE_LIMITED", retryable: true });
    expect(s.proxy.records).toHaveLength(1);
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it("retries a PUT of a member's status", async () => {
    s.proxy.choose = inOrder([{ kind: "reset-mid-body" }], (r) => r.method === "PUT");
    const answer = await s.post(
      { query: RESPOND, variables: { i: image, m: "proj-b", s: "ACCEPTED" } },
      { "x-auth-token": "proj-b" },
    );
    expect(answer.json.errors).toBeUndefined();
    expect(answer.json.data).toEqual({ respondToShare: { status: "ACCEPTED" } });
    expect(s.proxy.records.map((r) => `${r.method} ${r.fault}`)).toEqual(["PUT reset-mid-body", "PUT null"]);
  });

  it("never retries a POST after a status or a lost answer", async () => {
    s.proxy.choose = () => unavailable;
    const refused = await s.post({ query: SHARE, variables: { i: image, m: "proj-c" } }, owner);
    expect(refused.json.errors?.[0]?.extensions).toMatchObject({
      code: "SERVICE_UNAVAILABLE",
      retryable: true,
    });
    expect(s.proxy.records).toHaveLength(1);

    s.proxy.clear();
    s.proxy.choose = inOrder([{ kind: "forward-then-reset" }]);
    const lost = await s.post({ query: SHARE, variables: { i: image, m: "proj-d" } }, owner);
    expect(lost.json.errors?.[0]?.extensions).toMatchObject({
      code: "UPSTREAM_UNREACHABLE",
      retryable: true,
    });
    expect(s.proxy.records).toHaveLength(1);
    // The upstream did act: retrying blindly would have answered CONFLICT.
    const members = await s.post({ query: MEMBERS_QUERY, variables: { i: image } }, owner);
    expect(members.json.data?.imageMembers).toContainEqual({ memberId: "proj-d", status: "PENDING" });
  });

  it("a request spends at most REQUEST_RETRY_BUDGET retries over all its calls", async () => {
    const budgeted = await startStack({
      env: {
        UPSTREAM_RETRIES: "5",
        UPSTREAM_RETRY_BASE_MS: "1",
        REQUEST_RETRY_BUDGET: "1",
        CIRCUIT_BREAKER_THRESHOLD: "0",
      },
    });
    try {
      const first = budgeted.emulator.createImage({ owner: "proj-a" }).id;
      const second = budgeted.emulator.createImage({ owner: "proj-a" }).id;
      budgeted.proxy.choose = () => unavailable;
      const answer = await budgeted.post(
        {
          query: `{ a: imageMembers(imageId: "${first}") { memberId } b: imageMembers(imageId: "${second}") { memberId } }`,
        },
        owner,
      );
      expect(answer.json.errors?.[0]?.extensions?.code).toBe("SERVICE_UNAVAILABLE");
      // Two first attempts, and the one retry the budget allows.
      await expect.poll(() => budgeted.proxy.records.length).toBe(3);
    } finally {
      await budgeted.close();
    }
  });

  it("never sleeps past the request's deadline", async () => {
    const hurried = await startStack({
      logLevel: "debug",
      env: {
        UPSTREAM_RETRIES: "10",
        UPSTREAM_RETRY_BASE_MS: "200",
        UPSTREAM_RETRY_MAX_DELAY_MS: "400",
        REQUEST_DEADLINE_MS: "500",
        CIRCUIT_BREAKER_THRESHOLD: "0",
      },
    });
    try {
      const id = hurried.emulator.createImage({ owner: "proj-a" }).id;
      hurried.proxy.choose = () => unavailable;
      const started = performance.now();
      const answer = await hurried.post({ query: MEMBERS_QUERY, variables: { i: id } }, owner);
      const elapsed = performance.now() - started;
      expect(answer.json.errors?.[0]?.extensions?.code).toBe("SERVICE_UNAVAILABLE");
      expect(elapsed).toBeLessThan(500 + 1_000);
      const waits = hurried.logs
        .filter((line) => line.msg === "retrying upstream call")
        .reduce((sum, line) => sum + Number(line.delayMs), 0);
      expect(waits).toBeLessThan(500);
      expect(hurried.proxy.records.length).toBeLessThan(5);
    } finally {
      await hurried.close();
    }
  });
});
