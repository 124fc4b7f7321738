/**
 * The image schema checks Glance runs (jsonschema over glance/api/v2/images.py's base properties,
 * additional properties being strings). Messages are the first line of jsonschema's error.
 */
import { isJsonObject, pyRepr } from "./python.js";
import { badRequest } from "./webob-errors.js";

type Check = (value: unknown) => string | null;

const typeOf = (value: unknown): string =>
  value === null
    ? "null"
    : Array.isArray(value)
      ? "array"
      : typeof value === "number"
        ? Number.isInteger(value)
          ? "integer"
          : "number"
        : typeof value === "object"
          ? "object"
          : typeof value;

const ofType =
  (...types: string[]): Check =>
  (value) =>
    types.includes(typeOf(value))
      ? null
      : `${pyRepr(value)} is not of type ${types.map((t) => pyRepr(t)).join(", ")}`;

const maxLength =
  (limit: number): Check =>
  (value) =>
    typeof value === "string" && [...value].length > limit ? `${pyRepr(value)} is too long` : null;

const oneOf =
  (allowed: ReadonlyArray<string | null>): Check =>
  (value) =>
    allowed.includes(value as string | null) ? null : `${pyRepr(value)} is not one of ${pyRepr(allowed)}`;

const UUID_PATTERN =
  "^([0-9a-fA-F]){8}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){12}$";

const matches =
  (pattern: string): Check =>
  (value) =>
    typeof value === "string" && !new RegExp(pattern).test(value)
      ? `${pyRepr(value)} does not match ${pyRepr(pattern)}`
      : null;

const stringItems: Check = (value) => {
  if (!Array.isArray(value)) {
    return null;
  }
  for (const item of value) {
    const problem = ofType("string")(item) ?? maxLength(255)(item);
    if (problem !== null) {
      return problem;
    }
  }
  return null;
};

const all =
  (...checks: Check[]): Check =>
  (value) => {
    for (const check of checks) {
      const problem = check(value);
      if (problem !== null) {
        return problem;
      }
    }
    return null;
  };

export const CONTAINER_FORMATS = ["ami", "ari", "aki", "bare", "ovf", "ova", "docker", "compressed"];
export const DISK_FORMATS = [
  "ami",
  "ari",
  "aki",
  "vhd",
  "vhdx",
  "vmdk",
  "raw",
  "qcow2",
  "vdi",
  "iso",
  "ploop",
];
export const IMAGE_STATUSES = [
  "queued",
  "saving",
  "active",
  "killed",
  "deleted",
  "uploading",
  "importing",
  "pending_delete",
  "deactivated",
];

/** Glance's base properties, in its order (which decides which error is reported first). */
const BASE_PROPERTIES: ReadonlyArray<readonly [string, Check]> = [
  ["id", all(ofType("string"), matches(UUID_PATTERN))],
  ["name", all(ofType("null", "string"), maxLength(255))],
  ["status", all(ofType("string"), oneOf(IMAGE_STATUSES))],
  ["visibility", all(ofType("string"), oneOf(["community", "public", "private", "shared"]))],
  ["protected", ofType("boolean")],
  ["os_hidden", ofType("boolean")],
  ["checksum", all(ofType("null", "string"), maxLength(32))],
  ["os_hash_algo", all(ofType("null", "string"), maxLength(64))],
  ["os_hash_value", all(ofType("null", "string"), maxLength(128))],
  ["owner", all(ofType("null", "string"), maxLength(255))],
  ["size", ofType("null", "integer")],
  ["virtual_size", ofType("null", "integer")],
  ["container_format", all(ofType("null", "string"), oneOf([null, ...CONTAINER_FORMATS]))],
  ["disk_format", all(ofType("null", "string"), oneOf([null, ...DISK_FORMATS]))],
  ["created_at", ofType("string")],
  ["updated_at", ofType("string")],
  ["tags", all(ofType("array"), stringItems)],
  ["direct_url", ofType("string")],
  ["min_ram", ofType("integer")],
  ["min_disk", ofType("integer")],
  ["self", ofType("string")],
  ["file", ofType("string")],
  ["stores", ofType("string")],
  ["schema", ofType("string")],
  ["locations", ofType("array")],
];

const BASE_NAMES = new Set(BASE_PROPERTIES.map(([name]) => name));

export const isBaseProperty = (name: string): boolean => BASE_NAMES.has(name);

/** schema.validate(): throws Glance's 400 for the first property that fails. */
export function validateImageProperties(properties: unknown): void {
  if (!isJsonObject(properties)) {
    // The raw schema declares no top-level type: a non-object passes validation.
    return;
  }
  const fail = (reason: string): never => {
    throw badRequest(`Provided object does not match schema 'image': ${reason}`);
  };
  for (const [name, check] of BASE_PROPERTIES) {
    if (Object.hasOwn(properties, name)) {
      const problem = check(properties[name]);
      if (problem !== null) {
        fail(problem);
      }
    }
  }
  for (const [name, value] of Object.entries(properties)) {
    if (!BASE_NAMES.has(name)) {
      const problem = ofType("string")(value);
      if (problem !== null) {
        fail(problem);
      }
    }
  }
}
