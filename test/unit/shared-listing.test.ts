import { describe, expect, it } from "vitest";
import { listingIsUnfiltered, probeStatuses } from "../../src/upstream/v2/shared-listing.js";

describe("telling an admin's unfiltered shared listing apart", () => {
  it("probes the statuses not already listed", () => {
    expect(probeStatuses(["all"])).toEqual(["pending", "accepted"]);
    expect(probeStatuses(["accepted"])).toEqual(["pending"]);
    expect(probeStatuses(["pending"])).toEqual(["accepted"]);
    expect(probeStatuses(["pending", "accepted", "rejected"])).toEqual([]);
  });

  it("sees an image under two statuses as unfiltered, and nothing else", () => {
    expect(
      listingIsUnfiltered([
        { status: "accepted", ids: ["a", "b"] },
        { status: "pending", ids: ["c"] },
      ]),
    ).toBe(false);
    expect(
      listingIsUnfiltered([
        { status: "accepted", ids: ["a", "b"] },
        { status: "pending", ids: ["b"] },
      ]),
    ).toBe(true);
    // "all" overlaps every status by definition and proves nothing.
    expect(
      listingIsUnfiltered([
        { status: "all", ids: ["a", "b"] },
        { status: "pending", ids: ["a"] },
        { status: "accepted", ids: ["b"] },
      ]),
    ).toBe(false);
    expect(listingIsUnfiltered([{ status: "accepted", ids: ["a", "a"] }])).toBe(false);
  });
});
