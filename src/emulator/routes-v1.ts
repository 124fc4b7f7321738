/**
 * Images API v1 image members as Queens served them (glance/api/v1/members.py in front of the
 * registry's glance/registry/api/v1/members.py). There is no member status in v1: rows it creates
 * start `pending` in the shared table, and it never changes a status. Errors the registry raised
 * reach the client as the registry's plain-text body inside the API's own error, and the API turns
 * the registry's 403 into a 404.
 */
import { canSeeImageV1, ownMemberships, ownsImage, visibleRows } from "./access.js";
import type { EmulatorResponse } from "./http-types.js";
import { isJsonObject, pyContains, pyTruthy, subscriptError } from "./python.js";
import { decodeBody } from "./request-body.js";
import { jsonResponse, noContent } from "./responses.js";
import type { Route, RouteCall } from "./route-table.js";
import type { ImageRecord, MembershipRecord } from "./state.js";
import {
  WebobError,
  badRequest,
  internalError,
  methodNotAllowed,
  notFound,
  registryText,
  tooLarge,
} from "./webob-errors.js";

const v1Json = (value: unknown): EmulatorResponse => jsonResponse(200, value, { ensureAscii: true });

/**
 * The deserializer hands a body to every action; those that take no `body` argument then fail
 * with a TypeError, which the catch-all turns into a 500.
 */
function refuseBody(call: RouteCall): void {
  if (decodeBody(call.request).present) {
    throw internalError();
  }
}

/** get_image_meta_or_404: the messages are webob "details" under the default explanation. */
function imageOr404(call: RouteCall): ImageRecord {
  const imageId = call.params.image_id ?? "";
  const image = call.state.imageRow(imageId);
  if (image?.deleted === true && call.caller.isAdmin) {
    // Only admins can see deleted images, so only they learn that it was deleted.
    throw new WebobError(404, { detail: `Image with identifier ${imageId} has been deleted.` });
  }
  if (image === undefined || image.deleted || !canSeeImageV1(call.state, call.caller, image)) {
    throw new WebobError(404, { detail: `Image with identifier ${imageId} not found` });
  }
  return image;
}

/** The registry's answer to a non-sharer, which the API reports as a 404. */
function checkSharable(call: RouteCall, image: ImageRecord): void {
  const { caller, state } = call;
  if (caller.isAdmin || ownsImage(caller, image)) {
    return;
  }
  const [own] = ownMemberships(state, caller, image.id);
  if (own?.canShare !== true) {
    throw notFound(registryText(403, "No permission to share that image"));
  }
}

function enforceQuota(call: RouteCall, attempted: number): void {
  const quota = call.settings.memberQuota;
  if (quota >= 0 && attempted > quota) {
    throw tooLarge(
      "The limit has been exceeded on the number of allowed image members for this image. " +
        `Attempted: ${attempted}, Maximum: ${quota}`,
    );
  }
}

/** How a JSON member id lands in the String column (SQLite stores the text of numbers, True as 1). */
function storedMemberId(value: unknown): string {
  if (typeof value === "string") {
    return value;
  }
  if (typeof value === "number") {
    return String(value);
  }
  if (typeof value === "boolean") {
    return value ? "1" : "0";
  }
  throw internalError();
}

function listMembers(call: RouteCall): EmulatorResponse {
  refuseBody(call);
  const image = imageOr404(call);
  const rows = visibleRows(call.state, call.caller, call.state.memberships({ imageId: image.id }));
  return v1Json({ members: rows.map((row) => ({ member_id: row.memberId, can_share: row.canShare })) });
}

/** The API reads can_share only from {"member": {"can_share": x}}; anything else means "no body". */
function canShareFromBody(body: unknown): boolean | null {
  if (!pyTruthy(body) || pyContains(body, "member") !== true) {
    return null;
  }
  if (!isJsonObject(body)) {
    // ["member"]['member']: a TypeError.
    throw internalError();
  }
  const member = body.member;
  const hasCanShare = pyContains(member, "can_share");
  if (hasCanShare === null || (hasCanShare && !isJsonObject(member))) {
    throw internalError();
  }
  return hasCanShare && isJsonObject(member) ? pyTruthy(member.can_share) : null;
}

function addMember(call: RouteCall): EmulatorResponse {
  const body = decodeBody(call.request);
  const image = imageOr404(call);
  const { state, caller } = call;
  // Counted as the caller sees the list, before the registry checks the right to share.
  enforceQuota(call, visibleRows(state, caller, state.memberships({ imageId: image.id })).length + 1);
  const canShare = body.present ? canShareFromBody(body.value) : null;
  checkSharable(call, image);
  const memberId = call.params.member_id ?? "";
  const row = state.membershipRow(image.id, memberId);
  if (row === undefined) {
    state.insertMembership(image.id, memberId, { status: "pending", canShare: canShare === true });
  } else if (visibleRows(state, caller, [row]).length === 1 && canShare !== null) {
    // An existing row is only rewritten when can_share is given; that also revives a deleted row,
    // keeping its old status. Without can_share a deleted row stays deleted (Glance's quirk).
    Object.assign(row, { canShare, deleted: false, updatedAt: state.now() });
  }
  return noContent();
}

