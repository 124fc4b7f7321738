import { Arg, Ctx, ID, Mutation, Resolver } from "type-graphql";
import type { ImageSummary } from "../../domain/image-summary.js";
import type { GatewayContext } from "../context.js";
import { ImageSummaryType } from "../types/image-summary.type.js";
import { ImageVisibilityEnum } from "../types/image-visibility.enum.js";

@Resolver(() => ImageSummaryType)
export class ImageVisibilityResolver {
  @Mutation(() => ImageSummaryType, {
    description:
      "Sets who sees an image, as its owner: SHARED before sharing it on v2. v2: PATCH with a JSON patch; " +
      "v1: PUBLIC or PRIVATE only (BAD_USER_INPUT otherwise). PUBLIC and COMMUNITY as Glance's policy allows.",
  })
  setImageVisibility(
    @Arg("imageId", () => ID, { description: "The image (a UUID)." }) imageId: string,
    @Arg("visibility", () => ImageVisibilityEnum, { description: "The new visibility." })
    visibility: ImageVisibilityEnum,
    @Ctx() context: GatewayContext,
  ): Promise<ImageSummary> {
    return context.members.setImageVisibility(imageId, visibility);
  }
}
