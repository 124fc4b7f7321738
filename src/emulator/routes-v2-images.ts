/**
 * The part of the Images API v2 images resource needed to set up sharing over HTTP: create,
 * show, list, JSON-patch and delete (glance/api/v2/images.py, legacy policy).
 */
import { findVisibleImageV2 } from "./access.js";
import type { EmulatorResponse } from "./http-types.js";
import { parseImageListQuery } from "./image-list-query.js";
import { imageListBody, listImages } from "./image-listing.js";
import { checkMutable, checkNoFourByte, checkVisibilityPolicy } from "./image-policy.js";
import { validateImageProperties } from "./image-schema.js";
import { imagePath, imageView } from "./image-view.js";
import { applyImagePatch, parseImagePatch } from "./image-patch.js";
import { isJsonObject, pyStr } from "./python.js";
import { rejectBody, requireBody } from "./request-body.js";
import { jsonResponse, noContent } from "./responses.js";
import type { Route, RouteCall } from "./route-table.js";
import { DuplicateImageError, type ImageRecord } from "./state.js";
import type { ImageVisibility } from "./types.js";
import { WebobError, badRequest, conflict, forbidden, internalError, notFound } from "./webob-errors.js";

/** Keys a create body may not carry at all (checked before the schema). */
const DISALLOWED = ["direct_url", "self", "file", "schema", "stores"];
/** Base properties the image factory refuses to take from a client. */
const READ_ONLY = [
  "created_at",
  "updated_at",
  "status",
  "checksum",
  "os_hash_algo",
  "os_hash_value",
  "size",
  "virtual_size",
];
const RESERVED = ["location", "deleted", "deleted_at"];
/** Where create's values come from: everything else is an additional property. */
const CREATE_KEYS = [
  "checksum",
  "created_at",
  "container_format",
  "disk_format",
  "id",
  "min_disk",
  "min_ram",
  "name",
  "size",
  "virtual_size",
  "status",
  "tags",
  "owner",
  "updated_at",
  "visibility",
  "protected",
  "os_hidden",
];

export const imageJson = (
  status: number,
  image: ImageRecord,
  headers?: Record<string, string>,
): EmulatorResponse => jsonResponse(status, imageView(image), { ensureAscii: false, headers });

function createImage(call: RouteCall): EmulatorResponse {
  const body = requireBody(call.request);
  for (const key of DISALLOWED) {
    if (Array.isArray(body) ? body.includes(key) : Object.hasOwn(body as object, key)) {
      throw forbidden(`Attribute '${key}' is read-only.`);
    }
  }
  validateImageProperties(body);
  if (!isJsonObject(body)) {
    // properties.pop('tags', []) on a list raises TypeError: the catch-all answers 500.
    throw internalError();
  }
  const base = new Map<string, unknown>();
  const extra = new Map<string, string>();
  for (const [key, value] of Object.entries(body)) {
    if (CREATE_KEYS.includes(key)) {
      base.set(key, value);
    } else {
      extra.set(key, value as string);
    }
  }
  for (const key of extra.keys()) {
    if (key.length > 255) {
      throw badRequest("Custom property should not be greater than 255 characters.");
    }
    if (RESERVED.includes(key) || key.startsWith("os_glance")) {
      throw new WebobError(403, { detail: `Attribute '${key}' is reserved.` });
    }
  }
  const { caller } = call;
  const owner = base.has("owner") ? (base.get("owner") as string | null) : caller.project;
  checkVisibilityPolicy(caller, base.get("visibility"));
  if (!caller.isAdmin && owner !== caller.project) {
    throw forbidden(`You are not permitted to create images owned by '${pyStr(owner)}'.`);
  }
  const readOnly = READ_ONLY.find((key) => base.has(key) || extra.has(key));
  if (readOnly !== undefined) {
    throw forbidden(`Attribute '${readOnly}' is read-only.`);
  }
  checkNoFourByte([...base.entries(), ...extra.entries()]);
  const pick = <T>(key: string): T | undefined => base.get(key) as T | undefined;
  try {
    const image = call.state.createImage({
      id: pick<string>("id"),
      name: pick<string | null>("name") ?? null,
      owner,
      visibility: pick<ImageVisibility>("visibility") ?? "shared",
      protected: pick<boolean>("protected"),
      minRam: pick<number>("min_ram"),
      minDisk: pick<number>("min_disk"),
      diskFormat: pick<string | null>("disk_format"),
      containerFormat: pick<string | null>("container_format"),
      osHidden: pick<boolean>("os_hidden"),
      tags: [...new Set(pick<string[]>("tags") ?? [])],
      extra,
    });
    return imageJson(201, image, {
      location: `${call.request.hostUrl}${imagePath(image)}`,
      // Glance 25 with its default enabled_import_methods.
      "openstack-image-import-methods": "glance-direct,web-download,copy-image",
    });
  } catch (error) {
    if (error instanceof DuplicateImageError) {
      throw conflict(error.message);
    }
    throw error;
  }
}

function lookupImage(call: RouteCall, message: (id: string) => string): ImageRecord {
  const imageId = call.params.image_id ?? "";
  const image = findVisibleImageV2(call.state, call.caller, imageId);
  if (image === undefined) {
    throw notFound(message(imageId));
  }
  return image;
}

function showImage(call: RouteCall): EmulatorResponse {
  rejectBody(call.request);
  return imageJson(
    200,
    lookupImage(call, (id) => `No image found with ID ${id}`),
  );
}

function listImagesRoute(call: RouteCall): EmulatorResponse {
  const query = parseImageListQuery(call.request.query, call.settings.pageSize);
  const page = listImages(call.state, call.caller, query);
  return jsonResponse(200, imageListBody(page, call.request.query), { ensureAscii: false });
}

function patchImage(call: RouteCall): EmulatorResponse {
  const changes = parseImagePatch(call.request);
  const image = lookupImage(call, (id) => `No image found with ID ${id}`);
  applyImagePatch(call, image, changes);
  return imageJson(200, image);
}

function deleteImage(call: RouteCall): EmulatorResponse {
  rejectBody(call.request);
  const image = lookupImage(call, (id) => `Failed to find image ${id} to delete`);
  checkMutable(call.caller, image);
  if (image.protected) {
    throw forbidden(`Image ${image.id} is protected and cannot be deleted.`);
  }
  call.state.deleteImage(image);
  // The images controller's delete leaves webob's default Content-Type on its 204 (the members
  // controller's does not).
  return { ...noContent(), headers: { "content-type": "text/html; charset=UTF-8" } };
}

export const v2ImageRoutes: readonly Route[] = [
  { pattern: "/images", methods: { GET: listImagesRoute, POST: createImage }, allow: "GET, POST" },
  {
    pattern: "/images/{image_id}",
    methods: { GET: showImage, PATCH: patchImage, DELETE: deleteImage },
    allow: "GET, PATCH, DELETE",
  },
];
