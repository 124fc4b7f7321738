import { buildSchemaSync } from "type-graphql";
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from "graphql";
import { ImageMemberFieldsResolver } from "./resolvers/image-member-fields.resolver.js";
import { ImageMemberMutationsResolver } from "./resolvers/image-member-mutations.resolver.js";
import { ImageMemberQueriesResolver } from "./resolvers/image-member-queries.resolver.js";

export const RESOLVERS = [ImageMemberQueriesResolver, ImageMemberMutationsResolver, ImageMemberFieldsResolver] as const;

export function buildGatewaySchema(): GraphQLSchema {
  return buildSchemaSync({ resolvers: RESOLVERS, validate: false });
}

/** The SDL committed as schema/schema.graphql. */
export function printGatewaySchema(schema: GraphQLSchema = buildGatewaySchema()): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
