/** sharedImagesPage: Relay pages whose cursors are Glance's markers, one listing per page. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SharedImagesPageDocument, type SharedImagesPageQuery } from "../__generated__/graphql.js";
import { as, codes, startHarness, type GraphQLResult, type Harness } from "../support/harness.js";
import { calls } from "../support/upstream.js";

describe("sharedImagesPage (v2)", () => {
  let h: Harness;
  const names: string[] = [];

  beforeAll(async () => {
    h = await startHarness({ api: "v2", env: { GLANCE_API_VERSION: "v2" } });
    for (let i = 0; i < 5; i++) {
      const image = h.emulator.createImage({ owner: "proj-a", visibility: "shared", name: `img-${i}` });
      h.emulator.addMember(image.id, "proj-b");
      names.push(`img-${i}`);
    }
  });
  afterAll(() => h.close());

  it("walks five shares two at a time: each page one listing with Glance's limit and marker", async () => {
    const seen: string[] = [];
    let after: string | null = null;
    const pages: boolean[] = [];
    for (let page = 0; page < 4; page++) {
      h.emulator.clearRequests();
      const result: GraphQLResult<SharedImagesPageQuery> = await h.request(
        SharedImagesPageDocument,
        { status: "PENDING", first: 2, after, memberId: "proj-b" },
        as("proj-b"),
      );
      expect(result.errors).toBeUndefined();
      const connection: SharedImagesPageQuery["sharedImagesPage"] = result.data!.sharedImagesPage;
      seen.push(...connection.edges.map((edge) => edge.node.imageSummary.name ?? ""));
      expect(connection.edges.every((edge) => edge.node.status === "PENDING")).toBe(true);
      const listings = calls(h.emulator).filter((call) => call.path.includes("member_status=pending"));
      expect(listings.map((call) => call.path)).toEqual([
        expect.stringMatching(
          after === null
            ? /^\/v2\/images\?visibility=shared&member_status=pending&limit=2$/
            : /^\/v2\/images\?visibility=shared&member_status=pending&limit=2&marker=[0-9a-f-]{36}$/,
        ) as string,
      ]);
      pages.push(connection.pageInfo.hasNextPage);
      if (!connection.pageInfo.hasNextPage) {
        break;
      }
      after = connection.pageInfo.endCursor;
    }
    expect(seen.sort()).toEqual(names);
    expect(pages.at(-1)).toBe(false);
  });

  it("a cursor it did not give, or a page size out of range, is BAD_USER_INPUT before any call", async () => {
    h.emulator.clearRequests();
    const cursor = await h.request(
      SharedImagesPageDocument,
      { status: "PENDING", after: "not-a-cursor", memberId: "proj-b" },
      as("proj-b"),
    );
    expect(codes(cursor)).toEqual(["BAD_USER_INPUT"]);
    const size = await h.request(
      SharedImagesPageDocument,
      { status: "PENDING", first: 0, memberId: "proj-b" },
      as("proj-b"),
    );
    expect(codes(size)).toEqual(["BAD_USER_INPUT"]);
    expect(calls(h.emulator)).toEqual([]);
  });
});
