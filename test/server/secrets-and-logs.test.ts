/**
 * A token sent in every place a client (or an upstream) can put it never appears in an answer or a
 * log line; and every GraphQL request writes exactly one access log line.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "../support/harness.js";

/** Also a valid GraphQL name, so that it can be an operation name and a field name too. */
const TOKEN = "gAAAAABtok_5ecret_value_91c2ff";

describe("credentials stay out of answers and logs", () => {
  let h: Harness;
  let image: string;

  beforeAll(async () => {
    h = await startHarness({
      api: "v2",
      env: { GLANCE_API_VERSION: "v2", FORWARD_HEADERS: "X-Service-Token,X-Project-Id" },
    });
  });
  afterAll(() => h.close());
  beforeEach(() => {
    h.emulator.reset();
    h.logs.length = 0;
    image = h.emulator.createImage({ owner: TOKEN, visibility: "shared" }).id;
  });

  it("in every header, variable, the query text, the URL and an upstream echo", async () => {
    h.emulator.injectFault({
      path: `/v2/images/${image}/members`,
      action: {
        kind: "respond",
        status: 403,
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ message: `Token ${TOKEN} may not list members`, code: "403 Forbidden" }),
      },
    });
    const credentials = {
      "x-auth-token": TOKEN,
      authorization: `Bearer ${TOKEN}`,
      "x-service-token": TOKEN,
    };
    const requests: Array<{ path: string; body: unknown; headers?: Record<string, string> }> = [
      // Headers, and an upstream echoing the token in its error body.
      { path: "", body: { query: `query Members { imageMembers(imageId: "${image}") { memberId } }` } },
      // The URL's query string.
      { path: `?token=${TOKEN}`, body: { query: "{ __typename }" } },
      // A variable, used where it fails validation, and where it fails coercion (which echoes values).
      {
        path: "",
        body: { query: "query($i: ID!) { imageMembers(imageId: $i) { memberId } }", variables: { i: TOKEN } },
      },
      {
        path: "",
        body: {
          query: `mutation($s: MemberStatus!) { respondToShare(imageId: "${image}", memberId: "x", status: $s) { status } }`,
          variables: { s: TOKEN },
        },
      },
      // The query text: operation name, an unknown field (echoed by validation), a syntax error, a comment.
      {
        path: "",
        body: { query: `query ${TOKEN} { imageMembers(imageId: "${TOKEN}") { memberId } } # ${TOKEN}` },
      },
      { path: "", body: { query: `{ ${TOKEN} }` } },
      { path: "", body: { query: `{ imageMembers(imageId: ${TOKEN}` } },
      // Only in a forwarded header.
      { path: "", body: { query: "{ __typename }" }, headers: { "x-service-token": TOKEN } },
    ];

    const answers: string[] = [];
    for (const request of requests) {
      const response = await fetch(`${h.gateway.url}${request.path}`, {
        method: "POST",
        headers: { "content-type": "application/json", ...(request.headers ?? credentials) },
        body: JSON.stringify(request.body),
      });
      answers.push(`${response.status} ${JSON.stringify([...response.headers])} ${await response.text()}`);
    }
    // Also by GET, the token in the query string's GraphQL document.
    const get = await fetch(`${h.gateway.url}?query=${encodeURIComponent(`{ ${TOKEN} }`)}`, {
      headers: { ...credentials, "apollo-require-preflight": "true" },
    });
    answers.push(await get.text());

    // The requests did reach the gateway's upstream side and its error paths.
    expect(answers[0]).toContain("FORBIDDEN");
    expect(answers[0]).toContain("[redacted]");
    expect(answers.join("\n")).not.toContain(TOKEN);
    expect(h.logs.join("")).not.toContain(TOKEN);
    expect(h.logs.filter((line) => line.includes('"graphql request"'))).toHaveLength(requests.length + 1);
    expect(h.logs.join("")).toContain('"operation":"[redacted]"');
  });
});

