/**
 * The direct path answers exactly as Apollo Server does. Two gateways, one with the direct path
 * and one without, each over its own emulator holding the same images, get the same requests in
 * the same order; status, Content-Type and body must match byte for byte (timestamps aside). The
 * access log says which pipeline answered, so the test also proves the direct path took the
 * requests it should and left the others to Apollo Server.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "../support/harness.js";

const IMAGE = "0d1ec700-0000-4000-8000-000000000001";
const OTHER = "0d1ec700-0000-4000-8000-000000000002";
const MISSING = "0d1ec700-0000-4000-8000-00000000dead";
const MEMBER_FIELDS = "id imageId memberId status canShare createdAt updatedAt";
const ONE = `query One($i: ID!, $m: ID!) { imageMember(imageId: $i, memberId: $m) { ${MEMBER_FIELDS} } }`;
const LIST = `query List($i: ID!) { imageMembers(imageId: $i) { ${MEMBER_FIELDS} } }`;
const SHARE = `mutation Share($i: ID!, $m: ID!) { shareImage(imageId: $i, memberId: $m) { ${MEMBER_FIELDS} } }`;
const RESPOND = `mutation Respond($i: ID!, $m: ID!, $s: MemberStatus!) { respondToShare(imageId: $i, memberId: $m, status: $s) { ${MEMBER_FIELDS} } }`;
const UNSHARE = `mutation Unshare($i: ID!, $m: ID!) { unshareImage(imageId: $i, memberId: $m) }`;
const ENTITIES = `query Entities($r: [_Any!]!) { _entities(representations: $r) { ... on ImageMember { ${MEMBER_FIELDS} } ... on Image { id members { memberId status } } } }`;

const owner = { "x-auth-token": "proj-owner" };
const consumer = { "x-auth-token": "proj-consumer" };
const stranger = { "x-auth-token": "proj-stranger" };
const json = { "content-type": "application/json" };

interface Case {
  readonly name: string;
  readonly body: unknown;
  readonly headers?: Record<string, string>;
  /** Which pipeline must answer it with the direct path on. */
  readonly expect: "direct" | "apollo" | null;
}

const body = (query: string, variables?: unknown, operationName?: string): unknown => ({
  query,
  ...(variables === undefined ? {} : { variables }),
  ...(operationName === undefined ? {} : { operationName }),
});

const CASES: Case[] = [
  { name: "share", body: body(SHARE, { i: IMAGE, m: "proj-consumer" }), headers: owner, expect: "direct" },
  {
    name: "share again (conflict)",
    body: body(SHARE, { i: IMAGE, m: "proj-consumer" }),
    headers: owner,
    expect: "direct",
  },
  { name: "one member", body: body(ONE, { i: IMAGE, m: "proj-consumer" }), headers: owner, expect: "direct" },
  { name: "member list", body: body(LIST, { i: IMAGE }), headers: owner, expect: "direct" },
  {
    name: "accept",
    body: body(RESPOND, { i: IMAGE, m: "proj-consumer", s: "ACCEPTED" }),
    headers: consumer,
    expect: "direct",
  },
  {
    name: "stranger reads",
    body: body(ONE, { i: IMAGE, m: "proj-consumer" }),
    headers: stranger,
    expect: "direct",
  },
  { name: "missing image", body: body(LIST, { i: MISSING }), headers: owner, expect: "direct" },
  { name: "bad image id", body: body(LIST, { i: "not-a-uuid" }), headers: owner, expect: "direct" },
  { name: "bad member id", body: body(ONE, { i: IMAGE, m: "a/b" }), headers: owner, expect: "direct" },
  {
    name: "partial answer over aliases",
    body: body(
      `query P($i: ID!, $x: ID!) { a: imageMembers(imageId: $i) { memberId } b: imageMembers(imageId: $x) { memberId } }`,
      { i: IMAGE, x: OTHER },
    ),
    headers: consumer,
    expect: "direct",
  },
  {
    name: "entities",
    body: body(ENTITIES, {
      r: [
        { __typename: "ImageMember", imageId: IMAGE, memberId: "proj-consumer" },
        { __typename: "ImageMember", imageId: IMAGE, memberId: "proj-nobody" },
        { __typename: "Image", id: IMAGE },
      ],
    }),
    headers: owner,
    expect: "direct",
  },
  { name: "typename only", body: body("{ __typename }"), expect: "direct" },
  { name: "introspection", body: body("{ __schema { queryType { name } } }"), expect: "direct" },
  {
    name: "two operations, one named",
    body: body(`${ONE} ${LIST}`, { i: IMAGE }, "List"),
    headers: owner,
    expect: "direct",
  },
  {
    name: "extensions without a persisted query",
    body: { ...(body(LIST, { i: IMAGE }) as object), extensions: { clientLibrary: { name: "x" } } },
    headers: owner,
    expect: "direct",
  },
  {
    name: "null variables and operation name",
    body: { query: "{ __typename }", variables: null, operationName: null },
    expect: "direct",
  },
  {
    name: "accept */*",
    body: body(LIST, { i: IMAGE }),
    headers: { ...owner, accept: "*/*" },
    expect: "direct",
  },
  {
    name: "accept application/json",
    body: body(LIST, { i: IMAGE }),
    headers: { ...owner, accept: "application/json" },
    expect: "direct",
  },
  {
    name: "accept as Apollo Client sends it",
    body: body(LIST, { i: IMAGE }),
    headers: { ...owner, accept: "application/graphql-response+json,application/json;q=0.9" },
    expect: "direct",
  },
  {
    name: "content type with charset",
    body: body("{ __typename }"),
    headers: { "content-type": "application/json; charset=utf-8" },
    expect: "direct",
  },
  {
    name: "unshare",
    body: body(UNSHARE, { i: IMAGE, m: "proj-consumer" }),
    headers: owner,
    expect: "direct",
  },
  {
    name: "unshare again",
    body: body(UNSHARE, { i: IMAGE, m: "proj-consumer" }),
    headers: owner,
    expect: "direct",
  },

  { name: "syntax error", body: body("{ imageMembers("), expect: "apollo" },
  { name: "unknown field", body: body("{ nope }"), expect: "apollo" },
  { name: "variable of the wrong type", body: body(LIST, { i: { not: "an id" } }), expect: "apollo" },
  { name: "missing variable", body: body(LIST, {}), expect: "apollo" },
  { name: "unknown operation name", body: body(LIST, { i: IMAGE }, "Nope"), expect: "apollo" },
  { name: "two operations, no name", body: body(`${ONE} ${LIST}`, { i: IMAGE }), expect: "apollo" },
  {
    name: "too many aliases",
    body: body(`{ ${Array.from({ length: 40 }, (_, n) => `a${n}: __typename`).join(" ")} }`),
    expect: "apollo",
  },
  {
    name: "too many representations",
    body: body(ENTITIES, { r: Array.from({ length: 101 }, () => ({ __typename: "Image", id: IMAGE })) }),
    expect: "apollo",
  },
  {
    name: "persisted query hash",
    body: {
      ...(body("{ __typename }") as object),
      extensions: { persistedQuery: { version: 1, sha256Hash: "0".repeat(64) } },
    },
    expect: "apollo",
  },
  {
    name: "accept text/html",
    body: body("{ __typename }"),
    headers: { accept: "text/html" },
    expect: "apollo",
  },
  {
    name: "accept graphql-response first",
    body: body("{ __typename }"),
    headers: { accept: "application/graphql-response+json, application/json" },
    expect: "apollo",
  },
  {
    name: "content type with upper-case charset",
    body: body("{ __typename }"),
    headers: { "content-type": "application/json;charset=UTF-8" },
    expect: "direct",
  },
  { name: "batch", body: [body("{ __typename }")], expect: null },
  { name: "query not a string", body: { query: 5 }, expect: null },
  { name: "unknown body field", body: { query: "{ __typename }", extra: true }, expect: "apollo" },
  { name: "variables not an object", body: { query: "{ __typename }", variables: [1] }, expect: null },
];

