import { Arg, Ctx, ID, Mutation, Resolver } from "type-graphql";
import { imageMemberId, type ImageMember } from "../../domain/image-member.js";
import type { GatewayContext } from "../context.js";
import { ImageMemberType } from "../types/image-member.type.js";
import { MemberStatusEnum } from "../types/member-status.enum.js";

@Resolver(() => ImageMemberType)
export class ImageMemberMutationsResolver {
  @Mutation(() => ImageMemberType, {
    description:
      "Shares an image (which the caller owns) with a project. On v2 the image must have visibility 'shared' and the new member starts PENDING; on v1 canShare lets the member share it further.",
  })
  shareImage(
    @Arg("imageId", () => ID, { description: "The image (a UUID)." }) imageId: string,
    @Arg("memberId", () => ID, { description: "The project to share with." }) memberId: string,
    @Arg("canShare", () => Boolean, {
      nullable: true,
      description: "Images API v1 only (false when omitted); refused with BAD_USER_INPUT on v2.",
    })
    canShare: boolean | null | undefined,
    @Ctx() context: GatewayContext,
  ): Promise<ImageMember> {
    return context.members.shareImage(imageId, memberId, canShare ?? undefined);
  }

  @Mutation(() => ImageMemberType, {
    description:
      "Accepts, rejects or resets a share, as the member itself (Images API v2 only; UNSUPPORTED_OPERATION on v1).",
  })
  respondToShare(
    @Arg("imageId", () => ID, { description: "The shared image (a UUID)." }) imageId: string,
    @Arg("memberId", () => ID, { description: "The member answering: the calling project." })
    memberId: string,
    @Arg("status", () => MemberStatusEnum, { description: "The new status." }) status: MemberStatusEnum,
    @Ctx() context: GatewayContext,
  ): Promise<ImageMember> {
    return context.members.respondToShare(imageId, memberId, status);
  }

  @Mutation(() => ID, {
    description: "Returns the id of the removed ImageMember.",
  })
  async unshareImage(
    @Arg("imageId", () => ID, { description: "The image (a UUID)." }) imageId: string,
    @Arg("memberId", () => ID, { description: "The member to remove." }) memberId: string,
    @Ctx() context: GatewayContext,
  ): Promise<string> {
    await context.members.unshareImage(imageId, memberId);
    return imageMemberId(imageId, memberId);
  }
}
