/**
 * Glance's JSONRequestDeserializer: when a request counts as having a body, and how that body is
 * decoded. The Content-Type header is never looked at.
 */
import type { EmulatorRequest } from "./http-types.js";
import { badRequest } from "./webob-errors.js";

const BODY_METHODS = new Set(["POST", "PUT", "PATCH"]);
const TRANSFER_ENCODINGS = new Set(["chunked", "compress", "deflate", "gzip", "identity"]);

/** A positive Content-Length, or a transfer encoding on a method that may carry a body. */
export function hasBody(request: EmulatorRequest): boolean {
  const encoding = (request.headers["transfer-encoding"] ?? "").toLowerCase();
  if (TRANSFER_ENCODINGS.has(encoding) && BODY_METHODS.has(request.method)) {
    return true;
  }
  const length = Number.parseInt(request.headers["content-length"] ?? "", 10);
  return Number.isFinite(length) && length > 0;
}

/** Glance's `body_reject` routes (GET and DELETE of members, images, schemas). */
export function rejectBody(request: EmulatorRequest): void {
  if (hasBody(request)) {
    throw badRequest("A body is not expected with this request.");
  }
}

export type DecodedBody = { readonly present: false } | { readonly present: true; readonly value: unknown };

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** from_json: a JSON object or array, or a 400 with Glance's message. */
export function decodeBody(request: EmulatorRequest): DecodedBody {
  if (!hasBody(request)) {
    return { present: false };
  }
  let value: unknown;
  try {
    value = JSON.parse(utf8.decode(request.body));
  } catch {
    throw badRequest("Malformed JSON in request body.");
  }
  if (typeof value !== "object" || value === null) {
    throw badRequest("Unexpected body type. Expected list/dict.");
  }
  return { present: true, value };
}

/** The v2 deserializers that insist on a body. */
export function requireBody(request: EmulatorRequest): unknown {
  const body = decodeBody(request);
  if (!body.present) {
    throw badRequest("Body expected in request.");
  }
  return body.value;
}
