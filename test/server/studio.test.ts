/**
 * What Apollo Server brings to the HTTP front, as browsers and tools meet it: the landing page
 * (Sandbox, or the production page), introspection, CSRF prevention, automatic persisted queries,
 * CORS and the inline trace a federation router asks for.
 */
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { as, startHarness, type GraphQLErrorJson, type Harness } from "../support/harness.js";

const INTROSPECTION = "{ __schema { queryType { name } } }";
const IMAGE = "5eed0001-0000-4000-8000-000000000001";

interface Answer {
  status: number;
  headers: Headers;
  json: {
    data?: Record<string, unknown> | null;
    errors?: GraphQLErrorJson[];
    extensions?: Record<string, unknown>;
  };
}

async function post(h: Harness, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(h.gateway.url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    headers: response.headers,
    json: (await response.json()) as Answer["json"],
  };
}

async function get(
  h: Harness,
  params: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const response = await fetch(`${h.gateway.url}?${new URLSearchParams(params).toString()}`, { headers });
  return {
    status: response.status,
    headers: response.headers,
    json: (await response.json()) as Answer["json"],
  };
}

async function landingPage(h: Harness): Promise<{ status: number; type: string | null; html: string }> {
  const response = await fetch(h.gateway.url, { headers: { accept: "text/html" } });
  return { status: response.status, type: response.headers.get("content-type"), html: await response.text() };
}

const preflight = (h: Harness, origin: string): Promise<Response> =>
  fetch(h.gateway.url, {
    method: "OPTIONS",
    headers: {
      origin,
      "access-control-request-method": "POST",
      "access-control-request-headers": "content-type,x-auth-token",
    },
  });

const errorCodes = (answer: Answer): unknown[] => (answer.json.errors ?? []).map((e) => e.extensions?.code);

describe("outside production (defaults)", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ api: "v2", env: { GLANCE_API_VERSION: "v2" } });
  });
  afterAll(() => h.close());

  it("serves Apollo Sandbox to a browser asking for HTML", async () => {
    const page = await landingPage(h);
    expect(page.status).toBe(200);
    expect(page.type).toMatch(/^text\/html/);
    expect(page.html).toContain('id="embeddableSandbox"');
    expect(page.html).toContain("https://embeddable-sandbox.cdn.apollographql.com/");
  });

  it("answers introspection", async () => {
    const answer = await post(h, { query: INTROSPECTION });
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ data: { __schema: { queryType: { name: "Query" } } } });
  });

  it("refuses a GET query without a preflight-forcing header (CSRF prevention), and runs it with one", async () => {
    const refused = await get(h, { query: "{ __typename }" });
    expect(refused.status).toBe(400);
    expect(errorCodes(refused)).toEqual(["BAD_REQUEST"]);
    expect(refused.json.errors?.[0]?.message).toContain("apollo-require-preflight");

    const plainText = await get(h, { query: "{ __typename }" }, { "content-type": "text/plain" });
    expect(plainText.status).toBe(400);

    const preflightForcing: Array<Record<string, string>> = [
      { "apollo-require-preflight": "true" },
      { "x-apollo-operation-name": "Typename" },
    ];
    for (const header of preflightForcing) {
      const allowed = await get(h, { query: "{ __typename }" }, header);
      expect(allowed.status).toBe(200);
      expect(allowed.json).toEqual({ data: { __typename: "Query" } });
    }
  });

  it("refuses a simple (non-JSON) POST that a cross-site form could send", async () => {
    const response = await fetch(h.gateway.url, {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: JSON.stringify({ query: "{ __typename }" }),
    });
    expect(response.status).toBe(400);
    const json = (await response.json()) as Answer["json"];
    expect(json.errors?.[0]?.extensions?.code).toBe("BAD_REQUEST");
    expect(json.errors?.[0]?.message).toContain("Cross-Site Request Forgery");
  });

  it("runs automatic persisted queries: unknown hash, registration, then the hash alone", async () => {
    const query = `query PersistedMembers($imageId: ID!) { imageMembers(imageId: $imageId) { id memberId status } }`;
    const sha256Hash = createHash("sha256").update(query).digest("hex");
    const extensions = { persistedQuery: { version: 1, sha256Hash } };
    const variables = { imageId: IMAGE };
    h.emulator.reset();
    h.emulator.createImage({ id: IMAGE, owner: "proj-owner", visibility: "shared" });
    h.emulator.addMember(IMAGE, "proj-member");

    const unknown = await post(h, { extensions, variables }, as("proj-owner"));
    expect(errorCodes(unknown)).toEqual(["PERSISTED_QUERY_NOT_FOUND"]);
    expect(unknown.json.data).toBeUndefined();
    expect(h.emulator.requests).toEqual([]);

    const registered = await post(h, { query, extensions, variables }, as("proj-owner"));
    expect(registered.json.errors).toBeUndefined();
    const expected = {
      imageMembers: [{ id: `${IMAGE}/proj-member`, memberId: "proj-member", status: "PENDING" }],
    };
    expect(registered.json.data).toEqual(expected);

    const byHash = await post(h, { extensions, variables }, as("proj-owner"));
    expect(byHash.json).toEqual({ data: expected });

    // The hash alone also travels as a GET, which CDNs can cache.
    const byGet = await get(
      h,
      { extensions: JSON.stringify(extensions), variables: JSON.stringify(variables) },
      { ...as("proj-owner"), "apollo-require-preflight": "true" },
    );
    expect(byGet.status).toBe(200);
    expect(byGet.json).toEqual({ data: expected });

    // A hash that does not match the query it comes with is refused, nothing executed.
    const wrongHash = await post(h, {
      query: "{ __typename }",
      extensions: { persistedQuery: { version: 1, sha256Hash: "0".repeat(64) } },
    });
    expect(wrongHash.status).toBe(400);
    expect(wrongHash.json.data).toBeUndefined();
    expect(wrongHash.json.errors).toHaveLength(1);
    expect(wrongHash.json.errors?.[0]?.extensions?.code).toBe("BAD_REQUEST");
  });

  it("answers a preflight from any origin with the CORS headers (CORS_ORIGINS defaults to *)", async () => {
    const response = await preflight(h, "http://127.0.0.1:5173");
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(response.headers.get("access-control-allow-methods")).toContain("POST");
    expect(response.headers.get("access-control-allow-headers")).toBe("content-type,x-auth-token");
    expect(response.headers.get("access-control-max-age")).toBe("600");

    const actual = await post(h, { query: "{ __typename }" }, { origin: "http://127.0.0.1:5173" });
    expect(actual.headers.get("access-control-allow-origin")).toBe("*");
    expect(actual.headers.get("access-control-expose-headers")).toBe("x-request-id");
  });

  it("returns the inline trace (ftv1) a federation router asks for, and none otherwise", async () => {
    const traced = await post(h, { query: "{ __typename }" }, { "apollo-federation-include-trace": "ftv1" });
    expect(traced.json.data).toEqual({ __typename: "Query" });
    const ftv1 = traced.json.extensions?.ftv1;
    expect(typeof ftv1).toBe("string");
    expect(Buffer.from(ftv1 as string, "base64").length).toBeGreaterThan(0);

    const plain = await post(h, { query: "{ __typename }" });
    expect(plain.json.extensions?.ftv1).toBeUndefined();
  });
});

