/**
 * The members API as the rest of the gateway sees it, whatever Images API version serves it.
 */
import type { ApiVersion, ImageMember, MemberStatus } from "../domain/image-member.js";
import type { ImageSummary, ImageVisibility } from "../domain/image-summary.js";
import type { RequestScope } from "./request-scope.js";

export interface SharedImagesQuery {
  readonly memberId: string;
  /** Only shares in this status (v2). */
  readonly status?: MemberStatus;
  /** Whether each share's status must be known (v2); when false the upstream is asked once. */
  readonly needStatus: boolean;
}

export interface SharedImagesPageQuery {
  readonly memberId: string;
  readonly status: MemberStatus;
  /** At most this many shares. */
  readonly first: number;
  /** The image id the previous page ended with (Glance's `marker`); null for the first page. */
  readonly after: string | null;
}

export interface SharedImagesPage {
  readonly members: ImageMember[];
  readonly hasNextPage: boolean;
  /** The last image the listing gave (Glance's marker for the next page); null for an empty page. */
  readonly lastListed: string | null;
}

export interface MembersApi {
  readonly version: ApiVersion;
  listMembers(scope: RequestScope, imageId: string): Promise<ImageMember[]>;
  getMember(scope: RequestScope, imageId: string, memberId: string): Promise<ImageMember>;
  listSharedImages(scope: RequestScope, query: SharedImagesQuery): Promise<ImageMember[]>;
  /** One page of the shares offered to the member in one status, after the given image. */
  listSharedImagesPage(scope: RequestScope, query: SharedImagesPageQuery): Promise<SharedImagesPage>;
  addMember(scope: RequestScope, imageId: string, memberId: string, canShare?: boolean): Promise<ImageMember>;
  updateMemberStatus(
    scope: RequestScope,
    imageId: string,
    memberId: string,
    status: MemberStatus,
  ): Promise<ImageMember>;
  removeMember(scope: RequestScope, imageId: string, memberId: string): Promise<void>;
  setVisibility(scope: RequestScope, imageId: string, visibility: ImageVisibility): Promise<ImageSummary>;
  /** The image's summary: v2 GET /v2/images/{id}, v1 HEAD /v1/images/{id} (its metadata headers). */
  getImage(scope: RequestScope, imageId: string): Promise<ImageSummary>;
}
