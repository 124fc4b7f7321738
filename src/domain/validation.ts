/**
 * Gateway-side checks on identifiers, run before any upstream call. Each returns a problem
 * description, or null when the value is acceptable.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Whitespace (including Unicode spaces), C0/C1 control characters and '/'.
// eslint-disable-next-line no-control-regex
const FORBIDDEN_IN_MEMBER_ID = /[\s\u0000-\u001f\u007f-\u009f\u2028\u2029/]/u;

export const MAX_MEMBER_ID_LENGTH = 255;

export function imageIdProblem(imageId: string): string | null {
  return UUID.test(imageId) ? null : "must be a UUID such as 0b5c6d1e-3a1f-4c2b-9d7e-8f9a0b1c2d3e";
}

/** The usual member id (a project id or name): none of the checks below can refuse it. */
const PLAIN_MEMBER_ID = new RegExp(`^[A-Za-z0-9_.@:+=-]{1,${MAX_MEMBER_ID_LENGTH}}$`);

export function memberIdProblem(memberId: string): string | null {
  if (PLAIN_MEMBER_ID.test(memberId) && memberId !== "." && memberId !== "..") {
    return null;
  }
  if (memberId.length === 0) {
    return "must not be empty";
  }
  // Counting code points is only needed when the UTF-16 length (never smaller) is over the limit.
  const length = memberId.length > MAX_MEMBER_ID_LENGTH ? [...memberId].length : memberId.length;
  if (length > MAX_MEMBER_ID_LENGTH) {
    return `must be at most ${MAX_MEMBER_ID_LENGTH} characters (got ${length})`;
  }
  if (FORBIDDEN_IN_MEMBER_ID.test(memberId)) {
    return "must not contain whitespace, control characters or '/'";
  }
  if (memberId === "." || memberId === "..") {
    // A dot segment: a proxy normalising the path would turn …/members/.. into the image itself.
    return "must not be '.' or '..'";
  }
  if (/[\u{10000}-\u{10FFFF}]/u.test(memberId)) {
    // Glance refuses 4-byte UTF-8 member ids with 400; refusing them here saves the round trip.
    return "must not contain characters outside the Basic Multilingual Plane (such as emoji)";
  }
  if (!memberId.isWellFormed()) {
    return "must be well-formed Unicode";
  }
  return null;
}
