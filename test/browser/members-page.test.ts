/**
 * A real browser page on another origin uses the gateway: Debian's Chromium, driven by
 * playwright-core, loads a small static page (plain HTML, ES modules, no bundler) from its own
 * loopback server; the page calls the gateway cross-origin, so every call passes the gateway's
 * CORS preflight first. It lists an image's members, shares the image through a form, and shows
 * the gateway's error code when acting as a stranger.
 *
 * Chromium comes from `bash test/browser/setup.sh`. Without it the test is skipped, except in CI
 * (CI set), where it fails.
 */
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemoData, type DemoSeed } from "../../src/emulator/index.js";
import { startHarness, type Harness } from "../support/harness.js";
import { startPageServer, type PageServer } from "./page-server.js";

const CHROMIUM = "/usr/bin/chromium";
const CI = (process.env.CI ?? "").toLowerCase();
const IN_CI = CI !== "" && CI !== "0" && CI !== "false";
const HAS_CHROMIUM = existsSync(CHROMIUM);
const RESULTS = fileURLToPath(new URL("../../test-results/", import.meta.url));

/**
 * As the machine needs them: headless, no sandbox (tests may run as root), and none of Chromium's
 * own background traffic (updates, sync, safe browsing), which a closed network refuses. The
 * profile (`--user-data-dir`) is a new empty directory per run, removed afterwards.
 */
const LAUNCH_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-dev-shm-usage",
];

if (!HAS_CHROMIUM && !IN_CI) {
  console.warn(
    `members-page.test.ts skipped: ${CHROMIUM} is missing. Install it with \`bash test/browser/setup.sh\` (Debian's chromium).`,
  );
}

/** Preflights the browser sent, as Chromium's DevTools protocol reports them. */
interface Preflight {
  url: string;
  origin: string | undefined;
  requestHeaders: string | undefined;
  status?: number;
}

