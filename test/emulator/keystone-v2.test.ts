/**
 * The emulated Keystone's Identity v2.0 (the shape Rackspace answers; no real Keystone serves v2.0
 * any more, so the differential suite cannot compare it) and its v3 catalog call.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startKeystoneEmulator, type KeystoneEmulator } from "../../src/emulator/index.js";

describe("emulated Keystone, Identity v2.0", () => {
  let keystone: KeystoneEmulator;
  let tenant: { id: string; name: string };

  beforeAll(async () => {
    keystone = await startKeystoneEmulator({
      imageEndpoints: [
        { region: "DFW", url: "https://dfw.images.example/v2" },
        { region: "IAD", url: "https://iad.images.example/v2" },
        { region: "IAD", url: "http://snet-iad.images.example/v2", interface: "internal" },
      ],
    });
    tenant = keystone.addProject("123456");
    const user = keystone.addUser("raxuser", "pw", { apiKey: "key-1" });
    keystone.grant(user.id, tenant.id, "admin");
  });
  afterAll(() => keystone.close());

  const post = (body: unknown) =>
    fetch(`${keystone.url}/v2.0/tokens`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });

  it("an API key signs in: token, tenant, roles and the cloudImages catalog, one entry per region", async () => {
    const response = await post({
      auth: { "RAX-KSKEY:apiKeyCredentials": { username: "raxuser", apiKey: "key-1" } },
    });
    expect(response.status).toBe(200);
    const { access } = (await response.json()) as { access: Record<string, unknown> };
    expect(access.token).toMatchObject({ tenant: { id: tenant.id, name: "123456" } });
    expect((access.token as { expires: string }).expires).toMatch(
      /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000Z$/,
    );
    expect((access.user as { roles: { name: string }[] }).roles.map((role) => role.name)).toEqual([
      "admin",
      "member",
      "reader",
    ]);
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
  });

  it("bad credentials: 401 in the v2.0 shape", async () => {
    const response = await post({
      auth: { "RAX-KSKEY:apiKeyCredentials": { username: "raxuser", apiKey: "nope" } },
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      unauthorized: { code: 401, message: "Username or api key is invalid." },
    });
  });

  it("validation: 200 with token and user, 404 itemNotFound once revoked", async () => {
    const admin = keystone.issueToken(keystone.addUser("ops", "pw").id, tenant.id);
    keystone.grant(keystone.tokenHolder(admin)!.userId, tenant.id, "admin");
    const subject = keystone.issueToken(keystone.addUser("someone", "pw").id, null);
    const valid = await fetch(`${keystone.url}/v2.0/tokens/${subject}`, {
      headers: { "x-auth-token": admin },
    });
    expect(valid.status).toBe(200);
    expect(((await valid.json()) as { access: { user: { name: string } } }).access.user.name).toBe("someone");
    keystone.revokeToken(subject);
    const gone = await fetch(`${keystone.url}/v2.0/tokens/${subject}`, {
      headers: { "x-auth-token": admin },
    });
    expect(gone.status).toBe(404);
    expect(await gone.json()).toEqual({ itemNotFound: { code: 404, message: "Token not found." } });
  });

  it("v3: GET /v3/auth/catalog lists the identity and image services", async () => {
    const project = keystone.addProject("p");
    const user = keystone.addUser("u", "pw");
    keystone.grant(user.id, project.id, "member");
    const response = await fetch(`${keystone.url}/v3/auth/catalog`, {
      headers: { "x-auth-token": keystone.issueToken(user.id, project.id) },
    });
    expect(response.status).toBe(200);
    const { catalog } = (await response.json()) as { catalog: { type: string; endpoints: unknown[] }[] };
    expect(catalog.map((service) => [service.type, service.endpoints.length])).toEqual([
      ["identity", 3],
      ["image", 3],
    ]);
  });
});
