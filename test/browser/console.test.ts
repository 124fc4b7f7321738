/**
 * The example console (examples/console/), built by Vite and served from its own loopback origin,
 * in Debian's Chromium driven by playwright-core: the owner makes an image shareable and shares it,
 * the member sees it by name and accepts, the owner sees the status change and removes the member;
 * a refusal shows as a readable message. The last screen is kept as test-results/console.png.
 * Skipped without Chromium, except in CI.
 */
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "../support/harness.js";

const CHROMIUM = "/usr/bin/chromium";
const CI = (process.env.CI ?? "").toLowerCase();
const IN_CI = CI !== "" && CI !== "0" && CI !== "false";
const HAS_CHROMIUM = existsSync(CHROMIUM);
const CONSOLE = fileURLToPath(new URL("../../examples/console/", import.meta.url));
const RESULTS = fileURLToPath(new URL("../../test-results/", import.meta.url));
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
const TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
};

/** Serves a built folder on loopback. */
async function serve(root: string): Promise<{ origin: string; server: Server }> {
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://console.invalid").pathname;
    const file = normalize(join(root, path === "/" ? "index.html" : path));
    if (!file.startsWith(root)) {
      response.writeHead(404).end();
      return;
    }
    readFile(file).then(
      (body) =>
        response
          .writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" })
          .end(body),
      () => response.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe.skipIf(!HAS_CHROMIUM && !IN_CI)("the example console in Chromium", () => {
  let h: Harness;
  let out: string;
  let site: { origin: string; server: Server };
  let profile: string;
  let context: BrowserContext;
  let image: string;

  beforeAll(async () => {
    if (!HAS_CHROMIUM) {
      throw new Error(`${CHROMIUM} is missing; CI must run \`bash test/browser/setup.sh\` before the tests`);
    }
    out = await mkdtemp(join(tmpdir(), "console-build-"));
    await build({ configFile: join(CONSOLE, "vite.config.mts"), build: { outDir: out, emptyOutDir: true } });
    site = await serve(out);
    h = await startHarness({ api: "v2", env: { GLANCE_API_VERSION: "v2", CORS_ORIGINS: site.origin } });
    image = h.emulator.createImage({ owner: "proj-owner", visibility: "private", name: "console-image" }).id;
    profile = await mkdtemp(join(tmpdir(), "console-chromium-"));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      chromiumSandbox: false,
      args: LAUNCH_ARGS,
      timeout: 15_000,
      viewport: { width: 900, height: 700 },
    });
    context.setDefaultTimeout(5_000);
  }, 60_000);
  afterAll(async () => {
    await context?.close();
    await h?.close();
    site?.server.close();
    await Promise.all([profile, out].filter(Boolean).map((dir) => rm(dir, { recursive: true, force: true })));
  });

  async function open(as: string): Promise<Page> {
    const page = await context.newPage();
    const query = new URLSearchParams({ gateway: h.gateway.url, as, image });
    await page.goto(`${site.origin}/?${query.toString()}`);
    await page.waitForSelector("body[data-ready=true]");
    return page;
  }
  const rows = async (page: Page, table: string): Promise<string[][]> =>
    Promise.all(
      (await page.locator(`#${table} tr`).all()).map(async (tr) =>
        (await tr.locator("td").allTextContents()).map((cell) => cell.trim()),
      ),
    );

  it("owner shares, member accepts, owner sees it and removes the member", async () => {
    const owner = await open("proj-owner");
    await owner.click("#make-shared");
    await expect.poll(() => owner.textContent("#image-visibility")).toBe("SHARED");
    await owner.fill("#member-id", "proj-member");
    await owner.click("#share");
    await expect.poll(() => rows(owner, "members")).toEqual([["proj-member", "PENDING", "Remove"]]);

    const member = await open("proj-member");
    await expect
      .poll(() => rows(member, "shared"))
      .toEqual([["console-image", "proj-owner", "PENDING", "Accept"]]);
    await member.click("#shared button");
    await expect
      .poll(() => rows(member, "shared"))
      .toEqual([["console-image", "proj-owner", "ACCEPTED", "Reject"]]);

    await owner.click("#load");
    await expect.poll(() => rows(owner, "members")).toEqual([["proj-member", "ACCEPTED", "Remove"]]);
    await expect.poll(() => owner.textContent("#image-name")).toBe("console-image");
    await mkdir(RESULTS, { recursive: true });
    await owner.screenshot({ path: join(RESULTS, "console.png"), fullPage: true });
    await owner.click("#members button");
    await expect.poll(() => rows(owner, "members")).toEqual([]);
    expect(await owner.textContent("#error")).toBe("");
  });

  it("a refusal shows as a readable message with its code", async () => {
    const stranger = await open("proj-stranger");
    await stranger.fill("#member-id", "proj-x");
    await stranger.click("#share");
    await expect.poll(() => stranger.textContent("#error")).toMatch(/^.+ \(NOT_FOUND\)$/);
  });
});
