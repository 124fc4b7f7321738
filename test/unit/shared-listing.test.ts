import { describe, expect, it } from "vitest";
import { listingIsUnfiltered, mapBounded, probeStatuses } from "../../src/upstream/v2/shared-listing.js";

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

  it("maps with bounded concurrency, keeping the order", async () => {
    let running = 0;
    let most = 0;
    const results = await mapBounded([5, 1, 4, 2, 3, 0, 6], 3, async (n) => {
      running += 1;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, n));
      running -= 1;
      return n * 10;
    });
    expect(results).toEqual([50, 10, 40, 20, 30, 0, 60]);
    expect(most).toBe(3);
  });
});
