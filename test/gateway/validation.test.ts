import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  ImageMemberDocument,
  ImageMembersDocument,
  RespondToShareDocument,
  ShareImageDocument,
  SharedImagesDocument,
  UnshareImageDocument,
} from "../__generated__/graphql.js";
import { as, codes, startHarness, type Harness } from "../support/harness.js";

const IMAGE = "11111111-2222-3333-4444-555555555555";

describe("identifiers are checked before any upstream call", () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ api: "v2", env: { GLANCE_API_VERSION: "v2" } });
  });
  afterAll(() => h.close());
  beforeEach(() => h.emulator.clearRequests());

  const badImageIds = [
    "not-a-uuid",
    "",
    "../../v2/images",
    `${IMAGE}/members`,
    "11111111-2222-3333-4444-55555555555g",
  ];
  const badMemberIds = ["", " ", "a b", "a/b", "tab\there", "nul\u0000", "x".repeat(256), "😀"];

  it.each(badImageIds)("imageMembers refuses imageId %j", async (imageId) => {
    const result = await h.request(ImageMembersDocument, { imageId }, as("proj-a"));
    expect(codes(result)).toEqual(["BAD_USER_INPUT"]);
    expect(result.errors?.[0]?.message).toMatch(/^imageId /);
    expect(h.emulator.requests).toEqual([]);
  });

  it.each(badMemberIds)("every operation refuses memberId %j", async (memberId) => {
    const results = [
      await h.request(ImageMemberDocument, { imageId: IMAGE, memberId }, as("proj-a")),
      await h.request(SharedImagesDocument, { memberId }, as("proj-a")),
      await h.request(ShareImageDocument, { imageId: IMAGE, memberId }, as("proj-a")),
      await h.request(RespondToShareDocument, { imageId: IMAGE, memberId, status: "ACCEPTED" }, as("proj-a")),
      await h.request(UnshareImageDocument, { imageId: IMAGE, memberId }, as("proj-a")),
    ];
    for (const result of results) {
      expect(codes(result)).toEqual(["BAD_USER_INPUT"]);
      expect(result.errors?.[0]?.message).toMatch(/^memberId /);
    }
    expect(h.emulator.requests).toEqual([]);
  });

  it("accepts a member id of exactly 255 characters", async () => {
    const image = h.emulator.createImage({ owner: "proj-a", visibility: "shared" }).id;
    const memberId = "m".repeat(255);
    const result = await h.request(ShareImageDocument, { imageId: image, memberId }, as("proj-a"));
    expect(result.errors).toBeUndefined();
    expect(result.data?.shareImage.memberId).toBe(memberId);
  });

  it("refuses a status outside the enum through GraphQL itself", async () => {
    const result = await h.post(
      JSON.stringify({
        query:
          'mutation { respondToShare(imageId: "' + IMAGE + '", memberId: "proj-b", status: MAYBE) { id } }',
      }),
      as("proj-b"),
    );
    expect(codes(result)).toEqual(["GRAPHQL_VALIDATION_FAILED"]);
    expect(h.emulator.requests).toEqual([]);
  });
});
