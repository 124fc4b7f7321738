/**
 * A small images-catalog subgraph for the federation tests: it owns Image (id, name) and lists
 * images; the gateway's subgraph adds their members.
 */
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import { buildSubgraphSchema } from "@apollo/subgraph";
import { parse } from "graphql";

export const CATALOG_SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  type Image @key(fields: "id") {
    id: ID!
    name: String!
  }

  type Query {
    # Nullable items: an image whose members cannot be read turns null without taking its neighbours along.
    catalogImages: [Image]!
  }
`;

export interface CatalogImage {
  id: string;
  name: string;
}

export async function startCatalog(images: CatalogImage[]): Promise<{ url: string; stop(): Promise<void> }> {
  const schema = buildSubgraphSchema({
    typeDefs: parse(CATALOG_SDL),
    resolvers: {
      Query: { catalogImages: () => images },
      Image: {
        __resolveReference: (reference: { id: string }) =>
          images.find((image) => image.id === reference.id) ?? null,
      },
    },
  });
  const server = new ApolloServer({ schema });
  const { url } = await startStandaloneServer(server, { listen: { port: 0, host: "127.0.0.1" } });
  return { url, stop: () => server.stop() };
}
