/**
 * The emulated Keystone's Identity v2.0 in the shape Rackspace answers (no real Keystone serves v2.0
 * any more, so the differential suite cannot compare it): sign-in by API key or password, the
 * cloudImages catalog, and token validation.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startKeystoneEmulator, type KeystoneEmulator } from "../../src/emulator/index.js";
import { call } from "./client.js";

interface Access {
  access: {
    token: { id: string; expires: string; tenant?: { id: string; name: string } } & Record<string, unknown>;
    user: { id: string; name: string; roles: { id: string; name: string }[] } & Record<string, unknown>;
    serviceCatalog?: unknown[];
  };
}

describe("emulated Keystone, Identity v2.0", () => {
  let keystone: KeystoneEmulator;
  let tenant: { id: string; name: string };
  let second: { id: string; name: string };
  let user: { id: string; name: string };

  beforeAll(async () => {
    keystone = await startKeystoneEmulator({
      imageEndpoints: [
        { region: "DFW", url: "https://dfw.images.example/v2" },
        { region: "IAD", url: "https://iad.images.example/v2" },
        { region: "IAD", url: "http://snet-iad.images.example/v2", interface: "internal" },
        { region: "ORD", url: "http://snet-ord.images.example/v2", interface: "internal" },
      ],
    });
    tenant = keystone.addProject("123456");
    second = keystone.addProject("654321");
    user = keystone.addUser("raxuser", "pw", { apiKey: "key-1" });
    keystone.grant(user.id, tenant.id, "admin");
    keystone.grant(user.id, second.id, "member");
    keystone.addUser("nokey", "pw");
  });
  afterAll(() => keystone.close());

  const post = (body: unknown) =>
    call(keystone.url, "POST", "/v2.0/tokens", { headers: { "content-type": "application/json" }, body });
  const apiKey = (username: string, key: string, extra: Record<string, unknown> = {}) => ({
    auth: { "RAX-KSKEY:apiKeyCredentials": { username, apiKey: key }, ...extra },
  });
  const password = (username: string, secret: string, extra: Record<string, unknown> = {}) => ({
    auth: { passwordCredentials: { username, password: secret }, ...extra },
  });

  it("an API key signs in: token, first tenant, roles and the cloudImages catalog, one entry per region", async () => {
    const reply = await post(apiKey("raxuser", "key-1"));
    expect(reply.status).toBe(200);
    expect(reply.contentType).toBe("application/json");
    const { access } = reply.json as Access;
    expect(access.token.id).toMatch(/^[A-Za-z0-9_-]{100,}$/);
    expect(access.token.tenant).toEqual({ id: tenant.id, name: "123456" });
    expect(access.token.expires).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000Z$/);
    expect(Date.parse(access.token.expires) - Date.now()).toBeGreaterThan(3_590_000);
    expect(access.token["RAX-AUTH:authenticatedBy"]).toEqual(["APIKEY"]);
    expect(access.user).toMatchObject({ id: user.id, name: "raxuser", "RAX-AUTH:defaultRegion": "DFW" });
    expect(access.user.roles.map((role) => role.name)).toEqual(["admin", "member", "reader"]);
    // ORD has no public endpoint: not listed.
    expect(access.serviceCatalog).toEqual([
      {
        name: "cloudImages",
        type: "image",
        endpoints: [
          { region: "DFW", tenantId: tenant.id, publicURL: "https://dfw.images.example/v2" },
          {
            region: "IAD",
            tenantId: tenant.id,
            publicURL: "https://iad.images.example/v2",
            internalURL: "http://snet-iad.images.example/v2",
          },
        ],
      },
    ]);
    expect(keystone.tokenHolder(access.token.id)).toMatchObject({ userId: user.id, projectId: tenant.id });
  });

  it("a password signs in, for the tenant named by id or by name", async () => {
    const byName = await post(password("raxuser", "pw", { tenantName: "654321" }));
    expect(byName.status).toBe(200);
    const access = (byName.json as Access).access;
    expect(access.token.tenant).toEqual({ id: second.id, name: "654321" });
    expect(access.token["RAX-AUTH:authenticatedBy"]).toEqual(["PASSWORD"]);
    expect(access.user.roles.map((role) => role.name)).toEqual(["member", "reader"]);
    const byId = await post(apiKey("raxuser", "key-1", { tenantId: second.id }));
    expect((byId.json as Access).access.token.tenant?.id).toBe(second.id);
  });

  it("bad credentials: 401 in the v2.0 shape, worded per credential kind", async () => {
    const badKey = {
      unauthorized: { code: 401, message: "Username or api key is invalid." },
    };
    const badPassword = {
      unauthorized: { code: 401, message: "Unable to authenticate user with credentials provided." },
    };
    for (const [body, expected] of [
      [apiKey("raxuser", "nope"), badKey],
      [apiKey("nobody", "key-1"), badKey],
      [apiKey("nokey", ""), badKey],
      [password("raxuser", "nope"), badPassword],
      [password("raxuser", "pw", { tenantName: "not-mine" }), badPassword],
    ] as const) {
      const reply = await post(body);
      expect(reply.status).toBe(401);
      expect(reply.json).toEqual(expected);
    }
  });

  it("a body without credentials: 400 badRequest", async () => {
    for (const body of ["{not json", { auth: {} }, { nothing: true }]) {
      const reply = await post(body);
      expect(reply.status).toBe(400);
      expect(reply.json).toEqual({ badRequest: { code: 400, message: "Invalid json request body" } });
    }
  });

  it("validation by an admin token: 200 with token and user (no catalog), 404 itemNotFound once revoked", async () => {
    const admin = keystone.issueToken(user.id, tenant.id);
    const someone = keystone.addUser("someone", "pw");
    const subject = keystone.issueToken(someone.id, null);
    const validate = (token: string) =>
      call(keystone.url, "GET", `/v2.0/tokens/${token}`, { headers: { "x-auth-token": admin } });
    const valid = await validate(subject);
    expect(valid.status).toBe(200);
    const { access } = valid.json as Access;
    expect(access.token.id).toBe(subject);
    expect(access.token.tenant).toBeUndefined();
    expect(access.user).toMatchObject({ id: someone.id, name: "someone", roles: [] });
    expect(access.serviceCatalog).toBeUndefined();
    keystone.revokeToken(subject);
    const gone = await validate(subject);
    expect(gone.status).toBe(404);
    expect(gone.json).toEqual({ itemNotFound: { code: 404, message: "Token not found." } });
    expect((await validate(keystone.issueToken(someone.id, null, { lifetimeSeconds: -1 }))).status).toBe(404);
  });

  it("validation refusals: no valid X-Auth-Token 401; a plain user validating another's 403, its own 200", async () => {
    const plain = keystone.addUser("plain", "pw");
    keystone.grant(plain.id, second.id, "member");
    const own = keystone.issueToken(plain.id, second.id);
    const other = keystone.issueToken(user.id, tenant.id);
    const noCaller = await call(keystone.url, "GET", `/v2.0/tokens/${other}`, {
      headers: { "x-auth-token": "nope" },
    });
    expect(noCaller.status).toBe(401);
    expect(noCaller.json).toEqual({
      unauthorized: {
        code: 401,
        message: "No valid token provided. Please use the 'X-Auth-Token' header with a valid token.",
      },
    });
    const forbidden = await call(keystone.url, "GET", `/v2.0/tokens/${other}`, {
      headers: { "x-auth-token": own },
    });
    expect(forbidden.status).toBe(403);
    expect(forbidden.json).toEqual({ forbidden: { code: 403, message: "Not Authorized" } });
    const self = await call(keystone.url, "GET", `/v2.0/tokens/${own}`, { headers: { "x-auth-token": own } });
    expect(self.status).toBe(200);
  });

  it("other v2.0 URLs: 404 itemNotFound", async () => {
    const reply = await call(keystone.url, "GET", "/v2.0/tenants");
    expect(reply.status).toBe(404);
    expect(reply.json).toEqual({ itemNotFound: { code: 404, message: "Resource not found" } });
  });
});
