/** Paths of the Images API v1 member calls; every segment is encoded. */
const seg = encodeURIComponent;

export const membersPath = (imageId: string): string => `/v1/images/${seg(imageId)}/members`;

export const memberPath = (imageId: string, memberId: string): string =>
  `${membersPath(imageId)}/${seg(memberId)}`;

export const sharedImagesPath = (memberId: string): string => `/v1/shared-images/${seg(memberId)}`;
