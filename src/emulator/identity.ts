/**
 * Who is calling, read from headers as Glance's ContextMiddleware (oslo.context) reads them in a
 * keystone pipeline without authtoken. As a convenience for people trying the emulator by hand,
 * a bare X-Auth-Token stands for the project id.
 */
import { randomUUID } from "node:crypto";

export interface Caller {
  /** The project (tenant): image owner and member id in every comparison. */
  readonly project: string;
  /** Lower-cased, as Glance lower-cases roles. */
  readonly roles: readonly string[];
  /** The `admin` role makes the context admin; under the legacy policy no other role matters. */
  readonly isAdmin: boolean;
  /** What the response's X-Openstack-Request-Id will carry. */
  readonly requestId: string;
}

export type Identity =
  | { readonly kind: "anonymous" }
  | { readonly kind: "request-id-too-long" }
  | { readonly kind: "caller"; readonly caller: Caller };

/** Glance's max_request_id_length default. */
export const MAX_REQUEST_ID_LENGTH = 64;

const PROJECT_HEADERS = ["x-project-id", "x-tenant-id", "x-tenant", "x-auth-token"] as const;

export function identify(headers: Readonly<Record<string, string>>): Identity {
  const project = PROJECT_HEADERS.map((name) => headers[name]?.trim() ?? "").find((value) => value !== "");
  if (project === undefined) {
    return { kind: "anonymous" };
  }
  const given = headers["x-openstack-request-id"] ?? "";
  if (given.length > MAX_REQUEST_ID_LENGTH) {
    return { kind: "request-id-too-long" };
  }
  const roles = (headers["x-roles"] ?? "")
    .split(",")
    .map((role) => role.trim().toLowerCase())
    .filter((role) => role !== "");
  return {
    kind: "caller",
    caller: {
      project,
      roles,
      isAdmin: roles.includes("admin"),
      requestId: given === "" ? `req-${randomUUID()}` : given.startsWith("req-") ? given : `req-${given}`,
    },
  };
}
