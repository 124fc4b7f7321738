/**
 * The one place that reads the environment. Every variable is validated at start-up, and all
 * problems are reported together, each naming its variable.
 */
import type { ApiVersionMode } from "./upstream/api-version-selector.js";
export type EmulatedApi = "v1" | "v2" | "both";

export interface Config {
  readonly host: string;
  readonly port: number;
  /** null: start the embedded emulator and use it. */
  readonly glanceUrl: URL | null;
  readonly apiVersion: ApiVersionMode;
  /** Lower-case names of client headers passed upstream verbatim. */
  readonly forwardHeaders: readonly string[];
  /** Deadline of one upstream exchange, from dispatch to the last byte. */
  readonly upstreamTimeoutMs: number;
  readonly upstreamConnectTimeoutMs: number;
  /** From dispatch until the response head. */
  readonly upstreamHeadersTimeoutMs: number;
  /** The longest silence between two chunks of a response body. */
  readonly upstreamBodyTimeoutMs: number;
  readonly upstreamMaxBodyBytes: number;
  readonly upstreamConnections: number;
  /** Upstream calls in flight at once, process-wide. */
  readonly upstreamMaxConcurrent: number;
  /** Upstream calls waiting for a slot, process-wide; beyond it calls are refused. */
  readonly upstreamMaxQueued: number;
  /** Retries of one idempotent upstream call. */
  readonly upstreamRetries: number;
  readonly upstreamRetryBaseMs: number;
  /** No retry wait is longer; a longer Retry-After ends the retries. */
  readonly upstreamRetryMaxDelayMs: number;
  /** All upstream work of one GraphQL request, retries and waits included. */
  readonly requestDeadlineMs: number;
  /** Retries one GraphQL request may spend over all its upstream calls. */
  readonly requestRetryBudget: number;
  /** Consecutive upstream failures that open the circuit breaker (0: no breaker). */
  readonly circuitBreakerThreshold: number;
  readonly circuitBreakerWindowMs: number;
  readonly circuitBreakerCooldownMs: number;
  readonly maxRequestBytes: number;
  readonly maxQueryBytes: number;
  readonly maxQueryDepth: number;
  readonly maxListNesting: number;
  readonly maxAliases: number;
  readonly maxRootFields: number;
  readonly maxMutationFields: number;
  readonly maxEntities: number;
  readonly maxListItems: number;
  /** How long /health/ready remembers the upstream's answer. */
  readonly readinessCacheMs: number;
  /** How long shutdown waits for requests in flight before abandoning them. */
  readonly shutdownTimeoutMs: number;
  readonly emulatorApi: EmulatedApi;
  readonly emulatorMemberQuota: number;
  readonly logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
  readonly introspection: boolean;
  /**
   * APOLLO_KEY is set: Apollo Server then reports usage to GraphOS, which needs its full request
   * pipeline, so the direct path for common requests is off.
   */
  readonly apolloKeySet: boolean;
  readonly production: boolean;
  /** Browser origins allowed to call the gateway: "*" for any. */
  readonly corsOrigins: "*" | readonly string[];
}

export class ConfigError extends Error {
  override readonly name = "ConfigError";

  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
  }
}

type Env = Readonly<Record<string, string | undefined>>;

