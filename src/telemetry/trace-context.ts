/**
 * W3C Trace Context headers passed through unchanged while the gateway does not trace itself: the
 * upstream then joins the caller's trace (a supergraph router's) as if the gateway were not there.
 * Malformed values are dropped rather than forwarded.
 */
/** A request's headers, lower-case names, as node:http gives them. */
type RequestHeaders = Readonly<Record<string, string | string[] | undefined>>;

const TRACEPARENT = /^[\da-f]{2}-[\da-f]{32}-[\da-f]{16}-[\da-f]{2}(?:-.*)?$/;
const INVALID_TRACE_ID = "0".repeat(32);
const INVALID_SPAN_ID = "0".repeat(16);
/** The spec's bound on tracestate: 32 members of at most 256 characters, printable ASCII. */
const TRACESTATE = /^[\x20-\x7e]{0,8192}$/;

const NONE: readonly string[] = Object.freeze([]);

/** traceparent and tracestate as a flat name/value list; empty when there is no valid traceparent. */
export function passThrough(headers: RequestHeaders): readonly string[] {
  const traceparent = headers.traceparent;
  if (typeof traceparent !== "string" || !isTraceparent(traceparent)) {
    // Most requests: no list made for them.
    return NONE;
  }
  const tracestate = headers.tracestate;
  const state = Array.isArray(tracestate) ? tracestate.join(",") : tracestate;
  return state === undefined || state === "" || !TRACESTATE.test(state)
    ? ["traceparent", traceparent]
    : ["traceparent", traceparent, "tracestate", state];
}

function isTraceparent(value: string): boolean {
  if (!TRACEPARENT.test(value) || value.startsWith("ff")) {
    return false;
  }
  // Version 00 has exactly four fields; later versions may add more.
  if (value.startsWith("00") && value.length !== 55) {
    return false;
  }
  return value.slice(3, 35) !== INVALID_TRACE_ID && value.slice(36, 52) !== INVALID_SPAN_ID;
}
