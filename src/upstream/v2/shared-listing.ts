/**
 * Reading Glance's `visibility=shared` image listing as "the shares offered to the caller".
 *
 * For an ordinary caller Glance filters that listing by the caller's memberships and by
 * `member_status`. For an admin it does neither: every shared image in the cloud comes back,
 * whatever `member_status` says. The gateway cannot tell an admin from the request (a Keystone
 * token does not say), so it reads it from the answers: a membership has one status, so an image
 * of another project listed under two different `member_status` values means the listing was not
 * filtered. (The caller's own shared images are in every listing and prove nothing.) Then each
 * listed image's membership is looked up, and only the images that really have the caller as a
 * member are kept, with the status and timestamps of that membership.
 */
import { MEMBER_STATUSES, type MemberStatus } from "../../domain/image-member.js";

export type ListedStatus = MemberStatus | "all";

/**
 * The extra listings (their first page with an image of another project is enough) needed to tell
 * an unfiltered listing from a filtered one, given the `member_status` values already listed: none
 * when two or more are listed anyway.
 */
export function probeStatuses(listed: readonly ListedStatus[]): MemberStatus[] {
  if (listed.length > 1) {
    return [];
  }
  const [only] = listed;
  if (only === "all" || only === undefined) {
    return ["pending", "accepted"];
  }
  return [MEMBER_STATUSES.find((status) => status !== only) ?? "pending"];
}

/**
 * True when some image was listed under two different `member_status` values (the caller's own
 * images already left out of `byStatus`).
 */
export function listingIsUnfiltered(
  byStatus: ReadonlyArray<{ readonly status: ListedStatus; readonly ids: readonly string[] }>,
): boolean {
  const statusOf = new Map<string, ListedStatus>();
  for (const { status, ids } of byStatus) {
    if (status === "all") {
      continue;
    }
    for (const id of ids) {
      const earlier = statusOf.get(id);
      if (earlier !== undefined && earlier !== status) {
        return true;
      }
      statusOf.set(id, status);
    }
  }
  return false;
}
