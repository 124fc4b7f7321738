/**
 * When a failed upstream call is tried again, and after how long. Only calls that can be repeated
 * without changing the outcome are retried: GET, PUT (a member's status, a v1 membership: both set
 * a state) and DELETE. A POST (adding a member) is retried only when it certainly never left the
 * gateway, never on a status or a lost answer.
 */
import type { UpstreamError } from "./errors.js";
import type { HttpMethod } from "./http-client.js";

export interface RetryPolicy {
  /** Retries of one call after its first attempt (0: none). */
  readonly retries: number;
  /** The first backoff; each retry doubles it. */
  readonly baseDelayMs: number;
  /** No wait is longer: a backoff is capped, and a longer Retry-After ends the retries. */
  readonly maxDelayMs: number;
}

/** Statuses that say "not now" rather than "no": rate limited, bad gateway, unavailable, gateway timeout. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 502, 503, 504]);

/** Statuses after which the upstream certainly did not act on the request. */
const NOT_APPLIED_STATUSES: ReadonlySet<number> = new Set([429, 503]);

export function isRetryable(method: HttpMethod, error: UpstreamError): boolean {
  if (method === "POST") {
    return error.notSent && (error.kind === "unreachable" || error.kind === "timeout");
  }
  switch (error.kind) {
    case "status":
      return error.status !== null && RETRYABLE_STATUSES.has(error.status);
    case "timeout":
    case "unreachable":
      return true;
    default:
      return false;
  }
}

/** Whether the upstream may have carried out the request although the attempt failed. */
export function mayHaveBeenApplied(error: UpstreamError): boolean {
  switch (error.kind) {
    case "status":
      return error.status !== null && !NOT_APPLIED_STATUSES.has(error.status);
    case "timeout":
    case "unreachable":
      return !error.notSent;
    default:
      return false;
  }
}

/**
 * The wait before retry number `retry` (0 for the first): exponential with equal jitter (half of
 * it fixed, half random), or what Retry-After asks for. Null when Retry-After asks for more than
 * the policy ever waits: the upstream is then left alone for this request.
 */
export function retryDelay(
  policy: RetryPolicy,
  retry: number,
  retryAfterMs: number | null,
  random: () => number = Math.random,
): number | null {
  if (retryAfterMs !== null) {
    return retryAfterMs <= policy.maxDelayMs ? retryAfterMs : null;
  }
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(retry, 30));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