describe.each([
  ["direct", true],
  ["apollo", false],
] as const)("a token sent as a member id, answered by the %s pipeline", (pipeline, directExecution) => {
  let h: Harness;
  let image: string;

  beforeAll(async () => {
    h = await startHarness({ api: "v2", env: { GLANCE_API_VERSION: "v2" }, directExecution });
  });
  afterAll(() => h.close());
  beforeEach(() => {
    h.emulator.reset();
    h.emulator.clearRequests();
    h.logs.length = 0;
    image = h.emulator.createImage({ owner: TOKEN, visibility: "shared" }).id;
  });

  const post = (query: string) =>
    h.post(JSON.stringify({ query, variables: { i: image, m: TOKEN } }), { "x-auth-token": TOKEN });

  it.each([
    ["a query", "query One($i: ID!, $m: ID!) { imageMember(imageId: $i, memberId: $m) { status } }", "GET"],
    [
      "a mutation",
      "mutation Unshare($i: ID!, $m: ID!) { unshareImage(imageId: $i, memberId: $m) }",
      "DELETE",
    ],
  ])("%s: no field of the error repeats it", async (_name, query, method) => {
    const answer = await post(query);
    expect(answer.errors).toHaveLength(1);
    // The upstream did get the member id it was asked for, in its path.
    expect(h.emulator.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
      `${method} /v2/images/${image}/members/${TOKEN}`,
    ]);
    expect(answer.errors?.[0]).toMatchObject({
      message: `[redacted] not found in the member list of the image ${image}.`,
      extensions: {
        code: "NOT_FOUND",
        upstream: { status: 404, method, path: `/v2/images/${image}/members/[redacted]` },
      },
    });
    expect(answer.raw).not.toContain(TOKEN);
    await expect.poll(() => h.logs.some((line) => line.includes('"graphql request"'))).toBe(true);
    expect(h.logs.join("")).toContain(`"pipeline":"${pipeline}"`);
    expect(h.logs.join("")).not.toContain(TOKEN);
  });
});

describe("a short token", () => {
  let h: Harness;
  let image: string;
  const SHORT = "no";

  beforeAll(async () => {
    h = await startHarness({ api: "v2", env: { GLANCE_API_VERSION: "v2" } });
  });
  afterAll(() => h.close());
  beforeEach(() => {
    h.emulator.reset();
    h.emulator.clearRequests();
    h.logs.length = 0;
    image = h.emulator.createImage({ owner: SHORT, visibility: "shared" }).id;
  });

  const post = (query: string, variables: Record<string, unknown> = {}) =>
    h.post(JSON.stringify({ query, variables }), { "x-auth-token": SHORT });

  it("leaves the words of an upstream's message alone, and redacts the token where it stands whole", async () => {
    h.emulator.injectFault({
      path: `/v2/images/${image}/members`,
      action: {
        kind: "respond",
        status: 403,
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          message: `Project ${SHORT} has nothing shared; not allowed`,
          code: "403 Forbidden",
        }),
      },
    });
    const answer = await post(`query Members { imageMembers(imageId: "${image}") { memberId } }`);
    expect(answer.errors).toHaveLength(1);
    expect(answer.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect(answer.errors?.[0]?.message).toBe("Project [redacted] has nothing shared; not allowed");
    expect(h.emulator.requests.map((request) => request.path)).toEqual([`/v2/images/${image}/members`]);
  });

  it("is redacted where a coercion message quotes it, and the rest of the message is kept", async () => {
    const answer = await post(
      `mutation Respond($s: MemberStatus!) { respondToShare(imageId: "${image}", memberId: "x", status: $s) { status } }`,
      { s: SHORT },
    );
    expect(answer.errors).toHaveLength(1);
    expect(answer.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(answer.errors?.[0]?.message).toBe(
      'Variable "$s" got invalid value "[redacted]"; Value "[redacted]" does not exist in "MemberStatus" enum.',
    );
    expect(answer.raw).not.toMatch(/"no"/);
    expect(h.emulator.requests).toHaveLength(0);
  });
});

describe("the access log", () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ api: "v2", env: { GLANCE_API_VERSION: "v2" } });
  });
  afterAll(() => h.close());

  it("writes one line per GraphQL request: id, operation, status, duration, codes, upstream calls", async () => {
    const image = h.emulator.createImage({ owner: "proj-a", visibility: "shared" }).id;
    h.logs.length = 0;
    const response = await fetch(h.gateway.url, {
      method: "POST",
      headers: { "content-type": "application/json", "x-auth-token": "proj-a" },
      body: JSON.stringify({
        query: `query Two { a: imageMembers(imageId: "${image}") { memberId } b: imageMember(imageId: "bad", memberId: "x") { status } }`,
      }),
    });
    await response.text();
    await expect.poll(() => h.logs.length).toBeGreaterThan(0);
    const lines = h.logs.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 30,
      msg: "graphql request",
      requestId: response.headers.get("x-request-id"),
      method: "POST",
      operation: "Two",
      status: 200,
      outcome: "error",
      codes: ["BAD_USER_INPUT"],
      upstreamCalls: 1,
      upstreamRetries: 0,
    });
    expect(lines[0]?.durationMs).toEqual(expect.any(Number));
    expect(Object.keys(lines[0] ?? {})).not.toContain("headers");
  });
});
