/**
 * The upstream side of one client request: what all the upstream calls made for it carry and
 * share. Created once per client request (src/server/graphql-route.ts, through the factory app.ts
 * gives it) and read by every layer below the resolvers; no GraphQL here.
 */
import type { Caller } from "../domain/caller.js";
import type { Cancellation } from "./cancellation.js";
import { ConcurrencyGate } from "./concurrency-gate.js";

/**
 * Upstream calls one client request may have in flight at once, whatever its work fans out to
 * (aliases, member batches, shared-image listings, membership look-ups, a version detection).
 */
export const REQUEST_FAN_OUT = 8;

export interface UpstreamWarning {
  /** Stable, machine-readable. */
  readonly code: "ASSUMED_APPLIED";
  readonly message: string;
  readonly method: string;
  readonly path: string;
}

/** What of the client request reaches the upstream (src/server/credentials.ts decides). */
export interface UpstreamIdentity {
  /** The token as X-Auth-Token and the forwarded headers, lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  /** The project the forwarded identity names, when the forwarded headers carry one. */
  readonly project: string | null;
}

export interface RequestScope {
  /** Sent upstream as X-Openstack-Request-Id, in the form Glance accepts (`req-` and a UUID). */
  readonly requestId: string;
  readonly identity: UpstreamIdentity;
  /** The region whose Images API endpoint serves this request. */
  readonly region: string;
  /**
   * Who the token names, as Keystone vouches (once per request, remembered); null when the gateway
   * does not validate tokens. Every upstream call waits for it first.
   */
  readonly verify: (() => Promise<Caller>) | null;
  /** performance.now() value by which every upstream call of the request has ended. */
  readonly deadline: number;
  /** Cancelled when the client goes away or shutdown gives up on the request. */
  readonly cancellation?: Cancellation;
  /** The request's own cap on its calls in flight (REQUEST_FAN_OUT); every call takes a slot. */
  readonly fanOut: ConcurrencyGate;
  /** The request's place in a distributed trace: set and read by src/telemetry/, opaque here. */
  readonly trace: unknown;
  /**
   * Headers every upstream call of the request carries when the gateway does not trace itself (the
   * caller's trace context, passed through), as a flat name/value list.
   */
  readonly traceHeaders: readonly string[];
  /** Retries the request may still spend, over all its calls. */
  retriesLeft: number;
  /** Attempts sent (or refused by the gateway itself), retries included. */
  attempts: number;
  retries: number;
  readonly warnings: UpstreamWarning[];
}

export interface RequestScopeOptions {
  readonly requestId: string;
  readonly deadlineMs: number;
  readonly retryBudget: number;
  /** Nothing of the client by default (a probe of the gateway's own). */
  readonly identity?: UpstreamIdentity;
  readonly cancellation?: Cancellation;
  /** Default: "default". */
  readonly region?: string;
  /** Checks the identity's token; called at most once, by the first call that needs it. */
  readonly verify?: (scope: RequestScope) => Promise<Caller>;
  readonly trace?: unknown;
  readonly traceHeaders?: readonly string[];
}

const NO_HEADERS: readonly string[] = [];

const ANONYMOUS: UpstreamIdentity = { headers: {}, project: null };

export function createRequestScope(options: RequestScopeOptions): RequestScope {
  const check = options.verify;
  let verified: Promise<Caller> | null = null;
  const scope: RequestScope = {
    requestId: options.requestId,
    identity: options.identity ?? ANONYMOUS,
    region: options.region ?? "default",
    verify: check === undefined ? null : () => (verified ??= check(scope)),
    deadline: performance.now() + options.deadlineMs,
    cancellation: options.cancellation,
    fanOut: new ConcurrencyGate(REQUEST_FAN_OUT),
    trace: options.trace ?? null,
    traceHeaders: options.traceHeaders ?? NO_HEADERS,
    retriesLeft: options.retryBudget,
    attempts: 0,
    retries: 0,
    warnings: [],
  };
  return scope;
}
