/** Identity headers, request ids, version discovery per API mode, URL negotiation and the healthcheck. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type EmulatedApi, type Emulator } from "../../src/emulator/index.js";
import { call, webobJson } from "./client.js";

const V2_DOC = (host: string): unknown[] => [
  { id: "v2.15", status: "CURRENT", links: [{ rel: "self", href: `http://${host}/v2/` }] },
  ...["v2.9", "v2.7", "v2.6", "v2.5", "v2.4", "v2.3", "v2.2", "v2.1", "v2.0"].map((id) => ({
    id,
    status: "SUPPORTED",
    links: [{ rel: "self", href: `http://${host}/v2/` }],
  })),
];
const V1_DOC = (host: string): unknown[] => [
  { id: "v1.1", status: "DEPRECATED", links: [{ rel: "self", href: `http://${host}/v1/` }] },
  { id: "v1.0", status: "DEPRECATED", links: [{ rel: "self", href: `http://${host}/v1/` }] },
];

const UNAUTHORIZED =
  "This server could not verify that you are authorized to access the document you requested. Either you " +
  "supplied the wrong credentials (e.g., bad password), or your browser does not understand how to supply " +
  "the credentials required.";
const CONFIRMED = { "x-identity-status": "Confirmed" };

describe("identity and request ids (v2)", () => {
  let emulator: Emulator;
  let image: string;

  beforeAll(async () => {
    emulator = await startEmulator();
    image = emulator.createImage({ owner: "proj-a", visibility: "shared" }).id;
    emulator.addMember(image, "proj-b");
  });
  afterAll(() => emulator.close());

  const members = (): string => `/v2/images/${image}/members`;

  it("answers 401 without any project, with webob's text and no request id", async () => {
    for (const path of [members(), "/v2/schemas/member", "/v2"]) {
      const reply = await call(emulator.url, "GET", path, { headers: { "x-roles": "admin" } });
      expect(reply.status).toBe(401);
      expect(reply.json).toEqual({
        message: `${UNAUTHORIZED}<br /><br />\n\n\n`,
        code: "401 Unauthorized",
        title: "Unauthorized",
      });
      expect(reply.headers["x-openstack-request-id"]).toBeUndefined();
      expect(reply.headers["www-authenticate"]).toBeUndefined();
    }
  });

  it.each([
    ["X-Project-Id", { ...CONFIRMED, "x-project-id": "proj-a" }],
    ["X-Tenant-Id", { ...CONFIRMED, "x-tenant-id": "proj-a" }],
    ["X-Tenant", { ...CONFIRMED, "x-tenant": "proj-a" }],
    ["X-Auth-Token as the project, with no X-Identity-Status", { "x-auth-token": "proj-a" }],
    [
      "X-Project-Id, not X-Auth-Token, once confirmed",
      { ...CONFIRMED, "x-project-id": "proj-a", "x-auth-token": "proj-zzz" },
    ],
  ])("reads the project from %s", async (_what, headers) => {
    const reply = await call(emulator.url, "GET", members(), { headers });
    expect(reply.status).toBe(200);
    expect((reply.json as { members: unknown[] }).members).toHaveLength(1);
  });

  it.each([
    ["no X-Identity-Status", { "x-project-id": "proj-a" }],
    ["X-Identity-Status other than Confirmed", { "x-identity-status": "Invalid", "x-project-id": "proj-a" }],
    ["a lower-case confirmed", { "x-identity-status": "confirmed", "x-project-id": "proj-a" }],
    ["a token beside an unconfirmed status", { "x-identity-status": "Invalid", "x-auth-token": "proj-a" }],
  ])("refuses %s with 401 and no request id", async (_what, headers) => {
    const reply = await call(emulator.url, "GET", members(), { headers });
    expect(reply.status).toBe(401);
    expect(reply.headers["x-openstack-request-id"]).toBeUndefined();
  });

  it("serves a confirmed caller without a project: its images have no owner, and it is no member", async () => {
    const created = await call(emulator.url, "POST", "/v2/images", {
      headers: CONFIRMED,
      body: { name: "ownerless", visibility: "shared" },
    });
    expect(created.status).toBe(201);
    expect((created.json as { owner: unknown }).owner).toBeNull();
    const shared = await call(emulator.url, "GET", members(), { headers: CONFIRMED });
    expect(shared.status).toBe(404);
    const listed = await call(emulator.url, "GET", "/v2/images?visibility=shared&member_status=all", {
      headers: CONFIRMED,
    });
    expect((listed.json as { images: unknown[] }).images).toEqual([]);
  });

  it("treats only the admin role as special", async () => {
    const asReader = await call(emulator.url, "GET", members(), {
      project: "proj-x",
      roles: "reader,member",
    });
    const asAdmin = await call(emulator.url, "GET", members(), {
      project: "proj-x",
      roles: " reader , Admin ",
    });
    expect([asReader.status, asAdmin.status]).toEqual([404, 200]);
  });

  it("generates a req-<uuid> request id", async () => {
    const reply = await call(emulator.url, "GET", members(), { project: "proj-a" });
    expect(reply.headers["x-openstack-request-id"]).toMatch(
      /^req-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it.each([
    ["my-trace-id-42", "req-my-trace-id-42"],
    ["req-0a1b", "req-0a1b"],
    ["x".repeat(64), `req-${"x".repeat(64)}`],
  ])("echoes the request id %s as %s, on errors too", async (given, echoed) => {
    const ok = await call(emulator.url, "GET", members(), {
      project: "proj-a",
      headers: { "x-openstack-request-id": given },
    });
    const notFound = await call(emulator.url, "GET", "/v2/images/nope/members", {
      project: "proj-a",
      headers: { "x-openstack-request-id": given },
    });
    expect(ok.headers["x-openstack-request-id"]).toBe(echoed);
    expect([notFound.status, notFound.headers["x-openstack-request-id"]]).toEqual([404, echoed]);
  });

  it("answers 500 to a request id longer than 64 characters (Glance's bug)", async () => {
    const reply = await call(emulator.url, "GET", members(), {
      project: "proj-a",
      headers: { "x-openstack-request-id": "x".repeat(65) },
    });
    expect(reply.status).toBe(500);
    expect((reply.json as { code: string }).code).toBe("500 Internal Server Error");
    expect(reply.headers["x-openstack-request-id"]).toBeUndefined();
  });

  it("redirects /v2 to /v2/ and accepts a minor version in the path", async () => {
    const redirect = await call(emulator.url, "GET", "/v2", { project: "proj-a" });
    expect([redirect.status, redirect.headers.location, redirect.text]).toEqual([
      302,
      `${emulator.url}/v2/`,
      "",
    ]);
    for (const prefix of ["/v2.15", "/v2.0", "/v2.9"]) {
      const reply = await call(emulator.url, "GET", `${prefix}/images/${image}/members`, {
        project: "proj-a",
      });
      expect([prefix, reply.status]).toEqual([prefix, 200]);
    }
  });

  it("selects the version from a vendor media type in Accept", async () => {
    const reply = await call(emulator.url, "GET", `/images/${image}/members`, {
      project: "proj-a",
      accept: "application/vnd.openstack.images-v2",
    });
    expect(reply.status).toBe(200);
  });

  it("serves the healthcheck without identity", async () => {
    const json = await call(emulator.url, "GET", "/healthcheck");
    expect([json.status, json.json, json.headers["x-openstack-request-id"]]).toEqual([
      200,
      { detailed: false, reasons: ["OK"] },
      undefined,
    ]);
    expect(json.text).toBe('{\n    "detailed": false,\n    "reasons": [\n        "OK"\n    ]\n}');
    const plain = await call(emulator.url, "GET", "/healthcheck", { accept: null });
    expect([plain.status, plain.contentType, plain.text]).toEqual([200, "text/plain; charset=UTF-8", "OK"]);
    const html = await call(emulator.url, "GET", "/healthcheck", { accept: "text/html" });
    expect([html.status, html.contentType]).toEqual([200, "text/html; charset=UTF-8"]);
    expect(html.text).toContain("<H2>Result of 1 checks:</H2>");
    expect(html.text).toContain("<TD>OK</TD>");
    const head = await call(emulator.url, "HEAD", "/healthcheck");
    expect(head.status).toBe(204);
  });
});

describe("version documents", () => {
  const running: Emulator[] = [];
  const start = async (api: EmulatedApi): Promise<Emulator> => {
    const emulator = await startEmulator({ api });
    running.push(emulator);
    return emulator;
  };
  afterAll(async () => {
    await Promise.all(running.map((emulator) => emulator.close()));
  });

  it.each<[EmulatedApi, (host: string) => unknown[]]>([
    ["v2", (host) => V2_DOC(host)],
    ["v1", (host) => V1_DOC(host)],
    ["both", (host) => [...V2_DOC(host), ...V1_DOC(host)]],
  ])("api %s: GET / is 300 and GET /versions 200, with hrefs from the Host header", async (api, expected) => {
    const emulator = await start(api);
    const host = emulator.url.replace("http://", "");
    const root = await call(emulator.url, "GET", "/", { accept: null });
    const versions = await call(emulator.url, "GET", "/versions", { accept: null });
    const viaProxy = await call(emulator.url, "GET", "/versions", {
      headers: { host: "glance.example:9292" },
    });

    expect([root.status, root.reason, root.contentType]).toEqual([
      300,
      "Multiple Choices",
      "application/json",
    ]);
    expect(root.json).toEqual({ versions: expected(host) });
    expect([versions.status, versions.json]).toEqual([200, { versions: expected(host) }]);
    expect(viaProxy.json).toEqual({ versions: expected("glance.example:9292") });
    expect(root.headers["x-openstack-request-id"]).toBeUndefined();
    expect(versions.headers["x-openstack-request-id"]).toBeUndefined();
    expect(root.text.startsWith('{"versions": [{"id": ')).toBe(true);
  });

  it.each<[EmulatedApi, string, number]>([
    ["v2", "/v1/images/x/members", 300],
    ["v2", "/v1/shared-images/proj-a", 300],
    ["v2", "/v3/images", 300],
    ["v2", "/images", 300],
    ["v2", "/v2.8/images", 300],
    ["v2", "/v10", 300],
    ["v2", "/v2/images", 200],
    ["v1", "/v2/images", 300],
    ["v1", "/v1/shared-images/proj-a", 200],
    ["both", "/v1/shared-images/proj-a", 200],
    ["both", "/v2/images", 200],
  ])("api %s: GET %s → %i", async (api, path, status) => {
    const emulator = await start(api);
    const reply = await call(emulator.url, "GET", path, { project: "proj-a" });
    expect(reply.status).toBe(status);
    if (status === 300) {
      expect(Object.keys(reply.json as object)).toEqual(["versions"]);
      expect(reply.headers["x-openstack-request-id"]).toBeUndefined();
    } else {
      expect(reply.headers["x-openstack-request-id"]).toMatch(/^req-/);
    }
  });

  it("answers 300 without identity too", async () => {
    const emulator = await start("v2");
    const reply = await call(emulator.url, "DELETE", "/v1/images/x/members/y");
    expect(reply.status).toBe(300);
  });

  it("keeps the 401 for a served version without identity", async () => {
    const emulator = await start("v1");
    const reply = await call(emulator.url, "GET", "/v1/shared-images/proj-a");
    expect([reply.status, reply.json]).toEqual([
      401,
      { message: `${UNAUTHORIZED}<br /><br />\n\n\n`, code: "401 Unauthorized", title: "Unauthorized" },
    ]);
  });

  it("answers an unknown v2 path with webob's bare 404", async () => {
    const emulator = await start("v2");
    const reply = await call(emulator.url, "GET", "/v2/images/x/tags", { project: "proj-a" });
    expect([reply.status, reply.json]).toEqual([
      404,
      webobJson(404, "Not Found", "The resource could not be found."),
    ]);
  });
});
