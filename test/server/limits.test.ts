/**
 * Every request limit, with its default and configured: refused before execution with a code, the
 * request id, and no upstream call.
 */
import { getIntrospectionQuery } from "graphql";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { as, startHarness, type GraphQLResult, type Harness } from "../support/harness.js";

const IMAGE = "11111111-2222-3333-4444-555555555555";
const member = (memberId: string, inner: string): string => `member(memberId: "${memberId}") { ${inner} }`;

function refusedWith(result: GraphQLResult<unknown>, code: string, limit: string, status = 400): void {
  expect(result.status).toBe(status);
  expect(result.errors).toHaveLength(1);
  expect(result.errors?.[0]?.extensions).toEqual({
    code,
    retryable: false,
    requestId: expect.stringMatching(/^req-/) as string,
  });
  expect(result.errors?.[0]?.message).toContain(`(${limit})`);
}

describe("request limits, at their defaults", () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ api: "v2", env: { GLANCE_API_VERSION: "v2" } });
  });
  afterAll(() => h.close());
  beforeEach(() => h.emulator.clearRequests());

  const post = (query: string, variables?: unknown) =>
    h.post(JSON.stringify({ query, variables }), as("proj-a"));

  it("MAX_REQUEST_BYTES (1 MiB): a larger body → 413 REQUEST_TOO_LARGE", async () => {
    const body = JSON.stringify({ query: "{ __typename }", variables: { pad: "x".repeat(1_048_576) } });
    const result = await h.post(body, as("proj-a"));
    refusedWith(result, "REQUEST_TOO_LARGE", "MAX_REQUEST_BYTES", 413);
  });

  it("MAX_QUERY_BYTES (16 KiB): a larger document → QUERY_TOO_COMPLEX", async () => {
    const query = `{ __typename }\n#${"x".repeat(16_384)}`;
    refusedWith(await post(query), "QUERY_TOO_COMPLEX", "MAX_QUERY_BYTES");
  });

  it("MAX_QUERY_DEPTH (8): a 9-level operation is refused, 8 levels are not", async () => {
    const eight = `{ imageMember(imageId: "${IMAGE}", memberId: "a") { image { ${member("b", `image { ${member("c", `image { ${member("d", "id")} }`)} }`)} } } }`;
    const nine = `{ imageMember(imageId: "${IMAGE}", memberId: "a") { image { ${member("b", `image { ${member("c", `image { ${member("d", "image { id }")} }`)} }`)} } } }`;
    refusedWith(await post(nine), "QUERY_TOO_COMPLEX", "MAX_QUERY_DEPTH");
    expect(h.emulator.requests).toEqual([]);
    const allowed = await post(eight);
    expect(allowed.errors?.[0]?.extensions?.code).not.toBe("QUERY_TOO_COMPLEX");
  });

  it("MAX_LIST_NESTING (2): lists in lists in lists are refused", async () => {
    const three = `{ imageMembers(imageId: "${IMAGE}") { image { members { image { members { memberId } } } } } }`;
    refusedWith(await post(three), "QUERY_TOO_COMPLEX", "MAX_LIST_NESTING");
    expect(h.emulator.requests).toEqual([]);
  });

  it("introspection is not held to the depth limit; graphql-js stops introspection that multiplies itself", async () => {
    const standard = await post(getIntrospectionQuery());
    expect(standard.errors).toBeUndefined();
    const cycling = "{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }";
    const refused = await post(cycling);
    expect(refused.status).toBe(400);
    expect(refused.errors?.map((e) => e.extensions?.code)).toEqual(["GRAPHQL_VALIDATION_FAILED"]);
  });

  it("MAX_ALIASES (30): counted as executed, fragments expanded", async () => {
    const aliases = Array.from({ length: 31 }, (_, i) => `a${i}: memberId`).join(" ");
    refusedWith(
      await post(`{ imageMember(imageId: "${IMAGE}", memberId: "m") { ${aliases} } }`),
      "QUERY_TOO_COMPLEX",
      "MAX_ALIASES",
    );
    const ten = Array.from({ length: 10 }, (_, i) => `f${i}: memberId`).join(" ");
    const spread = `{ imageMember(imageId: "${IMAGE}", memberId: "m") { ...F ... on ImageMember { ...F ...F ...F } } }
      fragment F on ImageMember { ${ten} }`;
    refusedWith(await post(spread), "QUERY_TOO_COMPLEX", "MAX_ALIASES");
    expect(h.emulator.requests).toEqual([]);
  });

  it("MAX_ROOT_FIELDS (20): a query with 21 root fields is refused", async () => {
    const fields = Array.from(
      { length: 21 },
      (_, i) => `r${i}: imageMembers(imageId: "${IMAGE}") { memberId }`,
    );
    refusedWith(await post(`{ ${fields.join(" ")} }`), "QUERY_TOO_COMPLEX", "MAX_ROOT_FIELDS");
    expect(h.emulator.requests).toEqual([]);
  });

  it("MAX_MUTATION_FIELDS (10): 11 writes in one operation are refused, none is made", async () => {
    const writes = Array.from(
      { length: 11 },
      (_, i) => `w${i}: unshareImage(imageId: "${IMAGE}", memberId: "m${i}")`,
    );
    refusedWith(await post(`mutation { ${writes.join(" ")} }`), "QUERY_TOO_COMPLEX", "MAX_MUTATION_FIELDS");
    expect(h.emulator.requests).toEqual([]);
  });

  it("MAX_ENTITIES (100): representations in variables and in the document", async () => {
    const representations = (count: number) =>
      Array.from({ length: count }, (_, i) => ({
        __typename: "ImageMember",
        imageId: IMAGE,
        memberId: `m${i}`,
      }));
    const query =
      "query($r: [_Any!]!) { _entities(representations: $r) { ... on ImageMember { memberId } } }";
    refusedWith(await post(query, { r: representations(101) }), "QUERY_TOO_COMPLEX", "MAX_ENTITIES");

    const literal = representations(101)
      .map((r) => `{ __typename: "ImageMember", imageId: "${r.imageId}", memberId: "${r.memberId}" }`)
      .join(", ");
    refusedWith(
      await post(`{ _entities(representations: [${literal}]) { ... on ImageMember { memberId } } }`),
      "QUERY_TOO_COMPLEX",
      "MAX_ENTITIES",
    );
    expect(h.emulator.requests).toEqual([]);

    const hundred = await post(query, { r: representations(100) });
    expect(hundred.errors?.every((e) => e.extensions?.code !== "QUERY_TOO_COMPLEX")).toBe(true);
  });

  it("MAX_LIST_ITEMS (100): any other list, inside a variable or written in the document", async () => {
    const long = Array.from({ length: 101 }, (_, i) => i);
    const query =
      "query($r: [_Any!]!) { _entities(representations: $r) { ... on ImageMember { memberId } } }";
    refusedWith(
      await post(query, { r: [{ __typename: "ImageMember", imageId: IMAGE, memberId: "m", extra: long }] }),
      "QUERY_TOO_COMPLEX",
      "MAX_LIST_ITEMS",
    );
    refusedWith(
      await post(
        `{ _entities(representations: [{ __typename: "ImageMember", imageId: "${IMAGE}", memberId: "m", extra: [${long.join(",")}] }]) { __typename } }`,
      ),
      "QUERY_TOO_COMPLEX",
      "MAX_LIST_ITEMS",
    );
    expect(h.emulator.requests).toEqual([]);
  });
});

