/**
 * Version-neutral model of an image membership, shared by the upstream clients and the GraphQL layer.
 * Nothing here knows about HTTP or GraphQL.
 */
export const MEMBER_STATUSES = ["pending", "accepted", "rejected"] as const;
export type MemberStatus = (typeof MEMBER_STATUSES)[number];

import type { ImageSummary } from "./image-summary.js";

export type ApiVersion = "v1" | "v2";

export interface ImageMember {
  readonly imageId: string;
  readonly memberId: string;
  /** v2 only; null on v1, which has no member status. */
  readonly status: MemberStatus | null;
  /** v1 only; null on v2. */
  readonly canShare: boolean | null;
  /**
   * v2 only; null on v1. `undefined` means "exists upstream but not fetched yet": the v2 image list
   * behind sharedImages carries no membership timestamps, so they are loaded only when selected.
   */
  readonly createdAt: Date | null | undefined;
  readonly updatedAt: Date | null | undefined;
  /** The image, when the answer that gave the membership described it (v2's image listing). */
  readonly image?: ImageSummary;
}

/** Stable, unique id per (image, member): image ids never contain '/', member ids are encoded. */
export function imageMemberId(imageId: string, memberId: string): string {
  return `${imageId}/${encodeURIComponent(memberId)}`;
}

export function isMemberStatus(value: unknown): value is MemberStatus {
  return typeof value === "string" && (MEMBER_STATUSES as readonly string[]).includes(value);
}
