/**
 * What the upstream client tells whoever watches it (src/telemetry/ for metrics and traces), in
 * this layer's own terms: no metrics or tracing library here. One observation per upstream call,
 * its attempts and retries inside it.
 */
import type { UpstreamFailureKind } from "./errors.js";
import type { UpstreamRequest } from "./http-client.js";

export interface CallObservation {
  /** Headers every attempt of the call carries (the trace context), as a flat name/value list. */
  readonly headers: readonly string[];
  /**
   * One attempt ended: the status answered (null when none was), the failure if any, and the time
   * from sending to the end of the answer (null for an attempt the gateway refused itself).
   */
  attemptEnded(status: number | null, failure: UpstreamFailureKind | null, seconds: number | null): void;
  /** Another attempt follows after `delayMs`, because of `failure`. */
  retrying(retry: number, failure: UpstreamFailureKind, status: number | null, delayMs: number): void;
  /** The call is over, as its last attempt ended, or as a DELETE taken as done (`assumedDone`). */
  ended(status: number | null, failure: UpstreamFailureKind | null, assumedDone: boolean): void;
}

export interface UpstreamObserver {
  callStarted(request: UpstreamRequest): CallObservation;
}
