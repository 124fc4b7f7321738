/**
 * The members operations for one GraphQL request: validates identifiers before any upstream call,
 * picks the API version, and shares answers between the fields of the request through DataLoaders:
 * - a member asked for many times (aliases, entity representations) is fetched once;
 * - several members of one image asked for together are picked from one member list;
 * - an image whose member list this request already loads serves its single-member lookups;
 * - mutations update what the loaders hold for the image they touched.
 * Created per request; holds that request's credentials and its cap on upstream calls in flight.
 */
import DataLoader from "dataloader";
import { ForbiddenError, InputError, NotFoundError } from "../domain/errors.js";
import { imageIdProblem, memberIdProblem } from "../domain/validation.js";
import type { ApiVersion, ImageMember, MemberStatus } from "../domain/image-member.js";
import type { ImageSummary, ImageVisibility } from "../domain/image-summary.js";
import type { SharePermissions } from "../domain/share-permissions.js";
import { UpstreamError } from "../upstream/errors.js";
import type { MembersApi } from "../upstream/members-api.js";
import type { ApiVersionSelector } from "../upstream/api-version-selector.js";
import type { RequestScope } from "../upstream/request-scope.js";

export interface MemberKey {
  readonly imageId: string;
  readonly memberId: string;
}

const ASCII = /^[\p{ASCII}]*$/u;

const memberCacheKey = (key: MemberKey): string => `${key.imageId}\n${key.memberId}`;

export class MemberService {
  /** Created on first use: most requests never ask for a whole member list. */
  private listLoader: DataLoader<string, ImageMember[]> | null = null;
  private imageLoader: DataLoader<string, ImageSummary> | null = null;
  private readonly members: DataLoader<MemberKey, ImageMember, string>;
  /** Images whose member list this request has asked for. */
  private readonly listed = new Set<string>();

  constructor(
    private readonly versionSelector: ApiVersionSelector,
    /** The request's credentials, deadline, cancellation and cap on upstream calls in flight. */
    private readonly scope: RequestScope,
  ) {
    this.members = new DataLoader((keys) => this.loadMembers(keys), { cacheKeyFn: memberCacheKey });
  }

  /** Image summaries of this request, one lookup per image; primed from listings that carry them. */
  private get images(): DataLoader<string, ImageSummary> {
    this.imageLoader ??= new DataLoader((imageIds) =>
      settleEach(imageIds, (id) => this.withApi((api) => api.getImage(this.scope, id))),
    );
    return this.imageLoader;
  }

  /** The member's image, from the answer that listed it when it carried one, else looked up once. */
  imageSummary(member: ImageMember): Promise<ImageSummary> {
    if (member.image !== undefined) {
      this.images.prime(member.imageId, member.image);
      return Promise.resolve(member.image);
    }
    return this.images.load(member.imageId);
  }

  /**
   * What the caller may do with the share; null when the gateway does not know the caller (tokens
   * not validated): never guessed. Costs the image's summary (for its owner), nothing more.
   */
  async sharePermissions(member: ImageMember): Promise<SharePermissions | null> {
    if (this.scope.verify === null) {
      return null;
    }
    const project = (await this.scope.verify()).project?.id ?? null;
    if (project === null) {
      return { respond: false, remove: false, manageMembers: false };
    }
    const [image, version] = await Promise.all([this.imageSummary(member), this.apiVersion()]);
    const owner = image.owner === project;
    const isMember = member.memberId === project;
    return {
      respond: version === "v2" && isMember,
      remove: owner || (version === "v1" && isMember),
      manageMembers: owner,
    };
  }

  private get lists(): DataLoader<string, ImageMember[]> {
    this.listLoader ??= new DataLoader(
      (imageIds) => settleEach(imageIds, (id) => this.withApi((api) => api.listMembers(this.scope, id))),
      { batch: false },
    );
    return this.listLoader;
  }

  async apiVersion(): Promise<ApiVersion> {
    return (this.versionSelector.current() ?? (await this.selectApi())).version;
  }

