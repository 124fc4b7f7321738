import { Directive, Field, ID, ObjectType } from "type-graphql";
import { MemberStatusEnum } from "./member-status.enum.js";

@Directive('@key(fields: "imageId memberId")')
// Plain properties are read by graphql-js's default resolver, without a per-field wrapper.
@ObjectType("ImageMember", {
  simpleResolvers: true,
  description:
    "A project an image is shared with. On Images API v2 it carries a status and timestamps; on v1 a canShare flag.",
})
export class ImageMemberType {
  @Field(() => ID, {
    description:
      "Stable id, unique per (image, member): the image id, a slash and the URL-encoded member id.",
  })
  id!: string;

  @Field(() => ID, { description: "The shared image (a UUID)." })
  imageId!: string;

  @Field(() => ID, { description: "The project (tenant) the image is shared with." })
  memberId!: string;

  @Field(() => MemberStatusEnum, {
    nullable: true,
    description:
      "The member's answer to the share. Images API v2 only; null on v1, which has no member status.",
  })
  status!: MemberStatusEnum | null;

  @Field(() => Boolean, {
    nullable: true,
    description: "Whether the member may share the image further. Images API v1 only; null on v2.",
  })
  canShare!: boolean | null;

  @Field(() => Date, {
    nullable: true,
    description: "When the membership was created. Images API v2; null on v1.",
  })
  createdAt!: Date | null;

  @Field(() => Date, {
    nullable: true,
    description: "When the membership last changed (e.g. its status). Images API v2; null on v1.",
  })
  updatedAt!: Date | null;
}