describe("NODE_ENV=production", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      api: "v2",
      env: { GLANCE_API_VERSION: "v2", NODE_ENV: "production", CORS_ORIGINS: "https://app.example" },
    });
  });
  afterAll(() => h.close());

  it("serves the production landing page instead of Sandbox", async () => {
    const page = await landingPage(h);
    expect(page.status).toBe(200);
    expect(page.type).toMatch(/^text\/html/);
    expect(page.html).toContain("https://apollo-server-landing-page.cdn.apollographql.com/");
    expect(page.html).toContain("window.landingPage");
    expect(page.html).not.toContain("embeddableSandbox");
  });

  it("keeps introspection on unless INTROSPECTION=false", async () => {
    const answer = await post(h, { query: INTROSPECTION });
    expect(answer.json.data).toEqual({ __schema: { queryType: { name: "Query" } } });
  });

  it("answers a preflight from a listed origin, naming that origin", async () => {
    const response = await preflight(h, "https://app.example");
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe("https://app.example");
    expect(response.headers.get("access-control-allow-methods")).toContain("POST");
    expect(response.headers.get("access-control-allow-headers")).toBe("content-type,x-auth-token");
    expect(response.headers.get("vary")).toMatch(/origin/i);
  });

  it("answers a preflight from another origin without CORS headers, so the browser refuses the call", async () => {
    const response = await preflight(h, "https://evil.example");
    expect(response.status).toBe(204);
    for (const name of [
      "access-control-allow-origin",
      "access-control-allow-methods",
      "access-control-allow-headers",
      "access-control-max-age",
    ]) {
      expect(response.headers.get(name), name).toBeNull();
    }
    // The answer depends on the origin: shared caches must key on it.
    expect(response.headers.get("vary")).toMatch(/origin/i);

    const actual = await post(h, { query: "{ __typename }" }, { origin: "https://evil.example" });
    expect(actual.headers.get("access-control-allow-origin")).toBeNull();
    expect(actual.headers.get("vary")).toMatch(/origin/i);
  });
});

describe("INTROSPECTION=false", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ api: "v2", env: { GLANCE_API_VERSION: "v2", INTROSPECTION: "false" } });
  });
  afterAll(() => h.close());

  it("refuses introspection and still runs queries", async () => {
    const refused = await post(h, { query: INTROSPECTION });
    expect(errorCodes(refused)).toEqual(["GRAPHQL_VALIDATION_FAILED"]);
    expect(refused.json.errors?.[0]?.message).toMatch(/introspection/i);

    const typename = await post(h, { query: "{ __typename }" });
    expect(typename.json).toEqual({ data: { __typename: "Query" } });
  });
});
