/**
 * Images API v2 members: list 200, add 200 (not 201), show 200, update 200, delete 204.
 */
import { MEMBER_STATUSES, type ImageMember, type MemberStatus } from "../../domain/image-member.js";
import { InputError } from "../../domain/errors.js";
import type { UpstreamHttpClient, UpstreamRequest } from "../http-client.js";
import type {
  MembersApi,
  SharedImagesPage,
  SharedImagesPageQuery,
  SharedImagesQuery,
} from "../members-api.js";
import type { RequestScope } from "../request-scope.js";
import { UpstreamError } from "../errors.js";
import type { WireReader } from "../wire.js";
import { callUpstream, type CallRequest } from "../call-upstream.js";
import type { ImageSummary, ImageVisibility } from "../../domain/image-summary.js";
import { readV2Image } from "../image-wire.js";
import {
  imagePath,
  isImagesPagePath,
  memberPath,
  membersPath,
  sharedImagesPagePath,
  sharedImagesPath,
} from "./urls.js";

/** The JSON-patch media type of Images API v2.1 (draft 10 paths, `/visibility`). */
const JSON_PATCH = "application/openstack-images-v2.1-json-patch";
import { readImagesPage, readMember, readMemberList, type ImagesPage } from "./results.js";
import { listingIsUnfiltered, probeStatuses, type ListedStatus } from "./shared-listing.js";

export interface MembersV2Options {
  /** `limit` asked for on each page of GET /v2/images. */
  readonly pageSize: number;
  /** Refuse to follow more pages than this (a guard against a `next` loop). */
  readonly maxPages: number;
}

export class MembersV2 implements MembersApi {
  readonly version = "v2" as const;

  constructor(
    private readonly http: UpstreamHttpClient,
    private readonly options: MembersV2Options = { pageSize: 100, maxPages: 1000 },
  ) {}

  async listMembers(scope: RequestScope, imageId: string): Promise<ImageMember[]> {
    return readMemberList(
      await this.call(scope, { method: "GET", path: membersPath(imageId), expect: [200] }),
    );
  }

  async getMember(scope: RequestScope, imageId: string, memberId: string): Promise<ImageMember> {
    const wire = await this.call(scope, {
      method: "GET",
      path: memberPath(imageId, memberId),
      expect: [200],
    });
    return readMember(wire, wire.root());
  }

  async addMember(
    scope: RequestScope,
    imageId: string,
    memberId: string,
    canShare?: boolean,
  ): Promise<ImageMember> {
    if (canShare !== undefined) {
      throw new InputError("canShare", "is an Images API v1 setting; this upstream speaks v2");
    }
    let wire: WireReader;
    try {
      wire = await this.call(scope, {
        method: "POST",
        path: membersPath(imageId),
        body: { member: memberId },
        expect: [200],
      });
    } catch (error) {
      throw withSharingHint(error);
    }
    return readMember(wire, wire.root());
  }

  async updateMemberStatus(
    scope: RequestScope,
    imageId: string,
    memberId: string,
    status: MemberStatus,
  ): Promise<ImageMember> {
    const wire = await this.call(scope, {
      method: "PUT",
      path: memberPath(imageId, memberId),
      body: { status },
      expect: [200],
    });
    return readMember(wire, wire.root());
  }

  async removeMember(scope: RequestScope, imageId: string, memberId: string): Promise<void> {
    await this.call(scope, { method: "DELETE", path: memberPath(imageId, memberId), expect: [204] });
  }

  /**
   * Images shared with `memberId` (who must be the caller): GET /v2/images?visibility=shared, every
   * page. When each share's status is needed and no status filter is given, the three statuses are
   * listed side by side instead of asking for each image's membership. Since Ocata the listing also
   * holds the caller's own shared images; those are left out. An admin's listing is not filtered
   * by membership at all (see shared-listing.ts): the first page of one or two listings under other
   * statuses, fetched alongside, tells it apart; then each listed image's membership is looked up.
   */
  async listSharedImages(scope: RequestScope, query: SharedImagesQuery): Promise<ImageMember[]> {
    const statuses: readonly ListedStatus[] =
      query.status !== undefined ? [query.status] : query.needStatus ? MEMBER_STATUSES : ["all"];
    const probes = probeStatuses(statuses);
    const [lists, probed] = await Promise.all([
      Promise.all(statuses.map((status) => this.listImageIds(scope, status))),
      Promise.all(probes.map((status) => this.listImageIds(scope, status, query.memberId))),
    ]);
    // The caller's own shared images are in every listing, whatever member_status says.
    const othersOf = (images: ImagesPage["images"]): string[] =>
      images.filter((image) => image.owner !== query.memberId).map((image) => image.id);
    const byStatus = [
      ...statuses.map((status, index) => ({ status, ids: othersOf(lists[index]!) })),
      ...probes.map((status, index) => ({ status, ids: othersOf(probed[index]!) })),
    ];
    const candidates: Array<{ id: string; status: ListedStatus; image: ImageSummary }> = [];
    const seen = new Set<string>();
    lists.forEach((images, index) => {
      for (const image of images) {
        if (image.owner !== query.memberId && !seen.has(image.id)) {
          seen.add(image.id);
          candidates.push({ id: image.id, status: statuses[index]!, image: image.summary });
        }
      }
    });
    if (listingIsUnfiltered(byStatus)) {
      const images = new Map(candidates.map((candidate) => [candidate.id, candidate.image]));
      const members = await this.membershipsAmong(scope, query, [...images.keys()]);
      return members.map((member) => ({ ...member, image: images.get(member.imageId) }));
    }
    return candidates.map(({ id, status, image }) => ({
      imageId: id,
      memberId: query.memberId,
      status: status === "all" ? null : status,
      canShare: null,
      createdAt: undefined,
      updatedAt: undefined,
      image,
    }));
  }

