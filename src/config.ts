/**
 * The one place that reads the environment. Every variable is validated at start-up, and all
 * problems are reported together, each naming its variable.
 */
import type { ApiVersionMode } from "./upstream/members-api-provider.js";
export type EmulatedApi = "v1" | "v2" | "both";

export interface Config {
  readonly host: string;
  readonly port: number;
  /** null: start the embedded emulator and use it. */
  readonly glanceUrl: URL | null;
  readonly apiVersion: ApiVersionMode;
  /** Lower-case names of client headers passed upstream verbatim. */
  readonly forwardHeaders: readonly string[];
  readonly upstreamTimeoutMs: number;
  readonly upstreamConnections: number;
  readonly emulatorApi: EmulatedApi;
  readonly emulatorMemberQuota: number;
  readonly logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
  readonly introspection: boolean;
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

  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === "") {
      return fallback;
    }
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be an integer from ${min} to ${max} (got "${raw}")`);
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

  const config: Config = {
    host: env.HOST?.trim() || "127.0.0.1",
    port: integer("PORT", 4000, 0, 65535),
    glanceUrl: glance?.url ?? null,
    apiVersion,
    forwardHeaders: parseForwardHeaders(env.FORWARD_HEADERS, problems),
    upstreamTimeoutMs: integer("UPSTREAM_TIMEOUT_MS", 10_000, 100, 600_000),
    upstreamConnections: integer("UPSTREAM_CONNECTIONS", 64, 1, 10_000),
    emulatorApi: oneOf("EMULATOR_API", ["v1", "v2", "both"], "v2"),
    emulatorMemberQuota: integer("EMULATOR_MEMBER_QUOTA", 128, -1, 1_000_000),
    logLevel: oneOf("LOG_LEVEL", LOG_LEVELS, "info"),
    introspection: boolean("INTROSPECTION", true),
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
