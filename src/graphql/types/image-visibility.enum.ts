import { registerEnumType } from "type-graphql";

/** GraphQL names in capitals, internal values as Glance spells them. */
export enum ImageVisibilityEnum {
  PRIVATE = "private",
  SHARED = "shared",
  COMMUNITY = "community",
  PUBLIC = "public",
}

registerEnumType(ImageVisibilityEnum, {
  name: "ImageVisibility",
  description: "Who sees an image. On Images API v1 only PUBLIC and PRIVATE exist.",
  valuesConfig: {
    PRIVATE: { description: "Its owner only. Images API v2 refuses members on a private image." },
    SHARED: { description: "Its owner and the projects it is shared with (v2): the one that takes members." },
    COMMUNITY: { description: "Anyone who asks for it by id or lists community images (v2)." },
    PUBLIC: { description: "Everyone; making an image public usually needs an admin." },
  },
});
