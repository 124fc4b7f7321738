/** Fault injection, the request journal, direct seeding, reset and close. */
import { request } from "node:http";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { seedDemoData, startEmulator, type Emulator } from "../../src/emulator/index.js";
import { call } from "./client.js";

/** Milliseconds from sending until the response head arrives, and until the body is complete. */
function timed(url: string): Promise<{ head: number; done: number; status: number; body: string }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        headers: { "x-identity-status": "Confirmed", "x-project-id": "proj-a", accept: "application/json" },
        agent: false,
      },
      (res) => {
        const head = performance.now() - started;
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (body += chunk));
        res.on("end", () =>
          resolve({ head, done: performance.now() - started, status: res.statusCode ?? 0, body }),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end();
  });
}

describe("fault injection", () => {
  let emulator: Emulator;
  let image: string;
  const path = (): string => `/v2/images/${image}/members`;
  const get = (suffix = "") => call(emulator.url, "GET", `${path()}${suffix}`, { project: "proj-a" });

  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(() => emulator.close());
  beforeEach(() => {
    emulator.reset();
    image = emulator.createImage({ owner: "proj-a", visibility: "shared" }).id;
  });

  it("responds with the given status, headers and body, once by default, and journals the request", async () => {
    emulator.injectFault({
      path: path(),
      action: {
        kind: "respond",
        status: 503,
        headers: { "retry-after": "7", "content-type": "text/plain" },
        body: "busy",
      },
    });

    const faulted = await get();
    const normal = await get();

    expect([faulted.status, faulted.headers["retry-after"], faulted.contentType, faulted.text]).toEqual([
      503,
      "7",
      "text/plain",
      "busy",
    ]);
    expect(faulted.headers["x-openstack-request-id"]).toBeUndefined();
    expect(normal.status).toBe(200);
    expect(emulator.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`GET ${path()}`, `GET ${path()}`]);
    expect(emulator.requests[0]?.headers).toMatchObject({
      "x-project-id": "proj-a",
      accept: "application/json",
    });
  });

  it("applies a rule the given number of times, or always", async () => {
    emulator.injectFault({ path: path(), times: 2, action: { kind: "respond", status: 429 } });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      statuses.push((await get()).status);
    }
    expect(statuses).toEqual([429, 429, 200]);

    emulator.injectFault({ path: path(), times: Infinity, action: { kind: "respond", status: 502 } });
    for (let i = 0; i < 4; i++) {
      statuses.push((await get()).status);
    }
    expect(statuses.slice(3)).toEqual([502, 502, 502, 502]);
    emulator.clearFaults();
    expect((await get()).status).toBe(200);
  });

  it("matches by method, by path prefix without the query, by RegExp on the raw target, in insertion order", async () => {
    emulator.injectFault({ method: "post", path: path(), action: { kind: "respond", status: 500 } });
    emulator.injectFault({ path: "/v2/images?", action: { kind: "respond", status: 501 } });
    emulator.injectFault({
      path: /member_status=all/g,
      times: Infinity,
      action: { kind: "respond", status: 504 },
    });
    emulator.injectFault({ path: "/v2/images", times: Infinity, action: { kind: "respond", status: 418 } });

    expect((await get()).status).toBe(418);
    expect(
      (await call(emulator.url, "POST", path(), { project: "proj-a", body: { member: "b" } })).status,
    ).toBe(500);
    expect(
      (await call(emulator.url, "GET", "/v2/images?member_status=all", { project: "proj-a" })).status,
    ).toBe(504);
    expect(
      (await call(emulator.url, "GET", "/v2/images?member_status=all", { project: "proj-a" })).status,
    ).toBe(504);
    expect((await call(emulator.url, "GET", "/versions")).status).toBe(200);
  });

  it("delays, then answers normally", async () => {
    emulator.injectFault({ path: path(), action: { kind: "delay", ms: 300 } });
    const reply = await timed(`${emulator.url}${path()}`);
    expect(reply.head).toBeGreaterThanOrEqual(290);
    expect([reply.status, JSON.parse(reply.body)]).toEqual([
      200,
      { members: [], schema: "/v2/schemas/members" },
    ]);
  });

  it("stalls the body after sending the head", async () => {
    emulator.injectFault({ path: path(), action: { kind: "stall-body", ms: 300 } });
    const reply = await timed(`${emulator.url}${path()}`);
    expect(reply.head).toBeLessThan(250);
    expect(reply.done).toBeGreaterThanOrEqual(290);
    expect([reply.status, JSON.parse(reply.body)]).toEqual([
      200,
      { members: [], schema: "/v2/schemas/members" },
    ]);
  });

  it("destroys the socket without an answer", async () => {
    emulator.injectFault({ path: path(), action: { kind: "destroy" } });
    await expect(
      fetch(`${emulator.url}${path()}`, {
        headers: { "x-identity-status": "Confirmed", "x-project-id": "proj-a" },
      }),
    ).rejects.toThrow("fetch failed");
    expect(emulator.requests).toHaveLength(1);
  });

  it("announces more body than it sends, then ends the connection", async () => {
    emulator.injectFault({ path: path(), action: { kind: "truncate" } });
    const response = await fetch(`${emulator.url}${path()}`, {
      headers: { "x-identity-status": "Confirmed", "x-project-id": "proj-a" },
    });
    expect(response.status).toBe(200);
    expect(Number(response.headers.get("content-length"))).toBe(
      Buffer.byteLength('{"members": [], "schema": "/v2/schemas/members"}') + 64,
    );
    await expect(response.text()).rejects.toThrow();
  });

  it("refuses malformed rules", () => {
    expect(() => emulator.injectFault({ times: 0, action: { kind: "destroy" } })).toThrow(RangeError);
    expect(() => emulator.injectFault({ action: { kind: "respond", status: 42 } })).toThrow(RangeError);
    expect(() => emulator.injectFault({ action: { kind: "delay", ms: -1 } })).toThrow(RangeError);
    expect(() => emulator.injectFault({ action: { kind: "respond", status: 100 } })).toThrow(RangeError);
    expect(() =>
      emulator.injectFault({ action: { kind: "respond", status: 200, headers: { "bad header": "x" } } }),
    ).toThrow(TypeError);
  });
});

