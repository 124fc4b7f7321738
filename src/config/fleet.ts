/**
 * The settings of a gateway run as one replica of many: the shared Redis (REDIS_URL) and
 * OpenTelemetry's own variables. The OpenTelemetry SDK reads OTEL_* itself; they are checked here
 * first because the SDK only warns about a value it cannot use and goes on without it.
 */
import type { Context } from "./read-variable.js";

/** redis://[user:password@]host[:port][/db] or rediss:// for TLS; null when unset. */
export function parseRedisUrl(raw: string, context: Context): URL | null {
  const text = raw.trim();
  if (text === "") {
    return null;
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    context.problem(
      "REDIS_URL must be a URL such as redis://127.0.0.1:6379 or rediss://user:password@host:6380/0",
    );
    return null;
  }
  if (url.protocol !== "redis:" && url.protocol !== "rediss:") {
    // The URL may carry a password: only its scheme is quoted.
    context.problem(`REDIS_URL must use redis: or rediss: (got "${url.protocol}")`);
    return null;
  }
  if (url.hostname === "") {
    context.problem("REDIS_URL names no host");
    return null;
  }
  if (url.pathname !== "" && url.pathname !== "/" && !/^\/\d{1,2}$/.test(url.pathname)) {
    context.problem("REDIS_URL's path, when present, is the database number, such as /0");
    return null;
  }
  return url;
}

/** An OTLP endpoint: an absolute http(s) URL, or unset. */
export function otlpEndpoint(name: string): (raw: string, context: Context) => string | null {
  return (raw, context) => {
    const text = raw.trim();
    if (text === "") {
      return null;
    }
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      context.problem(
        `${name} must be an absolute http(s) URL such as http://127.0.0.1:4318 (got "${text}")`,
      );
      return null;
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      context.problem(`${name} must use http or https (got "${url.protocol}")`);
      return null;
    }
    return text;
  };
}

/** OTEL_TRACES_EXPORTER / OTEL_METRICS_EXPORTER: a comma-separated list of the exporters this gateway has. */
export function exporterList(
  name: string,
  known: readonly string[],
): (raw: string, context: Context) => readonly string[] | null {
  return (raw, context) => {
    const text = raw.trim();
    if (text === "") {
      return null;
    }
    const chosen = text.split(",").map((item) => item.trim().toLowerCase());
    const unknown = chosen.filter((item) => !known.includes(item));
    if (unknown.length > 0) {
      context.problem(`${name} may list ${known.join(", ")} (got "${unknown.join(", ")}")`);
      return null;
    }
    if (chosen.includes("none") && chosen.length > 1) {
      context.problem(`${name}: "none" cannot be listed with another exporter`);
      return null;
    }
    return chosen;
  };
}

/** OTEL_TRACES_SAMPLER_ARG: the ratio of the ratio samplers, 0 to 1. */
export function samplerArgument(raw: string, context: Context): number | null {
  const text = raw.trim();
  if (text === "") {
    return null;
  }
  const ratio = Number(text);
  if (!Number.isFinite(ratio) || ratio < 0 || ratio > 1) {
    context.problem(`OTEL_TRACES_SAMPLER_ARG must be a number from 0 to 1 (got "${text}")`);
    return null;
  }
  return ratio;
}