interface Answer {
  readonly status: number;
  readonly contentType: string | null;
  readonly body: string;
  readonly pipeline: unknown;
}

const TIMESTAMP = /"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z"/g;

async function send(h: Harness, item: Case, index: number): Promise<Answer> {
  const requestId = `req-00000000-0000-4000-8000-${String(index).padStart(12, "0")}`;
  const response = await fetch(h.gateway.url, {
    method: "POST",
    headers: { ...json, "x-request-id": requestId, ...item.headers },
    body: JSON.stringify(item.body),
  });
  const text = await response.text();
  // The access line is written when the answer is complete, which the client may see first.
  let line: string | undefined;
  for (let waited = 0; line === undefined && waited < 2_000; waited += 5) {
    line = h.logs.find(
      (candidate) =>
        candidate.includes(`"requestId":"${requestId}"`) && candidate.includes('"graphql request"'),
    );
    if (line === undefined) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
  return {
    status: response.status,
    contentType: response.headers.get("content-type"),
    body: text.replace(TIMESTAMP, '"<time>"'),
    pipeline:
      line === undefined ? "no access log line" : (JSON.parse(line) as { pipeline?: unknown }).pipeline,
  };
}

describe("the direct path", () => {
  let direct: Harness;
  let apollo: Harness;
  const answers: Array<{ item: Case; direct: Answer; apollo: Answer }> = [];

  beforeAll(async () => {
    direct = await startHarness();
    apollo = await startHarness({ directExecution: false });
    for (const h of [direct, apollo]) {
      h.emulator.createImage({ id: IMAGE, owner: "proj-owner", visibility: "shared" });
      h.emulator.createImage({ id: OTHER, owner: "proj-owner", visibility: "shared" });
    }
    for (const [index, item] of CASES.entries()) {
      answers.push({
        item,
        direct: await send(direct, item, index),
        apollo: await send(apollo, item, index),
      });
    }
  });

  afterAll(async () => {
    await Promise.all([direct.close(), apollo.close()]);
  });

  it.each(CASES.map((item, index) => [item.name, index] as const))(
    "%s: same status, Content-Type and body as Apollo Server",
    (_name, index) => {
      const answer = answers[index]!;
      expect(answer.direct.status).toBe(answer.apollo.status);
      expect(answer.direct.contentType).toBe(answer.apollo.contentType);
      expect(answer.direct.body).toBe(answer.apollo.body);
      expect(answer.apollo.pipeline).not.toBe("direct");
      expect(answer.direct.pipeline).toBe(answer.item.expect ?? null);
    },
  );

  it("covers answers with data, errors, partial data and refusals", () => {
    const statuses = new Set(answers.map((answer) => answer.direct.status));
    expect([...statuses].sort()).toEqual(expect.arrayContaining([200, 400]));
    const directErrors = answers.filter(
      (answer) => answer.item.expect === "direct" && answer.direct.body.includes('"errors"'),
    );
    expect(directErrors.length).toBeGreaterThanOrEqual(6);
    expect(
      answers.some((answer) => answer.direct.contentType?.startsWith("application/graphql-response+json")),
    ).toBe(true);
  });
});
