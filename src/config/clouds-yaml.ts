/**
 * clouds.yaml, found where openstacksdk looks: OS_CLIENT_CONFIG_FILE when set (then only it), else
 * `./clouds.yaml`, `~/.config/openstack/clouds.yaml`, `/etc/openstack/clouds.yaml`, the first that
 * exists. Read with the maintained `yaml` package.
 */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parse } from "yaml";

/** Where relative paths and `~` point. */
export interface Places {
  readonly cwd: string;
  readonly home: string;
}

/** One cloud's entry, as far as the gateway reads it. */
export interface CloudEntry {
  readonly auth: Readonly<Record<string, string>>;
  readonly authType: string | null;
  readonly regionName: string | null;
  readonly interface: string | null;
}

export type CloudLookup =
  | { readonly kind: "found"; readonly path: string; readonly entry: CloudEntry }
  | { readonly kind: "problem"; readonly message: string };

export function searchPaths(configFile: string | null, places: Places): string[] {
  if (configFile !== null) {
    return [resolve(places.cwd, configFile)];
  }
  return [
    join(places.cwd, "clouds.yaml"),
    join(places.home, ".config", "openstack", "clouds.yaml"),
    "/etc/openstack/clouds.yaml",
  ];
}

export function findCloud(name: string, configFile: string | null, places: Places): CloudLookup {
  const paths = searchPaths(configFile, places);
  const path = paths.find((candidate) => existsSync(candidate));
  if (path === undefined) {
    return {
      kind: "problem",
      message: `OS_CLOUD is ${name}, but no clouds.yaml was found (looked for ${paths.join(", ")})`,
    };
  }
  let document: unknown;
  try {
    document = parse(readFileSync(path, "utf8"));
  } catch (error) {
    const why = error instanceof Error ? error.message.split("\n")[0] : String(error);
    return { kind: "problem", message: `${path} is not valid YAML: ${why}` };
  }
  const clouds = record(record(document)?.clouds);
  if (clouds === null) {
    return { kind: "problem", message: `${path} has no clouds: mapping` };
  }
  const cloud = record(clouds[name]);
  if (cloud === null) {
    const names = Object.keys(clouds);
    return {
      kind: "problem",
      message: `${path} has no cloud ${name}; it has ${names.length === 0 ? "none" : names.join(", ")}`,
    };
  }
  const auth: Record<string, string> = {};
  for (const [key, value] of Object.entries(record(cloud.auth) ?? {})) {
    if (typeof value === "string" || typeof value === "number") {
      auth[key] = String(value);
    }
  }
  const regions = Array.isArray(cloud.regions) ? (cloud.regions as unknown[]) : [];
  const firstRegion = regions[0];
  const regionName = text(cloud.region_name) ?? text(firstRegion) ?? text(record(firstRegion)?.name) ?? null;
  return {
    kind: "found",
    path,
    entry: {
      auth,
      authType: text(cloud.auth_type),
      regionName,
      interface: text(cloud.interface),
    },
  };
}

function record(value: unknown): Record<string, unknown> | null {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

function text(value: unknown): string | null {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : null;
}
