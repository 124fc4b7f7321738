/**
 * The gateway against a real Glance 25.1, under the legacy policy and under the new policy
 * defaults: every query and mutation as owner, member, stranger and admin on shared, private,
 * public and community images, every error code a real Glance produces, the status lifecycle, the
 * member quota, unusual member ids and the paging behind sharedImages. Each test makes its own
 * images and fresh projects, and removes its images afterwards.
 */
import { randomUUID } from "node:crypto";
import { print } from "graphql";
import { pino } from "pino";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import {
  ImageMemberDocument,
  ImageMembersDocument,
  RespondToShareDocument,
  ShareImageDocument,
  SharedImageIdsDocument,
  SharedImageStatusesDocument,
  SharedImagesDocument,
  UnshareImageDocument,
  type MemberStatus,
} from "../__generated__/graphql.js";
import { startGateway, type RunningGateway } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { createImage, deleteImage, glanceHeaders, type ImageVisibility } from "./glance-env.js";

interface ErrorJson {
  message: string;
  path?: ReadonlyArray<string | number>;
  extensions?: {
    code?: string;
    retryable?: boolean;
    requestId?: string;
    upstream?: { status: number | null; method: string; path: string; requestId: string | null };
  };
}

interface Answer<T> {
  data?: T | null;
  errors?: ErrorJson[];
}

type Gql = <T, V>(
  document: TypedDocumentNode<T, V>,
  variables: V,
  headers: Record<string, string>,
) => Promise<Answer<T>>;

const ISO_SECONDS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.000)?Z$/;
const UPSTREAM_REQUEST_ID = /^req-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MISSING_IMAGE = "11111111-2222-3333-4444-555555555555";

const project = (): string => `proj-${randomUUID().slice(0, 8)}`;
const codes = (answer: Answer<unknown>): Array<string | undefined> =>
  (answer.errors ?? []).map((error) => error.extensions?.code);
/** The answer's one error code, or "ok" when it has none. */
const outcome = (answer: Answer<unknown>): string => codes(answer).join(",") || "ok";

async function startFor(
  glanceUrl: string,
  v2?: { pageSize: number; maxPages: number },
): Promise<RunningGateway> {
  const config = loadConfig({
    PORT: "0",
    HOST: "127.0.0.1",
    GLANCE_URL: glanceUrl,
    GLANCE_API_VERSION: "auto",
    FORWARD_HEADERS: "X-Project-Id,X-Roles,X-Identity-Status,X-User-Id",
    LOG_LEVEL: "silent",
  });
  return startGateway(config, { logger: pino({ level: "silent" }), v2 });
}

function client(gateway: RunningGateway): Gql {
  return async (document, variables, headers) => {
    const response = await fetch(gateway.url, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify({ query: print(document), variables }),
    });
    expect(response.status).toBe(200);
    return (await response.json()) as Answer<never>;
  };
}

const as = (tenant: string, admin = false): Record<string, string> => glanceHeaders(tenant, { admin });

/** Changes an image's visibility as its owner, with the admin role (public needs it). */
async function setVisibility(url: string, owner: string, imageId: string, visibility: ImageVisibility) {
  const response = await fetch(`${url}/v2/images/${imageId}`, {
    method: "PATCH",
    headers: {
      ...glanceHeaders(owner, { admin: true }),
      Accept: "application/json",
      "Content-Type": "application/openstack-images-v2.1-json-patch",
    },
    body: JSON.stringify([{ op: "replace", path: "/visibility", value: visibility }]),
  });
  expect(response.status, await response.text()).toBe(200);
}

/** Creates images and removes them after each test. */
function imageBook(url: () => string) {
  const created: Array<[string, string]> = [];
  afterEach(async () => {
    for (const [id, owner] of created.splice(0)) {
      await deleteImage(url(), owner, id, { admin: true });
    }
  });
  return async (owner: string, visibility: ImageVisibility = "shared"): Promise<string> => {
    const id = await createImage(url(), owner, visibility);
    created.push([id, owner]);
    return id;
  };
}

