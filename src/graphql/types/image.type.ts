import { Directive, Field, ID, ObjectType } from "type-graphql";

/**
 * An image, owned by another subgraph (the image catalog); this subgraph adds its members.
 * Resolvable by id alone, so any subgraph that knows an image id can join its members.
 */
@Directive('@key(fields: "id")')
// Plain properties are read by graphql-js's default resolver, without a per-field wrapper.
@ObjectType("Image", {
  simpleResolvers: true,
  description: "An image. Its catalog data lives in another subgraph; this one adds sharing.",
})
export class ImageType {
  @Field(() => ID, { description: "The image id (a UUID)." })
  id!: string;
}

/** What resolvers hand around for an Image: just its id. */
export interface ImageRef {
  readonly id: string;
}
