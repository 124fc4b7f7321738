/**
 * The members operations for one GraphQL request: validates identifiers before any upstream call,
 * picks the API version, and shares answers between the fields of the request through DataLoaders.
 * Created per request; holds that request's credentials.
 */
import DataLoader from "dataloader";
import { ForbiddenError, InputError } from "../domain/errors.js";
import { imageIdProblem, memberIdProblem } from "../domain/validation.js";
import type { ApiVersion, ImageMember, MemberStatus } from "../domain/image-member.js";
import { UpstreamError } from "../upstream/errors.js";
import type { CallContext, MembersApi } from "../upstream/members-api.js";
import type { MembersApiProvider } from "../upstream/members-api-provider.js";

interface MemberKey {
  readonly imageId: string;
  readonly memberId: string;
}

const memberCacheKey = (key: MemberKey): string => `${key.imageId}\n${key.memberId}`;

export class MemberService {
  private readonly lists: DataLoader<string, ImageMember[]>;
  private readonly members: DataLoader<MemberKey, ImageMember, string>;

  constructor(
    private readonly provider: MembersApiProvider,
    private readonly call: CallContext,
    /** The calling project when the request names it (a forwarded X-Project-Id); null when unknown. */
    private readonly callerProject: string | null,
  ) {
    this.lists = new DataLoader((imageIds) => settleEach(imageIds, (id) => this.withApi((api) => api.listMembers(this.call, id))), {
      batch: false,
    });
    this.members = new DataLoader(
      (keys) =>
        settleEach(keys, (key) => this.withApi((api) => api.getMember(this.call, key.imageId, key.memberId))),
      { batch: false, cacheKeyFn: memberCacheKey },
    );
  }

  async apiVersion(): Promise<ApiVersion> {
    return (await this.provider.get(this.call.signal)).version;
  }

  imageMembers(imageId: string): Promise<ImageMember[]> {
    checkImageId(imageId);
    return this.lists.load(imageId);
  }

  imageMember(imageId: string, memberId: string): Promise<ImageMember> {
    checkImageId(imageId);
    checkMemberId(memberId);
    return this.members.load({ imageId, memberId });
  }

  /** Loads a member's timestamps when an earlier answer (the v2 image list) did not carry them. */
  async withTimestamps(member: ImageMember): Promise<ImageMember> {
    if (member.createdAt !== undefined && member.updatedAt !== undefined) {
      return member;
    }
    return this.members.load({ imageId: member.imageId, memberId: member.memberId });
  }

  sharedImages(memberId: string, status: MemberStatus | undefined, needStatus: boolean): Promise<ImageMember[]> {
    checkMemberId(memberId);
    if (this.callerProject !== null && this.callerProject !== memberId) {
      throw new ForbiddenError(
        `sharedImages lists the shares offered to the calling project (${this.callerProject}), not to ${memberId}`,
      );
    }
    return this.withApi((api) => api.listSharedImages(this.call, { memberId, status, needStatus }));
  }

  async shareImage(imageId: string, memberId: string, canShare: boolean | undefined): Promise<ImageMember> {
    checkImageId(imageId);
    checkMemberId(memberId);
    const member = await this.withApi((api) => api.addMember(this.call, imageId, memberId, canShare));
    this.lists.clear(imageId);
    this.members.clear({ imageId, memberId }).prime({ imageId, memberId }, member);
    return member;
  }

  async respondToShare(imageId: string, memberId: string, status: MemberStatus): Promise<ImageMember> {
    checkImageId(imageId);
    checkMemberId(memberId);
    const member = await this.withApi((api) => api.updateMemberStatus(this.call, imageId, memberId, status));
    this.lists.clear(imageId);
    this.members.clear({ imageId, memberId }).prime({ imageId, memberId }, member);
    return member;
  }

  async unshareImage(imageId: string, memberId: string): Promise<void> {
    checkImageId(imageId);
    checkMemberId(memberId);
    await this.withApi((api) => api.removeMember(this.call, imageId, memberId));
    this.lists.clear(imageId);
    this.members.clear({ imageId, memberId });
  }

  /**
   * Runs an operation on the selected API. When the version was detected and the upstream now
   * answers that it no longer serves it (300 with its version list), the version is detected again
   * and the operation tried once more: the 300 means nothing was done.
   */
  private async withApi<T>(operation: (api: MembersApi) => Promise<T>): Promise<T> {
    const api = await this.provider.get(this.call.signal);
    try {
      return await operation(api);
    } catch (error) {
      if (error instanceof UpstreamError && error.kind === "version-unavailable" && this.provider.forget()) {
        const redetected = await this.provider.get(this.call.signal);
        if (redetected !== api) {
          return operation(redetected);
        }
      }
      throw error;
    }
  }
}

function checkImageId(imageId: string): void {
  const problem = imageIdProblem(imageId);
  if (problem !== null) {
    throw new InputError("imageId", problem);
  }
}

function checkMemberId(memberId: string): void {
  const problem = memberIdProblem(memberId);
  if (problem !== null) {
    throw new InputError("memberId", problem);
  }
}

/** DataLoader wants one value or Error per key, so one failing key does not fail its siblings. */
function settleEach<K, V>(keys: readonly K[], load: (key: K) => Promise<V>): Promise<Array<V | Error>> {
  return Promise.all(
    keys.map((key) => load(key).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))))),
  );
}
