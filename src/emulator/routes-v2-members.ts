/**
 * Images API v2 image members, as Glance 25 (Zed) answers them under the legacy policy
 * (glance/api/v2/image_members.py). The order of checks is Glance's: body errors first, then the
 * image lookup (404), the `shared` check (403), the legacy ownership check (403), the member lookup
 * (404), and only then the quota, duplicate and status checks.
 */
import { findVisibleImageV2, ownsImage, visibleRows } from "./access.js";
import type { EmulatorResponse } from "./http-types.js";
import type { Caller } from "./identity.js";
import { FOUR_BYTE_CHARACTER, isJsonObject, pyStr, pyTruthy } from "./python.js";
import { rejectBody, requireBody } from "./request-body.js";
import { isotime, jsonResponse, noContent } from "./responses.js";
import type { Route, RouteCall } from "./route-table.js";
import type { ImageRecord, MembershipRecord } from "./state.js";
import type { MemberStatus } from "./types.js";
import { badRequest, conflict, forbidden, internalError, notFound, tooLarge } from "./webob-errors.js";

const STATUSES: readonly MemberStatus[] = ["pending", "accepted", "rejected"];

function memberView(row: MembershipRecord, memberId: unknown = row.memberId): Record<string, unknown> {
  return {
    member_id: memberId,
    image_id: row.imageId,
    status: row.status,
    created_at: isotime(row.createdAt),
    updated_at: isotime(row.updatedAt),
    schema: "/v2/schemas/member",
  };
}

const memberJson = (status: number, value: unknown): EmulatorResponse =>
  jsonResponse(status, value, { ensureAscii: false });

/** _lookup_image: anything the caller cannot see is simply "not found". */
function lookupImage(call: RouteCall): ImageRecord {
  const imageId = call.params.image_id ?? "";
  const image = findVisibleImageV2(call.state, call.caller, imageId);
  if (image === undefined) {
    throw notFound(`Image ${imageId} not found.`);
  }
  return image;
}

/** _lookup_member: the row, if the caller is shown it (owner and admin see all, a member its own). */
function lookupMember(call: RouteCall, image: ImageRecord): MembershipRecord {
  const memberId = call.params.member_id ?? "";
  const [row] = visibleRows(call.state, call.caller, call.state.memberships({ imageId: image.id, memberId }));
  if (row === undefined) {
    throw notFound(`${memberId} not found in the member list of the image ${image.id}.`);
  }
  return row;
}

const isOwner = (caller: Caller, image: ImageRecord): boolean => ownsImage(caller, image);

/**
 * How a JSON member value lands in the String column: Python passes numbers and booleans through
 * to SQLite, which stores their text (True as 1); objects and lists cannot be bound at all.
 */
function storedMemberId(member: unknown): string {
  if (typeof member === "string") {
    return member;
  }
  if (typeof member === "number") {
    return String(member);
  }
  if (typeof member === "boolean") {
    return member ? "1" : "0";
  }
  throw internalError();
}

function createMember(call: RouteCall): EmulatorResponse {
  const body = requireBody(call.request);
  if (!isJsonObject(body)) {
    throw badRequest('Expected a member in the form: {"member": "image_id"}');
  }
  if (!Object.hasOwn(body, "member")) {
    throw badRequest("Member to be added not specified");
  }
  const member = body.member;
  if (!pyTruthy(member)) {
    throw badRequest("Member can't be empty");
  }
  const imageId = call.params.image_id ?? "";
  const image = lookupImage(call);
  const refused = (): Error => forbidden(`Not allowed to create members for image ${imageId}.`);
  if (image.visibility !== "shared") {
    throw refused();
  }
  if (!call.caller.isAdmin && !isOwner(call.caller, image)) {
    throw refused();
  }
  const { memberQuota } = call.settings;
  const attempted = call.state.memberCount(image.id) + 1;
  if (memberQuota >= 0 && attempted > memberQuota) {
    throw tooLarge(
      `Image member limit exceeded for image ${imageId}: The limit has been exceeded on the number of allowed ` +
        `image members for this image. Attempted: ${attempted}, Maximum: ${memberQuota}:`,
    );
  }
  const memberId = storedMemberId(member);
  const existing = call.state.membershipRow(image.id, memberId);
  if (existing !== undefined && !existing.deleted) {
    throw conflict(`Member ${pyStr(member)} is duplicated for image ${imageId}`);
  }
  if (typeof member === "string" && FOUR_BYTE_CHARACTER.test(member)) {
    throw badRequest("Member can't contain 4 byte unicode characters.");
  }
  let row: MembershipRecord;
  if (existing === undefined) {
    row = call.state.insertMembership(image.id, memberId, { status: "pending", canShare: false });
  } else {
    // Glance reuses the soft-deleted row: back to pending, with a new created_at.
    const now = call.state.now();
    Object.assign(existing, {
      deleted: false,
      status: "pending",
      canShare: false,
      createdAt: now,
      updatedAt: now,
    });
    row = existing;
  }
  // The answer echoes the member exactly as it was sent, a number as a number.
  return memberJson(200, memberView(row, member));
}

