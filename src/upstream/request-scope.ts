/**
 * What all upstream calls made for one client request share: the request id sent upstream, the
 * deadline every call and every retry wait must end by, the retries left to spend, and the tallies
 * the access log reports. Created once per client request; no GraphQL here.
 */
export interface UpstreamWarning {
  /** Stable, machine-readable. */
  readonly code: "ASSUMED_APPLIED";
  readonly message: string;
  readonly method: string;
  readonly path: string;
}

export interface RequestScope {
  /** Sent upstream as X-Openstack-Request-Id, in the form Glance accepts (`req-` and a UUID). */
  readonly requestId: string;
  /** performance.now() value by which every upstream call of the request has ended. */
  readonly deadline: number;
  /** Retries the request may still spend, over all its calls. */
  retriesLeft: number;
  /** Attempts sent (or refused by the gateway itself), retries included. */
  attempts: number;
  retries: number;
  readonly warnings: UpstreamWarning[];
}

export function createRequestScope(requestId: string, deadlineMs: number, retryBudget: number): RequestScope {
  return {
    requestId,
    deadline: performance.now() + deadlineMs,
    retriesLeft: retryBudget,
    attempts: 0,
    retries: 0,
    warnings: [],
  };
}
