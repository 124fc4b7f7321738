import { Field, ObjectType } from "type-graphql";
import { ImageMemberType } from "./image-member.type.js";

@ObjectType("PageInfo", {
  simpleResolvers: true,
  description: "Where a page stands (Relay's connection model).",
})
export class PageInfoType {
  @Field(() => Boolean, { description: "Whether a page follows this one." })
  hasNextPage!: boolean;

  @Field(() => String, {
    nullable: true,
    description: "Pass as `after` for the next page; null when this page is empty.",
  })
  endCursor!: string | null;
}

@ObjectType("SharedImageEdge", { simpleResolvers: true, description: "One share on a page." })
export class SharedImageEdgeType {
  @Field(() => String, { description: "Opaque; `after` this cursor starts the page after this share." })
  cursor!: string;

  @Field(() => ImageMemberType, { description: "The share." })
  node!: ImageMemberType;
}

@ObjectType("SharedImageConnection", {
  simpleResolvers: true,
  description: "A page of the shares offered to the calling project.",
})
export class SharedImageConnectionType {
  @Field(() => [SharedImageEdgeType], { description: "The shares of this page, in Glance's order." })
  edges!: SharedImageEdgeType[];

  @Field(() => PageInfoType, { description: "Whether more follow, and the cursor to ask for them." })
  pageInfo!: PageInfoType;
}
