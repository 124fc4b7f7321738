/**
 * The query of GET /v2/images, validated with Glance's messages and in Glance's order
 * (RequestDeserializer.index in glance/api/v2/images.py, then the controller's own checks).
 */
import { badRequest } from "./webob-errors.js";

const MEMBER_STATUSES = ["pending", "accepted", "rejected", "all"];
const VISIBILITIES = ["community", "public", "private", "shared", "all"];
const SORT_KEYS = [
  "name",
  "status",
  "container_format",
  "disk_format",
  "size",
  "id",
  "created_at",
  "updated_at",
];
/** api_limit_max */
const MAX_LIMIT = 1000;

export type SortDir = "asc" | "desc";

export interface ImageListQuery {
  readonly limit: number;
  readonly marker: string | undefined;
  readonly memberStatus: string;
  readonly visibility: string | undefined;
  readonly osHidden: boolean;
  readonly protected: boolean | undefined;
  readonly tags: readonly string[];
  /** Column and property filters, compared for equality. */
  readonly filters: ReadonlyArray<readonly [string, string]>;
  readonly sort: ReadonlyArray<{ readonly key: string; readonly dir: SortDir }>;
}

/** webob's MultiDict.pop: removes and returns the first value of a key. */
function pop(params: Array<[string, string]>, key: string): string | undefined {
  const index = params.findIndex(([k]) => k === key);
  if (index === -1) {
    return undefined;
  }
  const [[, value] = ["", ""]] = params.splice(index, 1);
  return value;
}

/** MultiDict.get: the last value of a key. */
const last = (params: ReadonlyArray<readonly [string, string]>, key: string): string | undefined =>
  params.filter(([k]) => k === key).at(-1)?.[1];

function validateSortKey(key: string): string {
  if (!SORT_KEYS.includes(key)) {
    throw badRequest(`Invalid sort key: ${key}. It must be one of the following: ${SORT_KEYS.join(", ")}.`);
  }
  return key;
}

function validateSortDir(dir: string): SortDir {
  if (dir !== "asc" && dir !== "desc") {
    throw badRequest(`Invalid sort direction: ${dir}`);
  }
  return dir;
}

function parseSort(params: Array<[string, string]>): Array<{ key: string; dir: SortDir }> {
  const keys: string[] = [];
  const dirs: SortDir[] = [];
  const sort = pop(params, "sort");
  if (sort !== undefined) {
    if (params.some(([k]) => k === "sort_key" || k === "sort_dir")) {
      throw badRequest("Old and new sorting syntax cannot be combined");
    }
    for (const item of sort.trim().split(",")) {
      const [key = "", dir = ""] = item.split(/:(.*)/s);
      keys.push(validateSortKey(key.trim()));
      dirs.push(validateSortDir(dir === "" ? "desc" : dir.trim()));
    }
  } else {
    for (let key = pop(params, "sort_key"); key !== undefined; key = pop(params, "sort_key")) {
      keys.push(validateSortKey(key.trim()));
    }
    for (let dir = pop(params, "sort_dir"); dir !== undefined; dir = pop(params, "sort_dir")) {
      dirs.push(validateSortDir(dir.trim()));
    }
    if (dirs.length > 1 && dirs.length !== keys.length) {
      throw badRequest("Number of sort dirs does not match the number of sort keys");
    }
  }
  if (keys.length === 0) {
    keys.push("created_at");
  }
  // One direction applies to every key; created_at and id always end the order so it is total.
  const defaultDir: SortDir = dirs.length === 1 ? (dirs[0] ?? "desc") : "desc";
  const sortSpec = keys.map((key, index) => ({
    key,
    dir: dirs.length > 1 ? (dirs[index] ?? "desc") : defaultDir,
  }));
  for (const key of ["created_at", "id"]) {
    if (!keys.includes(key)) {
      sortSpec.push({ key, dir: defaultDir });
    }
  }
  return sortSpec;
}

export function parseImageListQuery(
  query: ReadonlyArray<readonly [string, string]>,
  pageSize: number,
): ImageListQuery {
  const params: Array<[string, string]> = query.map(([k, v]) => [k, v]);
  const limitParam = pop(params, "limit");
  const marker = pop(params, "marker");
  const memberStatus = pop(params, "member_status") ?? "accepted";
  const tags: string[] = [];
  for (let tag = pop(params, "tag"); tag !== undefined; tag = pop(params, "tag")) {
    tags.push(tag.trim());
  }
  const visibility = last(params, "visibility");
  if (visibility !== undefined && visibility !== "" && !VISIBILITIES.includes(visibility)) {
    throw badRequest(`Invalid visibility value: ${visibility}`);
  }
  const changesSince = last(params, "changes-since");
  if (changesSince !== undefined && changesSince !== "") {
    throw badRequest('The "changes-since" filter is no longer available on v2.');
  }
  if (!MEMBER_STATUSES.includes(memberStatus)) {
    throw badRequest(`Invalid status: ${memberStatus}`);
  }
  let limit = pageSize;
  if (limitParam !== undefined) {
    if (!/^\s*[+-]?\d+\s*$/.test(limitParam)) {
      throw badRequest("limit param must be an integer");
    }
    limit = Number.parseInt(limitParam, 10);
    if (limit < 0) {
      throw badRequest("limit param must be positive");
    }
  }
  const sort = parseSort(params);
  const osHidden = (last(params, "os_hidden") ?? "false").toLowerCase();
  if (osHidden !== "true" && osHidden !== "false") {
    throw badRequest(
      `Invalid value '${osHidden}' for 'os_hidden' filter. Valid values are 'true' or 'false'.`,
    );
  }
  const protectedParam = last(params, "protected");
  if (protectedParam !== undefined && protectedParam !== "true" && protectedParam !== "false") {
    throw badRequest(
      `Invalid value '${protectedParam}' for 'protected' filter. Valid values are 'true' or 'false'.`,
    );
  }
  const handled = new Set(["visibility", "changes-since", "os_hidden", "protected"]);
  return {
    limit: Math.min(MAX_LIMIT, limit),
    marker,
    memberStatus,
    visibility: visibility === "" ? undefined : visibility,
    osHidden: osHidden === "true",
    protected: protectedParam === undefined ? undefined : protectedParam === "true",
    tags,
    filters: params.filter(([key]) => !handled.has(key)),
    sort,
  };
}
