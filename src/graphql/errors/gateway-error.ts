import { GraphQLError } from "graphql";
import type { ErrorCode } from "./codes.js";

/** Where an error came from upstream; never holds a token, a URL host or a body. */
export interface UpstreamErrorInfo {
  readonly status: number | null;
  readonly method: string;
  readonly path: string;
  readonly requestId: string | null;
}

/**
 * A GraphQL error with a code from the closed set, whether the same request may succeed if retried,
 * and the upstream call that failed. No `extensions.http`: in a subgraph it would make a federation
 * gateway drop the whole subgraph answer.
 */
export class GatewayError extends GraphQLError {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly retryable: boolean,
    readonly upstream?: UpstreamErrorInfo,
  ) {
    super(message, {
      extensions:
        upstream === undefined ? { code, retryable } : { code, retryable, upstream: { ...upstream } },
    });
  }
}
