/**
 * One GraphQL request has at most 8 upstream calls in flight, however its work fans out: member
 * look-ups batched over many images, member lists, shared-image listings side by side, and an
 * admin's membership look-ups. Every call is held back at the proxy so that they overlap; the
 * proxy's record of when each call arrived and was answered gives the most in flight at once.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ProxyRecord } from "./support/fault-proxy.js";
import { startStack, type Stack } from "./support/stack.js";

const CAP = 8;
const HELD_MS = 40;

/** The most calls of one client request (one X-Openstack-Request-Id) in flight at once. */
function peakInFlight(records: readonly ProxyRecord[]): Map<string, number> {
  const byRequest = new Map<string, Array<{ at: number; change: number }>>();
  for (const record of records) {
    expect(record.answeredAt).not.toBeNull();
    const events = byRequest.get(record.requestId ?? "") ?? [];
    events.push({ at: record.receivedAt, change: 1 }, { at: record.answeredAt!, change: -1 });
    byRequest.set(record.requestId ?? "", events);
  }
  const peaks = new Map<string, number>();
  for (const [requestId, events] of byRequest) {
    // At the same instant an answer counts before an arrival: never more than really overlapped.
    events.sort((a, b) => a.at - b.at || a.change - b.change);
    let inFlight = 0;
    let peak = 0;
    for (const { change } of events) {
      inFlight += change;
      peak = Math.max(peak, inFlight);
    }
    peaks.set(requestId, peak);
  }
  return peaks;
}

const aliased = (count: number, field: (i: number) => string): string =>
  `{ ${Array.from({ length: count }, (_, i) => `f${i}: ${field(i)}`).join(" ")} }`;

describe("a request's upstream calls in flight", () => {
  let s: Stack;

  beforeAll(async () => {
    s = await startStack({ env: { FORWARD_HEADERS: "X-Roles", UPSTREAM_RETRIES: "0" } });
  });
  afterAll(() => s.close());
  beforeEach(() => {
    s.emulator.reset();
    s.proxy.clear();
    s.proxy.choose = () => ({ kind: "slow-headers", ms: HELD_MS });
  });

  /** Sends `query`, expects no errors, and returns the calls it made and their peak in flight. */
  async function fanOut(
    query: string,
    headers: Record<string, string>,
  ): Promise<{ calls: readonly ProxyRecord[]; peak: number }> {
    const answer = await s.post({ query }, headers);
    expect(answer.json.errors).toBeUndefined();
    const peaks = peakInFlight(s.proxy.records);
    expect(peaks.size).toBe(1);
    return { calls: s.proxy.records, peak: [...peaks.values()][0]! };
  }

  function sharedImagesOf(
    owner: string,
    count: number,
    member: string,
    status = "pending" as const,
  ): string[] {
    return Array.from({ length: count }, () => {
      const id = s.emulator.createImage({ owner, visibility: "shared" }).id;
      s.emulator.addMember(id, member, { status });
      return id;
    });
  }

  it("member look-ups over many images", async () => {
    const images = sharedImagesOf("proj-a", 16, "proj-b");
    const { calls, peak } = await fanOut(
      aliased(16, (i) => `imageMember(imageId: "${images[i]}", memberId: "proj-b") { status }`),
      { "x-auth-token": "proj-a" },
    );
    expect(calls).toHaveLength(16);
    expect(peak).toBe(CAP);
  });

  it("member lists of many images", async () => {
    const images = sharedImagesOf("proj-a", 16, "proj-b");
    const { calls, peak } = await fanOut(
      aliased(16, (i) => `imageMembers(imageId: "${images[i]}") { memberId }`),
      { "x-auth-token": "proj-a" },
    );
    expect(calls).toHaveLength(16);
    expect(peak).toBe(CAP);
  });

  it("shared-image listings, each status listed side by side", async () => {
    sharedImagesOf("proj-a", 3, "proj-b");
    const { calls, peak } = await fanOut(
      aliased(6, () => `sharedImages(memberId: "proj-b") { imageId status }`),
      { "x-auth-token": "proj-b" },
    );
    // Three listings (one per status) for each field.
    expect(calls.filter((call) => call.path.startsWith("/v2/images?"))).toHaveLength(18);
    expect(peak).toBe(CAP);
  });

  it("an admin's membership look-ups", async () => {
    sharedImagesOf("proj-a", 12, "proj-admin");
    const { calls, peak } = await fanOut(
      aliased(3, () => `sharedImages(memberId: "proj-admin", status: PENDING) { imageId }`),
      { "x-auth-token": "proj-admin", "x-roles": "admin" },
    );
    // The listing is not filtered for an admin: each field looks each image's membership up.
    expect(calls.filter((call) => call.path.endsWith("/members/proj-admin"))).toHaveLength(36);
    expect(peak).toBe(CAP);
  });
});
