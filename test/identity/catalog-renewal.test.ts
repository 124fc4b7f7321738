/**
 * The service session over time: the catalog is read again when the service token nears expiry, and
 * a failed renewal (Keystone down) keeps the last good catalog: the regions stay served.
 */
import { afterEach, describe, expect, it } from "vitest";
import { ViewerDocument } from "../__generated__/graphql.js";
import { codes } from "../support/harness.js";
import {
  serviceEnv,
  startCloud,
  startCloudGateway,
  type Cloud,
  type CloudGateway,
} from "../support/cloud.js";
import { startEmulator, type Emulator } from "../../src/emulator/index.js";

/** Waits until `check` holds, polling, for at most `ms`. */
async function eventually(check: () => boolean, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) {
      throw new Error("did not happen in time");
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("the service session renews before expiry", () => {
  let cloud: Cloud;
  let g: CloudGateway;
  let third: Emulator;

  afterEach(async () => {
    await g.close();
    await cloud.close();
    await third.close();
  });

  it("reads the catalog again: a new region is served, and a Keystone gone keeps the last catalog", async () => {
    // Tokens of 4 s: the gateway signs in again after 2 s (half the lifetime).
    cloud = await startCloud({ tokenLifetimeSeconds: 4 });
    third = await startEmulator();
    g = await startCloudGateway({ ...serviceEnv(cloud), OS_REGION_NAME: "RegionOne" });
    expect(g.gateway.regions).toEqual(["RegionOne", "RegionTwo"]);
    cloud.keystone.setImageEndpoints([
      { region: "RegionOne", url: cloud.regions.RegionOne.url },
      { region: "RegionTwo", url: cloud.regions.RegionTwo.url },
      { region: "RegionThree", url: third.url },
    ]);
    await eventually(() => g.gateway.regions.includes("RegionThree"), 5_000);
    const signIns = cloud.keystone.requests.filter((request) => request.method === "POST").length;
    expect(signIns).toBeGreaterThanOrEqual(2);

    await cloud.keystone.close();
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(g.gateway.regions).toEqual(["RegionOne", "RegionTwo", "RegionThree"]);
    expect(g.logs.join("")).toContain("Keystone sign-in failed; keeping the last token and catalog");
    // New tokens cannot be checked meanwhile: retryable, never UNAUTHENTICATED.
    const answer = await g.request(ViewerDocument, {}, { "x-auth-token": "a-token-never-seen" });
    expect(codes(answer)).toEqual(["UPSTREAM_UNREACHABLE"]);
  }, 20_000);
});
