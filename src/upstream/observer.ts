/**
 * What the upstream client tells whoever watches it (src/telemetry/ for metrics and traces), in
 * this layer's own terms: no metrics or tracing library here. One observation per upstream call,
 * its attempts and retries inside it.
 */
import type { UpstreamFailureKind } from "./errors.js";
import type { UpstreamRequest } from "./http-client.js";

/** How one attempt ended: the status answered (null when none was), and the failure, if any. */
export interface AttemptEnd {
  readonly status: number | null;
  readonly failure: UpstreamFailureKind | null;
  /** From sending to the end of the answer; null for an attempt the gateway refused itself. */
  readonly seconds: number | null;
}

export interface CallObservation {
  /** Headers every attempt of the call carries (the trace context), as a flat name/value list. */
  readonly headers: readonly string[];
  attemptEnded(end: AttemptEnd): void;
  /** Another attempt follows after `delayMs`, because of `failure`. */
  retrying(retry: number, failure: UpstreamFailureKind, status: number | null, delayMs: number): void;
  /** The call is over: the last attempt's end, or a DELETE taken as done (`assumedDone`). */
  ended(end: AttemptEnd, assumedDone: boolean): void;
}

export interface UpstreamObserver {
  callStarted(request: UpstreamRequest): CallObservation;
}