  imageMembers(imageId: string): Promise<ImageMember[]> {
    checkImageId(imageId);
    return this.loadList(imageId);
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

  /** Without memberId, the caller's own project: the validated token's, or the forwarded one. */
  async sharedImages(
    memberId: string | undefined,
    status: MemberStatus | undefined,
    needStatus: boolean,
  ): Promise<ImageMember[]> {
    const member = await this.callerMember(memberId);
    return this.withApi((api) => api.listSharedImages(this.scope, { memberId: member, status, needStatus }));
  }

  /**
   * One page of the shares in one status. Cursors are opaque to clients and carry Glance's own
   * marker (an image id), so each page is one listing.
   */
  async sharedImagesPage(
    memberId: string | undefined,
    status: MemberStatus,
    first: number,
    after: string | undefined,
  ): Promise<SharedImagesConnection> {
    if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
      throw new InputError("first", `must be an integer from 1 to ${MAX_PAGE_SIZE}`);
    }
    const marker = after === undefined ? null : decodeCursor(after);
    const member = await this.callerMember(memberId);
    const page = await this.withApi((api) =>
      api.listSharedImagesPage(this.scope, { memberId: member, status, first, after: marker }),
    );
    return {
      edges: page.members.map((node) => ({ cursor: encodeCursor(node.imageId), node })),
      pageInfo: {
        hasNextPage: page.hasNextPage,
        endCursor: page.lastListed === null ? null : encodeCursor(page.lastListed),
      },
    };
  }

  /** The member a shared-images listing is for: the one asked, which must be the caller's project. */
  private async callerMember(memberId: string | undefined): Promise<string> {
    if (memberId !== undefined) {
      checkMemberId(memberId);
    }
    const caller = this.scope.verify === null ? null : await this.scope.verify();
    const project = caller === null ? this.scope.identity.project : (caller.project?.id ?? null);
    const member = memberId ?? project;
    if (member === null) {
      throw new InputError(
        "memberId",
        caller === null
          ? "is required: the gateway does not validate tokens and the request names no project"
          : "is required: the token is not scoped to a project",
      );
    }
    if (project !== null && project !== member) {
      throw new ForbiddenError(
        `sharedImages lists the shares offered to the calling project (${project}), not to ${member}`,
      );
    }
    return member;
  }

  async shareImage(imageId: string, memberId: string, canShare: boolean | undefined): Promise<ImageMember> {
    checkImageId(imageId);
    checkMemberId(memberId);
    const member = await this.withApi((api) => api.addMember(this.scope, imageId, memberId, canShare));
    await this.remember(member);
    return member;
  }

  async respondToShare(imageId: string, memberId: string, status: MemberStatus): Promise<ImageMember> {
    checkImageId(imageId);
    checkMemberId(memberId);
    const member = await this.withApi((api) => api.updateMemberStatus(this.scope, imageId, memberId, status));
    await this.remember(member);
    return member;
  }

  /** Makes an image private, shared, community or public (v1: private or public only). */
  async setImageVisibility(imageId: string, visibility: ImageVisibility): Promise<ImageSummary> {
    checkImageId(imageId);
    const image = await this.withApi((api) => api.setVisibility(this.scope, imageId, visibility));
    this.images.clear(imageId).prime(imageId, image);
    return image;
  }

  async unshareImage(imageId: string, memberId: string): Promise<void> {
    checkImageId(imageId);
    checkMemberId(memberId);
    await this.withApi((api) => api.removeMember(this.scope, imageId, memberId));
    this.members.clear({ imageId, memberId });
    await this.updateCachedList(imageId, (list) => list.filter((m) => m.memberId !== memberId));
  }

  private loadList(imageId: string): Promise<ImageMember[]> {
    this.listed.add(imageId);
    return this.lists.load(imageId);
  }

  /** One batch of member lookups, grouped by image. */
  private loadMembers(keys: readonly MemberKey[]): Promise<Array<ImageMember | Error>> {
    const api = this.versionSelector.current();
    if (api === null) {
      return this.selectApi().then(
        (selected) => this.loadMembersOn(selected, keys),
        (error: unknown) => keys.map(() => asError(error)),
      );
    }
    return this.loadMembersOn(api, keys);
  }

  private async loadMembersOn(
    api: MembersApi,
    keys: readonly MemberKey[],
  ): Promise<Array<ImageMember | Error>> {
    if (keys.length === 1) {
      // The usual batch: one lookup, no grouping.
      return this.loadGroup(api, keys[0]!.imageId, keys);
    }
    const byImage = new Map<string, MemberKey[]>();
    for (const key of keys) {
      const group = byImage.get(key.imageId);
      if (group === undefined) {
        byImage.set(key.imageId, [key]);
      } else {
        group.push(key);
      }
    }
    const found = new Map<string, ImageMember | Error>();
    await Promise.all(
      [...byImage].map(async ([imageId, group]) => {
        const loaded = await this.loadGroup(api, imageId, group);
        group.forEach((key, i) => found.set(memberCacheKey(key), loaded[i]!));
      }),
    );
    return keys.map((key) => found.get(memberCacheKey(key)) ?? new NotFoundError("member not loaded"));
  }

