/**
 * What a console row shows of an image: version-neutral, read from v2's image document or v1's
 * image metadata. Nothing here knows about HTTP or GraphQL.
 */
export const IMAGE_VISIBILITIES = ["private", "shared", "community", "public"] as const;
export type ImageVisibility = (typeof IMAGE_VISIBILITIES)[number];

export interface ImageSummary {
  readonly id: string;
  readonly name: string | null;
  /** Glance's image status: queued, saving, active, killed, deleted, ... */
  readonly status: string;
  readonly visibility: ImageVisibility;
  readonly owner: string | null;
  readonly size: number | null;
  readonly diskFormat: string | null;
  readonly containerFormat: string | null;
  readonly createdAt: Date | null;
  readonly updatedAt: Date | null;
  readonly protected: boolean;
}