describe("request limits, configured", () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({
      api: "v2",
      env: {
        GLANCE_API_VERSION: "v2",
        MAX_REQUEST_BYTES: "2048",
        MAX_QUERY_BYTES: "512",
        MAX_QUERY_DEPTH: "3",
        MAX_LIST_NESTING: "1",
        MAX_ALIASES: "1",
        MAX_ROOT_FIELDS: "2",
        MAX_MUTATION_FIELDS: "1",
        MAX_ENTITIES: "2",
        MAX_LIST_ITEMS: "3",
      },
    });
  });
  afterAll(() => h.close());

  const post = (query: string, variables?: unknown) =>
    h.post(JSON.stringify({ query, variables }), as("proj-a"));

  it.each([
    [
      "MAX_REQUEST_BYTES",
      JSON.stringify({ query: "{ __typename }", variables: { pad: "x".repeat(3_000) } }),
      413,
    ],
    ["MAX_QUERY_BYTES", JSON.stringify({ query: `{ __typename } #${"x".repeat(600)}` }), 400],
    [
      "MAX_QUERY_DEPTH",
      JSON.stringify({
        query: `{ imageMember(imageId: "${IMAGE}", memberId: "a") { image { member(memberId: "b") { id } } } }`,
      }),
      400,
    ],
    [
      "MAX_LIST_NESTING",
      JSON.stringify({
        query: "{ _entities(representations: []) { ... on Image { members { memberId } } } }",
      }),
      400,
    ],
    ["MAX_ALIASES", JSON.stringify({ query: "{ a: __typename b: __typename }" }), 400],
    ["MAX_ROOT_FIELDS", JSON.stringify({ query: "{ __typename __typename __typename }" }), 400],
    [
      "MAX_MUTATION_FIELDS",
      JSON.stringify({ query: `mutation { unshareImage(imageId: "${IMAGE}", memberId: "a") __typename }` }),
      400,
    ],
  ])("%s", async (limit, body, status) => {
    const result = await h.post(body, as("proj-a"));
    refusedWith(result, status === 413 ? "REQUEST_TOO_LARGE" : "QUERY_TOO_COMPLEX", limit, status);
  });

  it("MAX_QUERY_BYTES applies to GET as well", async () => {
    const query = `{ __typename } #${"x".repeat(600)}`;
    const response = await fetch(`${h.gateway.url}?query=${encodeURIComponent(query)}`, {
      headers: { "apollo-require-preflight": "true" },
    });
    const json = (await response.json()) as { errors: Array<{ extensions: { code: string } }> };
    expect(response.status).toBe(400);
    expect(json.errors[0]?.extensions.code).toBe("QUERY_TOO_COMPLEX");
  });

  it("MAX_ENTITIES and MAX_LIST_ITEMS", async () => {
    const query = "query($r: [_Any!]!) { _entities(representations: $r) { __typename } }";
    const r = { __typename: "ImageMember", imageId: IMAGE, memberId: "m" };
    refusedWith(await post(query, { r: [r, r, r] }), "QUERY_TOO_COMPLEX", "MAX_ENTITIES");
    refusedWith(
      await post(query, { r: [{ ...r, extra: [1, 2, 3, 4] }] }),
      "QUERY_TOO_COMPLEX",
      "MAX_LIST_ITEMS",
    );
  });
});
