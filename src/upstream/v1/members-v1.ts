/**
 * Images API v1 members (Glance up to Queens): no member status, a `can_share` flag instead, and
 * 204 on every write. v1 has no call for one member, so it is picked from the list.
 */
import type { ImageMember, MemberStatus } from "../../domain/image-member.js";
import { InputError, NotFoundError, UnsupportedOperationError } from "../../domain/errors.js";
import type { UpstreamHttpClient } from "../http-client.js";
import type { MembersApi, SharedImagesQuery } from "../members-api.js";
import type { RequestScope } from "../request-scope.js";
import type { ImageSummary, ImageVisibility } from "../../domain/image-summary.js";
import { readV1Image, readV1ImageHeaders } from "../image-wire.js";
import type { SharedImagesPage } from "../members-api.js";
import type { WireReader } from "../wire.js";
import { callUpstream, type CallRequest } from "../call-upstream.js";
import { memberPath, membersPath, sharedImagesPath } from "./urls.js";
import { readMembers, readSharedImages, v1Member } from "./results.js";

export class MembersV1 implements MembersApi {
  readonly version = "v1" as const;

  constructor(private readonly http: UpstreamHttpClient) {}

  async listMembers(scope: RequestScope, imageId: string): Promise<ImageMember[]> {
    return readMembers(
      await this.call(scope, { method: "GET", path: membersPath(imageId), expect: [200] }),
      imageId,
    );
  }

  async getMember(scope: RequestScope, imageId: string, memberId: string): Promise<ImageMember> {
    const member = (await this.listMembers(scope, imageId)).find(
      (candidate) => candidate.memberId === memberId,
    );
    if (member === undefined) {
      throw new NotFoundError(`${memberId} is not a member of image ${imageId}`);
    }
    return member;
  }

  /**
   * Always sends `can_share` (false when not given): a bodiless v1 add of a previously removed member
   * answers 204 without restoring it.
   */
  async addMember(
    scope: RequestScope,
    imageId: string,
    memberId: string,
    canShare?: boolean,
  ): Promise<ImageMember> {
    const flag = canShare ?? false;
    await this.call(scope, {
      method: "PUT",
      path: memberPath(imageId, memberId),
      body: { member: { can_share: flag } },
      expect: [204],
    });
    return v1Member(imageId, memberId, flag);
  }

  updateMemberStatus(
    _scope: RequestScope,
    _imageId: string,
    _memberId: string,
    _status: MemberStatus,
  ): Promise<ImageMember> {
    return Promise.reject(
      new UnsupportedOperationError(
        "Images API v1 has no member status; accepting or rejecting a share needs v2",
      ),
    );
  }

  async removeMember(scope: RequestScope, imageId: string, memberId: string): Promise<void> {
    await this.call(scope, { method: "DELETE", path: memberPath(imageId, memberId), expect: [204] });
  }

  async listSharedImages(scope: RequestScope, query: SharedImagesQuery): Promise<ImageMember[]> {
    if (query.status !== undefined) {
      throw new InputError("status", "is an Images API v2 filter; this upstream speaks v1");
    }
    const wire = await this.call(scope, {
      method: "GET",
      path: sharedImagesPath(query.memberId),
      expect: [200],
    });
    return readSharedImages(wire, query.memberId);
  }

  /** v1 knows public or not: `x-image-meta-is-public` on PUT /v1/images/{id}. */
  async setVisibility(
    scope: RequestScope,
    imageId: string,
    visibility: ImageVisibility,
  ): Promise<ImageSummary> {
    if (visibility !== "public" && visibility !== "private") {
      throw new InputError(
        "visibility",
        "can be PUBLIC or PRIVATE on Images API v1, which has no shared or community images",
      );
    }
    const wire = await this.call(scope, {
      method: "PUT",
      path: `/v1/images/${encodeURIComponent(imageId)}`,
      headers: { "x-image-meta-is-public": visibility === "public" ? "True" : "False" },
      expect: [200],
    });
    return readV1Image(wire);
  }

  listSharedImagesPage(): Promise<SharedImagesPage> {
    return Promise.reject(
      new InputError("status", "is an Images API v2 filter; this upstream speaks v1: use sharedImages"),
    );
  }

  async getImage(scope: RequestScope, imageId: string): Promise<ImageSummary> {
    const wire = await this.call(scope, {
      method: "HEAD",
      path: `/v1/images/${encodeURIComponent(imageId)}`,
      expect: [200],
    });
    return readV1ImageHeaders(wire);
  }

  private call(scope: RequestScope, request: CallRequest): Promise<WireReader> {
    return callUpstream(this.http, scope, request);
  }
}
