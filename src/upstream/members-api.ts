/**
 * The members API as the rest of the gateway sees it, whatever Images API version serves it.
 */
import type { ApiVersion, ImageMember, MemberStatus } from "../domain/image-member.js";
import type { Cancellation } from "./cancellation.js";
import type { ConcurrencyGate } from "./concurrency-gate.js";
import type { RequestScope } from "./request-scope.js";

/** What every upstream call of one GraphQL request carries. */
export interface CallContext {
  /** Credentials and forwarded headers, lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly cancellation?: Cancellation;
  /** The client request: request id, deadline and retry budget shared by its calls. */
  readonly scope?: RequestScope;
  /**
   * The client request's own cap on its calls in flight, however its work fans out (aliases, member
   * batches, shared-image listings, membership look-ups); without it only the process-wide cap applies.
   */
  readonly fanOut?: ConcurrencyGate;
}

export interface SharedImagesQuery {
  readonly memberId: string;
  /** Only shares in this status (v2). */
  readonly status?: MemberStatus;
  /** Whether each share's status must be known (v2); when false the upstream is asked once. */
  readonly needStatus: boolean;
}

export interface MembersApi {
  readonly version: ApiVersion;
  listMembers(context: CallContext, imageId: string): Promise<ImageMember[]>;
  getMember(context: CallContext, imageId: string, memberId: string): Promise<ImageMember>;
  listSharedImages(context: CallContext, query: SharedImagesQuery): Promise<ImageMember[]>;
  addMember(
    context: CallContext,
    imageId: string,
    memberId: string,
    canShare?: boolean,
  ): Promise<ImageMember>;
  updateMemberStatus(
    context: CallContext,
    imageId: string,
    memberId: string,
    status: MemberStatus,
  ): Promise<ImageMember>;
  removeMember(context: CallContext, imageId: string, memberId: string): Promise<void>;
}
