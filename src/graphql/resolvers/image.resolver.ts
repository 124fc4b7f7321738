import { Arg, Ctx, FieldResolver, ID, Resolver, Root } from "type-graphql";
import type { ImageMember } from "../../domain/image-member.js";
import type { GatewayContext } from "../context.js";
import { ImageMemberType } from "../types/image-member.type.js";
import { ImageType, type ImageRef } from "../types/image.type.js";

@Resolver(() => ImageType)
export class ImageResolver {
  @FieldResolver(() => [ImageMemberType], {
    description: "The image's members, as `imageMembers` returns them.",
  })
  members(@Root() image: ImageRef, @Ctx() context: GatewayContext): Promise<ImageMember[]> {
    return context.members.imageMembers(image.id);
  }

  @FieldResolver(() => ImageMemberType, {
    nullable: true,
    description: "One membership of the image, as `imageMember` returns it.",
  })
  member(
    @Root() image: ImageRef,
    @Arg("memberId", () => ID, { description: "The member project." }) memberId: string,
    @Ctx() context: GatewayContext,
  ): Promise<ImageMember> {
    return context.members.imageMember(image.id, memberId);
  }
}