/** Headers the gateway sets itself or that would break the upstream connection if copied. */
const NOT_FORWARDABLE = new Set([
  "host",
  "connection",
  "keep-alive",
  "upgrade",
  "te",
  "trailer",
  "transfer-encoding",
  "content-length",
  "content-type",
  "accept",
  "user-agent",
  "x-auth-token",
  "authorization",
  "cookie",
]);
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const production = env.NODE_ENV === "production";

  /** `bound` names the variable a limit comes from, when the limit is another variable's value. */
  const integer = (name: string, fallback: number, min: number, max: number, bound?: string): number => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === "") {
      return fallback;
    }
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      const range = bound === undefined ? `from ${min} to ${max}` : `from ${min} to ${max} (${bound})`;
      problems.push(`${name} must be an integer ${range} (got "${raw}")`);
      return fallback;
    }
    return value;
  };

  const oneOf = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
    const raw = env[name]?.trim();
    if (raw === undefined || raw === "") {
      return fallback;
    }
    if (!(allowed as readonly string[]).includes(raw)) {
      problems.push(`${name} must be one of ${allowed.join(", ")} (got "${raw}")`);
      return fallback;
    }
    return raw as T;
  };

  const boolean = (name: string, fallback: boolean): boolean => {
    const raw = env[name]?.trim().toLowerCase();
    if (raw === undefined || raw === "") {
      return fallback;
    }
    if (raw === "true" || raw === "1") {
      return true;
    }
    if (raw === "false" || raw === "0") {
      return false;
    }
    problems.push(`${name} must be true or false (got "${env[name]}")`);
    return fallback;
  };

  let apiVersion = oneOf<ApiVersionMode>("GLANCE_API_VERSION", ["auto", "v1", "v2"], "auto");
  const glance = parseGlanceUrl(env.GLANCE_URL, problems);
  if (glance?.pinnedVersion !== undefined) {
    if (apiVersion === "auto") {
      apiVersion = glance.pinnedVersion;
    } else if (apiVersion !== glance.pinnedVersion) {
      problems.push(
        `GLANCE_URL ends in /${glance.pinnedVersion} but GLANCE_API_VERSION is ${apiVersion}; remove one of them`,
      );
    }
  }

  const upstreamTimeoutMs = integer("UPSTREAM_TIMEOUT_MS", 10_000, 100, 600_000);
  const upstreamConnections = integer("UPSTREAM_CONNECTIONS", 64, 1, 10_000);
  const upstreamRetryBaseMs = integer("UPSTREAM_RETRY_BASE_MS", 100, 1, 60_000);
  const config: Config = {
    host: env.HOST?.trim() || "127.0.0.1",
    port: integer("PORT", 4000, 0, 65535),
    glanceUrl: glance?.url ?? null,
    apiVersion,
    forwardHeaders: parseForwardHeaders(env.FORWARD_HEADERS, problems),
    upstreamTimeoutMs,
    upstreamConnectTimeoutMs: integer(
      "UPSTREAM_CONNECT_TIMEOUT_MS",
      Math.min(5_000, upstreamTimeoutMs),
      10,
      upstreamTimeoutMs,
      "UPSTREAM_TIMEOUT_MS",
    ),
    upstreamHeadersTimeoutMs: integer(
      "UPSTREAM_HEADERS_TIMEOUT_MS",
      upstreamTimeoutMs,
      10,
      upstreamTimeoutMs,
      "UPSTREAM_TIMEOUT_MS",
    ),
    upstreamBodyTimeoutMs: integer(
      "UPSTREAM_BODY_TIMEOUT_MS",
      upstreamTimeoutMs,
      10,
      upstreamTimeoutMs,
      "UPSTREAM_TIMEOUT_MS",
    ),
    upstreamMaxBodyBytes: integer("UPSTREAM_MAX_BODY_BYTES", 8 * 1_048_576, 1_024, 1_073_741_824),
    upstreamConnections,
    upstreamMaxConcurrent: integer("UPSTREAM_MAX_CONCURRENT", upstreamConnections, 1, 100_000),
    upstreamMaxQueued: integer("UPSTREAM_MAX_QUEUED", 256, 0, 1_000_000),
    upstreamRetries: integer("UPSTREAM_RETRIES", 2, 0, 10),
    upstreamRetryBaseMs,
    upstreamRetryMaxDelayMs: integer(
      "UPSTREAM_RETRY_MAX_DELAY_MS",
      Math.max(2_000, upstreamRetryBaseMs),
      upstreamRetryBaseMs,
      600_000,
      "UPSTREAM_RETRY_BASE_MS",
    ),
    requestDeadlineMs: integer("REQUEST_DEADLINE_MS", 15_000, 100, 3_600_000),
    requestRetryBudget: integer("REQUEST_RETRY_BUDGET", 10, 0, 10_000),
    circuitBreakerThreshold: integer("CIRCUIT_BREAKER_THRESHOLD", 5, 0, 10_000),
    circuitBreakerWindowMs: integer("CIRCUIT_BREAKER_WINDOW_MS", 10_000, 1, 3_600_000),
    circuitBreakerCooldownMs: integer("CIRCUIT_BREAKER_COOLDOWN_MS", 5_000, 1, 3_600_000),
    maxRequestBytes: integer("MAX_REQUEST_BYTES", 1_048_576, 1_024, 1_073_741_824),
    maxQueryBytes: integer("MAX_QUERY_BYTES", 16_384, 64, 1_073_741_824),
    maxQueryDepth: integer("MAX_QUERY_DEPTH", 8, 1, 1_000),
    maxListNesting: integer("MAX_LIST_NESTING", 2, 1, 100),
    maxAliases: integer("MAX_ALIASES", 30, 0, 100_000),
    maxRootFields: integer("MAX_ROOT_FIELDS", 20, 1, 100_000),
    maxMutationFields: integer("MAX_MUTATION_FIELDS", 10, 1, 100_000),
    maxEntities: integer("MAX_ENTITIES", 100, 1, 100_000),
    maxListItems: integer("MAX_LIST_ITEMS", 100, 1, 1_000_000),
    readinessCacheMs: integer("READINESS_CACHE_MS", 2_000, 0, 3_600_000),
    shutdownTimeoutMs: integer("SHUTDOWN_TIMEOUT_MS", 10_000, 0, 3_600_000),
    emulatorApi: oneOf("EMULATOR_API", ["v1", "v2", "both"], "v2"),
    emulatorMemberQuota: integer("EMULATOR_MEMBER_QUOTA", 128, -1, 1_000_000),
    logLevel: oneOf("LOG_LEVEL", LOG_LEVELS, "info"),
    introspection: boolean("INTROSPECTION", true),
    apolloKeySet: (env.APOLLO_KEY ?? "").trim() !== "",
    production,
    corsOrigins: parseCorsOrigins(env.CORS_ORIGINS, production, problems),
  };
  if (problems.length > 0) {
    throw new ConfigError(problems);
  }
  return config;
}

