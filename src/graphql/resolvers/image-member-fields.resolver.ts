import { Ctx, FieldResolver, ID, Resolver, Root } from "type-graphql";
import { imageMemberId, type ImageMember } from "../../domain/image-member.js";
import type { GatewayContext } from "../context.js";
import { ImageMemberType } from "../types/image-member.type.js";
import { ImageType, type ImageRef } from "../types/image.type.js";
import { ImageSummaryType } from "../types/image-summary.type.js";
import type { ImageSummary } from "../../domain/image-summary.js";
import type { SharePermissions } from "../../domain/share-permissions.js";
import { SharePermissionsType } from "../types/share-permissions.type.js";

/** Fields computed from, or loaded for, an ImageMember. */
@Resolver(() => ImageMemberType)
export class ImageMemberFieldsResolver {
  @FieldResolver(() => ID)
  id(@Root() member: ImageMember): string {
    return imageMemberId(member.imageId, member.memberId);
  }

  @FieldResolver(() => ImageType, { description: "The shared image." })
  image(@Root() member: ImageMember): ImageRef {
    return { id: member.imageId };
  }

  @FieldResolver(() => ImageSummaryType, {
    description:
      "The image's name, status, visibility and more, for a console row. Free with sharedImages on v2 (the " +
      "listing carries it); otherwise one image lookup per image per request (v1: HEAD /v1/images/{id}).",
  })
  imageSummary(@Root() member: ImageMember, @Ctx() context: GatewayContext): Promise<ImageSummary> {
    return context.members.imageSummary(member);
  }

  @FieldResolver(() => SharePermissionsType, {
    nullable: true,
    description:
      "What the caller may do with this share; null when the gateway does not know the caller (it validates " +
      "no tokens). Asks for the image's owner (see imageSummary).",
  })
  viewerCan(@Root() member: ImageMember, @Ctx() context: GatewayContext): Promise<SharePermissions | null> {
    return context.members.sharePermissions(member);
  }

  // Synchronous when the member already carries its timestamps (the usual case): no promise per field.
  @FieldResolver(() => Date, { nullable: true })
  createdAt(@Root() member: ImageMember, @Ctx() context: GatewayContext): Date | null | Promise<Date | null> {
    if (member.createdAt !== undefined) {
      return member.createdAt;
    }
    return context.members.withTimestamps(member).then((loaded) => loaded.createdAt ?? null);
  }

  @FieldResolver(() => Date, { nullable: true })
  updatedAt(@Root() member: ImageMember, @Ctx() context: GatewayContext): Date | null | Promise<Date | null> {
    if (member.updatedAt !== undefined) {
      return member.updatedAt;
    }
    return context.members.withTimestamps(member).then((loaded) => loaded.updatedAt ?? null);
  }
}
