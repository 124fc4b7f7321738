import { Field, Float, ID, ObjectType } from "type-graphql";
import { ImageVisibilityEnum } from "./image-visibility.enum.js";

/**
 * Its own type, not fields of the federated `Image`: a catalog subgraph that owns `Image`'s fields
 * composes with this one unchanged.
 */
@ObjectType("ImageSummary", {
  simpleResolvers: true,
  description: "What a console row shows of an image, as the Images API describes it.",
})
export class ImageSummaryType {
  @Field(() => ID, { description: "The image (a UUID)." })
  id!: string;

  @Field(() => String, { nullable: true, description: "Its name; Glance allows none." })
  name!: string | null;

  @Field(() => String, { description: "Glance's image status: queued, saving, active, killed, deleted, …" })
  status!: string;

  @Field(() => ImageVisibilityEnum, { description: "Who sees the image." })
  visibility!: ImageVisibilityEnum;

  @Field(() => ID, { nullable: true, description: "The owning project." })
  owner!: string | null;

  @Field(() => Float, { nullable: true, description: "Size of the image data in bytes; null before upload." })
  size!: number | null;

  @Field(() => String, { nullable: true, description: "Disk format (raw, qcow2, …); null until set." })
  diskFormat!: string | null;

  @Field(() => String, { nullable: true, description: "Container format (bare, ovf, …); null until set." })
  containerFormat!: string | null;

  @Field(() => Date, { nullable: true, description: "When the image was created." })
  createdAt!: Date | null;

  @Field(() => Date, { nullable: true, description: "When the image last changed." })
  updatedAt!: Date | null;

  @Field(() => Boolean, { description: "A protected image cannot be deleted." })
  protected!: boolean;
}