function parseGlanceUrl(
  raw: string | undefined,
  problems: string[],
): { url: URL; pinnedVersion?: "v1" | "v2" } | null {
  if (raw === undefined || raw.trim() === "") {
    return null;
  }
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    problems.push(`GLANCE_URL must be an absolute http(s) URL such as http://127.0.0.1:9292 (got "${raw}")`);
    return null;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    problems.push(`GLANCE_URL must use http or https (got "${url.protocol}")`);
    return null;
  }
  if (url.username !== "" || url.password !== "" || url.search !== "" || url.hash !== "") {
    problems.push("GLANCE_URL must not carry credentials, a query or a fragment");
    return null;
  }
  // Service catalogs (Rackspace's among them) list the versioned endpoint, e.g. https://dfw.images.api.rackspacecloud.com/v2
  const versioned = /^(.*?)\/(v1|v2)(?:\.\d+)?\/?$/.exec(url.pathname);
  if (versioned !== null) {
    const base = new URL(url);
    base.pathname = versioned[1] || "/";
    return { url: base, pinnedVersion: versioned[2] as "v1" | "v2" };
  }
  return { url };
}

function parseForwardHeaders(raw: string | undefined, problems: string[]): string[] {
  if (raw === undefined || raw.trim() === "") {
    return [];
  }
  const names: string[] = [];
  for (const part of raw.split(",")) {
    const name = part.trim().toLowerCase();
    if (name === "") {
      continue;
    }
    if (!HEADER_NAME.test(name)) {
      problems.push(`FORWARD_HEADERS: "${part.trim()}" is not a valid header name`);
    } else if (NOT_FORWARDABLE.has(name) || name.startsWith("proxy-")) {
      problems.push(`FORWARD_HEADERS: "${name}" cannot be forwarded (the gateway sets or strips it itself)`);
    } else if (!names.includes(name)) {
      names.push(name);
    }
  }
  return names;
}

function parseCorsOrigins(raw: string | undefined, production: boolean, problems: string[]): "*" | string[] {
  if (raw === undefined || raw.trim() === "") {
    return production ? [] : "*";
  }
  if (raw.trim() === "*") {
    return "*";
  }
  const origins: string[] = [];
  for (const part of raw.split(",")) {
    const text = part.trim();
    if (text === "") {
      continue;
    }
    let origin: string | null = null;
    try {
      const url = new URL(text);
      origin = url.origin === text.replace(/\/$/, "") ? url.origin : null;
    } catch {
      origin = null;
    }
    if (origin === null || origin === "null") {
      problems.push(`CORS_ORIGINS: "${text}" is not an origin such as https://app.example.com`);
    } else {
      origins.push(origin);
    }
  }
  return origins;
}
