/** viewerCan: what the validated caller may do with each share; null when no caller is known. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MemberPermissionsDocument, SharedPermissionsDocument } from "../__generated__/graphql.js";
import {
  serviceEnv,
  startCloud,
  startCloudGateway,
  type Cloud,
  type CloudGateway,
} from "../support/cloud.js";

describe("viewerCan", () => {
  let cloud: Cloud;
  let g: CloudGateway;
  let image: string;

  beforeAll(async () => {
    cloud = await startCloud();
    g = await startCloudGateway({ ...serviceEnv(cloud), OS_REGION_NAME: "RegionOne" });
    image = cloud.regions.RegionOne.createImage({ owner: cloud.projects.alpha.id, visibility: "shared" }).id;
    cloud.regions.RegionOne.addMember(image, cloud.projects.beta.id);
  });
  afterAll(async () => {
    await g.close();
    await cloud.close();
  });

  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  it("the owner manages and removes, and does not respond", async () => {
    const result = await g.request(
      MemberPermissionsDocument,
      { imageId: image },
      bearer(cloud.token(cloud.users.alice, cloud.projects.alpha)),
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?.imageMembers).toEqual([
      { memberId: cloud.projects.beta.id, viewerCan: { respond: false, remove: true, manageMembers: true } },
    ]);
  });

  it("the member responds, and neither removes nor manages (v2)", async () => {
    const result = await g.request(
      SharedPermissionsDocument,
      {},
      bearer(cloud.token(cloud.users.bob, cloud.projects.beta)),
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?.sharedImages).toEqual([
      { imageId: image, viewerCan: { respond: true, remove: false, manageMembers: false } },
    ]);
  });

  it("without token validation the caller is unknown: null, not a guess", async () => {
    const plain = await startCloudGateway({ GLANCE_URL: cloud.regions.RegionOne.url });
    try {
      const token = cloud.token(cloud.users.alice, cloud.projects.alpha);
      const result = await plain.request(MemberPermissionsDocument, { imageId: image }, bearer(token));
      expect(result.errors).toBeUndefined();
      expect(result.data?.imageMembers[0]?.viewerCan).toBeNull();
    } finally {
      await plain.close();
    }
  });
});
