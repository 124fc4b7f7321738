/**
 * Builds the executable schema: type-graphql classes, served as an Apollo Federation 2 subgraph
 * (`_service`, `_entities`, entity keys) so a supergraph can join members onto its images.
 */
import { buildSchemaSync, createResolversMap } from "type-graphql";
import { buildSubgraphSchema, printSubgraphSchema } from "@apollo/subgraph";
import { printSchemaWithDirectives } from "@graphql-tools/utils";
import { lexicographicSortSchema, parse, printSchema, type GraphQLSchema } from "graphql";
import { InputError } from "../domain/errors.js";
import type { ImageMember } from "../domain/image-member.js";
import type { GatewayContext } from "./context.js";
import { ImageMemberFieldsResolver } from "./resolvers/image-member-fields.resolver.js";
import { ImageMemberMutationsResolver } from "./resolvers/image-member-mutations.resolver.js";
import { ImageMemberQueriesResolver } from "./resolvers/image-member-queries.resolver.js";
import { ImageResolver } from "./resolvers/image.resolver.js";
import { ImageVisibilityResolver } from "./resolvers/image-visibility.resolver.js";
import { ViewerResolver } from "./resolvers/viewer.resolver.js";
import type { ImageRef } from "./types/image.type.js";

type ResolverMap = Record<string, Record<string, unknown>>;
type SubgraphModule = Extract<Parameters<typeof buildSubgraphSchema>[0], { typeDefs: unknown }>;

const RESOLVERS = [
  ImageMemberQueriesResolver,
  ImageMemberMutationsResolver,
  ImageMemberFieldsResolver,
  ImageResolver,
  ImageVisibilityResolver,
  ViewerResolver,
] as const;

const FEDERATION_LINK =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])';

/** The schema as type-graphql builds it, without federation's additions. */
export function buildTypeGraphqlSchema(): GraphQLSchema {
  return buildSchemaSync({ resolvers: RESOLVERS, validate: false, skipCheck: true });
}

export function buildGatewaySchema(base: GraphQLSchema = buildTypeGraphqlSchema()): GraphQLSchema {
  const resolvers = createResolversMap(base) as ResolverMap;
  const entityResolvers: ResolverMap = {
    Image: {
      __resolveReference: (reference: { id?: unknown }): ImageRef => ({
        id: referenceId(reference.id, "id"),
      }),
    },
    ImageMember: {
      __resolveReference: (
        reference: { imageId?: unknown; memberId?: unknown },
        context: GatewayContext,
      ): Promise<ImageMember> =>
        context.members.imageMember(
          referenceId(reference.imageId, "imageId"),
          referenceId(reference.memberId, "memberId"),
        ),
    },
  };
  return buildSubgraphSchema({
    typeDefs: parse(`${FEDERATION_LINK}\n${printSchemaWithDirectives(base)}`),
    resolvers: mergeResolvers(resolvers, entityResolvers) as SubgraphModule["resolvers"],
  });
}

/** The client-facing SDL committed as schema/schema.graphql. */
export function printGatewaySchema(base: GraphQLSchema = buildTypeGraphqlSchema()): string {
  return `${printSchema(lexicographicSortSchema(base))}\n`;
}

/** The subgraph SDL (with @link and @key) committed as schema/subgraph.graphql, for composition. */
export function printGatewaySubgraph(schema: GraphQLSchema = buildGatewaySchema()): string {
  return `${printSubgraphSchema(schema).trim()}\n`;
}

function mergeResolvers(base: ResolverMap, extra: ResolverMap): ResolverMap {
  const merged: ResolverMap = { ...base };
  for (const [type, fields] of Object.entries(extra)) {
    merged[type] = { ...base[type], ...fields };
  }
  return merged;
}

function referenceId(value: unknown, field: string): string {
  if (typeof value !== "string") {
    throw new InputError(field, "must be a string in an entity representation");
  }
  return value;
}
