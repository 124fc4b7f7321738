/** The image checks Glance's legacy policy leaves to code (glance/api/v2/policy.py). */
import type { Caller } from "./identity.js";
import { FOUR_BYTE_CHARACTER, pyTitle } from "./python.js";
import type { ImageRecord } from "./state.js";
import { badRequest, forbidden } from "./webob-errors.js";

/** publicize_image is admin-only; communitize_image is open under the legacy defaults. */
export function checkVisibilityPolicy(caller: Caller, visibility: unknown): void {
  if (visibility === "public" && !caller.isAdmin) {
    throw forbidden("You are not authorized to complete publicize_image action.");
  }
}

/** check_is_image_mutable: the owner or an admin, and nobody for an owner-less image. */
export function checkMutable(caller: Caller, image: ImageRecord): void {
  if (!caller.isAdmin && (image.owner === null || image.owner !== caller.project)) {
    throw forbidden("You do not own this image");
  }
}

/** @utils.no_4byte_params on the database writes: the first offending key or string value wins. */
export function checkNoFourByte(values: ReadonlyArray<readonly [string, unknown]>): void {
  for (const [key, value] of values) {
    if (FOUR_BYTE_CHARACTER.test(key)) {
      throw badRequest("Property names can't contain 4 byte unicode.");
    }
    if (typeof value === "string" && FOUR_BYTE_CHARACTER.test(value)) {
      throw badRequest(`${pyTitle(key)} can't contain 4 byte unicode characters.`);
    }
  }
}
