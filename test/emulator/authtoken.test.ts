/** Glance behind Keystone: the emulator's authtoken mode lets in only tokens the identity service knows. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator, type TokenHolder } from "../../src/emulator/index.js";
import { call } from "./client.js";

const KEYSTONE = "http://127.0.0.1:5999";
const HOLDERS: Readonly<Record<string, TokenHolder>> = {
  "tok-alpha": { userId: "u-alice", projectId: "p-alpha", roles: ["member", "reader"] },
  "tok-unscoped": { userId: "u-dave", projectId: null, roles: [] },
};

describe("authtoken", () => {
  let emulator: Emulator;
  let image: string;

  beforeAll(async () => {
    emulator = await startEmulator({
      authtoken: { uri: KEYSTONE, resolve: (token) => HOLDERS[token] ?? null },
    });
    image = emulator.createImage({ owner: "p-alpha", visibility: "shared" }).id;
  });
  afterAll(() => emulator.close());

  it.each([
    ["no token", {}],
    ["an unknown token", { "x-auth-token": "tok-nobody" }],
    ["identity headers without a token", { "x-identity-status": "Confirmed", "x-project-id": "p-alpha" }],
  ])("%s: authtoken's own 401, JSON with WWW-Authenticate", async (_, headers) => {
    const reply = await call(emulator.url, "GET", `/v2/images/${image}/members`, { headers });
    expect(reply.status).toBe(401);
    expect(reply.headers["www-authenticate"]).toBe(`Keystone uri="${KEYSTONE}"`);
    expect(reply.contentType).toBe("application/json");
    expect(reply.json).toEqual({
      error: {
        code: 401,
        title: "Unauthorized",
        message: "The request you have made requires authentication.",
      },
    });
  });

  it("a known token acts as its project, whatever identity headers the client adds", async () => {
    const owner = await call(emulator.url, "GET", `/v2/images/${image}/members`, {
      headers: { "x-auth-token": "tok-alpha", "x-project-id": "p-other", "x-roles": "admin" },
    });
    expect(owner.status).toBe(200);
    expect(owner.json).toEqual({ members: [], schema: "/v2/schemas/members" });
  });

  it("an unscoped token is let in, as a context without a project", async () => {
    const reply = await call(emulator.url, "GET", `/v2/images/${image}/members`, {
      headers: { "x-auth-token": "tok-unscoped" },
    });
    expect(reply.status).toBe(404);
  });
});
