/**
 * The calls to Keystone are upstream calls like the others in the metrics (region `identity`) and
 * the token cache's lookups are counted; neither carries a token. Several Images API regions are
 * labelled each by its name.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ImageMembersDocument, ViewerDocument } from "../__generated__/graphql.js";
import {
  serviceEnv,
  startCloud,
  startCloudGateway,
  type Cloud,
  type CloudGateway,
} from "../support/cloud.js";

describe("metrics of an OpenStack cloud", () => {
  let cloud: Cloud;
  let g: CloudGateway;

  beforeAll(async () => {
    cloud = await startCloud();
    g = await startCloudGateway({ ...serviceEnv(cloud), OS_REGION_NAME: "RegionOne" });
  });
  afterAll(async () => {
    await g.close();
    await cloud.close();
  });

  it("counts Keystone's validations, the token cache and each region's calls, without a token", async () => {
    const token = cloud.token(cloud.users.alice, cloud.projects.alpha);
    const headers = { "x-auth-token": token };
    for (let i = 0; i < 3; i++) {
      expect((await g.request(ViewerDocument, {}, headers)).errors).toBeUndefined();
    }
    const image = cloud.regions.RegionTwo.createImage({
      owner: cloud.projects.alpha.id,
      visibility: "shared",
    }).id;
    const listed = await g.request(
      ImageMembersDocument,
      { imageId: image },
      { ...headers, "x-openstack-region": "RegionTwo" },
    );
    expect(listed.errors).toBeUndefined();

    const text = await (await fetch(new URL("/metrics", g.gateway.url))).text();
    expect(text).toMatch(
      /^gateway_upstream_requests_total\{region="identity",method="GET",route="\/auth\/tokens",status="200",outcome="ok"\} 1$/m,
    );
    expect(text).toMatch(
      /^gateway_upstream_requests_total\{region="identity",method="POST",route="\/auth\/tokens",status="201",outcome="ok"\} 1$/m,
    );
    expect(text).toMatch(/^gateway_cache_lookups_total\{cache="token",result="miss"\} 1$/m);
    expect(text).toMatch(/^gateway_cache_lookups_total\{cache="token",result="hit"\} 3$/m);
    expect(text).toMatch(
      /^gateway_upstream_requests_total\{region="RegionTwo",method="GET",route="\/v2\/images\/\{image_id\}\/members",status="200",outcome="ok"\} 1$/m,
    );
    expect(text).toMatch(/^gateway_upstream_circuit_state\{region="RegionOne",state="closed"\} 1$/m);
    expect(text).toMatch(/^gateway_upstream_circuit_state\{region="RegionTwo",state="closed"\} 1$/m);
    expect(text).not.toContain(token);
    expect(text).not.toContain(image);
  });
});
