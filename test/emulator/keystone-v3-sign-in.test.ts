/**
 * The emulated Keystone's `POST /v3/auth/tokens` by password and by token (rescoping): the token
 * body and headers as Keystone 22 gives them, and its refusals.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startKeystoneEmulator, type KeystoneEmulator } from "../../src/emulator/index.js";
import { call, type Reply } from "./client.js";

const KEYSTONE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000000Z$/;
const SUFFIX =
  " The server could not comply with the request since it is either malformed or otherwise incorrect." +
  " The client is assumed to be in error.";
const DEFAULT = { id: "default", name: "Default" };

interface TokenBody {
  token: {
    methods: string[];
    user: { id: string; name: string; domain: { id: string; name: string }; password_expires_at: null };
    project?: { id: string; name: string; domain: { id: string; name: string } };
    roles?: { id: string; name: string }[];
    catalog?: { type: string }[];
    audit_ids: string[];
    expires_at: string;
    issued_at: string;
    is_domain?: boolean;
  };
}

describe("emulated Keystone, POST /v3/auth/tokens", () => {
  let keystone: KeystoneEmulator;
  let alpha: { id: string; name: string };
  let alice: { id: string; name: string };
  let otherAlpha: { id: string; name: string };
  let otherDomain: { id: string; name: string };

  beforeAll(async () => {
    keystone = await startKeystoneEmulator({
      imageEndpoints: [{ region: "RegionOne", url: "http://glance.example:9292" }],
    });
    alpha = keystone.addProject("alpha");
    keystone.addProject("beta");
    alice = keystone.addUser("alice", "secret-a");
    keystone.grant(alice.id, alpha.id, "member");
    otherDomain = keystone.addDomain("Other");
    otherAlpha = keystone.addProject("alpha", { domainId: otherDomain.id });
    const otherAlice = keystone.addUser("alice", "secret-o", { domainId: otherDomain.id });
    keystone.grant(otherAlice.id, otherAlpha.id, "member");
  });
  afterAll(() => keystone.close());

  const signIn = (body: unknown, query = "", headers: Record<string, string> = {}): Promise<Reply> =>
    call(keystone.url, "POST", `/v3/auth/tokens${query}`, {
      body,
      headers: { "content-type": "application/json", ...headers },
    });
  const password = (user: Record<string, unknown>, scope?: unknown) => ({
    auth: {
      identity: { methods: ["password"], password: { user } },
      ...(scope === undefined ? {} : { scope }),
    },
  });
  const aliceByName = { name: "alice", domain: { id: "default" }, password: "secret-a" };
  const alphaScope = { project: { name: "alpha", domain: { id: "default" } } };
  const unauthorized = () => ({
    error: {
      code: 401,
      message: "The request you have made requires authentication.",
      title: "Unauthorized",
    },
  });

  it("a project-scoped sign-in: 201, the token in X-Subject-Token, the body with roles and catalog", async () => {
    const reply = await signIn(password(aliceByName, alphaScope));
    expect(reply.status).toBe(201);
    expect(reply.headers["x-subject-token"]).toMatch(/^gAAAAAB[A-Za-z0-9_-]{150,}$/);
    expect(reply.headers["content-type"]).toBe("application/json");
    expect(reply.headers.vary).toBe("X-Auth-Token");
    expect(reply.headers["x-openstack-request-id"]).toMatch(/^req-[0-9a-f-]{36}$/);
    // json.dumps' separators, no final newline.
    expect(reply.text).toMatch(/^\{"token": \{"methods": \["password"\], "user": /);
    expect(reply.text.endsWith("}}")).toBe(true);
    const { token } = reply.json as TokenBody;
    expect(Object.keys(token)).toEqual([
      "methods",
      "user",
      "audit_ids",
      "expires_at",
      "issued_at",
      "project",
      "is_domain",
      "roles",
      "catalog",
    ]);
    expect(token.user).toEqual({ domain: DEFAULT, id: alice.id, name: "alice", password_expires_at: null });
    expect(token.project).toEqual({ domain: DEFAULT, id: alpha.id, name: "alpha" });
    expect(token.is_domain).toBe(false);
    expect(token.roles?.map((role) => role.name).sort()).toEqual(["member", "reader"]);
    expect(token.roles?.every((role) => /^[0-9a-f]{32}$/.test(role.id))).toBe(true);
    expect(token.catalog?.map((service) => service.type)).toEqual(["identity", "image"]);
    expect(token.audit_ids).toHaveLength(1);
    expect(token.audit_ids[0]).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(token.expires_at).toMatch(KEYSTONE_TIME);
    expect(token.issued_at).toMatch(KEYSTONE_TIME);
    expect(Date.parse(token.expires_at) - Date.parse(token.issued_at)).toBe(3_600_000);
  });

  it("?nocatalog leaves the catalog out, whatever its value", async () => {
    for (const query of ["?nocatalog", "?nocatalog=false"]) {
      const { token } = (await signIn(password(aliceByName, alphaScope), query)).json as TokenBody;
      expect(token.catalog).toBeUndefined();
      expect(token.roles).toBeDefined();
    }
  });

  it("a user by id, a project by id, a domain by name", async () => {
    const byId = await signIn(
      password({ id: alice.id, password: "secret-a" }, { project: { id: alpha.id } }),
    );
    expect(byId.status).toBe(201);
    const byDomainName = await signIn(
      password({ name: "alice", domain: { name: "Default" }, password: "secret-a" }, alphaScope),
      "?nocatalog",
    );
    expect((byDomainName.json as TokenBody).token.project?.id).toBe(alpha.id);
  });

  it("names are per domain: the other domain's alice signs in to its own alpha", async () => {
    const reply = await signIn(
      password(
        { name: "alice", domain: { name: "Other" }, password: "secret-o" },
        { project: { name: "alpha", domain: { id: otherDomain.id } } },
      ),
      "?nocatalog",
    );
    expect(reply.status).toBe(201);
    const { token } = reply.json as TokenBody;
    expect(token.user.domain).toEqual(otherDomain);
    expect(token.project).toEqual({ domain: otherDomain, id: otherAlpha.id, name: "alpha" });
    // The default domain's alice holds no role on the other alpha.
    const crossed = await signIn(
      password(aliceByName, { project: { name: "alpha", domain: { name: "Other" } } }),
    );
    expect(crossed.status).toBe(401);
  });

  it("without a scope: an unscoped token, no project, roles or catalog", async () => {
    const reply = await signIn(password(aliceByName));
    expect(reply.status).toBe(201);
    expect(Object.keys((reply.json as TokenBody).token)).toEqual([
      "methods",
      "user",
      "audit_ids",
      "expires_at",
      "issued_at",
    ]);
  });

  it("refusals that give nothing away: 401 with WWW-Authenticate naming the v3 URL", async () => {
    const refused = [
      password({ ...aliceByName, password: "wrong" }, alphaScope),
      password({ name: "alice", domain: { id: "default" } }),
      password({ name: "nobody", domain: { id: "default" }, password: "x" }),
      password({ id: "no-such-id", password: "x" }),
      password({ name: "alice", domain: { name: "Nowhere" }, password: "secret-a" }),
      password(aliceByName, { project: { name: "beta", domain: { id: "default" } } }),
      password(aliceByName, { project: { id: "no-such-project" } }),
      password(aliceByName, { domain: { id: "default" } }),
      password(aliceByName, { system: { all: true } }),
      { auth: { identity: { methods: [] } } },
    ];
    for (const body of refused) {
      const reply = await signIn(body);
      expect(reply.status, JSON.stringify(body)).toBe(401);
      expect(reply.json).toEqual(unauthorized());
      expect(reply.text.endsWith("}\n")).toBe(true);
      expect(reply.headers["www-authenticate"]).toBe(`Keystone uri="${keystone.url}/v3"`);
      expect(reply.headers["x-subject-token"]).toBeUndefined();
    }
  });

  it("an unsupported method: 401 listing Keystone's methods", async () => {
    const reply = await signIn({ auth: { identity: { methods: ["totp"], totp: {} } } });
    expect(reply.status).toBe(401);
    expect(reply.json).toEqual({
      error: {
        code: 401,
        identity: {
          methods: ["external", "password", "token", "oauth1", "mapped", "application_credential"],
        },
        message: "Attempted to authenticate with an unsupported method.",
        title: "Unauthorized",
      },
    });
  });

  it("malformed requests: 400 in Keystone's words", async () => {
    const cases: [unknown, string, Record<string, string>?][] = [
      ["{not json", `Expecting to find valid JSON in request body.${SUFFIX}`],
      ["", `Expecting to find auth in request body.${SUFFIX}`],
      [{ nothing: 1 }, `Expecting to find auth in request body.${SUFFIX}`],
      [password({ name: "alice", password: "secret-a" }), `Expecting to find domain in user.${SUFFIX}`],
      [
        password(aliceByName, { project: { name: "alpha" } }),
        `Expecting to find domain in project.${SUFFIX}`,
      ],
      [
        password(aliceByName, { project: {} }),
        "Invalid input for field scope/project: id or name must be present.",
      ],
      [
        password(aliceByName, {}),
        `Expecting to find system, project, domain, OS-TRUST:trust or unscoped in scope.${SUFFIX}`,
      ],
      [
        password({ password: "x" }),
        "Invalid input for field identity/password/user: id or name must be present.",
      ],
      [
        { auth: { identity: { methods: ["password"], password: {} } } },
        `Expecting to find user in None.${SUFFIX}`,
      ],
      [{ auth: { identity: { methods: ["password"] } } }, `Expecting to find password in identity.${SUFFIX}`],
      [
        password(aliceByName),
        `Expecting to find application/json in Content-Type header.${SUFFIX}`,
        { "content-type": "text/plain" },
      ],
    ];
    for (const [body, message, headers] of cases) {
      const reply = await signIn(body, "", headers);
      expect(reply.status, message).toBe(400);
      expect(reply.json).toEqual({ error: { code: 400, message, title: "Bad Request" } });
      expect(reply.headers["www-authenticate"]).toBeUndefined();
    }
  });

  it("a password that is not a string: the schema's 400", async () => {
    const reply = await signIn(password({ ...aliceByName, password: 5 }));
    expect(reply.status).toBe(400);
    expect((reply.json as { error: { message: string } }).error.message).toBe(
      "Invalid input for field 'identity/password/user/password': 5 is not of type 'string'\n\n" +
        "Failed validating 'type' in schema['properties']['identity']['properties']['password']" +
        "['properties']['user']['properties']['password']:\n    {'type': 'string'}\n\n" +
        "On instance['identity']['password']['user']['password']:\n    5",
    );
  });

  it("schema failures: the small schemas' text whole, the first line of the large ones", async () => {
    const message = async (body: unknown) =>
      ((await signIn(body)).json as { error: { message: string } }).error.message;
    expect(await message({ auth: { identity: { methods: ["token"], token: {} } } })).toBe(
      "Invalid input for field 'identity/token': 'id' is a required property\n\n" +
        "Failed validating 'required' in schema['properties']['identity']['properties']['token']:\n" +
        "    {'properties': {'id': {'type': 'string'}},\n     'required': ['id'],\n     'type': 'object'}\n\n" +
        "On instance['identity']['token']:\n    {}",
    );
    expect(await message({ auth: { identity: { methods: "password" } } })).toBe(
      "Invalid input for field 'identity/methods': 'password' is not of type 'array'\n\n" +
        "Failed validating 'type' in schema['properties']['identity']['properties']['methods']:\n" +
        "    {'items': {'type': 'string'}, 'type': 'array'}\n\nOn instance['identity']['methods']:\n    'password'",
    );
    expect(await message({ auth: {} })).toMatch(/^'identity' is a required property/);
    expect(await message({ auth: { identity: {} } })).toMatch(
      /^Invalid input for field 'identity': 'methods' is a required property/,
    );
    expect(await message({ auth: "x" })).toMatch(/^'x' is not of type 'object'/);
  });

  it("any application/…+json content type is JSON", async () => {
    const reply = await signIn(password(aliceByName), "", { "content-type": "application/vnd.api+json" });
    expect(reply.status).toBe(201);
  });

  it("rescoping with a token: its methods and audit id carry over, and its expiry", async () => {
    const unscoped = await signIn(password(aliceByName));
    const parent = (unscoped.json as TokenBody).token;
    const reply = await signIn(
      {
        auth: {
          identity: { methods: ["token"], token: { id: unscoped.headers["x-subject-token"] } },
          scope: alphaScope,
        },
      },
      "?nocatalog",
    );
    expect(reply.status).toBe(201);
    const { token } = reply.json as TokenBody;
    expect(token.methods).toEqual(["password", "token"]);
    expect(token.audit_ids).toHaveLength(2);
    expect(token.audit_ids[1]).toBe(parent.audit_ids[0]);
    expect(token.expires_at).toBe(parent.expires_at);
    expect(token.project?.id).toBe(alpha.id);

    const noRole = await signIn({
      auth: {
        identity: { methods: ["token"], token: { id: unscoped.headers["x-subject-token"] } },
        scope: { project: { name: "beta", domain: { id: "default" } } },
      },
    });
    expect(noRole.status).toBe(401);
  });

  it("rescoping with an unknown token: 404, not 401", async () => {
    const reply = await signIn({ auth: { identity: { methods: ["token"], token: { id: "nope" } } } });
    expect(reply.status).toBe(404);
    expect(reply.json).toEqual({
      error: { code: 404, message: "Could not recognize Fernet token", title: "Not Found" },
    });
  });
});
