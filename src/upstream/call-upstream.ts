/**
 * One upstream call made for a GraphQL request: its context's credentials, cancellation and scope,
 * within the request's own cap on calls in flight.
 */
import type { UpstreamHttpClient, UpstreamRequest, UpstreamResponse } from "./http-client.js";
import type { CallContext } from "./members-api.js";
import { WireReader } from "./wire.js";

export type CallRequest = Omit<UpstreamRequest, "headers" | "cancellation" | "scope">;

export function callUpstream(
  http: UpstreamHttpClient,
  context: CallContext,
  request: CallRequest,
): Promise<WireReader> {
  const send = (): Promise<WireReader> =>
    http
      .send({
        // Spelled out rather than spread: a fixed shape keeps this hot path cheap.
        method: request.method,
        path: request.path,
        body: request.body,
        expect: request.expect,
        headers: context.headers,
        cancellation: context.cancellation,
        scope: context.scope,
      })
      .then(toWire);
  return context.fanOut === undefined ? send() : context.fanOut.run(send);
}

function toWire(response: UpstreamResponse): WireReader {
  return new WireReader(response);
}
