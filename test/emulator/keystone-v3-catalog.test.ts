/**
 * The emulated Keystone's catalog (`GET /v3/auth/catalog` and the token's), its version documents,
 * and what Flask answers for URLs and methods Keystone does not route.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startKeystoneEmulator, type KeystoneEmulator } from "../../src/emulator/index.js";
import { call } from "./client.js";

interface Service {
  endpoints: { id: string; interface: string; region_id: string; url: string; region: string }[];
  id: string;
  type: string;
  name: string;
}

describe("emulated Keystone, catalog and routes", () => {
  let keystone: KeystoneEmulator;
  let scoped: string;
  let unscoped: string;

  beforeAll(async () => {
    keystone = await startKeystoneEmulator({
      imageEndpoints: [
        { region: "RegionOne", url: "http://one.example:9292" },
        { region: "RegionOne", url: "http://one-internal.example:9292", interface: "internal" },
        { region: "RegionTwo", url: "http://two.example:9292", interface: "public" },
      ],
    });
    const project = keystone.addProject("alpha");
    const user = keystone.addUser("alice", "pw");
    keystone.grant(user.id, project.id, "member");
    scoped = keystone.issueToken(user.id, project.id);
    unscoped = keystone.issueToken(user.id, null);
  });
  afterAll(() => keystone.close());

  const catalog = (token: string | undefined, method = "GET") =>
    call(keystone.url, method, "/v3/auth/catalog", {
      headers: token === undefined ? {} : { "x-auth-token": token },
    });

  it("GET /v3/auth/catalog: Keystone first, then Glance's endpoints, with links.self", async () => {
    const reply = await catalog(scoped);
    expect(reply.status).toBe(200);
    expect(reply.text.endsWith("}\n")).toBe(true);
    const body = reply.json as { catalog: Service[]; links: unknown };
    expect(body.links).toEqual({ self: `${keystone.url}/v3/auth/catalog` });
    const [identity, image] = body.catalog;
    expect(identity).toMatchObject({ type: "identity", name: "keystone" });
    expect(
      identity?.endpoints.map((endpoint) => [endpoint.interface, endpoint.region, endpoint.url]),
    ).toEqual([
      ["public", "RegionOne", `${keystone.url}/v3`],
      ["internal", "RegionOne", `${keystone.url}/v3`],
      ["admin", "RegionOne", `${keystone.url}/v3`],
    ]);
    expect(image).toMatchObject({ type: "image", name: "glance" });
    expect(image?.id).toMatch(/^[0-9a-f]{32}$/);
    expect(image?.endpoints.map(({ id: _id, ...endpoint }) => endpoint)).toEqual([
      { interface: "public", region_id: "RegionOne", url: "http://one.example:9292", region: "RegionOne" },
      {
        interface: "internal",
        region_id: "RegionOne",
        url: "http://one-internal.example:9292",
        region: "RegionOne",
      },
      { interface: "public", region_id: "RegionTwo", url: "http://two.example:9292", region: "RegionTwo" },
    ]);
    expect(Object.keys(image?.endpoints[0] ?? {})).toEqual(["id", "interface", "region_id", "url", "region"]);
  });

  it("the token's catalog is the same one", async () => {
    const reply = await call(keystone.url, "GET", "/v3/auth/tokens", {
      headers: { "x-auth-token": scoped, "x-subject-token": scoped },
    });
    const fromToken = (reply.json as { token: { catalog: Service[] } }).token.catalog;
    expect(fromToken).toEqual(((await catalog(scoped)).json as { catalog: Service[] }).catalog);
  });

  it("setImageEndpoints replaces the image endpoints; an unchanged endpoint keeps its id", async () => {
    const before = ((await catalog(scoped)).json as { catalog: Service[] }).catalog[1]!.endpoints;
    keystone.setImageEndpoints([
      { region: "RegionOne", url: "http://one.example:9292" },
      { region: "RegionThree", url: "http://three.example:9292" },
    ]);
    try {
      const after = ((await catalog(scoped)).json as { catalog: Service[] }).catalog[1]!.endpoints;
      expect(after.map((endpoint) => endpoint.region)).toEqual(["RegionOne", "RegionThree"]);
      expect(after[0]?.id).toBe(before[0]?.id);
      expect(after[1]?.id).not.toBe(before[2]?.id);
      keystone.setImageEndpoints([]);
      const none = ((await catalog(scoped)).json as { catalog: Service[] }).catalog;
      expect(none.map((service) => [service.type, service.endpoints.length])).toEqual([
        ["identity", 3],
        ["image", 0],
      ]);
    } finally {
      keystone.setImageEndpoints([
        { region: "RegionOne", url: "http://one.example:9292" },
        { region: "RegionOne", url: "http://one-internal.example:9292", interface: "internal" },
        { region: "RegionTwo", url: "http://two.example:9292", interface: "public" },
      ]);
    }
  });

  it("an unscoped token has no catalog: 403; no valid token: 401", async () => {
    const refused = await catalog(unscoped);
    expect(refused.status).toBe(403);
    expect(refused.json).toEqual({
      error: {
        code: 403,
        message: "You are not authorized to perform the requested action.",
        title: "Forbidden",
      },
    });
    for (const token of [undefined, "nope"]) {
      const reply = await catalog(token);
      expect(reply.status).toBe(401);
      expect(reply.headers["www-authenticate"]).toBe(`Keystone uri="${keystone.url}/v3"`);
    }
  });

  it("the version documents: /v3 (200) and / (300 to /v3/)", async () => {
    const entry = {
      id: "v3.14",
      status: "stable",
      updated: "2020-04-07T00:00:00Z",
      links: [{ rel: "self", href: `${keystone.url}/v3/` }],
      "media-types": [{ base: "application/json", type: "application/vnd.openstack.identity-v3+json" }],
    };
    for (const path of ["/v3", "/v3/"]) {
      const reply = await call(keystone.url, "GET", path);
      expect(reply.status).toBe(200);
      expect(reply.json).toEqual({ version: entry });
    }
    const root = await call(keystone.url, "GET", "/");
    expect(root.status).toBe(300);
    expect(root.headers.location).toBe(`${keystone.url}/v3/`);
    expect(root.json).toEqual({ versions: { values: [entry] } });
  });

  it("a URL Keystone does not route: Flask's HTML 404", async () => {
    for (const path of ["/v3/projects", "/identity", "/v3/auth/tokens/extra"]) {
      const reply = await call(keystone.url, "GET", path, { headers: { "x-auth-token": scoped } });
      expect(reply.status).toBe(404);
      expect(reply.contentType).toBe("text/html; charset=utf-8");
      expect(reply.text).toContain("<title>404 Not Found</title>");
    }
  });

  it("another method on a known URL: 405 with Allow; OPTIONS: 200 with Allow", async () => {
    const put = await call(keystone.url, "PUT", "/v3/auth/tokens", { headers: { "x-auth-token": scoped } });
    expect(put.status).toBe(405);
    expect(put.headers.allow).toBe("POST, GET, HEAD, OPTIONS, DELETE");
    expect(put.text).toBe('{"message": "The method is not allowed for the requested URL."}\n');
    const post = await call(keystone.url, "POST", "/v3/auth/catalog", { body: {} });
    expect([post.status, post.headers.allow]).toEqual([405, "HEAD, OPTIONS, GET"]);
    for (const path of ["/", "/v3"]) {
      const html = await call(keystone.url, "POST", path, { body: {} });
      expect([html.status, html.headers.allow, html.contentType]).toEqual([
        405,
        "HEAD, OPTIONS, GET",
        "text/html; charset=utf-8",
      ]);
      expect(html.text).toContain("<title>405 Method Not Allowed</title>");
    }
    const options = await call(keystone.url, "OPTIONS", "/v3/auth/tokens");
    expect([options.status, options.headers.allow, options.text]).toEqual([
      200,
      "POST, GET, HEAD, OPTIONS, DELETE",
      "",
    ]);
  });
});
