/**
 * One upstream call made for a client request: with its credentials, cancellation and scope, within
 * the request's own cap on calls in flight.
 */
import type { UpstreamHttpClient, UpstreamRequest, UpstreamResponse } from "./http-client.js";
import type { RequestScope } from "./request-scope.js";
import { WireReader } from "./wire.js";

export type CallRequest = Omit<UpstreamRequest, "headers" | "cancellation" | "scope"> & {
  /** Headers of the call itself (v1's image metadata), beside the identity's. */
  readonly headers?: Readonly<Record<string, string>>;
};

export function callUpstream(
  http: UpstreamHttpClient,
  scope: RequestScope,
  request: CallRequest,
): Promise<WireReader> {
  // A token Keystone rejects never reaches the Images API.
  if (scope.verify !== null) {
    return scope.verify().then(() => send(http, scope, request));
  }
  return send(http, scope, request);
}

function send(http: UpstreamHttpClient, scope: RequestScope, request: CallRequest): Promise<WireReader> {
  return scope.fanOut.run(() =>
    http
      .send({
        // Spelled out rather than spread: a fixed shape keeps this hot path cheap.
        method: request.method,
        path: request.path,
        body: request.body,
        expect: request.expect,
        contentType: request.contentType,
        headers:
          request.headers === undefined
            ? scope.identity.headers
            : { ...scope.identity.headers, ...request.headers },
        cancellation: scope.cancellation,
        scope,
      })
      .then(toWire),
  );
}

function toWire(response: UpstreamResponse): WireReader {
  return new WireReader(response);
}
