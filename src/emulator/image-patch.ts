/**
 * PATCH /v2/images/{id}: Glance's JSON-patch dialects (draft 4 for the v2.0 media type, draft 10
 * for v2.1), their validation messages, and how each operation lands on the image.
 */
import type { EmulatorRequest } from "./http-types.js";
import { checkMutable, checkNoFourByte, checkVisibilityPolicy } from "./image-policy.js";
import { isBaseProperty, validateImageProperties } from "./image-schema.js";
import { isJsonObject, pyStr } from "./python.js";
import { requireBody } from "./request-body.js";
import type { RouteCall } from "./route-table.js";
import type { ImageRecord } from "./state.js";
import type { ImageVisibility } from "./types.js";
import { WebobError, badRequest, forbidden, internalError, unsupportedMediaType } from "./webob-errors.js";

type Op = "add" | "remove" | "replace";

export interface ImageChange {
  readonly op: Op;
  readonly path: readonly string[];
  readonly value?: unknown;
  readonly draft: 4 | 10;
}

const MEDIA_TYPES: Readonly<Record<string, 4 | 10>> = {
  "application/openstack-images-v2.0-json-patch": 4,
  "application/openstack-images-v2.1-json-patch": 10,
};
const OPS: readonly Op[] = ["add", "remove", "replace"];
const READ_ONLY = [
  "created_at",
  "updated_at",
  "status",
  "checksum",
  "size",
  "virtual_size",
  "direct_url",
  "self",
  "file",
  "schema",
  "id",
  "os_hash_algo",
  "os_hash_value",
];
const RESERVED = ["location", "deleted", "deleted_at"];

function parseOp(raw: Record<string, unknown>, draft: 4 | 10): { op: Op; pointer: unknown } {
  if (draft === 10) {
    const op = raw.op;
    if (op === undefined || op === null) {
      throw badRequest(
        `Unable to find \`op\` in JSON Schema change. It must be one of the following: ${OPS.join(", ")}.`,
      );
    }
    if (!OPS.includes(op as Op)) {
      throw badRequest(
        `Invalid operation: \`${pyStr(op)}\`. It must be one of the following: ${OPS.join(", ")}.`,
      );
    }
    if (!Object.hasOwn(raw, "path")) {
      throw badRequest("Unable to find 'path' in JSON Schema change");
    }
    return { op: op as Op, pointer: raw.path };
  }
  const present = OPS.filter((op) => Object.hasOwn(raw, op));
  if (present.length > 1) {
    throw badRequest('Operation objects must contain only one member named "add", "remove", or "replace".');
  }
  const [op] = present;
  if (op === undefined) {
    throw badRequest(
      'Operation objects must contain exactly one member named "add", "remove", or "replace".',
    );
  }
  return { op, pointer: raw[op] };
}

function decodePointer(pointer: unknown): string[] {
  if (typeof pointer !== "string") {
    // pointer.startswith() on a non-string: an AttributeError, caught by the 500 catch-all.
    throw internalError();
  }
  if (!pointer.startsWith("/")) {
    throw badRequest(`Pointer \`${pointer}\` does not start with "/".`);
  }
  if (/\/\s*?\//.test(pointer.slice(1))) {
    throw badRequest(`Pointer \`${pointer}\` contains adjacent "/".`);
  }
  if (pointer.length > 1 && pointer.endsWith("/")) {
    throw badRequest(`Pointer \`${pointer}\` end with "/".`);
  }
  if (pointer.slice(1).trim() === "/") {
    throw badRequest(`Pointer \`${pointer}\` does not contains valid token.`);
  }
  if (/~[^01]/.test(pointer) || pointer.endsWith("~")) {
    throw badRequest(`Pointer \`${pointer}\` contains "~" not part of a recognized escape sequence.`);
  }
  return pointer
    .replace(/^\/+/, "")
    .split("/")
    .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~").trim());
}