  /** The members of one image that a batch asks for, in the order asked; an Error for each one missing. */
  private loadGroup(
    api: MembersApi,
    imageId: string,
    group: readonly MemberKey[],
  ): Promise<Array<ImageMember | Error>> {
    // v1 has no single-member call; several members of one image cost one list either way.
    // Glance (eventlet WSGI) reads a URL path as Latin-1, so a member id outside ASCII is never
    // found by GET …/members/{id}; the member list carries it intact.
    const fromList =
      api.version === "v1" ||
      group.length > 1 ||
      this.listed.has(imageId) ||
      group.some((key) => !ASCII.test(key.memberId));
    if (fromList) {
      return this.loadList(imageId).then(
        (list) => group.map((key) => pick(list, key)),
        (error: unknown) => group.map(() => asError(error)),
      );
    }
    const [key] = group as [MemberKey];
    return this.withApi((selected) => selected.getMember(this.scope, key.imageId, key.memberId)).then(
      (member) => [member],
      (error: unknown) => [asError(error)],
    );
  }

  private async remember(member: ImageMember): Promise<void> {
    const key = { imageId: member.imageId, memberId: member.memberId };
    this.members.clear(key).prime(key, member);
    await this.updateCachedList(member.imageId, (list) => [
      ...list.filter((m) => m.memberId !== member.memberId),
      member,
    ]);
  }

  private async updateCachedList(
    imageId: string,
    update: (list: ImageMember[]) => ImageMember[],
  ): Promise<void> {
    if (!this.listed.has(imageId)) {
      return;
    }
    const list = await this.lists.load(imageId).catch(() => null);
    this.lists.clear(imageId);
    if (list !== null) {
      this.lists.prime(imageId, update(list));
    } else {
      this.listed.delete(imageId);
    }
  }

  /**
   * Runs an operation on the selected API (each of its upstream calls within the request's cap).
   * When the version was detected and the upstream now answers that it no longer serves it (300
   * with its version list), the version is detected again and the operation tried once more: the
   * 300 means nothing was done.
   */
  private withApi<T>(operation: (api: MembersApi) => Promise<T>): Promise<T> {
    const api = this.versionSelector.current();
    return api === null
      ? this.selectApi().then((selected) => this.runOn(selected, operation))
      : this.runOn(api, operation);
  }

  /**
   * The API to use once the upstream's version is known. Detecting it is an upstream call, shared
   * by the requests waiting for it; it takes one of this request's slots as any call does.
   */
  private async selectApi(): Promise<MembersApi> {
    // A token Keystone rejects causes no upstream call at all, not even the version detection.
    if (this.scope.verify !== null) {
      await this.scope.verify();
    }
    return this.scope.fanOut.run(() => this.versionSelector.get(this.scope.cancellation));
  }

  private runOn<T>(api: MembersApi, operation: (api: MembersApi) => Promise<T>): Promise<T> {
    return operation(api).catch((error: unknown) => this.retryOnNewVersion(error, api, operation));
  }

  private async retryOnNewVersion<T>(
    error: unknown,
    api: MembersApi,
    operation: (api: MembersApi) => Promise<T>,
  ): Promise<T> {
    if (
      error instanceof UpstreamError &&
      error.kind === "version-unavailable" &&
      this.versionSelector.forget()
    ) {
      const redetected = await this.selectApi();
      if (redetected !== api) {
        return operation(redetected);
      }
    }
    throw error;
  }
}

function pick(list: readonly ImageMember[], key: MemberKey): ImageMember | Error {
  return (
    list.find((member) => member.memberId === key.memberId) ??
    new NotFoundError(`${key.memberId} not found in the member list of the image ${key.imageId}.`)
  );
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

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** DataLoader wants one value or Error per key, so one failing key does not fail its siblings. */
/** The largest page of sharedImagesPage. */
export const MAX_PAGE_SIZE = 100;

export interface SharedImagesConnection {
  readonly edges: ReadonlyArray<{ readonly cursor: string; readonly node: ImageMember }>;
  readonly pageInfo: { readonly hasNextPage: boolean; readonly endCursor: string | null };
}

const CURSOR_PREFIX = "image:";

function encodeCursor(imageId: string): string {
  return Buffer.from(`${CURSOR_PREFIX}${imageId}`, "utf8").toString("base64url");
}

function decodeCursor(cursor: string): string {
  const text = Buffer.from(cursor, "base64url").toString("utf8");
  const imageId = text.startsWith(CURSOR_PREFIX) ? text.slice(CURSOR_PREFIX.length) : "";
  if (imageIdProblem(imageId) !== null) {
    throw new InputError("after", "is not a cursor this field gave");
  }
  return imageId;
}

function settleEach<K, V>(keys: readonly K[], load: (key: K) => Promise<V>): Promise<Array<V | Error>> {
  return Promise.all(keys.map((key) => load(key).catch(asError)));
}