  /**
   * One listing per page: Glance's own `limit` and `marker`, so a page never costs the whole list.
   * Beside the first page, the first page of another status tells an admin's unfiltered listing
   * apart (shared-listing.ts); then each listed image's membership is looked up. The caller's own
   * shared images are left out, so a page may hold fewer than `first` shares.
   */
  async listSharedImagesPage(scope: RequestScope, query: SharedImagesPageQuery): Promise<SharedImagesPage> {
    const [probe] = probeStatuses([query.status]);
    const [page, probed] = await Promise.all([
      this.call(scope, {
        method: "GET",
        path: sharedImagesPagePath(query.status, query.first, query.after),
        expect: [200],
      }).then(readImagesPage),
      this.listImageIds(scope, probe ?? "pending", query.memberId),
    ]);
    const others = page.images.filter((image) => image.owner !== query.memberId);
    const unfiltered = listingIsUnfiltered([
      { status: query.status, ids: others.map((image) => image.id) },
      {
        status: probe ?? "pending",
        ids: probed.filter((image) => image.owner !== query.memberId).map((image) => image.id),
      },
    ]);
    const images = new Map(others.map((image) => [image.id, image.summary]));
    const members = unfiltered
      ? (await this.membershipsAmong(scope, { ...query, needStatus: true }, [...images.keys()])).map(
          (member) => ({
            ...member,
            image: images.get(member.imageId),
          }),
        )
      : others.map((image) => ({
          imageId: image.id,
          memberId: query.memberId,
          status: query.status,
          canShare: null,
          createdAt: undefined,
          updatedAt: undefined,
          image: image.summary,
        }));
    // The cursor is the last listed image, own images included: Glance's marker for the next page.
    return { members, hasNextPage: page.next !== null, lastListed: page.images.at(-1)?.id ?? null };
  }

  async getImage(scope: RequestScope, imageId: string): Promise<ImageSummary> {
    const wire = await this.call(scope, { method: "GET", path: imagePath(imageId), expect: [200] });
    return readV2Image(wire, wire.root());
  }

  /**
   * The caller's memberships among `imageIds`, each looked up; images it is no member of are left
   * out. Asked for all at once: the request's cap (RequestScope.fanOut) bounds the calls in flight.
   */
  private async membershipsAmong(
    scope: RequestScope,
    query: SharedImagesQuery,
    imageIds: readonly string[],
  ): Promise<ImageMember[]> {
    // Glance reads a URL path as Latin-1: a member id outside ASCII is found in the member list only.
    const byPath = /^[\x20-\x7e]*$/.test(query.memberId);
    const found = await Promise.all(
      imageIds.map(async (imageId) => {
        try {
          if (!byPath) {
            const members = await this.listMembers(scope, imageId);
            return members.find((member) => member.memberId === query.memberId) ?? null;
          }
          return await this.getMember(scope, imageId, query.memberId);
        } catch (error) {
          if (error instanceof UpstreamError && error.status === 404) {
            return null;
          }
          throw error;
        }
      }),
    );
    return found.filter(
      (member): member is ImageMember =>
        member !== null && (query.status === undefined || member.status === query.status),
    );
  }

  /**
   * Every page; or, given `untilOwnerOtherThan`, only the pages up to the first image that project
   * does not own.
   */
  private async listImageIds(
    scope: RequestScope,
    memberStatus: ListedStatus,
    untilOwnerOtherThan?: string,
  ): Promise<ImagesPage["images"][number][]> {
    const images: ImagesPage["images"][number][] = [];
    let path: string | null = sharedImagesPath(memberStatus, this.options.pageSize);
    for (let page = 0; path !== null; page++) {
      const call: Omit<UpstreamRequest, "headers"> = { method: "GET", path, expect: [200] };
      if (page >= this.options.maxPages) {
        throw new UpstreamError(
          "bad-response",
          `The image list has more than ${this.options.maxPages} pages`,
          {
            method: call.method,
            path,
          },
        );
      }
      const wire = await this.call(scope, call);
      const result = readImagesPage(wire);
      images.push(...result.images);
      if (
        untilOwnerOtherThan !== undefined &&
        result.images.some((image) => image.owner !== untilOwnerOtherThan)
      ) {
        return images;
      }
      if (result.next !== null && !isImagesPagePath(result.next)) {
        wire.fail("next is not a /v2/images path");
      }
      path = result.next;
    }
    return images;
  }

  /** One JSON-patch `replace` of /visibility, in the media type Glance requires for PATCH. */
  async setVisibility(
    scope: RequestScope,
    imageId: string,
    visibility: ImageVisibility,
  ): Promise<ImageSummary> {
    const wire = await this.call(scope, {
      method: "PATCH",
      path: imagePath(imageId),
      body: [{ op: "replace", path: "/visibility", value: visibility }],
      contentType: JSON_PATCH,
      expect: [200],
    });
    return readV2Image(wire, wire.root());
  }

  private call(scope: RequestScope, request: CallRequest): Promise<WireReader> {
    return callUpstream(this.http, scope, request);
  }
}

/**
 * Glance refuses members on an image that is not `shared` with the same 403 as a non-owner's
 * attempt; the message says what the owner can do about the first.
 */
function withSharingHint(error: unknown): unknown {
  if (!(error instanceof UpstreamError) || error.kind !== "status" || error.status !== 403) {
    return error;
  }
  return new UpstreamError(
    "status",
    `${error.message} Only an image with visibility SHARED takes members: its owner makes it so with ` +
      "setImageVisibility(imageId, visibility: SHARED).",
    error.call,
    error.status,
    error.requestId,
    { cause: error },
  );
}
