/** The v2 image JSON, keys in the order Glance's ResponseSerializer writes them. */
import { isotime } from "./responses.js";
import type { ImageRecord } from "./state.js";

export const imagePath = (image: ImageRecord): string => `/v2/images/${image.id}`;

export function imageView(image: ImageRecord): Record<string, unknown> {
  return {
    ...Object.fromEntries(image.extra),
    name: image.name,
    disk_format: image.diskFormat,
    container_format: image.containerFormat,
    visibility: image.visibility,
    size: null,
    virtual_size: null,
    status: image.status,
    checksum: null,
    protected: image.protected,
    min_ram: image.minRam,
    min_disk: image.minDisk,
    owner: image.owner,
    os_hidden: image.osHidden,
    os_hash_algo: null,
    os_hash_value: null,
    id: image.id,
    created_at: isotime(image.createdAt),
    updated_at: isotime(image.updatedAt),
    tags: [...image.tags],
    self: imagePath(image),
    file: `${imagePath(image)}/file`,
    schema: "/v2/schemas/image",
  };
}
