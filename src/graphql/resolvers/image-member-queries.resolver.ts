import { Arg, Ctx, ID, Info, Int, Query, Resolver } from "type-graphql";
import type { SharedImagesConnection } from "../../service/member-service.js";
import { SharedImageConnectionType } from "../types/shared-image-connection.type.js";
import type { GraphQLResolveInfo } from "graphql";
import type { ImageMember } from "../../domain/image-member.js";
import type { GatewayContext } from "../context.js";
import { selectsField } from "../selection.js";
import { ImageMemberType } from "../types/image-member.type.js";
import { MemberStatusEnum } from "../types/member-status.enum.js";

@Resolver(() => ImageMemberType)
export class ImageMemberQueriesResolver {
  @Query(() => [ImageMemberType], {
    description:
      "The members of an image. Its owner sees every member; a member sees only its own membership.",
  })
  imageMembers(
    @Arg("imageId", () => ID, { description: "The image (a UUID)." }) imageId: string,
    @Ctx() context: GatewayContext,
  ): Promise<ImageMember[]> {
    return context.members.imageMembers(imageId);
  }

  @Query(() => ImageMemberType, {
    nullable: true,
    description:
      "One membership of an image. Answers NOT_FOUND (and null) when it does not exist or is hidden.",
  })
  imageMember(
    @Arg("imageId", () => ID, { description: "The image (a UUID)." }) imageId: string,
    @Arg("memberId", () => ID, { description: "The member project." }) memberId: string,
    @Ctx() context: GatewayContext,
  ): Promise<ImageMember> {
    return context.members.imageMember(imageId, memberId);
  }

  @Query(() => [ImageMemberType], {
    description: "Shares offered to the calling project; optionally only those with a status.",
  })
  sharedImages(
    @Arg("memberId", () => ID, {
      nullable: true,
      description:
        "The calling project. Optional when the gateway validates tokens (the token's project) or the " +
        "request names its project in a forwarded header; a different project is FORBIDDEN.",
    })
    memberId: string | null | undefined,
    @Arg("status", () => MemberStatusEnum, {
      nullable: true,
      description: "Only shares in this status (Images API v2). All statuses when omitted.",
    })
    status: MemberStatusEnum | null | undefined,
    @Ctx() context: GatewayContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ImageMember[]> {
    return context.members.sharedImages(
      memberId ?? undefined,
      status ?? undefined,
      selectsField(info, "status"),
    );
  }

  @Query(() => SharedImageConnectionType, {
    description:
      "Shares offered to the calling project in one status, a page at a time (Relay connection): each page is " +
      "one Glance listing (its own limit and marker), not the whole list. Images API v2 only. A page may hold " +
      "fewer than `first` shares (Glance also lists the caller's own shared images, which are left out).",
  })
  sharedImagesPage(
    @Arg("status", () => MemberStatusEnum, { description: "The status of the shares listed." })
    status: MemberStatusEnum,
    @Arg("first", () => Int, { defaultValue: 20, description: "At most this many shares (1 to 100)." })
    first: number,
    @Arg("after", () => String, {
      nullable: true,
      description: "The endCursor of the previous page; omitted for the first page.",
    })
    after: string | null | undefined,
    @Arg("memberId", () => ID, {
      nullable: true,
      description: "The calling project; optional as for sharedImages.",
    })
    memberId: string | null | undefined,
    @Ctx() context: GatewayContext,
  ): Promise<SharedImagesConnection> {
    return context.members.sharedImagesPage(memberId ?? undefined, status, first, after ?? undefined);
  }
}
