/**
 * The gateway against a real Glance (legacy policy and new policy defaults): every operation as
 * owner, member, stranger and admin, with the exact GraphQL error code. Each test makes its own
 * images and projects and removes its images afterwards.
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
  SharedImageStatusesDocument,
  UnshareImageDocument,
} from "../__generated__/graphql.js";
import { startGateway, type RunningGateway } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { createImage, deleteImage, glanceHeaders, type ImageVisibility } from "./glance-env.js";

interface Answer<T> {
  data?: T | null;
  errors?: Array<{
    message: string;
    extensions?: { code?: string; upstream?: { requestId?: string | null } };
  }>;
}

const project = (): string => `proj-${randomUUID().slice(0, 8)}`;

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

function client(gateway: RunningGateway) {
  return async <T, V>(
    document: TypedDocumentNode<T, V>,
    variables: V,
    headers: Record<string, string>,
  ): Promise<Answer<T>> => {
    const response = await fetch(gateway.url, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify({ query: print(document), variables }),
    });
    return (await response.json()) as Answer<T>;
  };
}

const codes = (answer: Answer<unknown>): Array<string | undefined> =>
  (answer.errors ?? []).map((error) => error.extensions?.code);

describe.each([
  ["legacy", "glanceLegacy"],
  ["new", "glanceNew"],
] as const)("a real Glance with the %s policy", (policy, key) => {
  let gateway: RunningGateway;
  let url: string;
  let gql: ReturnType<typeof client>;
  const created: Array<[string, string]> = [];

  const image = async (owner: string, visibility: ImageVisibility = "shared"): Promise<string> => {
    const id = await createImage(url, owner, visibility);
    created.push([id, owner]);
    return id;
  };
  const as = (tenant: string, admin = false): Record<string, string> => glanceHeaders(tenant, { admin });

  beforeAll(async () => {
    url = inject(key);
    gateway = await startFor(url);
    gql = client(gateway);
  });
  afterEach(async () => {
    for (const [id, owner] of created.splice(0)) {
      await deleteImage(url, owner, id, { admin: true });
    }
  });
  afterAll(() => gateway.close());

  it("shares, is answered by the member through every status, and is taken back", async () => {
    const [owner, member] = [project(), project()];
    const id = await image(owner);

    const shared = await gql(ShareImageDocument, { imageId: id, memberId: member }, as(owner));
    expect(shared.errors).toBeUndefined();
    expect(shared.data?.shareImage).toMatchObject({
      imageId: id,
      memberId: member,
      status: "PENDING",
      canShare: null,
    });

    for (const status of ["ACCEPTED", "REJECTED", "PENDING"] as const) {
      const answered = await gql(
        RespondToShareDocument,
        { imageId: id, memberId: member, status },
        as(member),
      );
      expect(answered.errors).toBeUndefined();
      expect(answered.data?.respondToShare.status).toBe(status);
    }

    const listed = await gql(ImageMembersDocument, { imageId: id }, as(owner));
    expect(listed.data?.imageMembers.map((m) => [m.memberId, m.status])).toEqual([[member, "PENDING"]]);

    const removed = await gql(UnshareImageDocument, { imageId: id, memberId: member }, as(owner));
    expect(removed.data?.unshareImage).toBe(`${id}/${member}`);
    const gone = await gql(ImageMemberDocument, { imageId: id, memberId: member }, as(owner));
    expect(codes(gone)).toEqual(["NOT_FOUND"]);
  });

  it("applies Glance's owner / member / stranger / admin rules", async () => {
    const [owner, member, other, stranger, admin] = [project(), project(), project(), project(), project()];
    const id = await image(owner);
    await gql(ShareImageDocument, { imageId: id, memberId: member }, as(owner));
    await gql(ShareImageDocument, { imageId: id, memberId: other }, as(owner));

    // shareImage
    expect(codes(await gql(ShareImageDocument, { imageId: id, memberId: project() }, as(member)))).toEqual([
      "FORBIDDEN",
    ]);
    expect(codes(await gql(ShareImageDocument, { imageId: id, memberId: project() }, as(stranger)))).toEqual([
      "NOT_FOUND",
    ]);
    expect(codes(await gql(ShareImageDocument, { imageId: id, memberId: member }, as(owner)))).toEqual([
      "CONFLICT",
    ]);
    expect(
      (await gql(ShareImageDocument, { imageId: id, memberId: project() }, as(admin, true))).errors,
    ).toBeUndefined();

    // respondToShare
    const status = "ACCEPTED" as const;
    expect(
      codes(await gql(RespondToShareDocument, { imageId: id, memberId: member, status }, as(owner))),
    ).toEqual(["FORBIDDEN"]);
    expect(
      codes(await gql(RespondToShareDocument, { imageId: id, memberId: member, status }, as(stranger))),
    ).toEqual(["NOT_FOUND"]);
    expect(
      codes(await gql(RespondToShareDocument, { imageId: id, memberId: other, status }, as(member))),
    ).toEqual(["NOT_FOUND"]);
    // The owner answering for a project that is no member: the policies check in different orders.
    expect(
      codes(await gql(RespondToShareDocument, { imageId: id, memberId: project(), status }, as(owner))),
    ).toEqual([policy === "legacy" ? "FORBIDDEN" : "NOT_FOUND"]);
    expect(
      (await gql(RespondToShareDocument, { imageId: id, memberId: other, status }, as(admin, true))).errors,
    ).toBeUndefined();

    // reads
    const asMember = await gql(ImageMembersDocument, { imageId: id }, as(member));
    expect(asMember.data?.imageMembers.map((m) => m.memberId)).toEqual([member]);
    expect(codes(await gql(ImageMembersDocument, { imageId: id }, as(stranger)))).toEqual(["NOT_FOUND"]);
    expect(codes(await gql(ImageMemberDocument, { imageId: id, memberId: other }, as(member)))).toEqual([
      "NOT_FOUND",
    ]);

    // unshareImage
    expect(codes(await gql(UnshareImageDocument, { imageId: id, memberId: member }, as(member)))).toEqual([
      "FORBIDDEN",
    ]);
    expect(codes(await gql(UnshareImageDocument, { imageId: id, memberId: other }, as(member)))).toEqual([
      policy === "legacy" ? "FORBIDDEN" : "NOT_FOUND",
    ]);
    expect(codes(await gql(UnshareImageDocument, { imageId: id, memberId: member }, as(stranger)))).toEqual([
      "NOT_FOUND",
    ]);
  });

  it.each(["private", "public", "community"] as const)(
    "refuses members on a %s image",
    async (visibility) => {
      const owner = project();
      const id = await image(owner, visibility);
      const admin = visibility === "public";
      const share = await gql(ShareImageDocument, { imageId: id, memberId: project() }, as(owner, admin));
      expect(codes(share)).toEqual(["FORBIDDEN"]);
      const list = await gql(ImageMembersDocument, { imageId: id }, as(owner, admin));
      expect(codes(list)).toEqual(["FORBIDDEN"]);
      const one = await gql(ImageMemberDocument, { imageId: id, memberId: project() }, as(owner, admin));
      expect(codes(one)).toEqual(["NOT_FOUND"]);
      expect(one.errors?.[0]?.extensions?.upstream?.requestId).toMatch(/^req-/);
    },
  );

  it("answers UNAUTHENTICATED without a confirmed identity", async () => {
    const owner = project();
    const id = await image(owner);
    const headers = as(owner);
    delete headers["X-Identity-Status"];
    expect(codes(await gql(ImageMembersDocument, { imageId: id }, headers))).toEqual(["UNAUTHENTICATED"]);
  });

  it("keeps unicode member ids and ids of 255 characters", async () => {
    const owner = project();
    const id = await image(owner);
    for (const memberId of ["pröj-ü", "m".repeat(255)]) {
      const shared = await gql(ShareImageDocument, { imageId: id, memberId }, as(owner));
      expect(shared.errors).toBeUndefined();
      const read = await gql(ImageMemberDocument, { imageId: id, memberId }, as(owner));
      expect(read.data?.imageMember?.memberId).toBe(memberId);
    }
  });

  it("cannot address a non-ASCII member id by path: Glance reads the path as Latin-1", async () => {
    const [owner, memberId] = [project(), "pröj-ü"];
    const id = await image(owner);
    await gql(ShareImageDocument, { imageId: id, memberId }, as(owner));
    const removed = await gql(UnshareImageDocument, { imageId: id, memberId }, as(owner));
    expect(codes(removed)).toEqual(["NOT_FOUND"]);
    expect(removed.errors?.[0]?.message).toContain("prÃ¶j-Ã¼ not found in the member list");
  });

  it("lists shares across pages with their statuses, leaving the caller's own images out", async () => {
    const paged = await startFor(url, { pageSize: 2, maxPages: 100 });
    try {
      const [owner, member] = [project(), project()];
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        const id = await image(owner);
        await gql(ShareImageDocument, { imageId: id, memberId: member }, as(owner));
        ids.push(id);
      }
      await gql(
        RespondToShareDocument,
        { imageId: ids[0]!, memberId: member, status: "ACCEPTED" },
        as(member),
      );
      await gql(
        RespondToShareDocument,
        { imageId: ids[1]!, memberId: member, status: "REJECTED" },
        as(member),
      );
      await image(member); // the member's own shared image shows in visibility=shared listings

      const answer = await client(paged)(SharedImageStatusesDocument, { memberId: member }, as(member));
      expect(answer.errors).toBeUndefined();
      expect(new Map(answer.data?.sharedImages.map((s) => [s.imageId, s.status]))).toEqual(
        new Map([
          [ids[0]!, "ACCEPTED"],
          [ids[1]!, "REJECTED"],
          [ids[2]!, "PENDING"],
          [ids[3]!, "PENDING"],
          [ids[4]!, "PENDING"],
        ]),
      );
    } finally {
      await paged.close();
    }
  });
});

describe("a real Glance with a member quota of 3", () => {
  let gateway: RunningGateway;
  let url: string;

  beforeAll(async () => {
    url = inject("glanceSmallQuota");
    gateway = await startFor(url);
  });
  afterAll(() => gateway.close());

  it("answers OVER_LIMIT past the quota, counting rejected members", async () => {
    const gql = client(gateway);
    const owner = project();
    const id = await createImage(url, owner, "shared");
    try {
      const members = [project(), project(), project()];
      for (const memberId of members) {
        expect(
          (await gql(ShareImageDocument, { imageId: id, memberId }, glanceHeaders(owner))).errors,
        ).toBeUndefined();
      }
      await gql(
        RespondToShareDocument,
        { imageId: id, memberId: members[0]!, status: "REJECTED" },
        glanceHeaders(members[0]!),
      );
      const over = await gql(ShareImageDocument, { imageId: id, memberId: project() }, glanceHeaders(owner));
      expect(codes(over)).toEqual(["OVER_LIMIT"]);
    } finally {
      await deleteImage(url, owner, id, { admin: true });
    }
  });
});
