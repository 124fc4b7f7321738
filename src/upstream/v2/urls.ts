/** Paths of the Images API v2 member calls; every segment is encoded. */
const seg = encodeURIComponent;

export const imagePath = (imageId: string): string => `/v2/images/${seg(imageId)}`;

export const membersPath = (imageId: string): string => `${imagePath(imageId)}/members`;

export const memberPath = (imageId: string, memberId: string): string =>
  `${membersPath(imageId)}/${seg(memberId)}`;

export const sharedImagesPath = (memberStatus: string, pageSize: number): string =>
  `/v2/images?visibility=shared&member_status=${seg(memberStatus)}&limit=${pageSize}`;

/** One page of the shared listing after `marker` (an image id), as Glance pages it. */
export const sharedImagesPagePath = (memberStatus: string, limit: number, marker: string | null): string =>
  `${sharedImagesPath(memberStatus, limit)}${marker === null ? "" : `&marker=${seg(marker)}`}`;

/** Glance's `next` link is a path below the API root; anything else is refused. */
export function isImagesPagePath(next: string): boolean {
  return next.startsWith("/v2/images?") && !next.includes("#");
}
