/**
 * The emulated Keystone's plumbing: the request journal, faults ("Keystone down"), seeding rules,
 * and closing without leaving connections behind.
 */
import { request } from "node:http";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startKeystoneEmulator, type KeystoneEmulator } from "../../src/emulator/index.js";
import { call } from "./client.js";

describe("emulated Keystone, journal, faults and lifecycle", () => {
  let keystone: KeystoneEmulator;

  beforeAll(async () => {
    keystone = await startKeystoneEmulator();
    const project = keystone.addProject("alpha");
    const user = keystone.addUser("alice", "pw");
    keystone.grant(user.id, project.id, "member");
  });
  afterAll(() => keystone.close());
  beforeEach(() => {
    keystone.clearFaults();
    keystone.clearRequests();
  });

  const signIn = () =>
    call(keystone.url, "POST", "/v3/auth/tokens?nocatalog", {
      headers: { "content-type": "application/json", "X-Custom": "Yes" },
      body: {
        auth: {
          identity: {
            methods: ["password"],
            password: { user: { name: "alice", domain: { id: "default" }, password: "pw" } },
          },
        },
      },
    });

  it("listens on 127.0.0.1 and journals every request: method, raw target, lower-cased headers, body", async () => {
    expect(keystone.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await signIn();
    await call(keystone.url, "GET", "/v3/auth/tokens?nocatalog", { headers: { "X-Auth-Token": "t" } });
    const [first, second] = keystone.requests;
    expect(keystone.requests).toHaveLength(2);
    expect(first).toMatchObject({ method: "POST", path: "/v3/auth/tokens?nocatalog" });
    expect(first?.headers["x-custom"]).toBe("Yes");
    expect(JSON.parse(first?.body ?? "")).toMatchObject({ auth: { identity: { methods: ["password"] } } });
    expect(second).toMatchObject({ method: "GET", body: "" });
    expect(second?.headers["x-auth-token"]).toBe("t");
    keystone.clearRequests();
    expect(keystone.requests).toEqual([]);
  });

  it("setFault answers every call with the given status until cleared, and journals them", async () => {
    keystone.setFault({ kind: "respond", status: 503, body: "down", headers: { "retry-after": "1" } });
    for (let i = 0; i < 3; i++) {
      const reply = await signIn();
      expect([reply.status, reply.text, reply.headers["retry-after"]]).toEqual([503, "down", "1"]);
    }
    expect(keystone.requests).toHaveLength(3);
    keystone.setFault(null);
    expect((await signIn()).status).toBe(201);
  });

  it("setFault can drop connections: the client sees a socket error", async () => {
    keystone.setFault({ kind: "destroy" });
    await expect(signIn()).rejects.toThrow();
    keystone.setFault(null);
    expect((await signIn()).status).toBe(201);
  });

  it("injectFault applies to matching requests, the given number of times", async () => {
    keystone.injectFault({
      method: "POST",
      path: "/v3/auth/tokens",
      times: 2,
      action: { kind: "respond", status: 500 },
    });
    expect((await call(keystone.url, "GET", "/v3")).status).toBe(200);
    expect((await signIn()).status).toBe(500);
    expect((await signIn()).status).toBe(500);
    expect((await signIn()).status).toBe(201);
  });

  it("a delayed answer arrives after the delay", async () => {
    keystone.setFault({ kind: "delay", ms: 150 });
    const started = performance.now();
    expect((await signIn()).status).toBe(201);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it("a bad fault is refused without dropping the rules in place", async () => {
    keystone.setFault({ kind: "respond", status: 503 });
    expect(() => keystone.setFault({ kind: "respond", status: 42 })).toThrow(RangeError);
    expect((await signIn()).status).toBe(503);
  });

  it("seeding: names are unique per domain; grants need a known user and project", () => {
    const project = keystone.addProject("seeded");
    const user = keystone.addUser("seeded-user", "pw");
    expect(() => keystone.addProject("seeded")).toThrow(/exists already/);
    expect(() => keystone.addUser("seeded-user", "pw")).toThrow(/exists already/);
    expect(keystone.addProject("seeded", { domainId: "elsewhere" }).name).toBe("seeded");
    expect(keystone.addProject("fixed", { id: "0123456789abcdef0123456789abcdef" }).id).toBe(
      "0123456789abcdef0123456789abcdef",
    );
    expect(() => keystone.addDomain("Default")).toThrow(/exists already/);
    expect(() => keystone.grant("nobody", project.id, "member")).toThrow(/no user/);
    expect(() => keystone.grant(user.id, "nowhere", "member")).toThrow(/no project/);
  });

  it("close ends keep-alive connections and answers nothing more; a second close is the same", async () => {
    const closing = await startKeystoneEmulator();
    const agentReply = await new Promise<number>((resolve, reject) => {
      const req = request(`${closing.url}/v3`, { headers: { connection: "keep-alive" } }, (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      });
      req.on("error", reject);
      req.end();
    });
    expect(agentReply).toBe(200);
    closing.setFault({ kind: "stall-body", ms: 60_000 });
    const stalled = fetch(`${closing.url}/v3`)
      .then((response) => response.text())
      .catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const first = closing.close();
    expect(closing.close()).toBe(first);
    await first;
    expect(await stalled).toBeInstanceOf(Error);
    await expect(fetch(`${closing.url}/v3`)).rejects.toThrow();
  });
});
