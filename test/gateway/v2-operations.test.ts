import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  ImageMemberDocument,
  ImageMembersDocument,
  RespondToShareDocument,
  ShareImageDocument,
  SharedImageIdsDocument,
  SharedImagesDocument,
  SharedImageStatusesDocument,
  UnshareImageDocument,
} from "../__generated__/graphql.js";
import { as, codes, startHarness, type Harness } from "../support/harness.js";
import { calls, expectedHeaders, withJson } from "../support/upstream.js";

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe("Images API v2 operations", () => {
  let h: Harness;
  let image: string;

  beforeAll(async () => {
    h = await startHarness({ api: "v2", env: { GLANCE_API_VERSION: "v2" } });
  });
  afterAll(() => h.close());
  beforeEach(() => {
    h.emulator.reset();
    image = h.emulator.createImage({ owner: "proj-a", visibility: "shared" }).id;
  });

  it("shareImage POSTs {member} and returns the pending member", async () => {
    const result = await h.request(ShareImageDocument, { imageId: image, memberId: "proj-b" }, as("proj-a"));

    expect(result.errors).toBeUndefined();
    expect(result.data?.shareImage).toMatchObject({
      id: `${image}/proj-b`,
      imageId: image,
      memberId: "proj-b",
      status: "PENDING",
      canShare: null,
    });
    expect(result.data?.shareImage.createdAt).toMatch(ISO);
    expect(result.data?.shareImage.updatedAt).toMatch(ISO);
    expect(calls(h.emulator)).toEqual([
      {
        method: "POST",
        path: `/v2/images/${image}/members`,
        headers: withJson(expectedHeaders("proj-a")),
        body: { member: "proj-b" },
      },
    ]);
  });

  it("imageMembers GETs the member list", async () => {
    h.emulator.addMember(image, "proj-b");
    h.emulator.addMember(image, "proj-c", { status: "accepted" });

    const result = await h.request(ImageMembersDocument, { imageId: image }, as("proj-a"));

    expect(result.errors).toBeUndefined();
    expect(result.data?.imageMembers.map((m) => [m.memberId, m.status])).toEqual(
      expect.arrayContaining([
        ["proj-b", "PENDING"],
        ["proj-c", "ACCEPTED"],
      ]),
    );
    expect(result.data?.imageMembers).toHaveLength(2);
    expect(calls(h.emulator)).toEqual([
      {
        method: "GET",
        path: `/v2/images/${image}/members`,
        headers: expectedHeaders("proj-a"),
        body: undefined,
      },
    ]);
  });

  it("imageMember GETs one member, with the member id encoded", async () => {
    h.emulator.addMember(image, "tenant:42@dc1");

    const result = await h.request(
      ImageMemberDocument,
      { imageId: image, memberId: "tenant:42@dc1" },
      as("proj-a"),
    );

    expect(result.errors).toBeUndefined();
    expect(result.data?.imageMember).toMatchObject({
      memberId: "tenant:42@dc1",
      status: "PENDING",
      id: `${image}/tenant%3A42%40dc1`,
    });
    expect(calls(h.emulator)).toEqual([
      {
        method: "GET",
        path: `/v2/images/${image}/members/tenant%3A42%40dc1`,
        headers: expectedHeaders("proj-a"),
        body: undefined,
      },
    ]);
  });

  it("imageMember picks a non-ASCII member id from the list (Glance reads paths as Latin-1)", async () => {
    h.emulator.addMember(image, "pröj-ü");

    const result = await h.request(ImageMemberDocument, { imageId: image, memberId: "pröj-ü" }, as("proj-a"));

    expect(result.errors).toBeUndefined();
    expect(result.data?.imageMember).toMatchObject({ memberId: "pröj-ü", id: `${image}/pr%C3%B6j-%C3%BC` });
    expect(calls(h.emulator).map((c) => `${c.method} ${c.path}`)).toEqual([
      `GET /v2/images/${image}/members`,
    ]);
  });

  it("respondToShare PUTs {status} as the member", async () => {
    h.emulator.addMember(image, "proj-b");

    const result = await h.request(
      RespondToShareDocument,
      { imageId: image, memberId: "proj-b", status: "ACCEPTED" },
      as("proj-b"),
    );

    expect(result.errors).toBeUndefined();
    expect(result.data?.respondToShare).toMatchObject({ memberId: "proj-b", status: "ACCEPTED" });
    expect(calls(h.emulator)).toEqual([
      {
        method: "PUT",
        path: `/v2/images/${image}/members/proj-b`,
        headers: withJson(expectedHeaders("proj-b")),
        body: { status: "accepted" },
      },
    ]);
  });

  it("unshareImage DELETEs the member and returns its id", async () => {
    h.emulator.addMember(image, "proj-b");

    const result = await h.request(
      UnshareImageDocument,
      { imageId: image, memberId: "proj-b" },
      as("proj-a"),
    );

    expect(result.errors).toBeUndefined();
    expect(result.data?.unshareImage).toBe(`${image}/proj-b`);
    expect(calls(h.emulator)).toEqual([
      {
        method: "DELETE",
        path: `/v2/images/${image}/members/proj-b`,
        headers: expectedHeaders("proj-a"),
        body: undefined,
      },
    ]);
  });

  it("refuses canShare on v2 with BAD_USER_INPUT and calls nothing", async () => {
    const result = await h.request(
      ShareImageDocument,
      { imageId: image, memberId: "proj-b", canShare: true },
      as("proj-a"),
    );

    expect(codes(result)).toEqual(["BAD_USER_INPUT"]);
    expect(result.errors?.[0]?.message).toMatch(/canShare/);
    expect(calls(h.emulator)).toEqual([]);
  });

  describe("sharedImages", () => {
    let accepted: string;
    let pending: string;
    let rejected: string;

    beforeEach(() => {
      accepted = h.emulator.createImage({ owner: "proj-a", visibility: "shared" }).id;
      pending = h.emulator.createImage({ owner: "proj-c", visibility: "shared" }).id;
      rejected = h.emulator.createImage({ owner: "proj-a", visibility: "shared" }).id;
      h.emulator.addMember(accepted, "proj-b", { status: "accepted" });
      h.emulator.addMember(pending, "proj-b");
      h.emulator.addMember(rejected, "proj-b", { status: "rejected" });
      // proj-b's own shared image shows up in visibility=shared listings and must be left out.
      const own = h.emulator.createImage({ owner: "proj-b", visibility: "shared" }).id;
      h.emulator.addMember(own, "proj-a");
      h.emulator.clearRequests();
    });

    const listPath = (status: string): string =>
      `/v2/images?visibility=shared&member_status=${status}&limit=100`;
    const sortedCalls = (): string[] =>
      calls(h.emulator)
        .map((c) => `${c.method} ${c.path}`)
        .sort();

    it("with a status asks for that status only, and fetches timestamps only because they are selected", async () => {
      const result = await h.request(
        SharedImagesDocument,
        { memberId: "proj-b", status: "ACCEPTED" },
        as("proj-b"),
      );

      expect(result.errors).toBeUndefined();
      expect(result.data?.sharedImages).toEqual([
        expect.objectContaining({
          imageId: accepted,
          memberId: "proj-b",
          status: "ACCEPTED",
          canShare: null,
        }),
      ]);
      expect(result.data?.sharedImages[0]?.createdAt).toMatch(ISO);
      // Beside the listing, the first page under another status tells an admin's unfiltered
      // listing apart; the timestamps come from the membership itself.
      expect(sortedCalls()).toEqual(
        [
          `GET ${listPath("accepted")}`,
          `GET ${listPath("pending")}`,
          `GET /v2/images/${accepted}/members/proj-b`,
        ].sort(),
      );
    });

    it("without a status but selecting it lists the three statuses, with no call per image", async () => {
      const result = await h.request(SharedImageStatusesDocument, { memberId: "proj-b" }, as("proj-b"));

      expect(result.errors).toBeUndefined();
      expect(new Map(result.data?.sharedImages.map((s) => [s.imageId, s.status]))).toEqual(
        new Map([
          [accepted, "ACCEPTED"],
          [pending, "PENDING"],
          [rejected, "REJECTED"],
        ]),
      );
      expect(sortedCalls()).toEqual([
        `GET ${listPath("accepted")}`,
        `GET ${listPath("pending")}`,
        `GET ${listPath("rejected")}`,
      ]);
    });

    it("without selecting the status lists member_status=all, beside first pages of two statuses", async () => {
      const result = await h.request(SharedImageIdsDocument, { memberId: "proj-b" }, as("proj-b"));

      expect(result.errors).toBeUndefined();
      expect(result.data?.sharedImages.map((s) => s.imageId).sort()).toEqual(
        [accepted, pending, rejected].sort(),
      );
      expect(calls(h.emulator).find((c) => c.path === listPath("all"))).toEqual({
        method: "GET",
        path: listPath("all"),
        headers: expectedHeaders("proj-b"),
        body: undefined,
      });
      expect(sortedCalls()).toEqual(
        [`GET ${listPath("all")}`, `GET ${listPath("pending")}`, `GET ${listPath("accepted")}`].sort(),
      );
    });

    describe("for an admin, whose listing Glance does not filter by membership", () => {
      let admin: Harness;
      let offered: string;
      let accepted: string;
      const asAdmin = { "x-auth-token": "proj-admin", "x-roles": "admin" };

      beforeEach(async () => {
        admin = await startHarness({
          api: "v2",
          env: { GLANCE_API_VERSION: "v2", FORWARD_HEADERS: "X-Roles" },
        });
        offered = admin.emulator.createImage({ owner: "proj-a", visibility: "shared" }).id;
        accepted = admin.emulator.createImage({ owner: "proj-c", visibility: "shared" }).id;
        const others = admin.emulator.createImage({ owner: "proj-a", visibility: "shared" }).id;
        admin.emulator.addMember(offered, "proj-admin");
        admin.emulator.addMember(accepted, "proj-admin", { status: "accepted" });
        admin.emulator.addMember(others, "proj-b", { status: "accepted" });
        admin.emulator.createImage({ owner: "proj-c", visibility: "shared" });
        admin.emulator.clearRequests();
      });
      afterEach(() => admin.close());

      it("lists only the shares offered to the admin's project, each looked up", async () => {
        const result = await admin.request(SharedImageStatusesDocument, { memberId: "proj-admin" }, asAdmin);

        expect(result.errors).toBeUndefined();
        expect(new Map(result.data?.sharedImages.map((s) => [s.imageId, s.status]))).toEqual(
          new Map([
            [offered, "PENDING"],
            [accepted, "ACCEPTED"],
          ]),
        );
        const lookups = calls(admin.emulator).filter((c) => c.path.includes("/members/"));
        expect(lookups).toHaveLength(4);
        expect(lookups.every((c) => c.method === "GET" && c.path.endsWith("/members/proj-admin"))).toBe(true);
      });

      it("applies the status filter to the memberships found", async () => {
        const result = await admin.request(
          SharedImagesDocument,
          { memberId: "proj-admin", status: "ACCEPTED" },
          asAdmin,
        );
        expect(result.errors).toBeUndefined();
        expect(result.data?.sharedImages.map((s) => [s.imageId, s.status])).toEqual([[accepted, "ACCEPTED"]]);
      });

      it("without the status selected, too", async () => {
        const result = await admin.request(SharedImageIdsDocument, { memberId: "proj-admin" }, asAdmin);
        expect(result.errors).toBeUndefined();
        expect(result.data?.sharedImages.map((s) => s.imageId).sort()).toEqual([offered, accepted].sort());
      });
    });

    it("follows every next page", async () => {
      const paged = await startHarness({
        api: "v2",
        env: { GLANCE_API_VERSION: "v2" },
        v2: { pageSize: 2, maxPages: 50 },
      });
      try {
        const ids: string[] = [];
        for (let i = 0; i < 5; i++) {
          const id = paged.emulator.createImage({ owner: "proj-a", visibility: "shared" }).id;
          paged.emulator.addMember(id, "proj-b", { status: "accepted" });
          ids.push(id);
        }
        const result = await paged.request(SharedImageIdsDocument, { memberId: "proj-b" }, as("proj-b"));

        expect(result.errors).toBeUndefined();
        expect(result.data?.sharedImages.map((s) => s.imageId).sort()).toEqual(ids.sort());
        const seenPaths = calls(paged.emulator)
          .map((c) => c.path)
          .filter((p) => !p.includes("member_status=pending") && !p.includes("member_status=accepted"));
        expect(seenPaths[0]).toBe("/v2/images?visibility=shared&member_status=all&limit=2");
        expect(seenPaths).toHaveLength(3);
        expect(seenPaths.slice(1).every((p) => p.startsWith("/v2/images?") && p.includes("marker="))).toBe(
          true,
        );
      } finally {
        await paged.close();
      }
    });

    it("refuses another project's shares when the forwarded identity names the caller", async () => {
      const forwarding = await startHarness({
        api: "v2",
        env: { GLANCE_API_VERSION: "v2", FORWARD_HEADERS: "X-Project-Id" },
      });
      try {
        const result = await forwarding.request(
          SharedImageIdsDocument,
          { memberId: "proj-b" },
          { "x-project-id": "proj-c" },
        );
        expect(codes(result)).toEqual(["FORBIDDEN"]);
        expect(calls(forwarding.emulator)).toEqual([]);
      } finally {
        await forwarding.close();
      }
    });
  });
});
