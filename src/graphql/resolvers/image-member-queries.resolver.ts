import { Arg, Ctx, ID, Info, Query, Resolver } from "type-graphql";
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
}
