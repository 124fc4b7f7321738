/**
 * setImageVisibility: the v2 JSON patch exactly as Glance requires it, the image summary read back,
 * Glance's refusals coded, v1's two visibilities, and shareImage's hint on an image not yet shared.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SetImageVisibilityDocument, ShareImageDocument } from "../__generated__/graphql.js";
import { as, codes, startHarness, type Harness } from "../support/harness.js";
import { calls, expectedHeaders } from "../support/upstream.js";

describe("setImageVisibility on Images API v2", () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ api: "v2", env: { GLANCE_API_VERSION: "v2" } });
  });
  afterAll(() => h.close());
  beforeEach(() => h.emulator.reset());

  it("the owner makes a private image shared: one PATCH in the v2.1 JSON-patch type, the summary back", async () => {
    const image = h.emulator.createImage({ owner: "proj-a", visibility: "private", name: "ubuntu-24.04" });
    const result = await h.request(
      SetImageVisibilityDocument,
      { imageId: image.id, visibility: "SHARED" },
      as("proj-a"),
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?.setImageVisibility).toMatchObject({
      id: image.id,
      name: "ubuntu-24.04",
      visibility: "SHARED",
      owner: "proj-a",
      protected: false,
    });
    expect(calls(h.emulator)).toEqual([
      {
        method: "PATCH",
        path: `/v2/images/${image.id}`,
        headers: expectedHeaders("proj-a", {
          "content-type": "application/openstack-images-v2.1-json-patch",
        }),
        body: [{ op: "replace", path: "/visibility", value: "shared" }],
      },
    ]);
    const shared = await h.request(
      ShareImageDocument,
      { imageId: image.id, memberId: "proj-b" },
      as("proj-a"),
    );
    expect(shared.errors).toBeUndefined();
  });

  it("shareImage on a private image fails as Glance does, and says what to do", async () => {
    const image = h.emulator.createImage({ owner: "proj-a", visibility: "private" });
    const result = await h.request(
      ShareImageDocument,
      { imageId: image.id, memberId: "proj-b" },
      as("proj-a"),
    );
    expect(codes(result)).toEqual(["FORBIDDEN"]);
    expect(result.errors?.[0]?.message).toBe(
      `Not allowed to create members for image ${image.id}. Only an image with visibility SHARED takes members: ` +
        "its owner makes it so with setImageVisibility(imageId, visibility: SHARED).",
    );
  });

  it("another project cannot change it: Glance's answers, coded", async () => {
    const image = h.emulator.createImage({ owner: "proj-a", visibility: "shared" });
    // A stranger does not see the image at all; a member sees it and is refused.
    const stranger = await h.request(
      SetImageVisibilityDocument,
      { imageId: image.id, visibility: "PRIVATE" },
      as("proj-c"),
    );
    expect(codes(stranger)).toEqual(["NOT_FOUND"]);
    h.emulator.addMember(image.id, "proj-b");
    const member = await h.request(
      SetImageVisibilityDocument,
      { imageId: image.id, visibility: "PRIVATE" },
      as("proj-b"),
    );
    expect(codes(member)).toEqual(["FORBIDDEN"]);
    const missing = await h.request(
      SetImageVisibilityDocument,
      { imageId: "0b1b3a2e-6d0b-4a43-9f1e-4e0f3f2a9c11", visibility: "SHARED" },
      as("proj-a"),
    );
    expect(codes(missing)).toEqual(["NOT_FOUND"]);
  });

  it("an invalid image id is refused before any call", async () => {
    const result = await h.request(
      SetImageVisibilityDocument,
      { imageId: "not-a-uuid", visibility: "SHARED" },
      as("proj-a"),
    );
    expect(codes(result)).toEqual(["BAD_USER_INPUT"]);
    expect(calls(h.emulator)).toEqual([]);
  });
});

describe("setImageVisibility on Images API v1", () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ api: "v1", env: { GLANCE_API_VERSION: "v1" } });
  });
  afterAll(() => h.close());

  it("SHARED and COMMUNITY do not exist on v1: BAD_USER_INPUT, no call", async () => {
    h.emulator.clearRequests();
    const result = await h.request(
      SetImageVisibilityDocument,
      { imageId: "0b1b3a2e-6d0b-4a43-9f1e-4e0f3f2a9c11", visibility: "SHARED" },
      as("proj-a"),
    );
    expect(codes(result)).toEqual(["BAD_USER_INPUT"]);
    expect(result.errors?.[0]?.message).toBe(
      "visibility can be PUBLIC or PRIVATE on Images API v1, which has no shared or community images",
    );
    expect(calls(h.emulator)).toEqual([]);
  });
});
