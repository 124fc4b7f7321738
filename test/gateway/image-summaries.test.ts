/**
 * imageSummary on shares: free on v2's sharedImages (the listing carries the image), one image
 * lookup per image and request elsewhere, whatever the number of members asking.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  ImageMemberRowsDocument,
  SharedImageRowsDocument,
  SharedImageStatusesDocument,
} from "../__generated__/graphql.js";
import { as, startHarness, type Harness } from "../support/harness.js";
import { calls } from "../support/upstream.js";

const paths = (h: Harness): string[] => calls(h.emulator).map((call) => `${call.method} ${call.path}`);

describe("image summaries on shares (v2)", () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ api: "v2", env: { GLANCE_API_VERSION: "v2" } });
  });
  afterAll(() => h.close());
  beforeEach(() => h.emulator.reset());

  it("sharedImages with summaries makes the same calls as the same query without", async () => {
    for (const name of ["alpine", "debian"]) {
      const image = h.emulator.createImage({ owner: "proj-a", visibility: "shared", name });
      h.emulator.addMember(image.id, "proj-b");
    }
    const plain = await h.request(SharedImageStatusesDocument, { memberId: "proj-b" }, as("proj-b"));
    expect(plain.errors).toBeUndefined();
    const withoutSummaries = paths(h);
    h.emulator.clearRequests();
    const rows = await h.request(SharedImageRowsDocument, { memberId: "proj-b" }, as("proj-b"));
    expect(rows.errors).toBeUndefined();
    expect(paths(h)).toEqual(withoutSummaries);
    expect(paths(h).some((path) => /^GET \/v2\/images\/[0-9a-f-]+$/.test(path))).toBe(false);
    expect(rows.data?.sharedImages.map((row) => row.imageSummary.name).sort()).toEqual(["alpine", "debian"]);
    expect(rows.data?.sharedImages[0]?.imageSummary).toMatchObject({ visibility: "SHARED", owner: "proj-a" });
  });

  it("members of an image: one image lookup, however many members", async () => {
    const image = h.emulator.createImage({ owner: "proj-a", visibility: "shared", name: "fedora" });
    for (const member of ["proj-b", "proj-c", "proj-d"]) {
      h.emulator.addMember(image.id, member);
    }
    const result = await h.request(ImageMemberRowsDocument, { imageId: image.id }, as("proj-a"));
    expect(result.errors).toBeUndefined();
    expect(result.data?.imageMembers.map((row) => row.imageSummary.name)).toEqual([
      "fedora",
      "fedora",
      "fedora",
    ]);
    expect(paths(h)).toEqual([`GET /v2/images/${image.id}/members`, `GET /v2/images/${image.id}`]);
  });
});
