/** Reading what reached the upstream, from the emulator's journal. */
import { expect } from "vitest";
import type { Emulator, RecordedRequest } from "../../src/emulator/index.js";

/** The request id the gateway sends upstream with every call of a client request. */
export const UPSTREAM_REQUEST_ID = /^req-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Headers every HTTP/1.1 client adds; the rest must be exactly what the gateway chose to send. */
const TRANSPORT_HEADERS = new Set(["host", "connection", "content-length", "transfer-encoding"]);

export interface SeenCall {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: unknown;
}

export function seen(request: RecordedRequest): SeenCall {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (!TRANSPORT_HEADERS.has(name)) {
      headers[name] = value;
    }
  }
  return {
    method: request.method,
    path: request.path,
    headers,
    body: request.body === "" ? undefined : (JSON.parse(request.body) as unknown),
  };
}

/** The calls that reached the emulator since the journal was last cleared (version probes included). */
export function calls(emulator: Emulator): SeenCall[] {
  return emulator.requests.map(seen);
}

/** Headers of a call carrying a token and no body. */
export function expectedHeaders(token: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    accept: "application/json",
    "user-agent": "image-members-gateway/0.1",
    "x-auth-token": token,
    "x-openstack-request-id": expect.stringMatching(UPSTREAM_REQUEST_ID) as string,
    ...extra,
  };
}

export const withJson = (headers: Record<string, string>): Record<string, string> => ({
  ...headers,
  "content-type": "application/json",
});
