/**
 * The id of a client request. A client's own id (X-Request-Id, else X-Openstack-Request-Id) is kept
 * when it has the form Glance accepts and produces itself, `req-` and a UUID (a bare UUID gets the
 * prefix): Glance answers 500 to ids over 64 characters, and a free-form id could smuggle anything
 * into upstream headers and logs. Any other value is ignored and an id is generated.
 */
import { randomUUID } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";

const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
const ACCEPTED = new RegExp(`^(?:req-)?(${UUID})$`);
/** `req-` and a UUID, the longest form accepted. */
const MAX_LENGTH = 40;
const CLIENT_HEADERS = ["x-request-id", "x-openstack-request-id"] as const;

export function generateRequestId(): string {
  return `req-${randomUUID()}`;
}

export function requestIdFor(headers: IncomingHttpHeaders): string {
  for (const name of CLIENT_HEADERS) {
    const raw = headers[name];
    const value = Array.isArray(raw) ? raw[0] : raw;
    if (value === undefined || value.length > MAX_LENGTH + 2) {
      continue;
    }
    const match = ACCEPTED.exec(value.trim().toLowerCase());
    if (match !== null) {
      return `req-${match[1]}`;
    }
  }
  return generateRequestId();
}