function listMembers(call: RouteCall): EmulatorResponse {
  rejectBody(call.request);
  const image = lookupImage(call);
  if (image.visibility !== "shared") {
    throw forbidden(`Not allowed to list members for image ${image.id}: Only shared images have members.`);
  }
  const rows = visibleRows(call.state, call.caller, call.state.memberships({ imageId: image.id }));
  return memberJson(200, { members: rows.map((row) => memberView(row)), schema: "/v2/schemas/members" });
}

function showMember(call: RouteCall): EmulatorResponse {
  rejectBody(call.request);
  const image = lookupImage(call);
  if (image.visibility !== "shared") {
    // show() turns every Forbidden into a 404 "to prevent information leakage".
    throw notFound("Only shared images have members.");
  }
  return memberJson(200, memberView(lookupMember(call, image)));
}

function updateMember(call: RouteCall): EmulatorResponse {
  const body = requireBody(call.request);
  if (!isJsonObject(body)) {
    throw badRequest('Expected a status in the form: {"status": "status"}');
  }
  if (!Object.hasOwn(body, "status")) {
    throw badRequest("Status not specified");
  }
  const imageId = call.params.image_id ?? "";
  const image = lookupImage(call);
  const refused = (): Error => forbidden(`Not allowed to update members for image ${imageId}.`);
  if (image.visibility !== "shared") {
    throw refused();
  }
  // Legacy policy: the owner may never set a status, so it gets 403 even for an unknown member.
  if (!call.caller.isAdmin && ownsImage(call.caller, image)) {
    throw refused();
  }
  const row = lookupMember(call, image);
  const status = body.status;
  if (typeof status !== "string" || !STATUSES.includes(status as MemberStatus)) {
    throw badRequest('Incorrect request: Status must be "pending", "accepted" or "rejected".');
  }
  row.status = status as MemberStatus;
  row.updatedAt = call.state.now();
  // Every v2 write of a row stores can_share=False (values.setdefault in _image_member_update).
  row.canShare = false;
  return memberJson(200, memberView(row));
}

function deleteMember(call: RouteCall): EmulatorResponse {
  rejectBody(call.request);
  const imageId = call.params.image_id ?? "";
  const image = lookupImage(call);
  const refused = (): Error => forbidden(`Not allowed to delete members for image ${imageId}.`);
  if (image.visibility !== "shared") {
    throw refused();
  }
  if (!call.caller.isAdmin && !ownsImage(call.caller, image)) {
    throw refused();
  }
  const row = lookupMember(call, image);
  row.deleted = true;
  row.updatedAt = call.state.now();
  return noContent();
}

export const v2MemberRoutes: readonly Route[] = [
  {
    pattern: "/images/{image_id}/members",
    methods: { GET: listMembers, POST: createMember },
    allow: "GET, POST",
  },
  {
    pattern: "/images/{image_id}/members/{member_id}",
    methods: { GET: showMember, PUT: updateMember, DELETE: deleteMember },
    allow: "GET, PUT, DELETE",
  },
];
