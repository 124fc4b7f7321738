/**
 * What a real Keystone 22 ("Zed") and Glance behind keystonemiddleware's authtoken answer, recorded
 * as exact values: the emulated Keystone and the gateway's error mapping follow these.
 *
 * Shapes worth knowing: Keystone's own error bodies are compact JSON ending in a newline
 * (`{"error":{"code":…,"message":…,"title":…}}\n`); authtoken's 401 in front of Glance is spaced JSON
 * with `title` before `message` and no newline; Glance's own 404 is webob's: JSON with `code` "404 Not
 * Found" and HTML left in the message for `Accept: application/json`, an HTML page otherwise.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  KeystoneClient,
  issueApplicationCredentialToken,
  issueToken,
  passwordAuth,
  revokeToken,
  type TokenBody,
} from "./keystone-env.js";

const keystone = inject("keystoneUrl");
const shortLived = inject("keystoneShortLivedUrl");
const regions = inject("glanceRegions");
const users = inject("users");
const projects = inject("projects");

const AUTHTOKEN_401 =
  '{"error": {"code": 401, "title": "Unauthorized", "message": "The request you have made requires authentication."}}';
const KEYSTONE_401 =
  '{"error":{"code":401,"message":"The request you have made requires authentication.","title":"Unauthorized"}}\n';
const UNKNOWN_TOKEN_404 =
  '{"error":{"code":404,"message":"Could not recognize Fernet token","title":"Not Found"}}\n';
const INVALID_TOKEN_404 = '{"error":{"code":404,"message":"Failed to validate token","title":"Not Found"}}\n';
const forbidden = (action: string): string =>
  `{"error":{"code":403,"message":"You are not authorized to perform the requested action: ${action}.","title":"Forbidden"}}\n`;
const glanceImageNotFound = (id: string): string =>
  `<html>\n <head>\n  <title>404 Not Found</title>\n </head>\n <body>\n  <h1>404 Not Found</h1>\n  Image ${id} not found.<br /><br />\n\n\n\n </body>\n</html>`;

const glanceImageNotFoundJson = (id: string): string =>
  `{"message": "Image ${id} not found.<br /><br />\\n\\n\\n", "code": "404 Not Found", "title": "Not Found"}`;

/** Keystone's timestamps: whole seconds, six zero decimals, Z. */
const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000000Z$/;
const KEYSTONE_ID = /^[0-9a-f]{32}$/;

interface Answer {
  status: number;
  headers: Headers;
  text: string;
}

async function get(url: string, token?: string, extra: Record<string, string> = {}): Promise<Answer> {
  return call("GET", url, token, extra);
}

