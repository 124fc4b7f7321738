/**
 * Which type-graphql resolvers the gateway calls directly, and that a direct call answers what
 * type-graphql's own wrapper answers, for the same root, arguments and context.
 */
import { createResolversMap } from "type-graphql";
import type { GraphQLResolveInfo } from "graphql";
import { describe, expect, it } from "vitest";
import { RESOLVERS, buildTypeGraphqlSchema } from "../../src/graphql/build-schema.js";
import { directResolvers } from "../../src/graphql/direct-resolvers.js";
import type { ImageMember } from "../../src/domain/image-member.js";

type Resolver = (root: unknown, args: unknown, context: unknown, info: unknown) => unknown;

const base = buildTypeGraphqlSchema();
const wrapped = createResolversMap(base) as Record<string, Record<string, Resolver>>;
const direct = directResolvers(RESOLVERS);

const member: ImageMember = {
  imageId: "6a5a0f3e-8c7d-4b2a-9f1e-3d2c1b0a9f8e",
  memberId: "proj b",
  status: "accepted",
  canShare: null,
  createdAt: new Date("2024-01-02T03:04:05Z"),
  updatedAt: new Date("2024-02-03T04:05:06Z"),
};

/** A context that records what the resolvers asked of the members service. */
function recordingContext(calls: string[]): unknown {
  return {
    members: new Proxy(
      {},
      {
        get:
          (_target, name: string) =>
          (...values: unknown[]) => {
            calls.push(`${name}(${values.map((value) => JSON.stringify(value)).join(", ")})`);
            return Promise.resolve(member);
          },
      },
    ),
  };
}

describe("directResolvers", () => {
  it("covers every query, mutation and field resolver of the schema", () => {
    expect([...direct.fields].sort()).toEqual([
      "Image.member",
      "Image.members",
      "ImageMember.createdAt",
      "ImageMember.id",
      "ImageMember.image",
      "ImageMember.updatedAt",
      "Mutation.respondToShare",
      "Mutation.shareImage",
      "Mutation.unshareImage",
      "Query.imageMember",
      "Query.imageMembers",
      "Query.sharedImages",
    ]);
  });

  it("answers as type-graphql's wrapper does, with the same calls on the context", async () => {
    const args: Record<string, Record<string, unknown>> = {
      imageMember: { imageId: member.imageId, memberId: "proj b" },
      imageMembers: { imageId: member.imageId },
      sharedImages: { memberId: "proj b", status: "pending" },
      shareImage: { imageId: member.imageId, memberId: "proj b", canShare: true },
      respondToShare: { imageId: member.imageId, memberId: "proj b", status: "rejected" },
      unshareImage: { imageId: member.imageId, memberId: "proj b" },
      member: { memberId: "proj b" },
    };
    const info = { fieldNodes: [], fieldName: "x" } as unknown as GraphQLResolveInfo;
    for (const field of direct.fields) {
      const [type, name] = field.split(".") as [string, string];
      const root = type === "Image" ? { id: member.imageId } : type === "ImageMember" ? member : undefined;
      const viaWrapper: string[] = [];
      const viaDirect: string[] = [];
      const expected = await wrapped[type]![name]!(
        root,
        args[name] ?? {},
        recordingContext(viaWrapper),
        info,
      );
      const actual = await direct.map[type]![name]!(
        root,
        args[name] ?? {},
        recordingContext(viaDirect),
        info,
      );
      expect(actual, field).toEqual(expected);
      expect(viaDirect, field).toEqual(viaWrapper);
    }
  });
});
