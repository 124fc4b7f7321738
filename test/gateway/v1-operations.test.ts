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
import { UPSTREAM_REQUEST_ID, calls, expectedHeaders, withJson } from "../support/upstream.js";

describe("Images API v1 operations", () => {
  let h: Harness;
  let image: string;

  beforeAll(async () => {
    h = await startHarness({ api: "v1", env: { GLANCE_API_VERSION: "v1" } });
  });
  afterAll(() => h.close());
  beforeEach(() => {
    h.emulator.reset();
    image = h.emulator.createImage({ owner: "proj-a", visibility: "private" }).id;
  });

  it("shareImage PUTs {member: {can_share}} and answers from the 204", async () => {
    const result = await h.request(
      ShareImageDocument,
      { imageId: image, memberId: "proj-b", canShare: true },
      as("proj-a"),
    );

    expect(result.errors).toBeUndefined();
    expect(result.data?.shareImage).toEqual({
      id: `${image}/proj-b`,
      imageId: image,
      memberId: "proj-b",
      status: null,
      canShare: true,
      createdAt: null,
      updatedAt: null,
    });
    expect(calls(h.emulator)).toEqual([
      {
        method: "PUT",
        path: `/v1/images/${image}/members/proj-b`,
        headers: withJson(expectedHeaders("proj-a")),
        body: { member: { can_share: true } },
      },
    ]);
  });

  it("shareImage without canShare sends can_share false", async () => {
    const result = await h.request(ShareImageDocument, { imageId: image, memberId: "proj-b" }, as("proj-a"));
    expect(result.data?.shareImage.canShare).toBe(false);
    expect(calls(h.emulator)[0]?.body).toEqual({ member: { can_share: false } });
  });

  it("imageMembers GETs the v1 list", async () => {
    h.emulator.addMember(image, "proj-b", { canShare: true });
    h.emulator.addMember(image, "proj-c");

    const result = await h.request(ImageMembersDocument, { imageId: image }, as("proj-a"));

    expect(result.errors).toBeUndefined();
    expect(result.data?.imageMembers.map((m) => [m.memberId, m.canShare, m.status])).toEqual(
      expect.arrayContaining([
        ["proj-b", true, null],
        ["proj-c", false, null],
      ]),
    );
    expect(calls(h.emulator)).toEqual([
      {
        method: "GET",
        path: `/v1/images/${image}/members`,
        headers: expectedHeaders("proj-a"),
        body: undefined,
      },
    ]);
  });

  it("imageMember picks from the v1 list", async () => {
    h.emulator.addMember(image, "proj-b", { canShare: true });
    const result = await h.request(ImageMemberDocument, { imageId: image, memberId: "proj-b" }, as("proj-a"));
    expect(result.data?.imageMember).toMatchObject({ memberId: "proj-b", canShare: true });
    expect(calls(h.emulator).map((c) => `${c.method} ${c.path}`)).toEqual([
      `GET /v1/images/${image}/members`,
    ]);
  });

  it("imageMember answers NOT_FOUND when the list lacks the member", async () => {
    const result = await h.request(ImageMemberDocument, { imageId: image, memberId: "proj-z" }, as("proj-a"));
    expect(result.data?.imageMember).toBeNull();
    expect(codes(result)).toEqual(["NOT_FOUND"]);
    expect(calls(h.emulator)).toHaveLength(1);
  });

  it("sharedImages GETs /v1/shared-images/{member}", async () => {
    h.emulator.addMember(image, "proj-b", { canShare: true });
    const result = await h.request(SharedImagesDocument, { memberId: "proj-b" }, as("proj-b"));
    expect(result.errors).toBeUndefined();
    expect(result.data?.sharedImages).toEqual([
      expect.objectContaining({
        imageId: image,
        memberId: "proj-b",
        canShare: true,
        status: null,
        createdAt: null,
      }),
    ]);
    expect(calls(h.emulator)).toEqual([
      {
        method: "GET",
        path: "/v1/shared-images/proj-b",
        headers: expectedHeaders("proj-b"),
        body: undefined,
      },
    ]);
  });

  it("sharedImages refuses a status filter on v1 without calling", async () => {
    const result = await h.request(
      SharedImagesDocument,
      { memberId: "proj-b", status: "ACCEPTED" },
      as("proj-b"),
    );
    expect(codes(result)).toEqual(["BAD_USER_INPUT"]);
    expect(calls(h.emulator)).toEqual([]);
  });

  it("respondToShare is UNSUPPORTED_OPERATION with no upstream call", async () => {
    h.emulator.addMember(image, "proj-b");
    const result = await h.request(
      RespondToShareDocument,
      { imageId: image, memberId: "proj-b", status: "ACCEPTED" },
      as("proj-b"),
    );
    expect(codes(result)).toEqual(["UNSUPPORTED_OPERATION"]);
    expect(result.errors?.[0]?.extensions).toEqual({
      code: "UNSUPPORTED_OPERATION",
      retryable: false,
      requestId: expect.stringMatching(UPSTREAM_REQUEST_ID) as string,
    });
    expect(calls(h.emulator)).toEqual([]);
  });

  it("unshareImage DELETEs and returns the id", async () => {
    h.emulator.addMember(image, "proj-b");
    const result = await h.request(
      UnshareImageDocument,
      { imageId: image, memberId: "proj-b" },
      as("proj-a"),
    );
    expect(result.data?.unshareImage).toBe(`${image}/proj-b`);
    expect(calls(h.emulator)).toEqual([
      {
        method: "DELETE",
        path: `/v1/images/${image}/members/proj-b`,
        headers: expectedHeaders("proj-a"),
        body: undefined,
      },
    ]);
  });

  it("lets a can_share member share further, and answers NOT_FOUND to a member without it", async () => {
    h.emulator.addMember(image, "proj-b", { canShare: true });
    h.emulator.addMember(image, "proj-c", { canShare: false });

    const delegated = await h.request(
      ShareImageDocument,
      { imageId: image, memberId: "proj-d" },
      as("proj-b"),
    );
    expect(delegated.errors).toBeUndefined();

    const refused = await h.request(ShareImageDocument, { imageId: image, memberId: "proj-e" }, as("proj-c"));
    expect(codes(refused)).toEqual(["NOT_FOUND"]);
    expect(refused.errors?.[0]?.extensions?.upstream).toMatchObject({ status: 404, method: "PUT" });
  });
});
