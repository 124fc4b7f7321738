/** One upstream call made for a GraphQL request: its context's credentials, cancellation and scope. */
import type { UpstreamHttpClient, UpstreamRequest } from "./http-client.js";
import type { CallContext } from "./members-api.js";
import { WireReader } from "./wire.js";

export type CallRequest = Omit<UpstreamRequest, "headers" | "cancellation" | "scope">;

export async function callUpstream(
  http: UpstreamHttpClient,
  context: CallContext,
  request: CallRequest,
): Promise<WireReader> {
  return new WireReader(
    // Spelled out rather than spread: a fixed shape keeps this hot path cheap.
    await http.send({
      method: request.method,
      path: request.path,
      body: request.body,
      expect: request.expect,
      headers: context.headers,
      cancellation: context.cancellation,
      scope: context.scope,
    }),
  );
}
