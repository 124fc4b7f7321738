/**
 * Who is calling, read from headers as Glance's ContextMiddleware (oslo.context) reads them in a
 * keystone pipeline without authtoken: `X-Identity-Status: Confirmed` (exactly) makes the request
 * authenticated, with the project of X-Project-Id (or X-Tenant-Id, X-Tenant; none at all is a
 * context without a project) and the roles of X-Roles; any other status, or none, is refused.
 *
 * Deliberate addition: a request with an X-Auth-Token and no X-Identity-Status at all is taken as
 * the project the token names. That stands in for Keystone's authtoken middleware, which in a real
 * deployment turns a token into these same headers: the gateway forwards its clients' tokens as
 * X-Auth-Token, so `npm start` and people trying the emulator with curl need no identity headers.
 */
import { randomUUID } from "node:crypto";

export interface Caller {
  /** The project (tenant): image owner and member id in every comparison; null without one. */
  readonly project: string | null;
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

const PROJECT_HEADERS = ["x-project-id", "x-tenant-id", "x-tenant"] as const;

export function identify(headers: Readonly<Record<string, string>>): Identity {
  const status = headers["x-identity-status"];
  const token = headers["x-auth-token"]?.trim() ?? "";
  let project: string | null;
  if (status === undefined && token !== "") {
    project = token;
  } else if (status === "Confirmed") {
    project =
      PROJECT_HEADERS.map((name) => headers[name]?.trim() ?? "").find((value) => value !== "") ?? null;
  } else {
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
