/**
 * Who sees which image and which membership rows (glance/db/utils.py is_image_visible and the
 * filter in _image_member_find).
 */
import type { Caller } from "./identity.js";
import type { EmulatorState, ImageRecord, MembershipRecord } from "./state.js";

/** Whether the caller's project owns the image; a caller without a project owns nothing. */
export function ownsImage(caller: Caller, image: ImageRecord): boolean {
  return caller.project !== null && image.owner === caller.project;
}

/** The caller's own membership rows of an image; none for a caller without a project. */
export function ownMemberships(
  state: EmulatorState,
  caller: Caller,
  imageId: string,
): readonly MembershipRecord[] {
  return caller.project === null ? [] : state.memberships({ imageId, memberId: caller.project });
}

/** Glance's image id column holds 36 characters; a longer id is never found. */
const MAX_IMAGE_ID_LENGTH = 36;

/** v2: members see a `shared` image whatever their status; other visibilities ignore memberships. */
export function canSeeImageV2(state: EmulatorState, caller: Caller, image: ImageRecord): boolean {
  return (
    caller.isAdmin ||
    image.owner === null ||
    image.visibility === "public" ||
    image.visibility === "community" ||
    ownsImage(caller, image) ||
    (image.visibility === "shared" && ownMemberships(state, caller, image.id).length > 0)
  );
}

/**
 * v1 knows no private/shared distinction: Queens stored every non-public v1 image as `shared`, so
 * a member always sees the image. The emulator applies that to images seeded as `private` too.
 */
export function canSeeImageV1(state: EmulatorState, caller: Caller, image: ImageRecord): boolean {
  return (
    caller.isAdmin ||
    image.owner === null ||
    image.visibility === "public" ||
    image.visibility === "community" ||
    ownsImage(caller, image) ||
    ownMemberships(state, caller, image.id).length > 0
  );
}

/** The live image with this id that the caller may see under v2 rules. */
export function findVisibleImageV2(
  state: EmulatorState,
  caller: Caller,
  imageId: string,
): ImageRecord | undefined {
  if (imageId.length > MAX_IMAGE_ID_LENGTH) {
    return undefined;
  }
  const image = state.liveImage(imageId);
  return image !== undefined && canSeeImageV2(state, caller, image) ? image : undefined;
}

/**
 * The membership rows a caller is shown: admins see all; others only rows of images they own
 * and their own rows.
 */
export function visibleRows(
  state: EmulatorState,
  caller: Caller,
  rows: readonly MembershipRecord[],
): MembershipRecord[] {
  if (caller.isAdmin) {
    return [...rows];
  }
  if (caller.project === null) {
    return [];
  }
  return rows.filter(
    (row) => row.memberId === caller.project || state.imageRow(row.imageId)?.owner === caller.project,
  );
}