type Policy = "legacy" | "new";

/** Per policy, where the policies differ; the rest is the same for both. */
const byPolicy = <T>(policy: Policy, legacy: T, fresh: T): T => (policy === "legacy" ? legacy : fresh);

type Role = "owner" | "member" | "stranger" | "admin";
type Operation = "imageMembers" | "imageMember" | "respondToShare" | "shareImage" | "unshareImage";

/**
 * What each caller gets on an image of each visibility, for every operation (the membership is
 * made while the image is shared; the visibility changes afterwards, as Glance keeps members).
 * "ok" is a success; otherwise the GraphQL error code.
 */
function expectedMatrix(visibility: ImageVisibility): Record<Role, Record<Operation, string>> {
  if (visibility === "shared") {
    return {
      owner: {
        imageMembers: "ok",
        imageMember: "ok",
        respondToShare: "FORBIDDEN",
        shareImage: "ok",
        unshareImage: "ok",
      },
      member: {
        imageMembers: "ok",
        imageMember: "ok",
        respondToShare: "ok",
        shareImage: "FORBIDDEN",
        unshareImage: "FORBIDDEN",
      },
      stranger: {
        imageMembers: "NOT_FOUND",
        imageMember: "NOT_FOUND",
        respondToShare: "NOT_FOUND",
        shareImage: "NOT_FOUND",
        unshareImage: "NOT_FOUND",
      },
      admin: {
        imageMembers: "ok",
        imageMember: "ok",
        respondToShare: "ok",
        shareImage: "ok",
        unshareImage: "ok",
      },
    };
  }
  // Members of an image that is no longer shared: every write is refused (403) once the caller
  // can see the image, and a single member reads as not found.
  const refused: Record<Operation, string> = {
    imageMembers: "FORBIDDEN",
    imageMember: "NOT_FOUND",
    respondToShare: "FORBIDDEN",
    shareImage: "FORBIDDEN",
    unshareImage: "FORBIDDEN",
  };
  const hidden: Record<Operation, string> = {
    imageMembers: "NOT_FOUND",
    imageMember: "NOT_FOUND",
    respondToShare: "NOT_FOUND",
    shareImage: "NOT_FOUND",
    unshareImage: "NOT_FOUND",
  };
  // A private image is seen by its owner and admins only; public and community ones by everyone.
  const seenByAll = visibility !== "private";
  return {
    owner: refused,
    member: seenByAll ? refused : hidden,
    stranger: seenByAll ? refused : hidden,
    admin: refused,
  };
}

