import { Field, ObjectType } from "type-graphql";

@ObjectType("SharePermissions", {
  simpleResolvers: true,
  description: "What the caller may do with a share, by Glance's rules for owners and members.",
})
export class SharePermissionsType {
  @Field(() => Boolean, {
    description: "Accept, reject or reset it (respondToShare): the caller is the member, on v2.",
  })
  respond!: boolean;

  @Field(() => Boolean, { description: "Remove it (unshareImage): the image's owner, or on v1 the member." })
  remove!: boolean;

  @Field(() => Boolean, { description: "Share the image with more projects (shareImage): its owner." })
  manageMembers!: boolean;
}
