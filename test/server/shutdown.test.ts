/**
 * Graceful shutdown through RunningGateway.close(), as SIGTERM/SIGINT run it: new connections are
 * refused at once, requests in flight finish, and past SHUTDOWN_TIMEOUT_MS they are answered with
 * SERVICE_UNAVAILABLE instead of being cut.
 */
import { request } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { as, startHarness, type Harness } from "../support/harness.js";

/** Opens a fresh connection (no keep-alive pool) and resolves with how it went. */
function freshConnection(url: string): Promise<"answered" | "refused"> {
  return new Promise((resolve) => {
    const req = request(url.replace(/\/graphql$/, "/health/live"), { agent: false }, (res) => {
      res.resume();
      res.on("end", () => resolve("answered"));
    });
    req.on("error", (error: NodeJS.ErrnoException) =>
      resolve(error.code === "ECONNREFUSED" ? "refused" : "answered"),
    );
    req.end();
  });
}

describe("graceful shutdown", () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  const slowQuery = (harness: Harness, image: string) =>
    fetch(harness.gateway.url, {
      method: "POST",
      headers: { "content-type": "application/json", connection: "close", ...as("proj-a") },
      body: JSON.stringify({ query: `{ imageMembers(imageId: "${image}") { memberId } }` }),
    });

  it("refuses new connections at once, and lets a slow request in flight complete", async () => {
    h = await startHarness({ api: "v2", env: { GLANCE_API_VERSION: "v2" } });
    const harness = h;
    const image = harness.emulator.createImage({ owner: "proj-a" }).id;
    harness.emulator.addMember(image, "proj-b");
    harness.emulator.injectFault({ path: `/v2/images/${image}/members`, action: { kind: "delay", ms: 600 } });
    expect(await freshConnection(harness.gateway.url)).toBe("answered");

    const inFlight = slowQuery(harness, image);
    await expect.poll(() => harness.emulator.requests.length).toBe(1);
    let closed = false;
    const closing = harness.gateway.close().then(() => {
      closed = true;
    });

    expect(await freshConnection(harness.gateway.url)).toBe("refused");
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { imageMembers: [{ memberId: "proj-b" }] } });
    await closing;
    expect(closed).toBe(true);
    expect(await freshConnection(harness.gateway.url)).toBe("refused");
  });

  it("past SHUTDOWN_TIMEOUT_MS a request still waiting on the upstream is answered SERVICE_UNAVAILABLE", async () => {
    h = await startHarness({
      api: "v2",
      env: { GLANCE_API_VERSION: "v2", SHUTDOWN_TIMEOUT_MS: "200", UPSTREAM_TIMEOUT_MS: "30000" },
    });
    const harness = h;
    const image = harness.emulator.createImage({ owner: "proj-a" }).id;
    harness.emulator.injectFault({
      path: `/v2/images/${image}/members`,
      action: { kind: "delay", ms: 10_000 },
    });

    const inFlight = slowQuery(harness, image);
    await expect.poll(() => harness.emulator.requests.length).toBe(1);
    const started = performance.now();
    await harness.gateway.close();
    expect(performance.now() - started).toBeLessThan(200 + 2_000);

    const response = await inFlight;
    const body = (await response.json()) as {
      errors: Array<{ message: string; extensions: Record<string, unknown> }>;
    };
    expect(body.errors[0]?.extensions).toMatchObject({ code: "SERVICE_UNAVAILABLE", retryable: true });
    expect(body.errors[0]?.message).toMatch(/shutting down/);
  });

  it("close() can be called twice", async () => {
    h = await startHarness({ api: "v2" });
    await Promise.all([h.gateway.close(), h.gateway.close()]);
  });
});
