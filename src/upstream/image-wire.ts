/**
 * An image's summary from the wire: v2's image document (PATCH /v2/images/{id} answers it) and v1's
 * `{"image": {...}}` metadata (PUT /v1/images/{id} answers it, `is_public` instead of a visibility).
 */
import { IMAGE_VISIBILITIES, type ImageSummary, type ImageVisibility } from "../domain/image-summary.js";
import type { Json, WireReader } from "./wire.js";

export function readV2Image(wire: WireReader, image: Json): ImageSummary {
  const visibility = image.visibility;
  if (!(IMAGE_VISIBILITIES as readonly unknown[]).includes(visibility)) {
    wire.fail("visibility is not one of private, shared, community, public");
  }
  return {
    id: wire.string(image.id, "id"),
    name: optionalString(image.name),
    status: wire.string(image.status, "status"),
    visibility: visibility as ImageVisibility,
    owner: optionalString(image.owner),
    size: typeof image.size === "number" ? image.size : null,
    diskFormat: optionalString(image.disk_format),
    containerFormat: optionalString(image.container_format),
    createdAt: image.created_at === undefined ? null : wire.timestamp(image.created_at, "created_at"),
    updatedAt: image.updated_at === undefined ? null : wire.timestamp(image.updated_at, "updated_at"),
    protected: image.protected === true,
  };
}

export function readV1Image(wire: WireReader): ImageSummary {
  const image = wire.object(wire.root().image, "image");
  return {
    id: wire.string(image.id, "image.id"),
    name: optionalString(image.name),
    status: wire.string(image.status, "image.status"),
    visibility: wire.boolean(image.is_public, "image.is_public") ? "public" : "private",
    owner: optionalString(image.owner),
    size: typeof image.size === "number" ? image.size : null,
    diskFormat: optionalString(image.disk_format),
    containerFormat: optionalString(image.container_format),
    // v1 writes its times without a zone; they are UTC.
    createdAt: v1Time(wire, image.created_at, "image.created_at"),
    updatedAt: v1Time(wire, image.updated_at, "image.updated_at"),
    protected: image.protected === true,
  };
}

function v1Time(wire: WireReader, value: unknown, where: string): Date | null {
  if (typeof value !== "string") {
    return null;
  }
  return wire.timestamp(/[zZ]|[+-]\d{2}:?\d{2}$/.test(value) ? value : `${value}Z`, where);
}

function optionalString(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}

/** v1's HEAD /v1/images/{id}: the metadata as `x-image-meta-*` headers. */
export function readV1ImageHeaders(wire: WireReader): ImageSummary {
  const meta = (name: string): string | null => wire.header(`x-image-meta-${name}`);
  const size = meta("size");
  return {
    id: meta("id") ?? wire.fail("x-image-meta-id is missing"),
    name: meta("name"),
    status: meta("status") ?? wire.fail("x-image-meta-status is missing"),
    visibility: meta("is_public")?.toLowerCase() === "true" ? "public" : "private",
    owner: meta("owner"),
    size: size === null || Number.isNaN(Number(size)) ? null : Number(size),
    diskFormat: meta("disk_format"),
    containerFormat: meta("container_format"),
    createdAt: v1Time(wire, meta("created_at"), "x-image-meta-created_at"),
    updatedAt: v1Time(wire, meta("updated_at"), "x-image-meta-updated_at"),
    protected: meta("protected")?.toLowerCase() === "true",
  };
}