describe("seeding, journal, reset and close", () => {
  it("seeds without HTTP, journals raw targets, and resets everything", async () => {
    const emulator = await startEmulator({ api: "both" });
    try {
      const image = emulator.createImage({ owner: "proj-a", name: "named", visibility: "private" });
      expect(image).toEqual({
        id: expect.any(String) as unknown,
        name: "named",
        owner: "proj-a",
        visibility: "private",
        createdAt: expect.any(Date) as unknown,
        updatedAt: expect.any(Date) as unknown,
      });
      expect(emulator.createImage({ owner: null }).visibility).toBe("shared");
      expect(() => emulator.createImage({ owner: "proj-a", id: image.id })).toThrow("already exists");
      expect(() => emulator.addMember("no-such-image", "proj-b")).toThrow("no image");
      emulator.addMember(image.id, "proj-b", { canShare: true });
      emulator.addMember(image.id, "proj-b", { status: "accepted" });
      expect(emulator.requests).toEqual([]);

      const reply = await call(emulator.url, "GET", `/v1/images/${image.id}/members?x=%41+b`, {
        project: "proj-a",
        body: "",
      });
      expect(reply.json).toEqual({ members: [{ member_id: "proj-b", can_share: true }] });
      const v2 = await call(emulator.url, "GET", `/v2/images?member_status=accepted&limit=5`, {
        project: "proj-b",
      });
      expect((v2.json as { images: unknown[] }).images).toEqual([]);
      expect(emulator.requests).toEqual([
        {
          method: "GET",
          path: `/v1/images/${image.id}/members?x=%41+b`,
          headers: expect.objectContaining({ "x-project-id": "proj-a", "content-length": "0" }) as unknown,
          body: "",
        },
        expect.objectContaining({ path: "/v2/images?member_status=accepted&limit=5" }),
      ]);

      emulator.clearRequests();
      expect(emulator.requests).toEqual([]);
      emulator.injectFault({ action: { kind: "respond", status: 503 } });
      emulator.reset();
      const afterReset = await call(emulator.url, "GET", `/v1/images/${image.id}/members`, {
        project: "proj-a",
      });
      expect(afterReset.status).toBe(404);
      expect(emulator.requests).toHaveLength(1);
    } finally {
      await emulator.close();
    }
  });

  it("closes promptly with a kept-alive connection and a pending delayed answer", async () => {
    const emulator = await startEmulator();
    const image = emulator.createImage({ owner: "proj-a" }).id;
    const keepAlive = await fetch(`${emulator.url}/versions`);
    await keepAlive.text();
    emulator.injectFault({ action: { kind: "delay", ms: 60_000 } });
    const pending = fetch(`${emulator.url}/v2/images/${image}`, {
      headers: { "x-identity-status": "Confirmed", "x-project-id": "proj-a" },
    });
    await new Promise((resolve) => setTimeout(resolve, 50));

    const started = performance.now();
    await emulator.close();
    await emulator.close();

    expect(performance.now() - started).toBeLessThan(1_000);
    await expect(pending).rejects.toThrow("fetch failed");
  });

  it("seeds the demo data and describes it", async () => {
    const emulator = await startEmulator();
    try {
      const seed = seedDemoData(emulator);
      expect(seed.tenants).toEqual({
        owner: "demo-owner",
        consumer: "demo-consumer",
        stranger: "demo-stranger",
        admin: "demo-admin",
      });
      const asConsumer = await call(emulator.url, "GET", "/v2/images?member_status=all&visibility=shared", {
        headers: { "x-auth-token": seed.tenants.consumer },
      });
      expect((asConsumer.json as { images: Array<{ id: string }> }).images.map((i) => i.id).sort()).toEqual(
        [seed.images.sharedPending, seed.images.sharedAccepted].sort(),
      );
      const statuses = await Promise.all(
        [seed.images.sharedPending, seed.images.sharedAccepted].map(async (id) => {
          const reply = await call(emulator.url, "GET", `/v2/images/${id}/members/${seed.tenants.consumer}`, {
            project: seed.tenants.owner,
          });
          return (reply.json as { status: string }).status;
        }),
      );
      expect(statuses).toEqual(["pending", "accepted"]);
      const publicImage = await call(emulator.url, "GET", `/v2/images/${seed.images.public}`, {
        project: seed.tenants.stranger,
      });
      expect(publicImage.json).toMatchObject({ owner: "demo-admin", visibility: "public" });
      const privateImage = await call(emulator.url, "GET", `/v2/images/${seed.images.private}`, {
        project: seed.tenants.owner,
      });
      expect(privateImage.json).toMatchObject({ visibility: "private", name: "private" });
    } finally {
      await emulator.close();
    }
  });
});
