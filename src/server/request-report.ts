/**
 * What the gateway learns about one client request while serving it, for its access log line and
 * for what it adds to the answer (the request id on every error, warnings).
 */
import type { GatewayContext } from "../graphql/context.js";
import type { RequestScope } from "../upstream/request-scope.js";

export interface RequestReport {
  readonly requestId: string;
  /** performance.now() at arrival. */
  readonly startedAt: number;
  /** Shared by the request's upstream calls: deadline, retry budget, tallies, warnings. */
  readonly upstream: RequestScope;
  /** The client's credentials, kept out of answers and logs. */
  readonly secrets: readonly string[];
  operationName: string | null;
  /** query, mutation or subscription, once the operation is resolved. */
  operationType: string | null;
  /** The operation's root field (src/graphql/operation-label.ts), once it is resolved. */
  operation: string | null;
  /** Answered from the persisted-query cache by its hash. */
  persistedQueryHit: boolean;
  /** The request's trace (src/telemetry/), also carried by `upstream`. */
  readonly trace: unknown;
  /** extensions.code of every error answered, in order. */
  codes: string[];
  /**
   * Which pipeline answered: the direct path, or Apollo Server's (its plugins then did their part);
   * null for a request refused before either (body too large, CSRF, malformed request).
   */
  pipeline: "direct" | "apollo" | null;
}

/** The context Apollo Server runs with: the resolvers' context plus the report. */
export interface ServerContext extends GatewayContext {
  readonly report: RequestReport;
}
