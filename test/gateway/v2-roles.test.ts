import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  ImageMemberDocument,
  ImageMembersDocument,
  RespondToShareDocument,
  ShareImageDocument,
  UnshareImageDocument,
} from "../__generated__/graphql.js";
import { as, codes, startHarness, type Harness } from "../support/harness.js";

const OWNER = "proj-a";
const MEMBER = "proj-b";
const STRANGER = "proj-c";

describe("owner, member and stranger on Images API v2", () => {
  let h: Harness;
  let image: string;

  beforeAll(async () => {
    h = await startHarness({
      api: "v2",
      env: { GLANCE_API_VERSION: "v2", FORWARD_HEADERS: "X-Roles" },
      emulator: { memberQuota: 3 },
    });
  });
  afterAll(() => h.close());
  beforeEach(() => {
    h.emulator.reset();
    image = h.emulator.createImage({ owner: OWNER, visibility: "shared" }).id;
    h.emulator.addMember(image, MEMBER);
  });

  describe("shareImage", () => {
    it.each([
      [OWNER, null],
      [MEMBER, "FORBIDDEN"],
      [STRANGER, "NOT_FOUND"],
    ])("as %s → %s", async (caller, code) => {
      const result = await h.request(
        ShareImageDocument,
        { imageId: image, memberId: "proj-new" },
        as(caller),
      );
      expect(codes(result)).toEqual(code === null ? [] : [code]);
    });

    it("as an admin of another project succeeds", async () => {
      const result = await h.request(
        ShareImageDocument,
        { imageId: image, memberId: "proj-new" },
        { ...as("proj-admin"), "x-roles": "admin" },
      );
      expect(result.errors).toBeUndefined();
      expect(result.data?.shareImage.status).toBe("PENDING");
    });

    it("twice → CONFLICT", async () => {
      const result = await h.request(ShareImageDocument, { imageId: image, memberId: MEMBER }, as(OWNER));
      expect(codes(result)).toEqual(["CONFLICT"]);
      expect(result.errors?.[0]?.message).toBe(`Member ${MEMBER} is duplicated for image ${image}`);
    });

    it.each(["private", "public", "community"] as const)("on a %s image → FORBIDDEN", async (visibility) => {
      const other = h.emulator.createImage({ owner: OWNER, visibility }).id;
      const result = await h.request(ShareImageDocument, { imageId: other, memberId: MEMBER }, as(OWNER));
      expect(codes(result)).toEqual(["FORBIDDEN"]);
    });

    it("past the member quota → OVER_LIMIT, counting rejected members", async () => {
      h.emulator.addMember(image, "proj-x", { status: "rejected" });
      h.emulator.addMember(image, "proj-y");
      const result = await h.request(ShareImageDocument, { imageId: image, memberId: "proj-z" }, as(OWNER));
      expect(codes(result)).toEqual(["OVER_LIMIT"]);
      expect(result.errors?.[0]?.extensions?.upstream).toMatchObject({ status: 413, method: "POST" });
    });

    it("on a missing image → NOT_FOUND", async () => {
      const result = await h.request(
        ShareImageDocument,
        { imageId: "11111111-2222-3333-4444-555555555555", memberId: MEMBER },
        as(OWNER),
      );
      expect(codes(result)).toEqual(["NOT_FOUND"]);
    });
  });

  describe("respondToShare", () => {
    it.each([
      [MEMBER, MEMBER, null],
      [OWNER, MEMBER, "FORBIDDEN"],
      [STRANGER, MEMBER, "NOT_FOUND"],
      [MEMBER, "proj-other", "NOT_FOUND"],
    ])("as %s for %s → %s", async (caller, memberId, code) => {
      h.emulator.addMember(image, "proj-other");
      const result = await h.request(
        RespondToShareDocument,
        { imageId: image, memberId, status: "ACCEPTED" },
        as(caller),
      );
      expect(codes(result)).toEqual(code === null ? [] : [code]);
    });

    it("moves through every status and back to pending", async () => {
      for (const status of ["ACCEPTED", "REJECTED", "PENDING", "REJECTED", "ACCEPTED"] as const) {
        const result = await h.request(
          RespondToShareDocument,
          { imageId: image, memberId: MEMBER, status },
          as(MEMBER),
        );
        expect(result.errors).toBeUndefined();
        expect(result.data?.respondToShare.status).toBe(status);
      }
      const read = await h.request(ImageMemberDocument, { imageId: image, memberId: MEMBER }, as(OWNER));
      expect(read.data?.imageMember?.status).toBe("ACCEPTED");
    });

    it("a member removed and shared again starts over at PENDING", async () => {
      await h.request(
        RespondToShareDocument,
        { imageId: image, memberId: MEMBER, status: "ACCEPTED" },
        as(MEMBER),
      );
      await h.request(UnshareImageDocument, { imageId: image, memberId: MEMBER }, as(OWNER));
      const again = await h.request(ShareImageDocument, { imageId: image, memberId: MEMBER }, as(OWNER));
      expect(again.data?.shareImage.status).toBe("PENDING");
    });
  });

  describe("unshareImage", () => {
    it.each([
      [OWNER, null],
      [MEMBER, "FORBIDDEN"],
      [STRANGER, "NOT_FOUND"],
    ])("as %s → %s", async (caller, code) => {
      const result = await h.request(UnshareImageDocument, { imageId: image, memberId: MEMBER }, as(caller));
      expect(codes(result)).toEqual(code === null ? [] : [code]);
    });

    it("of a member already removed → NOT_FOUND", async () => {
      await h.request(UnshareImageDocument, { imageId: image, memberId: MEMBER }, as(OWNER));
      const again = await h.request(UnshareImageDocument, { imageId: image, memberId: MEMBER }, as(OWNER));
      expect(codes(again)).toEqual(["NOT_FOUND"]);
    });
  });

  describe("reading members", () => {
    it("a member sees only its own membership", async () => {
      h.emulator.addMember(image, "proj-other");
      const result = await h.request(ImageMembersDocument, { imageId: image }, as(MEMBER));
      expect(result.data?.imageMembers.map((m) => m.memberId)).toEqual([MEMBER]);
    });

    it("a stranger gets NOT_FOUND", async () => {
      const result = await h.request(ImageMembersDocument, { imageId: image }, as(STRANGER));
      expect(codes(result)).toEqual(["NOT_FOUND"]);
    });

    it("a member asking for another member gets NOT_FOUND", async () => {
      h.emulator.addMember(image, "proj-other");
      const result = await h.request(
        ImageMemberDocument,
        { imageId: image, memberId: "proj-other" },
        as(MEMBER),
      );
      expect(result.data?.imageMember).toBeNull();
      expect(codes(result)).toEqual(["NOT_FOUND"]);
    });

    it("without any credentials → UNAUTHENTICATED", async () => {
      const result = await h.request(ImageMembersDocument, { imageId: image }, {});
      expect(codes(result)).toEqual(["UNAUTHENTICATED"]);
      expect(result.errors?.[0]?.extensions?.upstream).toMatchObject({ status: 401 });
    });
  });
});
