/**
 * One request through the emulated Glance: the same stages as Glance's paste pipeline
 * (healthcheck → version negotiation → context → API router), answering as each stage would.
 */
import { healthcheck } from "./healthcheck.js";
import type { EmulatorRequest, EmulatorResponse } from "./http-types.js";
import { identify, type Caller } from "./identity.js";
import { jsonResponse } from "./responses.js";
import { dispatch, type EmulatorSettings, type Route } from "./route-table.js";
import { v1Routes } from "./routes-v1.js";
import { v2ImageRoutes } from "./routes-v2-images.js";
import { v2MemberRoutes } from "./routes-v2-members.js";
import { v2SchemaRoutes } from "./routes-v2-schemas.js";
import type { EmulatorState } from "./state.js";
import { authenticate, type AuthtokenSettings } from "./authtoken.js";
import type { EmulatedApi } from "./types.js";
import { negotiate, versionDocument } from "./versions.js";
import { WebobError, badRequest, internalError, reasonPhrase, renderWebobError } from "./webob-errors.js";

export interface AppSettings extends EmulatorSettings {
  readonly api: EmulatedApi;
  /** Behind Keystone: tokens are checked as authtoken checks them (authtoken.ts). */
  readonly authtoken: AuthtokenSettings | null;
}

const V2_ROUTES: readonly Route[] = [...v2SchemaRoutes, ...v2ImageRoutes, ...v2MemberRoutes];

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * PATH_INFO percent-decoded, then read as UTF-8.
 *
 * Deliberate difference from a real Glance: its eventlet WSGI server reads the decoded path as
 * Latin-1, so a member id outside ASCII that POST stored intact is never found by its own path
 * (GET …/members/prÖj answers 404 "prÃ¶j not found"). That is a Glance bug, not behaviour anyone
 * relies on; the emulator reads UTF-8 and finds the member. (The gateway never depends on either:
 * it reads such members from the member list.)
 */
function decodePath(rawPath: string): string | null {
  const bytes: number[] = [];
  for (let i = 0; i < rawPath.length; i++) {
    const hex = rawPath.slice(i + 1, i + 3);
    if (rawPath[i] === "%" && /^[0-9a-fA-F]{2}$/.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else {
      // Node hands the request-target over byte for byte, one character per byte.
      bytes.push(rawPath.charCodeAt(i) & 0xff);
    }
  }
  try {
    return utf8.decode(Uint8Array.from(bytes));
  } catch {
    return null;
  }
}

function routeApi(
  major: 1 | 2,
  rest: string,
  request: EmulatorRequest,
  caller: Caller,
  state: EmulatorState,
  settings: AppSettings,
): EmulatorResponse {
  if (rest === "") {
    // /v2 without a trailing slash is redirected to the API root.
    return {
      status: 302,
      reason: reasonPhrase(302),
      // Routes' redirect sets the charset as "utf8".
      headers: { location: `${request.hostUrl}/v${major}/`, "content-type": "text/plain; charset=utf8" },
      body: "",
    };
  }
  const path = decodePath(rest);
  if (path === null) {
    // Deliberate difference: a path that is not UTF-8 (%FF) makes a real Glance fail with a bare
    // 500 (empty text/plain, no request id); the emulator answers the 400 Glance's own code means
    // to give for undecodable requests.
    throw badRequest(
      "Error decoding your request. Either the URL or the request body contained characters that could not be decoded by Glance",
    );
  }
  return dispatch(major === 2 ? V2_ROUTES : v1Routes, path, { request, caller, state, settings });
}

export function handleRequest(
  request: EmulatorRequest,
  state: EmulatorState,
  settings: AppSettings,
): EmulatorResponse {
  const render = (error: unknown): EmulatorResponse =>
    renderWebobError(error instanceof WebobError ? error : internalError(), request);
  if (request.method === "OPTIONS") {
    // The CORS middleware opens Glance's pipeline and answers every OPTIONS itself, before any
    // identity check or routing: 200, empty, and without a request id.
    return { status: 200, reason: reasonPhrase(200), headers: {}, body: "" };
  }
  try {
    const path = decodePath(request.rawPath) ?? request.rawPath;
    if (path === "/healthcheck") {
      return healthcheck(request);
    }
    const negotiated = negotiate(settings.api, request.rawPath, request.headers.accept);
    if (negotiated.kind !== "api") {
      const document = versionDocument(settings.api, request.hostUrl);
      return jsonResponse(negotiated.kind === "versions" ? 200 : 300, document, { ensureAscii: true });
    }
    let headers = request.headers;
    if (settings.authtoken !== null) {
      const seen = authenticate(headers, settings.authtoken);
      if (seen.kind === "refused") {
        return seen.response;
      }
      headers = seen.headers;
    }
    const identity = identify(headers);
    if (identity.kind === "anonymous") {
      return render(new WebobError(401));
    }
    if (identity.kind === "request-id-too-long") {
      // Deliberately emulated Glance bug: the context middleware returns (instead of raising) its
      // 431 as the request context, and the request then fails with a 500 and no request id.
      return render(internalError());
    }
    const { caller } = identity;
    let response: EmulatorResponse;
    try {
      response = routeApi(negotiated.major, negotiated.rest, request, caller, state, settings);
    } catch (error) {
      response = render(error);
    }
    return { ...response, headers: { ...response.headers, "x-openstack-request-id": caller.requestId } };
  } catch (error) {
    return render(error);
  }
}