interface Membership {
  readonly memberId: string;
  readonly canShare: boolean | null;
}

/** The registry's reading of the memberships list: a 400 in its own words for a malformed entry. */
function readMemberships(memberships: unknown): Membership[] {
  if (typeof memberships === "number" || typeof memberships === "boolean" || memberships === null) {
    // Iterating a non-iterable fails inside the registry, which answers 500.
    throw internalError();
  }
  const entries: unknown[] = Array.isArray(memberships)
    ? memberships
    : typeof memberships === "string"
      ? [...memberships]
      : Object.keys(memberships as object);
  return entries.map((entry) => {
    const problem = subscriptError(entry);
    if (problem !== null) {
      throw badRequest(registryText(400, `Invalid membership association: ${problem}`));
    }
    const record = entry as Record<string, unknown>;
    if (!Object.hasOwn(record, "member_id")) {
      throw badRequest(registryText(400, "Invalid membership association: 'member_id'"));
    }
    return {
      memberId: storedMemberId(record.member_id),
      canShare: Object.hasOwn(record, "can_share") ? pyTruthy(record.can_share) : null,
    };
  });
}

function replaceMembers(call: RouteCall): EmulatorResponse {
  const body = decodeBody(call.request);
  if (!body.present) {
    // update_all() requires a body argument: a TypeError, hence 500.
    throw internalError();
  }
  const image = imageOr404(call);
  if (!isJsonObject(body.value)) {
    // body.get() on a list: an AttributeError.
    throw internalError();
  }
  const memberships = body.value.memberships;
  if (pyTruthy(memberships)) {
    if (typeof memberships === "number" || typeof memberships === "boolean") {
      throw internalError();
    }
    const count = Array.isArray(memberships)
      ? memberships.length
      : typeof memberships === "string"
        ? [...memberships].length
        : Object.keys(memberships as object).length;
    enforceQuota(call, count);
  }
  checkSharable(call, image);
  // The registry client wraps a body without "memberships" as a one-entry list.
  const wanted = readMemberships(Object.hasOwn(body.value, "memberships") ? memberships : [body.value]);
  const { state, caller } = call;
  const now = state.now();
  const byMember = new Map<string, Membership>();
  for (const entry of wanted) {
    byMember.set(entry.memberId, entry);
  }
  const rows = visibleRows(state, caller, state.memberships({ imageId: image.id, includeDeleted: true }));
  const seen = new Set<string>();
  for (const row of rows) {
    const entry = byMember.get(row.memberId);
    seen.add(row.memberId);
    if (entry !== undefined) {
      Object.assign(row, { canShare: entry.canShare ?? row.canShare, deleted: false, updatedAt: now });
    } else if (!row.deleted) {
      Object.assign(row, { deleted: true, updatedAt: now });
    }
  }
  for (const entry of byMember.values()) {
    if (!seen.has(entry.memberId) && state.membershipRow(image.id, entry.memberId) === undefined) {
      state.insertMembership(image.id, entry.memberId, {
        status: "pending",
        canShare: entry.canShare === true,
      });
    }
  }
  return noContent();
}

function deleteMember(call: RouteCall): EmulatorResponse {
  refuseBody(call);
  const image = imageOr404(call);
  checkSharable(call, image);
  const memberId = call.params.member_id ?? "";
  const [row]: MembershipRecord[] = visibleRows(
    call.state,
    call.caller,
    call.state.memberships({ imageId: image.id, memberId }),
  );
  if (row === undefined) {
    throw notFound(registryText(404, "Membership could not be found."));
  }
  row.deleted = true;
  row.updatedAt = call.state.now();
  return noContent();
}

/** GET of one member is routed to a "show" action v1 never had: 405, without an Allow header. */
function showMember(call: RouteCall): EmulatorResponse {
  decodeBody(call.request);
  throw methodNotAllowed();
}

function sharedImages(call: RouteCall): EmulatorResponse {
  refuseBody(call);
  const memberId = call.params.member_id ?? "";
  const rows = visibleRows(call.state, call.caller, call.state.memberships({ memberId }));
  return v1Json({ shared_images: rows.map((row) => ({ image_id: row.imageId, can_share: row.canShare })) });
}

export const v1Routes: readonly Route[] = [
  {
    pattern: "/images/{image_id}/members",
    methods: { GET: listMembers, PUT: replaceMembers },
    allow: "GET, PUT",
  },
  {
    pattern: "/images/{image_id}/members/{member_id}",
    methods: { GET: showMember, PUT: addMember, DELETE: deleteMember },
    allow: "GET, PUT, DELETE",
  },
  { pattern: "/shared-images/{member_id}", methods: {}, anyMethod: sharedImages },
];
