import { createServer } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ImageMembersDocument, ShareImageDocument } from "../__generated__/graphql.js";
import { as, codes, startHarness, type Harness } from "../support/harness.js";
import { UPSTREAM_REQUEST_ID } from "../support/upstream.js";

const REQUEST_ID = "req-0a1b2c3d-0000-4000-8000-000000000001";

function webob(status: number, title: string, text: string): string {
  return JSON.stringify({ message: `${text}<br /><br />\n\n\n`, code: `${status} ${title}`, title });
}

describe("upstream failures map to one GraphQL error code each", () => {
  let h: Harness;
  let image: string;

  beforeAll(async () => {
    // Each fault below is one answer: retries and the circuit breaker stay off, so that the answer
    // maps as it is (they are tested in test/faults/).
    h = await startHarness({
      api: "v2",
      env: {
        GLANCE_API_VERSION: "v2",
        UPSTREAM_TIMEOUT_MS: "400",
        UPSTREAM_RETRIES: "0",
        CIRCUIT_BREAKER_THRESHOLD: "0",
      },
    });
  });
  afterAll(() => h.close());
  beforeEach(() => {
    h.emulator.reset();
    image = h.emulator.createImage({ owner: "proj-a", visibility: "shared" }).id;
  });

  it.each([
    [400, "Bad Request", "BAD_USER_INPUT", false],
    [401, "Unauthorized", "UNAUTHENTICATED", false],
    [403, "Forbidden", "FORBIDDEN", false],
    [404, "Not Found", "NOT_FOUND", false],
    [409, "Conflict", "CONFLICT", false],
    [413, "Request Entity Too Large", "OVER_LIMIT", false],
    [429, "Too Many Requests", "RATE_LIMITED", true],
    [500, "Internal Server Error", "UPSTREAM_ERROR", false],
    [502, "Bad Gateway", "SERVICE_UNAVAILABLE", true],
    [503, "Service Unavailable", "SERVICE_UNAVAILABLE", true],
    [504, "Gateway Timeout", "UPSTREAM_TIMEOUT", true],
    [418, "I'm a teapot", "UPSTREAM_BAD_RESPONSE", false],
    [302, "Found", "UPSTREAM_BAD_RESPONSE", false],
    [201, "Created", "UPSTREAM_BAD_RESPONSE", false],
  ])("HTTP %i %s → %s", async (status, title, code, retryable) => {
    h.emulator.injectFault({
      path: `/v2/images/${image}/members`,
      action: {
        kind: "respond",
        status,
        headers: { "content-type": "application/json", "x-openstack-request-id": REQUEST_ID },
        body: webob(status, title, `Something about image ${image}.`),
      },
    });

    const result = await h.request(ImageMembersDocument, { imageId: image }, as("proj-a"));

    expect(result.status).toBe(200);
    expect(result.data).toBeNull();
    expect(codes(result)).toEqual([code]);
    const error = result.errors?.[0];
    expect(error?.extensions).toEqual({
      code,
      retryable,
      upstream: { status, method: "GET", path: `/v2/images/${image}/members`, requestId: REQUEST_ID },
      requestId: expect.stringMatching(UPSTREAM_REQUEST_ID) as string,
    });
    expect(error?.message).toContain(`Something about image ${image}.`);
    expect(error?.message).not.toContain("<br");
  });

  it("reads an HTML error page into the message", async () => {
    h.emulator.injectFault({
      path: `/v2/images/${image}/members`,
      action: {
        kind: "respond",
        status: 503,
        headers: { "content-type": "text/html" },
        body: "<html><body><h1>503 Service Unavailable</h1>Back soon.</body></html>",
      },
    });
    const result = await h.request(ImageMembersDocument, { imageId: image }, as("proj-a"));
    expect(codes(result)).toEqual(["SERVICE_UNAVAILABLE"]);
    expect(result.errors?.[0]?.message).toBe("Back soon.");
  });

  it.each([
    ["a body that is not JSON", "{not json"],
    ["a body without members", JSON.stringify({ images: [] })],
    ["a member without a status", JSON.stringify({ members: [{ member_id: "x", image_id: "y" }] })],
    [
      "a member with an unknown status",
      JSON.stringify({
        members: [
          {
            member_id: "x",
            image_id: "y",
            status: "gone",
            created_at: "2024-01-01T00:00:00Z",
            updated_at: "2024-01-01T00:00:00Z",
          },
        ],
      }),
    ],
  ])("a 200 with %s → UPSTREAM_BAD_RESPONSE", async (_what, body) => {
    h.emulator.injectFault({
      path: `/v2/images/${image}/members`,
      action: { kind: "respond", status: 200, headers: { "content-type": "application/json" }, body },
    });
    const result = await h.request(ImageMembersDocument, { imageId: image }, as("proj-a"));
    expect(codes(result)).toEqual(["UPSTREAM_BAD_RESPONSE"]);
    expect(result.errors?.[0]?.extensions?.upstream).toMatchObject({ status: 200, method: "GET" });
  });

  it("a slow answer → UPSTREAM_TIMEOUT", async () => {
    h.emulator.injectFault({ path: `/v2/images/${image}/members`, action: { kind: "delay", ms: 1500 } });
    const started = Date.now();
    const result = await h.request(ImageMembersDocument, { imageId: image }, as("proj-a"));
    expect(codes(result)).toEqual(["UPSTREAM_TIMEOUT"]);
    expect(result.errors?.[0]?.extensions).toMatchObject({ retryable: true, upstream: { status: null } });
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it("a body that stalls → UPSTREAM_TIMEOUT", async () => {
    h.emulator.injectFault({ path: `/v2/images/${image}/members`, action: { kind: "stall-body", ms: 1500 } });
    const result = await h.request(ImageMembersDocument, { imageId: image }, as("proj-a"));
    expect(codes(result)).toEqual(["UPSTREAM_TIMEOUT"]);
  });

  it("a connection reset → UPSTREAM_UNREACHABLE", async () => {
    h.emulator.injectFault({ path: `/v2/images/${image}/members`, action: { kind: "destroy" } });
    const result = await h.request(ImageMembersDocument, { imageId: image }, as("proj-a"));
    expect(codes(result)).toEqual(["UPSTREAM_UNREACHABLE"]);
    expect(result.errors?.[0]?.extensions?.retryable).toBe(true);
  });

  it("a body cut short → UPSTREAM_UNREACHABLE", async () => {
    h.emulator.injectFault({ path: `/v2/images/${image}/members`, action: { kind: "truncate" } });
    const result = await h.request(ImageMembersDocument, { imageId: image }, as("proj-a"));
    expect(codes(result)).toEqual(["UPSTREAM_UNREACHABLE"]);
  });

  it("never carries extensions.http, a stack or the token", async () => {
    const token = "secret-token-proj-a-5f2c9";
    h.emulator.injectFault({
      path: `/v2/images/${image}/members`,
      action: {
        kind: "respond",
        status: 403,
        headers: { "content-type": "application/json" },
        body: webob(403, "Forbidden", `token ${token} is not allowed`),
      },
    });
    const result = await h.request(
      ShareImageDocument,
      { imageId: image, memberId: "proj-b" },
      { "x-auth-token": token },
    );
    expect(codes(result)).toEqual(["FORBIDDEN"]);
    expect(result.raw).not.toContain(token);
    expect(result.errors?.[0]?.extensions).not.toHaveProperty("http");
    expect(result.errors?.[0]?.extensions).not.toHaveProperty("stacktrace");
    expect(h.logs.join("")).not.toContain(token);
  });
});

describe("an upstream that cannot be reached", () => {
  it("refused connection → UPSTREAM_UNREACHABLE", async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer();
      probe.listen(0, "127.0.0.1", () => {
        const address = probe.address();
        probe.close(() => resolve(typeof address === "object" && address !== null ? address.port : 0));
      });
    });
    const h = await startHarness({
      upstreamUrl: `http://127.0.0.1:${port}`,
      env: { GLANCE_API_VERSION: "v2" },
    });
    try {
      const result = await h.request(
        ImageMembersDocument,
        { imageId: "11111111-2222-3333-4444-555555555555" },
        as("proj-a"),
      );
      expect(codes(result)).toEqual(["UPSTREAM_UNREACHABLE"]);
      expect(result.errors?.[0]?.extensions).toMatchObject({
        retryable: true,
        upstream: {
          status: null,
          method: "GET",
          path: "/v2/images/11111111-2222-3333-4444-555555555555/members",
        },
      });
    } finally {
      await h.close();
    }
  });
});
