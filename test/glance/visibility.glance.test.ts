/**
 * setImageVisibility against the real Glance, under the legacy policy and the new policy defaults:
 * the owner's changes, the refusals (a member, a stranger, public without admin, a value Glance
 * refuses on a deleted image), and shareImage's hint on an image not yet shared.
 */
import { randomUUID } from "node:crypto";
import { print } from "graphql";
import { pino } from "pino";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  ImageMemberRowsDocument,
  SetImageVisibilityDocument,
  ShareImageDocument,
  SharedImageRowsDocument,
  SharedImagesPageDocument,
  type SharedImagesPageQuery,
} from "../__generated__/graphql.js";
import { startGateway, type RunningGateway } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { createImage, deleteImage, glanceHeaders } from "./glance-env.js";

interface Answer<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

const outcome = (answer: Answer<unknown>): string =>
  (answer.errors ?? []).map((error) => error.extensions?.code).join(",") || "ok";
const project = (): string => `proj-${randomUUID().slice(0, 8)}`;

describe.each([
  ["legacy", "glanceLegacy"],
  ["new", "glanceNew"],
] as const)("setImageVisibility against a real Glance (%s policy)", (_, key) => {
  let gateway: RunningGateway;
  let url: string;
  const created: [string, string][] = [];

  const gql = async <T, V>(
    document: TypedDocumentNode<T, V>,
    variables: V,
    headers: Record<string, string>,
  ) => {
    const response = await fetch(gateway.url, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify({ query: print(document), variables }),
    });
    return (await response.json()) as Answer<T>;
  };

  beforeAll(async () => {
    url = inject(key);
    gateway = await startGateway(
      loadConfig({
        PORT: "0",
        HOST: "127.0.0.1",
        GLANCE_URL: url,
        FORWARD_HEADERS: "X-Project-Id,X-Roles,X-Identity-Status,X-User-Id",
        LOG_LEVEL: "silent",
      }),
      { logger: pino({ level: "silent" }) },
    );
  });
  afterAll(async () => {
    await Promise.allSettled(created.map(([owner, id]) => deleteImage(url, owner, id)));
    await gateway.close();
  });

  it("the owner makes a private image shared, then shares it; and back to private", async () => {
    const owner = project();
    const image = await createImage(url, owner, "private", { name: "visibility-suite" });
    created.push([owner, image]);
    const refused = await gql(
      ShareImageDocument,
      { imageId: image, memberId: project() },
      glanceHeaders(owner),
    );
    expect(outcome(refused)).toBe("FORBIDDEN");
    expect(refused.errors?.[0]?.message).toContain("setImageVisibility(imageId, visibility: SHARED)");
    const shared = await gql(
      SetImageVisibilityDocument,
      { imageId: image, visibility: "SHARED" },
      glanceHeaders(owner),
    );
    expect(outcome(shared)).toBe("ok");
    expect(shared.data?.setImageVisibility).toMatchObject({
      id: image,
      name: "visibility-suite",
      visibility: "SHARED",
      owner,
      status: "queued",
      diskFormat: "raw",
      containerFormat: "bare",
      protected: false,
      size: null,
    });
    expect(
      outcome(await gql(ShareImageDocument, { imageId: image, memberId: project() }, glanceHeaders(owner))),
    ).toBe("ok");
    const back = await gql(
      SetImageVisibilityDocument,
      { imageId: image, visibility: "PRIVATE" },
      glanceHeaders(owner),
    );
    expect(back.data?.setImageVisibility.visibility).toBe("PRIVATE");
  });

  it("community by the owner; public only with admin", async () => {
    const owner = project();
    const image = await createImage(url, owner, "private");
    created.push([owner, image]);
    const community = await gql(
      SetImageVisibilityDocument,
      { imageId: image, visibility: "COMMUNITY" },
      glanceHeaders(owner),
    );
    expect(outcome(community)).toBe("ok");
    const publicByOwner = await gql(
      SetImageVisibilityDocument,
      { imageId: image, visibility: "PUBLIC" },
      glanceHeaders(owner),
    );
    expect(outcome(publicByOwner)).toBe("FORBIDDEN");
    const publicByAdmin = await gql(
      SetImageVisibilityDocument,
      { imageId: image, visibility: "PUBLIC" },
      glanceHeaders(owner, { admin: true }),
    );
    expect(outcome(publicByAdmin)).toBe("ok");
  });

  it("a stranger does not see the image (NOT_FOUND); a member sees it and is refused (FORBIDDEN)", async () => {
    const owner = project();
    const member = project();
    const image = await createImage(url, owner, "shared");
    created.push([owner, image]);
    expect(
      outcome(await gql(ShareImageDocument, { imageId: image, memberId: member }, glanceHeaders(owner))),
    ).toBe("ok");
    expect(
      outcome(
        await gql(
          SetImageVisibilityDocument,
          { imageId: image, visibility: "PRIVATE" },
          glanceHeaders(project()),
        ),
      ),
    ).toBe("NOT_FOUND");
    expect(
      outcome(
        await gql(
          SetImageVisibilityDocument,
          { imageId: image, visibility: "PRIVATE" },
          glanceHeaders(member),
        ),
      ),
    ).toBe("FORBIDDEN");
  });

  it("image summaries on shares: the owner's member rows and the member's shared rows carry the image", async () => {
    const owner = project();
    const member = project();
    const image = await createImage(url, owner, "shared", { name: "summary-suite" });
    created.push([owner, image]);
    expect(
      outcome(await gql(ShareImageDocument, { imageId: image, memberId: member }, glanceHeaders(owner))),
    ).toBe("ok");
    const rows = await gql(ImageMemberRowsDocument, { imageId: image }, glanceHeaders(owner));
    expect(outcome(rows)).toBe("ok");
    expect(rows.data?.imageMembers[0]?.imageSummary).toEqual({ name: "summary-suite", visibility: "SHARED" });
    const offered = await gql(SharedImageRowsDocument, { memberId: member }, glanceHeaders(member));
    expect(outcome(offered)).toBe("ok");
    expect(
      offered.data?.sharedImages.map((row) => [row.imageId, row.imageSummary.name, row.imageSummary.owner]),
    ).toEqual([[image, "summary-suite", owner]]);
  });

  it("sharedImagesPage walks three shares two at a time on Glance's own markers", async () => {
    const owner = project();
    const member = project();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const image = await createImage(url, owner, "shared");
      created.push([owner, image]);
      ids.push(image);
      expect(
        outcome(await gql(ShareImageDocument, { imageId: image, memberId: member }, glanceHeaders(owner))),
      ).toBe("ok");
    }
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 3; page++) {
      const result: Answer<SharedImagesPageQuery> = await gql(
        SharedImagesPageDocument,
        { status: "PENDING", first: 2, after, memberId: member },
        glanceHeaders(member),
      );
      expect(outcome(result)).toBe("ok");
      const connection = result.data!.sharedImagesPage;
      expect(connection.edges.length).toBeLessThanOrEqual(2);
      seen.push(...connection.edges.map((edge) => edge.node.imageId));
      if (!connection.pageInfo.hasNextPage) {
        break;
      }
      after = connection.pageInfo.endCursor;
    }
    expect(seen.sort()).toEqual(ids.sort());
  });

  it("a deleted image is NOT_FOUND; a protected one still changes visibility (protection only stops deletion)", async () => {
    const owner = project();
    const gone = await createImage(url, owner, "private");
    expect(await deleteImage(url, owner, gone)).toBe(true);
    expect(
      outcome(
        await gql(SetImageVisibilityDocument, { imageId: gone, visibility: "SHARED" }, glanceHeaders(owner)),
      ),
    ).toBe("NOT_FOUND");
    const guarded = await createImage(url, owner, "private");
    created.push([owner, guarded]);
    const protect = await fetch(`${url}/v2/images/${guarded}`, {
      method: "PATCH",
      headers: {
        ...glanceHeaders(owner),
        "Content-Type": "application/openstack-images-v2.1-json-patch",
      },
      body: JSON.stringify([{ op: "replace", path: "/protected", value: true }]),
    });
    expect(protect.status).toBe(200);
    const changed = await gql(
      SetImageVisibilityDocument,
      { imageId: guarded, visibility: "SHARED" },
      glanceHeaders(owner),
    );
    expect(outcome(changed)).toBe("ok");
    expect(changed.data?.setImageVisibility).toMatchObject({ visibility: "SHARED", protected: true });
    const unprotect = await fetch(`${url}/v2/images/${guarded}`, {
      method: "PATCH",
      headers: { ...glanceHeaders(owner), "Content-Type": "application/openstack-images-v2.1-json-patch" },
      body: JSON.stringify([{ op: "replace", path: "/protected", value: false }]),
    });
    expect(unprotect.status).toBe(200);
  });
});
