/**
 * GET /v2/images: the visibility union, filters, sorting and marker pagination
 * (image_get_all in glance/db/sqlalchemy/api.py) and the list body with its links.
 */
import { canSeeImageV2, ownMemberships, ownsImage } from "./access.js";
import type { Caller } from "./identity.js";
import type { ImageListQuery } from "./image-list-query.js";
import { imageView } from "./image-view.js";
import { urlencode } from "./python.js";
import type { EmulatorState, ImageRecord } from "./state.js";
import { badRequest, forbidden } from "./webob-errors.js";

/** The value a column filter compares with, as the database would render it. */
function columnText(image: ImageRecord, key: string): string | null | undefined {
  switch (key) {
    case "name":
      return image.name;
    case "owner":
      return image.owner;
    case "status":
      return image.status;
    case "id":
      return image.id;
    case "container_format":
      return image.containerFormat;
    case "disk_format":
      return image.diskFormat;
    case "min_ram":
      return String(image.minRam);
    case "min_disk":
      return String(image.minDisk);
    default:
      // Any other parameter filters on an additional property of that name.
      return image.extra.get(key) ?? undefined;
  }
}

function sortValue(image: ImageRecord, key: string): string | number | null {
  switch (key) {
    case "name":
      return image.name;
    case "status":
      return image.status;
    case "container_format":
      return image.containerFormat;
    case "disk_format":
      return image.diskFormat;
    case "size":
      return null;
    case "id":
      return image.id;
    case "created_at":
      return image.createdAt.getTime();
    default:
      return image.updatedAt.getTime();
  }
}

/** SQL ordering: NULL first ascending, last descending. */
function compareImages(a: ImageRecord, b: ImageRecord, sort: ImageListQuery["sort"]): number {
  for (const { key, dir } of sort) {
    const x = sortValue(a, key);
    const y = sortValue(b, key);
    let order = 0;
    if (x === null || y === null) {
      order = x === y ? 0 : x === null ? -1 : 1;
    } else if (x !== y) {
      order = x < y ? -1 : 1;
    }
    if (order !== 0) {
      return dir === "asc" ? order : -order;
    }
  }
  return 0;
}

/** The union Glance selects for a regular user, or every image for an admin. */
function inScope(state: EmulatorState, caller: Caller, image: ImageRecord, memberStatus: string): boolean {
  if (caller.isAdmin) {
    return true;
  }
  if (image.visibility === "public" || image.visibility === "community" || ownsImage(caller, image)) {
    return true;
  }
  if (image.visibility !== "shared") {
    return false;
  }
  return ownMemberships(state, caller, image.id).some(
    (row) => memberStatus === "all" || row.status === memberStatus,
  );
}

function matchesVisibility(caller: Caller, image: ImageRecord, visibility: string | undefined): boolean {
  if (visibility !== undefined) {
    return visibility === "all" || image.visibility === visibility;
  }
  // Without a visibility filter, community images show up only for their owner.
  return image.visibility !== "community" || ownsImage(caller, image);
}

function resolveMarker(state: EmulatorState, caller: Caller, marker: string): ImageRecord {
  if (marker.length > 36) {
    // ImageNotFound() raised without arguments: Glance leaves its template unformatted.
    throw badRequest("Image with the given id %(image_id)s was not found");
  }
  const image = state.imageRow(marker);
  if (image === undefined || (image.deleted && !caller.isAdmin)) {
    throw badRequest(`No image found with ID ${marker}`);
  }
  if (!canSeeImageV2(state, caller, image)) {
    throw forbidden(`Forbidding request, image ${marker} not visible`);
  }
  return image;
}

export interface ImagePage {
  readonly images: readonly ImageRecord[];
  /** Set whenever the page is full, as Glance does, even when nothing follows. */
  readonly nextMarker: string | undefined;
}

export function listImages(state: EmulatorState, caller: Caller, query: ImageListQuery): ImagePage {
  let images = state
    .liveImages()
    .filter(
      (image) =>
        inScope(state, caller, image, query.memberStatus) &&
        matchesVisibility(caller, image, query.visibility) &&
        image.osHidden === query.osHidden &&
        (query.protected === undefined || image.protected === query.protected) &&
        query.tags.every((tag) => image.tags.includes(tag)) &&
        query.filters.every(([key, value]) => columnText(image, key) === value),
    )
    .sort((a, b) => compareImages(a, b, query.sort));
  if (query.marker !== undefined) {
    const marker = resolveMarker(state, caller, query.marker);
    images = images.filter((image) => compareImages(image, marker, query.sort) > 0);
  }
  const page = images.slice(0, query.limit);
  const full = page.length > 0 && page.length === query.limit;
  return { images: page, nextMarker: full ? page.at(-1)?.id : undefined };
}

/** The list body: `first` and `next` repeat every query parameter but the marker (last value of each). */
export function imageListBody(page: ImagePage, query: ReadonlyArray<readonly [string, string]>): unknown {
  const params = new Map<string, string>();
  for (const [key, value] of query) {
    params.set(key, value);
  }
  params.delete("marker");
  const encoded = urlencode([...params.entries()]);
  const body: Record<string, unknown> = {
    images: page.images.map(imageView),
    first: encoded === "" ? "/v2/images" : `/v2/images?${encoded}`,
    schema: "/v2/schemas/images",
  };
  if (page.nextMarker !== undefined) {
    params.set("marker", page.nextMarker);
    body.next = `/v2/images?${urlencode([...params.entries()])}`;
  }
  return body;
}