describe.each([
  ["legacy", "glanceLegacy"],
  ["new", "glanceNew"],
] as const)("the gateway over a real Glance, %s policy", (policy, key) => {
  let url: string;
  let gateway: RunningGateway;
  let gql: Gql;
  const image = imageBook(() => url);

  beforeAll(async () => {
    url = inject(key);
    gateway = await startFor(url);
    gql = client(gateway);
  });
  afterAll(() => gateway?.close());

  describe.each(["shared", "private", "public", "community"] as const)("on a %s image", (visibility) => {
    it.each(["owner", "member", "stranger", "admin"] as const)("as its %s, every operation", async (role) => {
      const [owner, member, stranger, admin, newcomer] = [
        project(),
        project(),
        project(),
        project(),
        project(),
      ];
      const id = await image(owner, "shared");
      expect(
        (await gql(ShareImageDocument, { imageId: id, memberId: member }, as(owner))).errors,
      ).toBeUndefined();
      if (visibility !== "shared") {
        await setVisibility(url, owner, id, visibility);
      }
      const callerProject = { owner, member, stranger, admin }[role];
      const caller = as(callerProject, role === "admin");
      const expected = expectedMatrix(visibility)[role];

      // Reads first, then writes; the removal last.
      const list = await gql(ImageMembersDocument, { imageId: id }, caller);
      const one = await gql(ImageMemberDocument, { imageId: id, memberId: member }, caller);
      const offered = await gql(SharedImageIdsDocument, { memberId: callerProject }, caller);
      const respond = await gql(
        RespondToShareDocument,
        { imageId: id, memberId: member, status: "ACCEPTED" },
        caller,
      );
      const share = await gql(ShareImageDocument, { imageId: id, memberId: newcomer }, caller);
      const unshare = await gql(UnshareImageDocument, { imageId: id, memberId: member }, caller);

      // Only the member of a shared image finds it among its shares; an admin's unfiltered
      // listing holds it too, and the gateway leaves it out.
      expect(offered).toEqual({
        data: {
          sharedImages:
            role === "member" && visibility === "shared"
              ? [{ id: `${id}/${member}`, imageId: id, memberId: member }]
              : [],
        },
      });
      expect({
        imageMembers: outcome(list),
        imageMember: outcome(one),
        respondToShare: outcome(respond),
        shareImage: outcome(share),
        unshareImage: outcome(unshare),
      }).toEqual(expected);

      // The successes carry exactly what Glance holds.
      if (expected.imageMembers === "ok") {
        // A member sees only its own membership; the owner and admins see all.
        expect(list.data?.imageMembers.map((m) => m.memberId)).toEqual([member]);
      }
      if (expected.imageMember === "ok") {
        expect(one.data?.imageMember).toMatchObject({
          id: `${id}/${member}`,
          memberId: member,
          status: "PENDING",
        });
      }
      if (expected.respondToShare === "ok") {
        expect(respond.data?.respondToShare).toMatchObject({ memberId: member, status: "ACCEPTED" });
      }
      if (expected.shareImage === "ok") {
        expect(share.data?.shareImage).toMatchObject({
          memberId: newcomer,
          status: "PENDING",
          canShare: null,
        });
      }
      if (expected.unshareImage === "ok") {
        expect(unshare.data?.unshareImage).toBe(`${id}/${member}`);
      }
      for (const answer of [list, one, respond, share, unshare]) {
        for (const error of answer.errors ?? []) {
          expect(error.extensions?.retryable).toBe(false);
          expect(error.extensions?.upstream?.requestId).toMatch(UPSTREAM_REQUEST_ID);
        }
      }
    });
  });

  it("shares an image: the member starts PENDING with timestamps, as Glance stores it", async () => {
    const [owner, member] = [project(), project()];
    const id = await image(owner);

    const shared = await gql(ShareImageDocument, { imageId: id, memberId: member }, as(owner));
    expect(shared.errors).toBeUndefined();
    const created = shared.data?.shareImage;
    expect(created).toEqual({
      id: `${id}/${member}`,
      imageId: id,
      memberId: member,
      status: "PENDING",
      canShare: null,
      createdAt: expect.stringMatching(ISO_SECONDS) as string,
      updatedAt: expect.stringMatching(ISO_SECONDS) as string,
    });
    const read = await gql(ImageMemberDocument, { imageId: id, memberId: member }, as(owner));
    expect(read.data?.imageMember).toEqual(created);
    const readByMember = await gql(ImageMemberDocument, { imageId: id, memberId: member }, as(member));
    expect(readByMember.data?.imageMember).toEqual(created);
  });

  it("walks the status lifecycle pending → accepted → rejected → pending, as the member", async () => {
    const [owner, member] = [project(), project()];
    const id = await image(owner);
    const shared = await gql(ShareImageDocument, { imageId: id, memberId: member }, as(owner));
    const createdAt = shared.data?.shareImage.createdAt;

    for (const status of ["ACCEPTED", "REJECTED", "PENDING", "PENDING", "ACCEPTED"] as const) {
      const answered = await gql(
        RespondToShareDocument,
        { imageId: id, memberId: member, status },
        as(member),
      );
      expect(answered.errors).toBeUndefined();
      expect(answered.data?.respondToShare).toMatchObject({
        imageId: id,
        memberId: member,
        status,
        createdAt,
      });
      const updatedAt = answered.data?.respondToShare.updatedAt ?? "";
      expect(updatedAt >= (createdAt ?? "")).toBe(true);

      // The owner sees the answer, and the member finds the image under that status only.
      const listed = await gql(ImageMembersDocument, { imageId: id }, as(owner));
      expect(listed.data?.imageMembers.map((m) => [m.memberId, m.status])).toEqual([[member, status]]);
      for (const filter of ["PENDING", "ACCEPTED", "REJECTED"] as const) {
        const offered = await gql(SharedImagesDocument, { memberId: member, status: filter }, as(member));
        expect(offered.errors).toBeUndefined();
        expect(offered.data?.sharedImages.map((s) => s.imageId)).toEqual(filter === status ? [id] : []);
      }
    }
  });

  it("lets an admin answer for a member, and no one else", async () => {
    const [owner, member, other, admin] = [project(), project(), project(), project()];
    const id = await image(owner);
    await gql(ShareImageDocument, { imageId: id, memberId: member }, as(owner));
    await gql(ShareImageDocument, { imageId: id, memberId: other }, as(owner));

    const byOther = await gql(
      RespondToShareDocument,
      { imageId: id, memberId: member, status: "REJECTED" },
      as(other),
    );
    expect(codes(byOther)).toEqual(["NOT_FOUND"]);
    expect(byOther.errors?.[0]?.message).toBe(`${member} not found in the member list of the image ${id}.`);
    const byAdmin = await gql(
      RespondToShareDocument,
      { imageId: id, memberId: member, status: "REJECTED" },
      as(admin, true),
    );
    expect(byAdmin.data?.respondToShare.status).toBe("REJECTED");
    const byOwner = await gql(
      RespondToShareDocument,
      { imageId: id, memberId: member, status: "ACCEPTED" },
      as(owner),
    );
    expect(codes(byOwner)).toEqual(["FORBIDDEN"]);
    expect(byOwner.errors?.[0]?.message).toBe(
      byPolicy(
        policy,
        `Not allowed to update members for image ${id}.`,
        "You are not authorized to complete modify_member action.",
      ),
    );
  });

  it("answers the owner who responds for a project that is no member as the policy orders its checks", async () => {
    const [owner, nobody] = [project(), project()];
    const id = await image(owner);
    const answer = await gql(
      RespondToShareDocument,
      { imageId: id, memberId: nobody, status: "ACCEPTED" },
      as(owner),
    );
    // Legacy checks ownership before looking the member up; the new defaults look it up first.
    expect(codes(answer)).toEqual([byPolicy(policy, "FORBIDDEN", "NOT_FOUND")]);
    expect(answer.errors?.[0]?.message).toBe(
      byPolicy(
        policy,
        `Not allowed to update members for image ${id}.`,
        `${nobody} not found in the member list of the image ${id}.`,
      ),
    );
  });

  it("answers a member who removes another member as the policy orders its checks", async () => {
    const [owner, member, other] = [project(), project(), project()];
    const id = await image(owner);
    await gql(ShareImageDocument, { imageId: id, memberId: member }, as(owner));
    await gql(ShareImageDocument, { imageId: id, memberId: other }, as(owner));
    const answer = await gql(UnshareImageDocument, { imageId: id, memberId: other }, as(member));
    expect(codes(answer)).toEqual([byPolicy(policy, "FORBIDDEN", "NOT_FOUND")]);
    const own = await gql(UnshareImageDocument, { imageId: id, memberId: member }, as(member));
    expect(codes(own)).toEqual(["FORBIDDEN"]);
    expect(own.errors?.[0]?.message).toBe(
      byPolicy(
        policy,
        `Not allowed to delete members for image ${id}.`,
        "You are not authorized to complete delete_member action.",
      ),
    );
    const members = await gql(ImageMembersDocument, { imageId: id }, as(owner));
    expect(members.data?.imageMembers.map((m) => m.memberId)).toEqual([member, other]);
  });

  it("refuses a duplicate with CONFLICT, and takes the member back as PENDING after a removal", async () => {
    const [owner, member] = [project(), project()];
    const id = await image(owner);
    await gql(ShareImageDocument, { imageId: id, memberId: member }, as(owner));
    await gql(RespondToShareDocument, { imageId: id, memberId: member, status: "ACCEPTED" }, as(member));

    const again = await gql(ShareImageDocument, { imageId: id, memberId: member }, as(owner));
    expect(codes(again)).toEqual(["CONFLICT"]);
    expect(again.errors?.[0]).toMatchObject({
      message: `Member ${member} is duplicated for image ${id}`,
      path: ["shareImage"],
      extensions: {
        code: "CONFLICT",
        retryable: false,
        upstream: { status: 409, method: "POST", path: `/v2/images/${id}/members` },
      },
    });
    expect(again.errors?.[0]?.extensions?.upstream?.requestId).toMatch(UPSTREAM_REQUEST_ID);

    expect(
      (await gql(UnshareImageDocument, { imageId: id, memberId: member }, as(owner))).errors,
    ).toBeUndefined();
    const gone = await gql(UnshareImageDocument, { imageId: id, memberId: member }, as(owner));
    expect(codes(gone)).toEqual(["NOT_FOUND"]);
    expect(gone.errors?.[0]?.message).toBe(`${member} not found in the member list of the image ${id}.`);
    const back = await gql(ShareImageDocument, { imageId: id, memberId: member }, as(owner));
    expect(back.data?.shareImage.status).toBe("PENDING");
  });

  it("carries the client's request id to Glance and back", async () => {
    const owner = project();
    const id = await image(owner);
    const requestId = `req-${randomUUID()}`;
    const answer = await gql(
      ImageMemberDocument,
      { imageId: id, memberId: project() },
      {
        ...as(owner),
        "X-Request-Id": requestId,
      },
    );
    expect(codes(answer)).toEqual(["NOT_FOUND"]);
    expect(answer.errors?.[0]?.extensions).toMatchObject({
      requestId,
      upstream: { status: 404, method: "GET", requestId },
    });
  });

  it("answers NOT_FOUND for an image that does not exist or was deleted", async () => {
    const owner = project();
    const id = await image(owner);
    await deleteImage(url, owner, id);
    for (const imageId of [MISSING_IMAGE, id]) {
      const answers = [
        await gql(ImageMembersDocument, { imageId }, as(owner)),
        await gql(ImageMemberDocument, { imageId, memberId: project() }, as(owner)),
        await gql(ShareImageDocument, { imageId, memberId: project() }, as(owner)),
        await gql(RespondToShareDocument, { imageId, memberId: owner, status: "ACCEPTED" }, as(owner)),
        await gql(UnshareImageDocument, { imageId, memberId: project() }, as(owner)),
      ];
      expect(answers.map(outcome)).toEqual(["NOT_FOUND", "NOT_FOUND", "NOT_FOUND", "NOT_FOUND", "NOT_FOUND"]);
      expect(answers[0]?.errors?.[0]?.message).toBe(`Image ${imageId} not found.`);
    }
  });

  it("refuses bad arguments with BAD_USER_INPUT before calling Glance", async () => {
    const owner = project();
    const id = await image(owner);
    const refusals = [
      await gql(ImageMembersDocument, { imageId: "not-a-uuid" }, as(owner)),
      await gql(ShareImageDocument, { imageId: id, memberId: "" }, as(owner)),
      await gql(ShareImageDocument, { imageId: id, memberId: "a b" }, as(owner)),
      await gql(ShareImageDocument, { imageId: id, memberId: "a/b" }, as(owner)),
      await gql(ShareImageDocument, { imageId: id, memberId: "x".repeat(256) }, as(owner)),
      await gql(ShareImageDocument, { imageId: id, memberId: "emoji-😀" }, as(owner)),
      await gql(ShareImageDocument, { imageId: id, memberId: project(), canShare: true }, as(owner)),
      await gql(RespondToShareDocument, { imageId: id, memberId: "..", status: "ACCEPTED" }, as(owner)),
    ];
    for (const answer of refusals) {
      expect(codes(answer)).toEqual(["BAD_USER_INPUT"]);
      expect(answer.errors?.[0]?.extensions?.upstream).toBeUndefined();
    }
    expect(refusals[6]?.errors?.[0]?.message).toMatch(/^canShare /);
    // Nothing reached Glance: the image still has no members.
    const members = await gql(ImageMembersDocument, { imageId: id }, as(owner));
    expect(members.data?.imageMembers).toEqual([]);
  });

  it("answers UNAUTHENTICATED when the identity is not confirmed", async () => {
    const owner = project();
    const id = await image(owner);
    const unconfirmed = as(owner);
    delete unconfirmed["X-Identity-Status"];
    const answers = [
      await gql(ImageMembersDocument, { imageId: id }, unconfirmed),
      await gql(ShareImageDocument, { imageId: id, memberId: project() }, unconfirmed),
      await gql(SharedImageIdsDocument, { memberId: owner }, unconfirmed),
    ];
    for (const answer of answers) {
      expect(codes(answer)).toEqual(["UNAUTHENTICATED"]);
      // Glance answers 401 before its context exists: no request id of its own.
      expect(answer.errors?.[0]?.extensions?.upstream).toMatchObject({ status: 401, requestId: null });
    }
    expect(answers[0]?.errors?.[0]?.message).toBe(
      "This server could not verify that you are authorized to access the document you requested. Either " +
        "you supplied the wrong credentials (e.g., bad password), or your browser does not understand how to " +
        "supply the credentials required.",
    );
  });

  it("keeps member ids of 255 characters, usable by a project of that name", async () => {
    const owner = project();
    const member = `${project()}-`.padEnd(255, "x");
    const id = await image(owner);
    const shared = await gql(ShareImageDocument, { imageId: id, memberId: member }, as(owner));
    expect(shared.data?.shareImage.memberId).toBe(member);
    const accepted = await gql(
      RespondToShareDocument,
      { imageId: id, memberId: member, status: "ACCEPTED" },
      as(member),
    );
    expect(accepted.data?.respondToShare.status).toBe("ACCEPTED");
    const offered = await gql(SharedImageStatusesDocument, { memberId: member }, as(member));
    expect(offered.data?.sharedImages).toEqual([{ imageId: id, status: "ACCEPTED" }]);
    expect(
      (await gql(UnshareImageDocument, { imageId: id, memberId: member }, as(owner))).data?.unshareImage,
    ).toBe(`${id}/${member}`);
  });

  it("keeps unicode member ids; Glance cannot find them by path, so only the reads work", async () => {
    const owner = project();
    const id = await image(owner);
    const memberId = "pröj-ü";
    const shared = await gql(ShareImageDocument, { imageId: id, memberId }, as(owner));
    expect(shared.data?.shareImage).toMatchObject({ memberId, id: `${id}/${encodeURIComponent(memberId)}` });
    const read = await gql(ImageMemberDocument, { imageId: id, memberId }, as(owner));
    expect(read.data?.imageMember).toEqual(shared.data?.shareImage);
    const listed = await gql(ImageMembersDocument, { imageId: id }, as(owner));
    expect(listed.data?.imageMembers.map((m) => m.memberId)).toEqual([memberId]);

    // Glance's WSGI server reads the path as Latin-1.
    const removed = await gql(UnshareImageDocument, { imageId: id, memberId }, as(owner));
    expect(codes(removed)).toEqual(["NOT_FOUND"]);
    expect(removed.errors?.[0]?.message).toBe(`prÃ¶j-Ã¼ not found in the member list of the image ${id}.`);
    const answered = await gql(
      RespondToShareDocument,
      { imageId: id, memberId, status: "ACCEPTED" },
      as(owner, true),
    );
    expect(codes(answered)).toEqual(["NOT_FOUND"]);
  });

  describe("sharedImages", () => {
    let paged: RunningGateway;
    let pagedGql: Gql;

    beforeAll(async () => {
      paged = await startFor(url, { pageSize: 2, maxPages: 100 });
      pagedGql = client(paged);
    });
    afterAll(() => paged?.close());

    it("lists shares across many pages with their statuses, leaving the caller's own images out", async () => {
      const [owner, otherOwner, member] = [project(), project(), project()];
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        const id = await image(i < 3 ? owner : otherOwner);
        await gql(ShareImageDocument, { imageId: id, memberId: member }, as(i < 3 ? owner : otherOwner));
        ids.push(id);
      }
      const [a, b, c, d, e] = ids as [string, string, string, string, string];
      await gql(RespondToShareDocument, { imageId: a, memberId: member, status: "ACCEPTED" }, as(member));
      await gql(RespondToShareDocument, { imageId: b, memberId: member, status: "REJECTED" }, as(member));
      await gql(RespondToShareDocument, { imageId: d, memberId: member, status: "ACCEPTED" }, as(member));
      // Images the member owns show in Glance's visibility=shared listings; they are no shares.
      const own = await image(member);
      await gql(ShareImageDocument, { imageId: own, memberId: owner }, as(member));
      // An image the member was removed from is no share either.
      const removed = await image(owner);
      await gql(ShareImageDocument, { imageId: removed, memberId: member }, as(owner));
      await gql(UnshareImageDocument, { imageId: removed, memberId: member }, as(owner));

      const statuses = await pagedGql(SharedImageStatusesDocument, { memberId: member }, as(member));
      expect(statuses.errors).toBeUndefined();
      expect(new Map(statuses.data?.sharedImages.map((s) => [s.imageId, s.status]))).toEqual(
        new Map<string, MemberStatus>([
          [a, "ACCEPTED"],
          [b, "REJECTED"],
          [c, "PENDING"],
          [d, "ACCEPTED"],
          [e, "PENDING"],
        ]),
      );
      expect(statuses.data?.sharedImages).toHaveLength(5);

      const idsOnly = await pagedGql(SharedImageIdsDocument, { memberId: member }, as(member));
      expect(idsOnly.data?.sharedImages.map((s) => s.imageId).sort()).toEqual([...ids].sort());
      expect(idsOnly.data?.sharedImages.map((s) => s.id).sort()).toEqual(
        ids.map((id) => `${id}/${member}`).sort(),
      );

      const accepted = await pagedGql(
        SharedImagesDocument,
        { memberId: member, status: "ACCEPTED" },
        as(member),
      );
      expect(accepted.data?.sharedImages.map((s) => s.imageId).sort()).toEqual([a, d].sort());
      for (const share of accepted.data?.sharedImages ?? []) {
        expect(share).toMatchObject({
          memberId: member,
          status: "ACCEPTED",
          canShare: null,
          createdAt: expect.stringMatching(ISO_SECONDS) as string,
          updatedAt: expect.stringMatching(ISO_SECONDS) as string,
        });
      }

      // The owner's view: its own images are no shares to it, and only `member` shares one back.
      const ownerView = await pagedGql(SharedImageStatusesDocument, { memberId: owner }, as(owner));
      expect(ownerView.data?.sharedImages).toEqual([{ imageId: own, status: "PENDING" }]);
    });

    // An admin's visibility=shared listing holds every shared image, whatever its members and
    // whatever member_status says; the gateway tells it apart and keeps the admin's own shares.
    it("lists only the shares offered to an admin's own project", async () => {
      const [owner, admin] = [project(), project()];
      const offered = await image(owner);
      await image(owner);
      const own = await image(admin);
      await gql(ShareImageDocument, { imageId: offered, memberId: admin }, as(owner));
      await gql(ShareImageDocument, { imageId: own, memberId: owner }, as(admin));
      const statuses = await gql(SharedImageStatusesDocument, { memberId: admin }, as(admin, true));
      expect(statuses).toEqual({ data: { sharedImages: [{ imageId: offered, status: "PENDING" }] } });
      const ids = await gql(SharedImageIdsDocument, { memberId: admin }, as(admin, true));
      expect(ids.data?.sharedImages.map((share) => share.imageId)).toEqual([offered]);
      const pending = await gql(
        SharedImagesDocument,
        { memberId: admin, status: "PENDING" },
        as(admin, true),
      );
      expect(pending.data?.sharedImages.map((share) => share.imageId)).toEqual([offered]);
    });

    it("lists only the calling project's shares", async () => {
      const [caller, other] = [project(), project()];
      const answer = await gql(SharedImageIdsDocument, { memberId: other }, as(caller));
      expect(codes(answer)).toEqual(["FORBIDDEN"]);
      expect(answer.errors?.[0]?.extensions?.upstream).toBeUndefined();
    });

    it("lists nothing for a project nothing is shared with", async () => {
      const lonely = project();
      const answer = await gql(SharedImagesDocument, { memberId: lonely }, as(lonely));
      expect(answer).toEqual({ data: { sharedImages: [] } });
    });
  });
});