export function parseImagePatch(request: EmulatorRequest): ImageChange[] {
  const mediaType = (request.headers["content-type"] ?? "").split(";")[0]?.trim() ?? "";
  const draft = MEDIA_TYPES[mediaType];
  if (draft === undefined) {
    throw unsupportedMediaType({ "accept-patch": Object.keys(MEDIA_TYPES).sort().join(", ") });
  }
  const body = requireBody(request);
  if (!Array.isArray(body)) {
    throw badRequest("Request body must be a JSON array of operation objects.");
  }
  return body.map((raw: unknown): ImageChange => {
    if (!isJsonObject(raw)) {
      throw badRequest("Operations must be JSON objects.");
    }
    const { op, pointer } = parseOp(raw, draft);
    const path = decodePointer(pointer);
    const root = path[0] ?? "";
    const depth = root === "locations" ? (op === "replace" ? 1 : 2) : 1;
    if (path.length !== depth) {
      throw badRequest(`Invalid JSON pointer for this resource: '/${path.join("/")}'`);
    }
    if (op !== "remove" && !Object.hasOwn(raw, "value")) {
      throw badRequest(`Operation "${op}" requires a member named "value".`);
    }
    if (READ_ONLY.includes(root)) {
      throw forbidden(`Attribute '${root}' is read-only.`);
    }
    if (RESERVED.includes(root) || root.startsWith("os_glance")) {
      throw forbidden(`Attribute '${root}' is reserved.`);
    }
    if (op !== "remove" && path.length === 1) {
      validateImageProperties({ [root]: raw.value });
    }
    return op === "remove" ? { op, path, draft } : { op, path, value: raw.value, draft };
  });
}

/** The writable base attributes of Glance's domain Image. */
type Draft = Pick<
  ImageRecord,
  | "name"
  | "owner"
  | "visibility"
  | "protected"
  | "minRam"
  | "minDisk"
  | "diskFormat"
  | "containerFormat"
  | "osHidden"
  | "tags"
> & { extra: Map<string, string> };

const SETTERS: Readonly<Record<string, (draft: Draft, value: unknown) => void>> = {
  name: (d, v) => (d.name = v as string | null),
  owner: (d, v) => (d.owner = v as string | null),
  visibility: (d, v) => (d.visibility = v as ImageVisibility),
  protected: (d, v) => (d.protected = v as boolean),
  min_ram: (d, v) => (d.minRam = v as number),
  min_disk: (d, v) => (d.minDisk = v as number),
  disk_format: (d, v) => (d.diskFormat = v as string | null),
  container_format: (d, v) => (d.containerFormat = v as string | null),
  os_hidden: (d, v) => (d.osHidden = v as boolean),
  tags: (d, v) => (d.tags = [...new Set(v as string[])]),
};

const detailError = (status: number, detail: string): WebobError => new WebobError(status, { detail });

/** Applies every change to a copy and commits only if all succeed, as Glance saves once at the end. */
export function applyImagePatch(call: RouteCall, image: ImageRecord, changes: readonly ImageChange[]): void {
  const { caller } = call;
  const draft: Draft = {
    name: image.name,
    owner: image.owner,
    visibility: image.visibility,
    protected: image.protected,
    minRam: image.minRam,
    minDisk: image.minDisk,
    diskFormat: image.diskFormat,
    containerFormat: image.containerFormat,
    osHidden: image.osHidden,
    tags: [...image.tags],
    extra: new Map(image.extra),
  };
  for (const change of changes) {
    const root = change.path[0] ?? "";
    const setter = SETTERS[root];
    if (root === "locations") {
      if (change.op === "remove") {
        checkMutable(caller, image);
      } else if (
        change.op === "replace" &&
        (change.value === null || (Array.isArray(change.value) && change.value.length === 0))
      ) {
        throw detailError(403, "Cannot set locations to empty list.");
      }
      // show_multiple_locations is off, as it is by default.
      const verb = { add: "add", remove: "remove", replace: "update" }[change.op];
      throw forbidden(`It's not allowed to ${verb} locations if locations are invisible.`);
    }
    if (change.op === "replace" && root === "owner" && !caller.isAdmin) {
      throw detailError(403, "Owner can't be updated by non admin.");
    }
    if (root === "visibility" && change.op !== "remove") {
      checkVisibilityPolicy(caller, change.value);
    }
    checkMutable(caller, image);
    const exists = setter !== undefined || draft.extra.has(root);
    switch (change.op) {
      case "replace":
        if (!exists) {
          throw detailError(409, `Property ${root} does not exist.`);
        }
        break;
      case "add":
        if (exists && change.draft === 4) {
          throw detailError(409, `Property ${root} already present.`);
        }
        break;
      case "remove":
        if (setter !== undefined || isBaseProperty(root)) {
          throw detailError(403, `Property ${root} may not be removed.`);
        }
        if (!draft.extra.has(root)) {
          throw detailError(409, `Property ${root} does not exist.`);
        }
        draft.extra.delete(root);
        continue;
    }
    if (setter !== undefined) {
      setter(draft, change.value);
    } else {
      draft.extra.set(root, change.value as string);
    }
  }
  if (changes.length === 0) {
    return;
  }
  checkNoFourByte([["name", draft.name], ["owner", draft.owner], ...draft.extra.entries()]);
  Object.assign(image, draft, { updatedAt: call.state.now() });
}
