/**
 * clouds.yaml, found where openstacksdk looks: OS_CLIENT_CONFIG_FILE when set (then only it), else
 * `./clouds.yaml`, `~/.config/openstack/clouds.yaml`, `/etc/openstack/clouds.yaml`, the first that
 * exists. A `secure.yaml` beside it (openstacksdk's place for passwords) is merged over it, key by
 * key. Read with the maintained `yaml` package. No message quotes the files' text: a value may be a
 * secret.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { parseDocument } from "yaml";

/** Where relative paths and `~` point. */
export interface Places {
  readonly cwd: string;
  readonly home: string;
}

/** One cloud's entry, as far as the gateway reads it; keys spelt with `-` are read as with `_`. */
export interface CloudEntry {
  /**
   * The text and number values under `auth:`, untrimmed (a password is taken as written); blank ones
   * are left out. `tenant_name` and `tenant_id` are read as
   * `project_name` and `project_id` (which win); `domain_name` and `domain_id` stand for the user's
   * and the project's domain where those are not given, as in openstacksdk.
   */
  readonly auth: Readonly<Record<string, string>>;
  readonly authType: string | null;
  /** `region_name` (the first of a list or of a comma-separated text), else the first of `regions`. */
  readonly regionName: string | null;
  readonly interface: string | null;
}

export type CloudLookup =
  | { readonly kind: "found"; readonly path: string; readonly entry: CloudEntry }
  | { readonly kind: "problem"; readonly message: string };

const SYSTEM_FILE = "/etc/openstack/clouds.yaml";

/** The clouds.yaml candidates, in order. */
export function searchPaths(configFile: string | null, places: Places): string[] {
  if (configFile !== null) {
    const home = /^~(?=\/|$)/;
    return [home.test(configFile) ? configFile.replace(home, places.home) : resolve(places.cwd, configFile)];
  }
  return [
    join(places.cwd, "clouds.yaml"),
    join(places.home, ".config", "openstack", "clouds.yaml"),
    SYSTEM_FILE,
  ];
}

export function findCloud(name: string, configFile: string | null, places: Places): CloudLookup {
  const paths = searchPaths(configFile, places);
  const path = paths.find((candidate) => existsSync(candidate));
  if (path === undefined) {
    return {
      kind: "problem",
      message:
        configFile !== null
          ? `OS_CLIENT_CONFIG_FILE names ${paths.join("")}, which does not exist`
          : `OS_CLOUD is ${name}, but no clouds.yaml was found (looked for ${paths.join(", ")})`,
    };
  }
  const main = readClouds(path);
  if (typeof main === "string") {
    return { kind: "problem", message: main };
  }
  if (main === null) {
    return { kind: "problem", message: `${path} has no clouds: mapping` };
  }
  const securePath = join(dirname(path), "secure.yaml");
  const secure = existsSync(securePath) ? readClouds(securePath) : null;
  if (typeof secure === "string") {
    return { kind: "problem", message: secure };
  }
  const clouds = secure === null ? main : merge(main, secure);
  const cloud = record(clouds[name]);
  if (cloud === null) {
    const names = Object.keys(clouds);
    return {
      kind: "problem",
      message: `${path} has no cloud ${name}; it has ${names.length === 0 ? "none" : names.join(", ")}`,
    };
  }
  return { kind: "found", path, entry: cloudEntry(normalised(cloud)) };
}

/** The `clouds:` mapping of a file, null without one, or a message naming the file. */
function readClouds(path: string): Record<string, unknown> | null | string {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    return `${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"})`;
  }
  // Silent: the yaml package would otherwise print a warning quoting the offending value.
  const document = parseDocument(text, { logLevel: "silent" });
  const issue = document.errors[0] ?? document.warnings[0];
  if (issue !== undefined) {
    const at =
      issue.linePos === undefined ? "" : ` at line ${issue.linePos[0].line}, column ${issue.linePos[0].col}`;
    const hint = issue.code === "TAG_RESOLVE_FAILED" ? QUOTE_HINT : "";
    return `${path} is not valid YAML: ${issue.code}${at}${hint}`;
  }
  try {
    return record(record(document.toJS())?.clouds);
  } catch {
    // An alias naming no anchor; the yaml package's message would quote its name.
    return `${path} is not valid YAML: an alias names no anchor${QUOTE_HINT}`;
  }
}

const QUOTE_HINT = " (quote a value that starts with !, & or *)";

function cloudEntry(cloud: Record<string, unknown>): CloudEntry {
  const auth: Record<string, string> = {};
  for (const [key, value] of Object.entries(record(cloud.auth) ?? {})) {
    const given = typeof value === "string" || typeof value === "number" ? String(value) : "";
    if (given.trim() !== "") {
      auth[key] = given;
    }
  }
  for (const [alias, key] of FALLBACKS) {
    if (auth[key] === undefined && auth[alias] !== undefined) {
      auth[key] = auth[alias];
    }
  }
  return {
    auth,
    authType: text(cloud.auth_type),
    regionName: regionName(cloud),
    interface: text(cloud.interface),
  };
}

/** A key of `auth:` and the key it stands for when that one is absent. */
const FALLBACKS = [
  ["tenant_name", "project_name"],
  ["tenant_id", "project_id"],
  ["domain_name", "user_domain_name"],
  ["domain_name", "project_domain_name"],
  ["domain_id", "user_domain_id"],
  ["domain_id", "project_domain_id"],
] as const;

function regionName(cloud: Record<string, unknown>): string | null {
  const given = cloud.region_name;
  const first = Array.isArray(given)
    ? (given as unknown[])[0]
    : typeof given === "string"
      ? given.split(",")[0]
      : null;
  const region = Array.isArray(cloud.regions) ? (cloud.regions as unknown[])[0] : null;
  return text(first) ?? text(region) ?? text(record(region)?.name);
}

/** openstacksdk reads `auth-url` as `auth_url`; so does the gateway. */
function normalised(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => {
      const nested = record(inner);
      return [key.replaceAll("-", "_"), nested === null ? inner : normalised(nested)];
    }),
  );
}

/** `over` laid on `under`, mappings merged key by key. */
function merge(under: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...under };
  for (const [key, value] of Object.entries(over)) {
    const below = record(merged[key]);
    const above = record(value);
    merged[key] = below !== null && above !== null ? merge(below, above) : value;
  }
  return merged;
}

function record(value: unknown): Record<string, unknown> | null {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

function text(value: unknown): string | null {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : null;
}
