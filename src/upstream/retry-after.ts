/**
 * Reads an HTTP Retry-After header (RFC 9110 §10.2.3): delay-seconds or an HTTP-date. Glance itself
 * never sends one, but rate limiters and load balancers in front of it do.
 */
const DELAY_SECONDS = /^\s*(\d{1,9})\s*$/;
/** Every HTTP-date form starts with the day's name. */
const HTTP_DATE = /^\s*[A-Za-z]{3}/;

/** Milliseconds to wait, or null when the value is neither form. A date in the past means 0. */
export function parseRetryAfter(value: string, nowMs: number): number | null {
  const seconds = DELAY_SECONDS.exec(value);
  if (seconds !== null) {
    return Number(seconds[1]) * 1_000;
  }
  const date = HTTP_DATE.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(date)) {
    return null;
  }
  return Math.max(0, date - nowMs);
}
