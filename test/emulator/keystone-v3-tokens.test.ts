/**
 * The emulated Keystone's `GET`, `HEAD` and `DELETE /v3/auth/tokens`: who may validate, check and
 * revoke whose token, Keystone's order of refusals, expiry and revocation, and the direct
 * `issueToken`, `revokeToken` and `tokenHolder`.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startKeystoneEmulator, type KeystoneEmulator } from "../../src/emulator/index.js";
import { call, type Reply } from "./client.js";

const notFound = (message: string) => ({ error: { code: 404, message, title: "Not Found" } });
const forbidden = (rule: string) => ({
  error: {
    code: 403,
    message: `You are not authorized to perform the requested action: ${rule}.`,
    title: "Forbidden",
  },
});
const UNKNOWN = notFound("Could not recognize Fernet token");
const INVALID = notFound("Failed to validate token");

describe("emulated Keystone, validating and revoking tokens", () => {
  let keystone: KeystoneEmulator;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    keystone = await startKeystoneEmulator();
    for (const name of ["service", "alpha", "beta", "admin"]) {
      ids[name] = keystone.addProject(name).id;
    }
    for (const [user, project, role] of [
      ["gateway", "service", "service"],
      ["alice", "alpha", "member"],
      ["bob", "beta", "member"],
      ["root", "admin", "admin"],
    ] as const) {
      const { id } = keystone.addUser(user, `pw-${user}`);
      ids[user] = id;
      keystone.grant(id, ids[project]!, role);
    }
    ids.dave = keystone.addUser("dave", "pw-dave").id;
  });
  afterAll(() => keystone.close());

  const token = (user: string, project: string | null, lifetimeSeconds?: number): string =>
    keystone.issueToken(
      ids[user]!,
      project === null ? null : ids[project]!,
      lifetimeSeconds === undefined ? {} : { lifetimeSeconds },
    );
  const tokens = (
    method: string,
    headers: Record<string, string | undefined>,
    query = "?nocatalog",
  ): Promise<Reply> =>
    call(keystone.url, method, `/v3/auth/tokens${query}`, {
      headers: Object.fromEntries(
        Object.entries(headers).filter((entry): entry is [string, string] => entry[1] !== undefined),
      ),
    });
  const validate = (caller: string | undefined, subject: string | undefined, query?: string) =>
    tokens("GET", { "x-auth-token": caller, "x-subject-token": subject }, query);

  it("the service user validates anyone's token: 200, the same body as at sign-in, X-Subject-Token echoed", async () => {
    const subject = token("alice", "alpha");
    const reply = await validate(token("gateway", "service"), subject);
    expect(reply.status).toBe(200);
    expect(reply.headers["x-subject-token"]).toBe(subject);
    expect(reply.headers.vary).toBe("X-Auth-Token");
    const body = reply.json as { token: Record<string, unknown> };
    expect(body.token.user).toMatchObject({ id: ids.alice, name: "alice" });
    expect(body.token.project).toMatchObject({ id: ids.alpha, name: "alpha" });
    expect(body.token.catalog).toBeUndefined();

    const withCatalog = await validate(token("gateway", "service"), subject, "");
    expect((withCatalog.json as { token: { catalog: unknown[] } }).token.catalog).toHaveLength(2);
  });

  it("methods as the token's bits decode them: a rescoped token validates as token, password", async () => {
    const unscoped = token("alice", null);
    const signIn = await call(keystone.url, "POST", "/v3/auth/tokens?nocatalog", {
      headers: { "content-type": "application/json" },
      body: {
        auth: {
          identity: { methods: ["token"], token: { id: unscoped } },
          scope: { project: { id: ids.alpha } },
        },
      },
    });
    expect((signIn.json as { token: { methods: string[] } }).token.methods).toEqual(["password", "token"]);
    const rescoped = signIn.headers["x-subject-token"] as string;
    const validated = await validate(token("gateway", "service"), rescoped);
    expect((validated.json as { token: { methods: string[] } }).token.methods).toEqual(["token", "password"]);
    // Revoking the parent leaves the rescoped token valid.
    keystone.revokeToken(unscoped);
    expect((await validate(token("gateway", "service"), rescoped)).status).toBe(200);
  });

  it("an admin validates anyone's; a user validates its own tokens, scoped or not, and nobody else's", async () => {
    const alice = token("alice", "alpha");
    expect((await validate(token("root", "admin"), alice)).status).toBe(200);
    expect((await validate(alice, alice)).status).toBe(200);
    expect((await validate(token("alice", null), alice)).status).toBe(200);
    const dave = token("dave", null);
    expect((await validate(dave, dave)).status).toBe(200);

    const refused = await validate(token("bob", "beta"), alice);
    expect(refused.status).toBe(403);
    expect(refused.json).toEqual(forbidden("identity:validate_token"));
    expect((await validate(dave, alice)).status).toBe(403);
  });

  it("the caller's token comes first: missing, unknown or revoked is 401", async () => {
    const subject = token("alice", "alpha");
    const revoked = token("gateway", "service");
    keystone.revokeToken(revoked);
    for (const caller of [undefined, "not-a-token", revoked, token("gateway", "service", -1)]) {
      const reply = await validate(caller, subject);
      expect(reply.status).toBe(401);
      expect(reply.headers["www-authenticate"]).toBe(`Keystone uri="${keystone.url}/v3"`);
    }
  });

  it("then the subject: unknown 404 before the policy's 403; missing after it", async () => {
    const bob = token("bob", "beta");
    expect((await validate(bob, "garbage")).json).toEqual(UNKNOWN);
    expect((await validate(bob, undefined)).json).toEqual(forbidden("identity:validate_token"));
    const service = token("gateway", "service");
    expect((await validate(service, "garbage")).json).toEqual(UNKNOWN);
    for (const subject of [undefined, ""]) {
      const reply = await validate(service, subject);
      expect(reply.status).toBe(404);
      expect(reply.json).toEqual(notFound("No token in the request"));
    }
  });

  it("an expired token: 404 Failed to validate, still valid with ?allow_expired", async () => {
    const expired = token("alice", "alpha", -1);
    const service = token("gateway", "service");
    expect((await validate(service, expired)).json).toEqual(INVALID);
    const allowed = await validate(service, expired, "?nocatalog&allow_expired=1");
    expect(allowed.status).toBe(200);
    expect(keystone.tokenHolder(expired)).toBeNull();
  });

  it("a token expires after its lifetime", async () => {
    const shortLived = await startKeystoneEmulator({ tokenLifetimeSeconds: 1 });
    try {
      const project = shortLived.addProject("p");
      const user = shortLived.addUser("u", "pw");
      shortLived.grant(user.id, project.id, "member");
      const signIn = await call(shortLived.url, "POST", "/v3/auth/tokens?nocatalog", {
        headers: { "content-type": "application/json" },
        body: {
          auth: {
            identity: { methods: ["password"], password: { user: { id: user.id, password: "pw" } } },
            scope: { project: { id: project.id } },
          },
        },
      });
      const issued = signIn.headers["x-subject-token"] as string;
      const body = signIn.json as { token: { expires_at: string; issued_at: string } };
      expect(Date.parse(body.token.expires_at) - Date.parse(body.token.issued_at)).toBe(1_000);
      const check = () =>
        call(shortLived.url, "GET", "/v3/auth/tokens?nocatalog", {
          headers: { "x-auth-token": issued, "x-subject-token": issued },
        });
      expect(shortLived.tokenHolder(issued)).not.toBeNull();
      await new Promise((resolve) =>
        setTimeout(resolve, Date.parse(body.token.expires_at) - Date.now() + 50),
      );
      expect(shortLived.tokenHolder(issued)).toBeNull();
      expect((await check()).status).toBe(401);
    } finally {
      await shortLived.close();
    }
  });

  it("HEAD checks: the GET's status and headers, no body; the service role may not check others'", async () => {
    const alice = token("alice", "alpha");
    const own = await tokens("HEAD", { "x-auth-token": alice, "x-subject-token": alice }, "");
    expect(own.status).toBe(200);
    expect(own.text).toBe("");
    const get = await validate(alice, alice, "");
    expect(own.headers["content-length"]).toBe(String(Buffer.byteLength(get.text)));
    expect(own.headers["x-subject-token"]).toBe(alice);

    const admin = await tokens("HEAD", { "x-auth-token": token("root", "admin"), "x-subject-token": alice });
    expect(admin.status).toBe(200);
    const service = await tokens("HEAD", {
      "x-auth-token": token("gateway", "service"),
      "x-subject-token": alice,
    });
    expect(service.status).toBe(403);
    expect(service.text).toBe("");
    const unknown = await tokens("HEAD", {
      "x-auth-token": token("gateway", "service"),
      "x-subject-token": "x",
    });
    expect(unknown.status).toBe(404);
  });

  it("DELETE revokes: 204, then the token fails to validate (not unrecognised) and signs nothing in", async () => {
    const alice = token("alice", "alpha");
    const service = token("gateway", "service");
    const deleted = await tokens("DELETE", { "x-auth-token": alice, "x-subject-token": alice });
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe("");
    expect(deleted.headers["content-type"]).toBeUndefined();
    expect((await validate(service, alice)).json).toEqual(INVALID);
    expect((await validate(alice, service)).status).toBe(401);
    const again = await tokens("DELETE", { "x-auth-token": service, "x-subject-token": alice });
    expect(again.json).toEqual(INVALID);
    expect(keystone.tokenHolder(alice)).toBeNull();
  });

  it("revoking another user's token takes admin; the service role gets 403", async () => {
    const bob = token("bob", "beta");
    const byService = await tokens("DELETE", {
      "x-auth-token": token("gateway", "service"),
      "x-subject-token": bob,
    });
    expect(byService.json).toEqual(forbidden("identity:revoke_token"));
    const byAlice = await tokens("DELETE", {
      "x-auth-token": token("alice", "alpha"),
      "x-subject-token": bob,
    });
    expect(byAlice.status).toBe(403);
    const byAdmin = await tokens("DELETE", {
      "x-auth-token": token("root", "admin"),
      "x-subject-token": bob,
    });
    expect(byAdmin.status).toBe(204);
  });

  it("revokeToken and tokenHolder, without HTTP", async () => {
    const alice = token("alice", "alpha");
    expect(keystone.tokenHolder(alice)).toEqual({
      userId: ids.alice,
      projectId: ids.alpha,
      roles: ["member", "reader"],
    });
    expect(keystone.tokenHolder(token("dave", null))).toEqual({
      userId: ids.dave,
      projectId: null,
      roles: [],
    });
    keystone.revokeToken(alice);
    keystone.revokeToken("never-issued");
    expect(keystone.tokenHolder(alice)).toBeNull();
    expect((await validate(token("gateway", "service"), alice)).json).toEqual(INVALID);
  });

  it("issueToken refuses users and projects it does not know", () => {
    expect(() => keystone.issueToken("nobody", null)).toThrow(/no user nobody/);
    expect(() => keystone.issueToken(ids.alice!, "nowhere")).toThrow(/no project nowhere/);
  });
});