describe("the gateway over a real Glance with a small member quota", () => {
  let url: string;
  let quota: number;
  let gateway: RunningGateway;
  let gql: Gql;
  const image = imageBook(() => url);

  beforeAll(async () => {
    url = inject("glanceSmallQuota");
    quota = inject("smallMemberQuota");
    gateway = await startFor(url);
    gql = client(gateway);
  });
  afterAll(() => gateway?.close());

  const fill = async (owner: string, id: string): Promise<string[]> => {
    const members = Array.from({ length: quota }, project);
    for (const memberId of members) {
      expect((await gql(ShareImageDocument, { imageId: id, memberId }, as(owner))).errors).toBeUndefined();
    }
    return members;
  };

  it("answers OVER_LIMIT past the quota, for admins too, and before a duplicate's CONFLICT", async () => {
    const owner = project();
    const id = await image(owner);
    const members = await fill(owner, id);

    const over = await gql(ShareImageDocument, { imageId: id, memberId: project() }, as(owner));
    expect(codes(over)).toEqual(["OVER_LIMIT"]);
    expect(over.errors?.[0]?.message).toBe(
      `Image member limit exceeded for image ${id}: The limit has been exceeded on the number of allowed ` +
        `image members for this image. Attempted: ${quota + 1}, Maximum: ${quota}:`,
    );
    expect(over.errors?.[0]?.extensions).toMatchObject({
      retryable: false,
      upstream: { status: 413, method: "POST" },
    });
    const byAdmin = await gql(ShareImageDocument, { imageId: id, memberId: project() }, as(project(), true));
    expect(codes(byAdmin)).toEqual(["OVER_LIMIT"]);
    const duplicate = await gql(ShareImageDocument, { imageId: id, memberId: members[0] ?? "" }, as(owner));
    expect(codes(duplicate)).toEqual(["OVER_LIMIT"]);
  });

  it("counts rejected members, and frees a place when a member is removed", async () => {
    const owner = project();
    const id = await image(owner);
    const [first, second] = (await fill(owner, id)) as [string, string];
    const rejected = await gql(
      RespondToShareDocument,
      { imageId: id, memberId: first, status: "REJECTED" },
      as(first),
    );
    expect(rejected.data?.respondToShare.status).toBe("REJECTED");
    expect(codes(await gql(ShareImageDocument, { imageId: id, memberId: project() }, as(owner)))).toEqual([
      "OVER_LIMIT",
    ]);

    await gql(UnshareImageDocument, { imageId: id, memberId: second }, as(owner));
    const admitted = await gql(ShareImageDocument, { imageId: id, memberId: project() }, as(owner));
    expect(admitted.errors).toBeUndefined();
    expect(codes(await gql(ShareImageDocument, { imageId: id, memberId: project() }, as(owner)))).toEqual([
      "OVER_LIMIT",
    ]);
  });
});