async function call(
  method: string,
  url: string,
  token?: string,
  extra: Record<string, string> = {},
): Promise<Answer> {
  const response = await fetch(url, {
    method,
    headers: {
      accept: "application/json",
      ...(token === undefined ? {} : { "x-auth-token": token }),
      ...extra,
    },
    signal: AbortSignal.timeout(15_000),
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

const credentials = (name: string, project?: string) => ({
  user: name,
  password: users[name]!.password,
  ...(project === undefined ? {} : { project }),
});

const seconds = (from: string, to: string): number => (Date.parse(to) - Date.parse(from)) / 1000;

describe("a real Keystone and two Glance regions behind authtoken", () => {
  let gateway: KeystoneClient;
  let alice: string;
  let imageId: string;

  beforeAll(async () => {
    gateway = await KeystoneClient.signIn(keystone, {
      user: "gateway",
      password: inject("servicePassword"),
      project: "service",
    });
    alice = (await issueToken(keystone, credentials("alice", "alpha"))).token;
    const created = await fetch(`${regions.RegionOne}/v2/images`, {
      method: "POST",
      headers: { "x-auth-token": alice, "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({
        name: "real-keystone-suite",
        visibility: "shared",
        disk_format: "raw",
        container_format: "bare",
      }),
    });
    const image = (await created.json()) as { id: string; owner: string };
    expect(created.status).toBe(201);
    // With Keystone in front, an image's owner is the Keystone project id of the token.
    expect(image.owner).toBe(projects.alpha);
    imageId = image.id;
  });

  afterAll(async () => {
    if (imageId !== undefined) {
      const deleted = await call("DELETE", `${regions.RegionOne}/v2/images/${imageId}`, alice);
      expect(deleted.status).toBe(204);
    }
  });

  it("issues a project-scoped token that both regions' Glance accept", async () => {
    const issued = await issueToken(keystone, credentials("alice", "alpha"));
    expect(issued.token).toMatch(/^gAAAAA[\w-]+$/);
    expect(issued.body.token.project).toEqual({
      id: projects.alpha,
      name: "alpha",
      domain: { id: "default", name: "Default" },
    });
    for (const [region, url] of Object.entries(regions)) {
      const listed = await get(`${url}/v2/images`, issued.token);
      expect(listed.status, region).toBe(200);
      expect(listed.headers.get("content-type")).toBe("application/json");
      const body = JSON.parse(listed.text) as { images: { id: string }[]; first: string; schema: string };
      expect(body.first).toBe("/v2/images");
      expect(body.schema).toBe("/v2/schemas/images");
      expect(body.images.some((image) => image.id === imageId)).toBe(region === "RegionOne");
    }
    const members = await get(`${regions.RegionOne}/v2/images/${imageId}/members`, issued.token);
    expect(members.status).toBe(200);
    expect(members.text).toBe('{"members": [], "schema": "/v2/schemas/members"}');
  });

  it("authtoken answers 401 with WWW-Authenticate and its own JSON for a bad or missing token", async () => {
    for (const url of Object.values(regions)) {
      for (const token of ["not-a-token", "gAAAAABnot-a-real-fernet-token", undefined]) {
        const answer = await get(`${url}/v2/images`, token);
        expect(answer.status).toBe(401);
        expect(answer.headers.get("www-authenticate")).toBe(`Keystone uri="${keystone}"`);
        expect(answer.headers.get("content-type")).toBe("application/json");
        expect(answer.text).toBe(AUTHTOKEN_401);
      }
    }
  });

  it("gives dave (no role anywhere) an unscoped token; Glance then finds no image of a project", async () => {
    const answer = await fetch(`${keystone}/auth/tokens`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(passwordAuth(credentials("dave"))),
    });
    const body = (await answer.json()) as TokenBody;
    expect(answer.status).toBe(201);
    // No project, no roles, no catalog: just who and until when.
    expect(Object.keys(body.token)).toEqual(["methods", "user", "audit_ids", "expires_at", "issued_at"]);
    expect(body.token.user).toEqual({
      id: users.dave!.id,
      name: "dave",
      domain: { id: "default", name: "Default" },
      password_expires_at: null,
    });
    const dave = answer.headers.get("x-subject-token")!;
    // A project-scoped request for dave is refused: he has no role on alpha.
    const scoped = await fetch(`${keystone}/auth/tokens`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(passwordAuth(credentials("dave", "alpha"))),
    });
    expect(scoped.status).toBe(401);

    // authtoken lets the unscoped token through; Glance's context has no project, so alice's shared
    // image does not exist for it (Glance's HTML 404, not a 403).
    const members = await get(`${regions.RegionOne}/v2/images/${imageId}/members`, dave);
    expect(members.status).toBe(404);
    expect(members.headers.get("content-type")).toBe("application/json");
    expect(members.text).toBe(glanceImageNotFoundJson(imageId));
    // Without `Accept: application/json` the same error is an HTML page.
    const html = await get(`${regions.RegionOne}/v2/images/${imageId}/members`, dave, { accept: "*/*" });
    expect(html.status).toBe(404);
    expect(html.headers.get("content-type")).toBe("text/html; charset=UTF-8");
    expect(html.text).toBe(glanceImageNotFound(imageId));
    const listed = await get(`${regions.RegionOne}/v2/images`, dave);
    expect(listed.status).toBe(200);
    expect(
      (JSON.parse(listed.text) as { images: { id: string }[] }).images.map((image) => image.id),
    ).not.toContain(imageId);
  });

  it("validates another user's token with the gateway's token (role `service` on project service)", async () => {
    const issued = await issueToken(keystone, credentials("frank", "beta"));
    const answer = await gateway.validateToken(issued.token, { nocatalog: true });
    expect(answer.status).toBe(200);
    expect(answer.headers.get("x-subject-token")).toBe(issued.token);
    const token = (answer.json as unknown as TokenBody).token;
    expect(Object.keys(token)).toEqual([
      "methods",
      "user",
      "audit_ids",
      "expires_at",
      "issued_at",
      "project",
      "is_domain",
      "roles",
    ]);
    expect(token.methods).toEqual(["password"]);
    expect(token.user).toEqual({
      id: users.frank!.id,
      name: "frank",
      domain: { id: "default", name: "Default" },
      password_expires_at: null,
    });
    expect(token.project).toEqual({
      id: projects.beta,
      name: "beta",
      domain: { id: "default", name: "Default" },
    });
    expect(token.is_domain).toBe(false);
    // `member` implies `reader`: both are in the token.
    expect(token.roles!.map((role) => role.name).sort()).toEqual(["member", "reader"]);
    for (const role of token.roles!) {
      expect(role.id).toMatch(KEYSTONE_ID);
    }
    expect(token.issued_at).toMatch(TIMESTAMP);
    expect(token.expires_at).toMatch(TIMESTAMP);
    expect(token.expires_at).toBe(issued.body.token.expires_at);
    expect(seconds(token.issued_at, token.expires_at)).toBe(3600);

    // Without ?nocatalog the answer carries the catalog too.
    const withCatalog = await gateway.validateToken(issued.token);
    expect(Object.keys((withCatalog.json as unknown as TokenBody).token)).toContain("catalog");

    // A member may not validate someone else's token.
    const asMember = await get(`${keystone}/auth/tokens`, issued.token, { "x-subject-token": gateway.token });
    expect(asMember.status).toBe(403);
    expect(asMember.text).toBe(forbidden("identity:validate_token"));
  });

  it("answers 404 for a token it cannot decrypt", async () => {
    const answer = await gateway.validateToken("gAAAAABnot-a-real-fernet-token");
    expect(answer.status).toBe(404);
    expect(answer.headers.get("content-type")).toBe("application/json");
    expect(answer.text).toBe(UNKNOWN_TOKEN_404);
  });

  it("revokes a token by DELETE /v3/auth/tokens; a Glance that cached it still accepts it", async () => {
    const bob = (await issueToken(keystone, credentials("bob", "beta"))).token;
    // RegionTwo's authtoken sees the token while it is valid and caches the validation.
    expect((await get(`${regions.RegionTwo}/v2/images`, bob)).status).toBe(200);

    // The `service` role may validate but not revoke another user's token.
    const byGateway = await gateway.revokeToken(bob);
    expect(byGateway.status).toBe(403);
    expect(byGateway.text).toBe(forbidden("identity:revoke_token"));

    const revoked = await call("DELETE", `${keystone}/auth/tokens`, bob, { "x-subject-token": bob });
    expect(revoked.status).toBe(204);
    expect(revoked.text).toBe("");

    const validated = await gateway.validateToken(bob);
    expect(validated.status).toBe(404);
    expect(validated.text).toBe(INVALID_TOKEN_404);
    // The revoked token can no longer authorise anything, its own revocation included.
    expect(await revokeToken(keystone, bob)).toBe(401);
    const catalog = await get(`${keystone}/auth/catalog`, bob);
    expect(catalog.status).toBe(401);
    expect(catalog.headers.get("www-authenticate")).toBe(`Keystone uri="${keystone}"`);
    expect(catalog.text).toBe(KEYSTONE_401);

    // RegionOne never saw it: 401. RegionTwo answers from its authtoken cache (token_cache_time,
    // 300 s by default): revocation does not reach a Glance that validated the token before.
    const one = await get(`${regions.RegionOne}/v2/images`, bob);
    expect(one.status).toBe(401);
    expect(one.text).toBe(AUTHTOKEN_401);
    expect((await get(`${regions.RegionTwo}/v2/images`, bob)).status).toBe(200);
  });

  it("expires the short-lived instance's tokens, for Keystone and for Glance, cache or not", async () => {
    const issued = await issueToken(shortLived, credentials("carol", "gamma"));
    const { issued_at: issuedAt, expires_at: expiresAt } = issued.body.token;
    expect(seconds(issuedAt, expiresAt)).toBe(3);
    // Same database and fernet keys: the main instance and Glance accept it while it lasts.
    expect((await gateway.validateToken(issued.token, { nocatalog: true })).status).toBe(200);
    expect((await get(`${regions.RegionOne}/v2/images`, issued.token)).status).toBe(200);

    await new Promise((resolve) =>
      setTimeout(resolve, Math.max(0, Date.parse(expiresAt) + 1500 - Date.now())),
    );

    const validated = await gateway.validateToken(issued.token, { nocatalog: true });
    expect(validated.status).toBe(404);
    expect(validated.text).toBe(INVALID_TOKEN_404);
    const catalog = await get(`${keystone}/auth/catalog`, issued.token);
    expect(catalog.status).toBe(401);
    expect(catalog.headers.get("www-authenticate")).toBe(`Keystone uri="${keystone}"`);
    expect(catalog.text).toBe(KEYSTONE_401);
    // RegionOne cached it while valid, RegionTwo never saw it: both 401 (the cache keeps expiry).
    for (const url of [regions.RegionOne, regions.RegionTwo]) {
      const answer = await get(`${url}/v2/images`, issued.token);
      expect(answer.status).toBe(401);
      expect(answer.headers.get("www-authenticate")).toBe(`Keystone uri="${keystone}"`);
      expect(answer.text).toBe(AUTHTOKEN_401);
    }
  });

  it("lists both regions' image endpoints in GET /v3/auth/catalog", async () => {
    const answer = await get(`${keystone}/auth/catalog`, alice);
    expect(answer.status).toBe(200);
    const { catalog } = JSON.parse(answer.text) as { catalog: NonNullable<TokenBody["token"]["catalog"]> };
    expect(catalog.map((entry) => `${entry.type}:${entry.name}`).sort()).toEqual([
      "identity:keystone",
      "image:glance",
    ]);
    const image = catalog.find((entry) => entry.type === "image")!;
    const endpoints = image.endpoints.map(({ interface: iface, region_id, region, url }) => ({
      iface,
      region_id,
      region,
      url,
    }));
    expect(endpoints.sort((a, b) => `${a.region}${a.iface}`.localeCompare(`${b.region}${b.iface}`))).toEqual([
      { iface: "internal", region_id: "RegionOne", region: "RegionOne", url: regions.RegionOne },
      { iface: "public", region_id: "RegionOne", region: "RegionOne", url: regions.RegionOne },
      { iface: "internal", region_id: "RegionTwo", region: "RegionTwo", url: regions.RegionTwo },
      { iface: "public", region_id: "RegionTwo", region: "RegionTwo", url: regions.RegionTwo },
    ]);
    const identity = catalog.find((entry) => entry.type === "identity")!;
    expect(identity.endpoints.map((endpoint) => `${endpoint.interface} ${endpoint.url}`).sort()).toEqual([
      `admin ${keystone}`,
      `internal ${keystone}`,
      `public ${keystone}`,
    ]);
  });

  it("issues tokens for an application credential, scoped to its project", async () => {
    const client = await KeystoneClient.signIn(keystone, credentials("alice", "alpha"));
    const credential = await client.createApplicationCredential("real-keystone-suite");
    expect(credential.project_id).toBe(projects.alpha);
    expect(credential.roles.map((role) => role.name).sort()).toEqual(["member", "reader"]);
    const issued = await issueApplicationCredentialToken(keystone, credential);
    const validated = await gateway.validateToken(issued.token, { nocatalog: true });
    expect(validated.status).toBe(200);
    const token = (validated.json as unknown as TokenBody).token;
    expect(token.methods).toEqual(["application_credential"]);
    expect(token.user.id).toBe(users.alice!.id);
    expect(token.project?.id).toBe(projects.alpha);
    expect(token.application_credential).toEqual({
      id: credential.id,
      name: "real-keystone-suite",
      restricted: true,
    });
    expect((await get(`${regions.RegionOne}/v2/images/${imageId}/members`, issued.token)).status).toBe(200);
  });
});
