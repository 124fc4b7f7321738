/**
 * Request ids: a client's own (in the form Glance accepts) or a generated one, passed upstream as
 * X-Openstack-Request-Id, answered in x-request-id, on every error and every log line of the request.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { inOrder } from "../faults/support/fault-proxy.js";
import { MEMBERS_QUERY, startStack, type Stack } from "../faults/support/stack.js";

const ID = "req-0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9";
const REQUEST_ID = /^req-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const owner = { "x-auth-token": "proj-a" };

describe("request ids", () => {
  let s: Stack;
  let image: string;

  beforeAll(async () => {
    s = await startStack({
      logLevel: "debug",
      env: { UPSTREAM_RETRY_BASE_MS: "1", CIRCUIT_BREAKER_THRESHOLD: "0" },
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

  const members = (headers: Record<string, string> = {}) =>
    s.post({ query: MEMBERS_QUERY, variables: { i: image } }, { ...owner, ...headers });

  it.each([
    ["X-Request-Id", { "x-request-id": ID }, ID],
    ["X-Openstack-Request-Id", { "x-openstack-request-id": ID }, ID],
    [
      "X-Request-Id before X-Openstack-Request-Id",
      { "x-request-id": ID, "x-openstack-request-id": "req-x" },
      ID,
    ],
    ["a bare upper-case UUID, normalised", { "x-request-id": ID.slice(4).toUpperCase() }, ID],
  ])("keeps the client's id given as %s", async (_how, headers, expected) => {
    const answer = await members(headers);
    expect(answer.headers.get("x-request-id")).toBe(expected);
    expect(s.emulator.requests.map((r) => r.headers["x-openstack-request-id"])).toEqual([expected]);
  });

  it.each([
    ["over 64 characters (Glance would answer 500)", `req-${"a".repeat(61)}`],
    ["not a UUID", "my-trace-id-42"],
    ["a UUID with more after it", `${ID}-and-more`],
    ["a header injection attempt", `${ID}\tx-auth-token: stolen`],
  ])("generates an id when the client's is %s", async (_why, given) => {
    const answer = await members({ "x-request-id": given });
    const id = answer.headers.get("x-request-id");
    expect(id).toMatch(REQUEST_ID);
    expect(id).not.toBe(ID);
    expect(answer.json.errors).toBeUndefined();
    expect(s.emulator.requests.map((r) => r.headers["x-openstack-request-id"])).toEqual([id]);
  });

  it("every upstream call of the request, retries included, carries the same id", async () => {
    s.proxy.choose = inOrder([{ kind: "status", status: 503, body: "" }]);
    const answer = await members();
    const id = answer.headers.get("x-request-id");
    expect(s.proxy.records.map((r) => r.requestId)).toEqual([id, id]);
  });

  it("every error carries it, and every log line of the request", async () => {
    s.proxy.choose = inOrder([
      { kind: "status", status: 503, body: "" },
      {
        kind: "status",
        status: 403,
        headers: { "content-type": "application/json" },
        body: '{"message": "no"}',
      },
    ]);
    const answer = await s.post(
      {
        query: `{ a: imageMember(imageId: "${image}", memberId: "m") { status } b: imageMember(imageId: "not-a-uuid", memberId: "m") { status } }`,
      },
      { ...owner, "x-request-id": ID },
    );
    expect(answer.json.errors?.map((e) => e.extensions?.requestId)).toEqual([ID, ID]);
    const lines = s.logs.filter((line) => line.requestId !== undefined);
    expect(lines.map((line) => line.msg).sort()).toEqual(["graphql request", "retrying upstream call"]);
    expect(lines.every((line) => line.requestId === ID)).toBe(true);
  });

  it("errors refused before execution carry it too", async () => {
    const parse = await s.post({ query: "{ imageMembers(" }, { ...owner, "x-request-id": ID });
    expect(parse.json.errors?.[0]?.extensions).toMatchObject({ code: "GRAPHQL_PARSE_FAILED", requestId: ID });
    const malformed = await s.post("{not json", { ...owner, "x-request-id": ID });
    expect(malformed.status).toBe(400);
    expect(malformed.json.errors?.[0]?.extensions).toMatchObject({ code: "BAD_REQUEST", requestId: ID });
  });
});
