/**
 * Application credentials in the emulated Keystone: made directly (`addApplicationCredential`) or
 * over HTTP, signing in by id or by name and user, their delegated roles, and the refusals.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startKeystoneEmulator, type KeystoneEmulator } from "../../src/emulator/index.js";
import { call, type Reply } from "./client.js";

const SUFFIX =
  " The server could not comply with the request since it is either malformed or otherwise incorrect." +
  " The client is assumed to be in error.";

interface TokenBody {
  token: {
    methods: string[];
    user: { id: string };
    project?: { id: string };
    roles?: { name: string }[];
    catalog?: unknown[];
    application_credential?: { id: string; name: string; restricted: boolean };
  };
}

describe("emulated Keystone, application credentials", () => {
  let keystone: KeystoneEmulator;
  let alpha: string;
  let alice: string;
  let bob: string;
  let credential: { id: string; secret: string };

  beforeAll(async () => {
    keystone = await startKeystoneEmulator({
      imageEndpoints: [{ region: "R1", url: "http://glance.example" }],
    });
    alpha = keystone.addProject("alpha").id;
    alice = keystone.addUser("alice", "pw").id;
    bob = keystone.addUser("bob", "pw").id;
    keystone.grant(alice, alpha, "member");
    credential = keystone.addApplicationCredential(alice, alpha, "gateway");
  });
  afterAll(() => keystone.close());

  const signIn = (credentials: Record<string, unknown>, extra: Record<string, unknown> = {}, query = "") =>
    call(keystone.url, "POST", `/v3/auth/tokens${query}`, {
      headers: { "content-type": "application/json" },
      body: {
        auth: {
          identity: { methods: ["application_credential"], application_credential: credentials },
          ...extra,
        },
      },
    });
  const create = (token: string, userId: string, body: Record<string, unknown>): Promise<Reply> =>
    call(keystone.url, "POST", `/v3/users/${userId}/application_credentials`, {
      headers: { "content-type": "application/json", "x-auth-token": token },
      body: { application_credential: body },
    });

  it("by id and secret: a token of the credential's project and roles, with the catalog", async () => {
    const reply = await signIn({ id: credential.id, secret: credential.secret });
    expect(reply.status).toBe(201);
    const { token } = reply.json as TokenBody;
    expect(token.methods).toEqual(["application_credential"]);
    expect(token.user.id).toBe(alice);
    expect(token.project?.id).toBe(alpha);
    expect(token.roles?.map((role) => role.name).sort()).toEqual(["member", "reader"]);
    expect(token.catalog).toHaveLength(2);
    expect(token.application_credential).toEqual({ id: credential.id, name: "gateway", restricted: true });
    expect(Object.keys(token).slice(-2)).toEqual(["catalog", "application_credential"]);
    expect(keystone.tokenHolder(reply.headers["x-subject-token"] as string)).toEqual({
      userId: alice,
      projectId: alpha,
      roles: ["member", "reader"],
    });
  });

  it("by name and user (by id, or by name and domain)", async () => {
    for (const user of [{ id: alice }, { name: "alice", domain: { name: "Default" } }]) {
      const reply = await signIn({ name: "gateway", secret: credential.secret, user }, {}, "?nocatalog");
      expect(reply.status).toBe(201);
      expect((reply.json as TokenBody).token.application_credential?.id).toBe(credential.id);
    }
  });

  it("a credential delegating fewer roles signs in with those only", async () => {
    const reader = keystone.addApplicationCredential(alice, alpha, "read-only", { roles: ["reader"] });
    const reply = await signIn({ id: reader.id, secret: reader.secret }, {}, "?nocatalog");
    expect((reply.json as TokenBody).token.roles?.map((role) => role.name)).toEqual(["reader"]);
    expect(() => keystone.addApplicationCredential(alice, alpha, "too-much", { roles: ["admin"] })).toThrow(
      /holds no role admin/,
    );
    expect(() => keystone.addApplicationCredential(alice, alpha, "gateway")).toThrow(/already/);
  });

  it("refusals: a wrong secret or unknown name is 401, an unknown id 404, a scope 401", async () => {
    for (const given of [
      { id: credential.id, secret: "wrong" },
      { id: credential.id },
      { name: "unknown", secret: credential.secret, user: { id: alice } },
      { name: "gateway", secret: credential.secret, user: { id: bob } },
    ]) {
      const reply = await signIn(given);
      expect(reply.status, JSON.stringify(given)).toBe(401);
      expect((reply.json as { error: { message: string } }).error.message).toBe(
        "The request you have made requires authentication.",
      );
    }
    const unknown = await signIn({ id: "nope", secret: "x" });
    expect(unknown.status).toBe(404);
    expect(unknown.json).toEqual({
      error: { code: 404, message: "Could not find Application Credential: nope.", title: "Not Found" },
    });
    const scoped = await signIn(
      { id: credential.id, secret: credential.secret },
      { scope: { project: { id: alpha } } },
    );
    expect(scoped.status).toBe(401);
    expect(scoped.json).toEqual({
      error: {
        code: 401,
        identity: {},
        message:
          "Error authenticating with application credential: Application credentials cannot request a scope.",
        title: "Unauthorized",
      },
    });
  });

  it("malformed: no id nor name, a name without user, a user name without domain", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ secret: "x" }, `Expecting to find name or ID in application credential.${SUFFIX}`],
      [{ name: "gateway", secret: "x" }, `Expecting to find user in application credential.${SUFFIX}`],
      [
        { name: "gateway", secret: "x", user: { name: "alice" } },
        `Expecting to find domain in user.${SUFFIX}`,
      ],
    ];
    for (const [given, message] of cases) {
      const reply = await signIn(given);
      expect(reply.status).toBe(400);
      expect(reply.json).toEqual({ error: { code: 400, message, title: "Bad Request" } });
    }
  });

  it("over HTTP: the user's own token makes one, delegating the token's roles; the secret is shown once", async () => {
    const token = keystone.issueToken(alice, alpha);
    const reply = await create(token, alice, { name: "made-over-http" });
    expect(reply.status).toBe(201);
    expect(reply.text.endsWith("}\n")).toBe(true);
    const made = (reply.json as { application_credential: Record<string, unknown> }).application_credential;
    expect(Object.keys(made)).toEqual([
      "id",
      "name",
      "description",
      "user_id",
      "project_id",
      "system",
      "expires_at",
      "unrestricted",
      "roles",
      "secret",
      "links",
    ]);
    expect(made).toMatchObject({
      name: "made-over-http",
      description: null,
      user_id: alice,
      project_id: alpha,
      system: null,
      expires_at: null,
      unrestricted: null,
      links: { self: `${keystone.url}/v3/application_credentials/${String(made.id)}` },
    });
    expect(made.roles).toEqual([
      expect.objectContaining({
        name: "member",
        domain_id: null,
        description: null,
        options: { immutable: true },
      }),
      expect.objectContaining({ name: "reader", options: { immutable: true } }),
    ]);
    expect(made.secret).toMatch(/^[A-Za-z0-9_-]{86}$/);
    const signedIn = await signIn({ id: made.id, secret: made.secret });
    expect(signedIn.status).toBe(201);
  });

  it("over HTTP: a chosen secret and roles; refusals for others' users, duplicates and roles not held", async () => {
    const token = keystone.issueToken(alice, alpha);
    const chosen = await create(token, alice, {
      name: "chosen",
      secret: "s3cret",
      roles: [{ name: "reader" }],
    });
    const made = (chosen.json as { application_credential: { id: string; roles: { name: string }[] } })
      .application_credential;
    expect(made.roles.map((role) => role.name)).toEqual(["reader"]);
    expect((await signIn({ id: made.id, secret: "s3cret" })).status).toBe(201);

    const error = (reply: Reply) => [
      reply.status,
      (reply.json as { error: { message: string } }).error.message,
    ];
    expect(error(await create(token, bob, { name: "x" }))).toEqual([
      403,
      "You are not authorized to perform the requested action: identity:create_application_credential.",
    ]);
    expect(error(await create(token, alice, { name: "chosen" }))).toEqual([
      409,
      "Conflict occurred attempting to store application_credential - Duplicate entry found with name chosen.",
    ]);
    expect(error(await create(token, alice, { name: "y", roles: [{ name: "admin" }] }))).toEqual([
      400,
      "Invalid application credential: Cannot create an application credential with unassigned role",
    ]);
    expect(error(await create(token, alice, { name: "z", roles: [{ name: "nope" }] }))).toEqual([
      404,
      "Role nope is not defined",
    ]);
    expect((await create("not-a-token", alice, { name: "w" })).status).toBe(401);
    const fromCredential = (await signIn({ id: credential.id, secret: credential.secret }, {}, "?nocatalog"))
      .headers["x-subject-token"] as string;
    expect(error(await create(fromCredential, alice, { name: "v" }))).toEqual([
      403,
      "You are not authorized to perform the requested action: Using method 'application_credential' is not" +
        " allowed for managing additional application credentials..",
    ]);
  });

  it("over HTTP: a name the schema refuses is a 400 with jsonschema's text", async () => {
    const token = keystone.issueToken(alice, alpha);
    const message = async (body: Record<string, unknown>) => {
      const reply = await create(token, alice, body);
      expect(reply.status).toBe(400);
      return (reply.json as { error: { message: string } }).error.message;
    };
    const schema =
      "{'maxLength': 255,\n     'minLength': 1,\n     'pattern': '[\\\\S]+',\n     'type': 'string'}";
    expect(await message({ name: "" })).toBe(
      `Invalid input for field 'name': '' is too short\n\nFailed validating 'minLength' in schema['properties']['name']:\n    ${schema}\n\nOn instance['name']:\n    ''`,
    );
    expect(await message({ name: "  " })).toBe(
      `Invalid input for field 'name': '  ' does not match '[\\\\S]+'\n\nFailed validating 'pattern' in schema['properties']['name']:\n    ${schema}\n\nOn instance['name']:\n    '  '`,
    );
    expect(await message({ name: 5 })).toMatch(
      /^Invalid input for field 'name': 5 is not of type 'string'\n/,
    );
    expect(await message({})).toMatch(/^'name' is a required property/);
  });

  it("GET lists the user's own credentials without secrets, filtered by ?name; others' are 403", async () => {
    const token = keystone.issueToken(alice, alpha);
    const list = (query = "", as = token, userId = alice) =>
      call(keystone.url, "GET", `/v3/users/${userId}/application_credentials${query}`, {
        headers: { "x-auth-token": as },
      });
    const all = await list();
    expect(all.status).toBe(200);
    const body = all.json as { application_credentials: Record<string, unknown>[]; links: unknown };
    expect(body.application_credentials.map((item) => item.name)).toContain("gateway");
    expect(body.application_credentials.every((item) => !("secret" in item))).toBe(true);
    expect(body.links).toEqual({
      next: null,
      self: `${keystone.url}/v3/users/${alice}/application_credentials`,
      previous: null,
    });
    const named = (await list("?name=gateway")).json as { application_credentials: { id: string }[] };
    expect(named.application_credentials.map((item) => item.id)).toEqual([credential.id]);
    const others = await list("", keystone.issueToken(bob, null));
    expect(others.status).toBe(403);
    expect((others.json as { error: { message: string } }).error.message).toBe(
      "You are not authorized to perform the requested action: identity:list_application_credentials.",
    );
    const put = await call(keystone.url, "PUT", `/v3/users/${alice}/application_credentials`);
    expect([put.status, put.headers.allow]).toEqual([405, "POST, HEAD, OPTIONS, GET"]);
  });

  it("made with an unscoped token: no project, no roles, and it signs in unscoped", async () => {
    const reply = await create(keystone.issueToken(alice, null), alice, { name: "unscoped" });
    const made = (reply.json as { application_credential: { id: string; secret: string; project_id: null } })
      .application_credential;
    expect(made.project_id).toBeNull();
    const signedIn = await signIn({ id: made.id, secret: made.secret });
    const { token } = signedIn.json as TokenBody;
    expect(token.project).toBeUndefined();
    expect(token.application_credential?.name).toBe("unscoped");
  });
});
