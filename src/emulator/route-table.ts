/**
 * Path routing as Glance's routes mappers do it: a route matches by path, then by method; a path
 * that matches with a method it does not take goes to the RejectMethodController (405 + Allow).
 */
import type { EmulatorRequest, EmulatorResponse } from "./http-types.js";
import type { Caller } from "./identity.js";
import type { EmulatorState } from "./state.js";
import { methodNotAllowed, resourceNotFound } from "./webob-errors.js";

export interface EmulatorSettings {
  /** image_member_quota; negative is unlimited. */
  readonly memberQuota: number;
  /** limit_param_default of GET /v2/images. */
  readonly pageSize: number;
}

export interface RouteCall {
  readonly request: EmulatorRequest;
  readonly caller: Caller;
  readonly state: EmulatorState;
  readonly settings: EmulatorSettings;
  /** Path variables, percent-decoded. */
  readonly params: Readonly<Record<string, string>>;
}

export type RouteHandler = (call: RouteCall) => EmulatorResponse;

export interface Route {
  /** e.g. "/images/{image_id}/members"; a variable matches one non-empty segment. */
  readonly pattern: string;
  readonly methods: Readonly<Partial<Record<string, RouteHandler>>>;
  /** The Allow header of the 405 for other methods; absent when every method is taken. */
  readonly allow?: string;
  /** Takes every method (v1's /shared-images is connected without a method condition). */
  readonly anyMethod?: RouteHandler;
}

function matchPattern(pattern: string, segments: readonly string[]): Record<string, string> | null {
  const parts = pattern.split("/").slice(1);
  if (parts.length !== segments.length) {
    return null;
  }
  const params: Record<string, string> = {};
  for (const [index, part] of parts.entries()) {
    const segment = segments[index] ?? "";
    const variable = /^\{(\w+)\}$/.exec(part);
    if (variable !== null) {
      if (segment === "") {
        return null;
      }
      params[variable[1] ?? ""] = segment;
    } else if (part !== segment) {
      return null;
    }
  }
  return params;
}

export function dispatch(
  routes: readonly Route[],
  path: string,
  call: Omit<RouteCall, "params">,
): EmulatorResponse {
  const segments = path.split("/").slice(1);
  for (const route of routes) {
    const params = matchPattern(route.pattern, segments);
    if (params === null) {
      continue;
    }
    const handler = route.methods[call.request.method] ?? route.anyMethod;
    if (handler === undefined) {
      throw methodNotAllowed(route.allow);
    }
    return handler({ ...call, params });
  }
  throw resourceNotFound();
}
