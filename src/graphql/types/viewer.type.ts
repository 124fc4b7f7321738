import { Field, ID, ObjectType } from "type-graphql";

@ObjectType("IdentityRef", {
  simpleResolvers: true,
  description: "A Keystone user or project: its id, and its name when Keystone gives one.",
})
export class IdentityRefType {
  @Field(() => ID, { description: "The Keystone id (for a project, the member id image sharing uses)." })
  id!: string;

  @Field(() => String, { nullable: true, description: "The name, when Keystone gives it." })
  name!: string | null;
}

@ObjectType("Viewer", {
  simpleResolvers: true,
  description:
    "Who is asking, as Keystone vouches for the request's token, and which region serves the request. " +
    "Needs token validation (service credentials configured, TOKEN_VALIDATION on).",
})
export class ViewerType {
  @Field(() => IdentityRefType, {
    nullable: true,
    description: "The project the token is scoped to; null for a token scoped to no project.",
  })
  project!: IdentityRefType | null;

  @Field(() => IdentityRefType, { description: "The user the token was issued to." })
  user!: IdentityRefType;

  @Field(() => [String], { description: "The user's role names on the project." })
  roles!: string[];

  @Field(() => Date, { description: "When the token expires." })
  tokenExpiresAt!: Date;

  @Field(() => String, {
    description: "The region serving this request (the X-OpenStack-Region header, or the default).",
  })
  region!: string;

  @Field(() => [String], { description: "Every region the gateway serves, for a region switcher." })
  regions!: string[];
}
