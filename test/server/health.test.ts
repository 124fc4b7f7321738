/** Liveness, and readiness: whether the upstream answers its version document, asked at most every 2 s. */
import { createServer } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "../support/harness.js";

const healthUrl = (h: Harness, which: "live" | "ready"): string =>
  h.gateway.url.replace(/\/graphql$/, `/health/${which}`);

async function get(url: string): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(url);
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === "object" && address !== null ? address.port : 0));
    });
  });
}

describe("health endpoints", () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it("/health/live answers 200 whatever the upstream does", async () => {
    h = await startHarness({ upstreamUrl: `http://127.0.0.1:${await closedPort()}` });
    expect(await get(healthUrl(h, "live"))).toEqual({ status: 200, json: { status: "ok" } });
  });

  it("/health/ready answers 200 when the upstream serves its version document, and asks it once per 2 s", async () => {
    h = await startHarness({ api: "v2" });
    const first = await get(healthUrl(h, "ready"));
    const second = await get(healthUrl(h, "ready"));
    expect(first).toEqual({ status: 200, json: { status: "ready" } });
    expect(second).toEqual(first);
    const probes = h.emulator.requests.filter((r) => r.path === "/versions");
    expect(probes).toHaveLength(1);
    // Without credentials, with a request id of its own.
    expect(probes[0]?.headers).not.toHaveProperty("x-auth-token");
    expect(probes[0]?.headers["x-openstack-request-id"]).toMatch(/^req-/);
  });

  it("/health/ready asks again once its answer is older than READINESS_CACHE_MS", async () => {
    h = await startHarness({ api: "v2", env: { READINESS_CACHE_MS: "0" } });
    await Promise.all([get(healthUrl(h, "ready")), get(healthUrl(h, "ready"))]);
    await get(healthUrl(h, "ready"));
    const probes = h.emulator.requests.filter((r) => r.path === "/versions").length;
    expect(probes).toBeGreaterThanOrEqual(2);
    expect(probes).toBeLessThanOrEqual(3);
  });

  it("/health/ready answers 503 with the reason when the upstream cannot be reached", async () => {
    h = await startHarness({ upstreamUrl: `http://127.0.0.1:${await closedPort()}` });
    expect(await get(healthUrl(h, "ready"))).toEqual({
      status: 503,
      json: { status: "unavailable", reason: "upstream: The upstream could not be reached" },
    });
  });

  it("/health/ready answers 503 when the upstream answers something else than a version document", async () => {
    h = await startHarness({ api: "v2" });
    h.emulator.injectFault({ path: "/versions", action: { kind: "respond", status: 503, body: "busy" } });
    const answer = await get(healthUrl(h, "ready"));
    expect(answer.status).toBe(503);
    expect(answer.json.reason).toBe("upstream: busy");
  });

  it("an unknown path is a 404 with a code", async () => {
    h = await startHarness({ api: "v2" });
    const answer = await get(h.gateway.url.replace(/\/graphql$/, "/nowhere"));
    expect(answer.status).toBe(404);
    expect(answer.json).toMatchObject({ errors: [{ extensions: { code: "NOT_FOUND" } }] });
  });
});