describe.skipIf(!HAS_CHROMIUM && !IN_CI)("members page in Chromium, on another origin", () => {
  let h: Harness;
  let demo: DemoSeed;
  let site: PageServer;
  let elsewhere: PageServer;
  let profile: string | undefined;
  let context: BrowserContext | undefined;
  let page: Page;
  const preflights: Preflight[] = [];
  const consoleErrors: string[] = [];
  let actions = 0;

  beforeAll(async () => {
    if (!HAS_CHROMIUM) {
      throw new Error(`${CHROMIUM} is missing; CI must run \`bash test/browser/setup.sh\` before the tests`);
    }
    site = await startPageServer();
    elsewhere = await startPageServer();
    h = await startHarness({
      api: "v2",
      env: { GLANCE_API_VERSION: "v2", CORS_ORIGINS: site.origin },
    });
    demo = seedDemoData(h.emulator);
    profile = await mkdtemp(join(tmpdir(), "members-page-chromium-"));
    // Playwright passes the profile to Chromium as --user-data-dir.
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      chromiumSandbox: false,
      args: LAUNCH_ARGS,
      timeout: 15_000,
      viewport: { width: 820, height: 560 },
    });
    context.setDefaultTimeout(5_000);
    page = context.pages()[0] ?? (await context.newPage());
    page.on("console", (message) => {
      if (message.type() === "error") {
        consoleErrors.push(message.text());
      }
    });
    const cdp = await context.newCDPSession(page);
    const byId = new Map<string, Preflight>();
    cdp.on("Network.requestWillBeSent", (event) => {
      if (event.request.method === "OPTIONS") {
        const headers = event.request.headers;
        const preflight: Preflight = {
          url: event.request.url,
          origin: headers.Origin ?? headers.origin,
          requestHeaders:
            headers["Access-Control-Request-Headers"] ?? headers["access-control-request-headers"],
        };
        byId.set(event.requestId, preflight);
        preflights.push(preflight);
      }
    });
    cdp.on("Network.responseReceived", (event) => {
      const preflight = byId.get(event.requestId);
      if (preflight !== undefined) {
        preflight.status = event.response.status;
      }
    });
    await cdp.send("Network.enable");
  }, 30_000);

  afterAll(async () => {
    await context?.close();
    await Promise.all([h?.close(), site?.close(), elsewhere?.close()]);
    if (profile !== undefined) {
      await rm(profile, { recursive: true, force: true });
    }
  });

  /** Submits a form by its button and waits until the page has settled that action. */
  async function submit(button: string): Promise<void> {
    actions += 1;
    await page.click(button);
    await page.waitForSelector(`#status[data-done="${actions}"]`, { state: "attached" });
  }

  /** The table's rows as [member, status]. */
  async function memberRows(): Promise<string[][]> {
    const rows = await page.locator("#members tbody tr").all();
    return Promise.all(rows.map(async (row) => (await row.locator("td").allTextContents()).slice(0, 2)));
  }
  const errorText = async (): Promise<string | null> =>
    (await page.isVisible("#error")) ? page.textContent("#error") : null;

  it("lists an image's members as its owner, across origins", async () => {
    await page.goto(`${site.origin}/?gateway=${encodeURIComponent(h.gateway.url)}`);
    expect(await page.textContent("#gateway")).toBe(`Gateway: ${h.gateway.url}`);

    await page.fill("#token", demo.tenants.owner);
    await page.fill("#image", demo.images.sharedPending);
    await submit("#list");

    expect(await errorText()).toBeNull();
    expect(await memberRows()).toEqual([[demo.tenants.consumer, "PENDING"]]);
    expect(await page.textContent("#status")).toBe("1 member(s)");
    // The page came from its own server and only the documents module besides it.
    expect(site.requested).toEqual(["/", "/operations.js"]);

    // The JSON body and X-Auth-Token made the browser ask first; the gateway allowed this origin.
    expect(preflights).toContainEqual({
      url: h.gateway.url,
      origin: site.origin,
      requestHeaders: "content-type,x-auth-token",
      status: 204,
    });
  });

  it("shares the image through the form and shows the new PENDING member", async () => {
    await page.fill("#member", "demo-partner");
    await submit("#share");

    expect(await errorText()).toBeNull();
    expect(await page.textContent("#status")).toBe("Shared with demo-partner");
    expect(await memberRows()).toEqual([
      [demo.tenants.consumer, "PENDING"],
      ["demo-partner", "PENDING"],
    ]);
    expect(
      h.emulator.requests.filter((r) => r.method === "POST").map((r) => [r.path, r.headers["x-auth-token"]]),
    ).toEqual([[`/v2/images/${demo.images.sharedPending}/members`, demo.tenants.owner]]);

    await mkdir(RESULTS, { recursive: true });
    await page.screenshot({ path: `${RESULTS}members-page.png`, fullPage: true });
  });

  it("shows the error code when a stranger lists the members (token sent as Authorization: Bearer)", async () => {
    await page.fill("#token", demo.tenants.stranger);
    await page.selectOption("#scheme", "bearer");
    await submit("#list");

    // The stranger cannot see the shared image: Glance answers 404.
    expect(await page.getAttribute("#error", "data-code")).toBe("NOT_FOUND");
    expect(await errorText()).toMatch(/^NOT_FOUND: /);
    expect(await memberRows()).toEqual([]);
    expect(preflights.map((p) => p.requestHeaders)).toContain("authorization,content-type");
    expect(h.emulator.requests.at(-1)?.headers["x-auth-token"]).toBe(demo.tenants.stranger);

    await page.screenshot({ path: `${RESULTS}members-page-stranger.png`, fullPage: true });
  });

  it("cannot reach the gateway from an origin outside CORS_ORIGINS", async () => {
    const other = await page.context().newPage();
    try {
      await other.goto(`${elsewhere.origin}/?gateway=${encodeURIComponent(h.gateway.url)}`);
      await other.fill("#token", demo.tenants.owner);
      await other.fill("#image", demo.images.sharedPending);
      const before = h.emulator.requests.length;
      await other.click("#list");
      await other.waitForSelector('#status[data-done="1"]', { state: "attached" });

      // The preflight got no CORS headers: the browser never sent the query itself.
      expect(await other.getAttribute("#error", "data-code")).toBe("NETWORK_ERROR");
      expect(await other.textContent("#error")).toContain("Failed to fetch");
      expect(h.emulator.requests.length).toBe(before);
    } finally {
      await other.close();
    }
  });

  it("logged no script errors on the allowed page", () => {
    expect(consoleErrors).toEqual([]);
  });
});
