import { composeServices } from "@apollo/composition";
import { ApolloGateway, RemoteGraphQLDataSource } from "@apollo/gateway";
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import { parse } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildGatewaySchema, printGatewaySubgraph } from "../../src/graphql/build-schema.js";
import { as, startHarness, type Harness } from "../support/harness.js";
import { calls } from "../support/upstream.js";
import { CATALOG_SDL, startCatalog } from "./catalog-subgraph.js";

interface GatewayAnswer {
  data?: {
    catalogImages?: Array<{
      id: string;
      name: string;
      members: Array<{ memberId: string; status: string }>;
    } | null>;
  };
  errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, unknown> }>;
}

describe("Apollo Federation 2", () => {
  it("composes with a catalog subgraph that owns Image", () => {
    const result = composeServices([
      {
        name: "members",
        typeDefs: parse(printGatewaySubgraph(buildGatewaySchema())),
        url: "http://members.invalid",
      },
      { name: "catalog", typeDefs: parse(CATALOG_SDL), url: "http://catalog.invalid" },
    ]);
    expect(result.errors ?? []).toEqual([]);
    expect(result.supergraphSdl).toContain('@join__type(graph: MEMBERS, key: "imageId memberId")');
    expect(result.supergraphSdl).toContain('@join__type(graph: CATALOG, key: "id")');
  });

  describe("a real @apollo/gateway over HTTP", () => {
    let h: Harness;
    let catalog: Awaited<ReturnType<typeof startCatalog>>;
    let supergraph: ApolloServer;
    let supergraphUrl: string;
    let shared: string;
    let hidden: string;
    let lonely: string;

    beforeAll(async () => {
      h = await startHarness({ api: "v2", env: { GLANCE_API_VERSION: "v2" } });
      shared = h.emulator.createImage({ owner: "proj-a", visibility: "shared", name: "ubuntu" }).id;
      lonely = h.emulator.createImage({ owner: "proj-a", visibility: "shared", name: "debian" }).id;
      hidden = h.emulator.createImage({ owner: "proj-z", visibility: "shared", name: "secret" }).id;
      h.emulator.addMember(shared, "proj-b", { status: "accepted" });
      h.emulator.addMember(shared, "proj-c");
      catalog = await startCatalog([
        { id: shared, name: "ubuntu" },
        { id: hidden, name: "secret" },
        { id: lonely, name: "debian" },
      ]);
      const composed = composeServices([
        { name: "members", typeDefs: parse(printGatewaySubgraph(buildGatewaySchema())), url: h.gateway.url },
        { name: "catalog", typeDefs: parse(CATALOG_SDL), url: catalog.url },
      ]);
      if (composed.errors) {
        throw new Error(composed.errors.map((error) => error.message).join("\n"));
      }
      const gateway = new ApolloGateway({
        supergraphSdl: composed.supergraphSdl,
        buildService: ({ url }) =>
          new RemoteGraphQLDataSource<{ token?: string }>({
            url,
            willSendRequest(options) {
              const token = (options.context as { token?: string }).token;
              if (token !== undefined) {
                options.request.http?.headers.set("x-auth-token", token);
              }
            },
          }),
      });
      supergraph = new ApolloServer({ gateway });
      ({ url: supergraphUrl } = await startStandaloneServer(supergraph, {
        listen: { port: 0, host: "127.0.0.1" },
        context: ({ req }) => Promise.resolve({ token: req.headers["x-auth-token"] as string | undefined }),
      }));
    });

    afterAll(async () => {
      await supergraph.stop();
      await catalog.stop();
      await h.close();
    });

    const query = async (text: string, token: string): Promise<GatewayAnswer> => {
      const response = await fetch(supergraphUrl, {
        method: "POST",
        headers: { "content-type": "application/json", "x-auth-token": token },
        body: JSON.stringify({ query: text }),
      });
      return (await response.json()) as GatewayAnswer;
    };

    it("joins catalog images with their members; an image the caller may not see keeps our code and spares the others", async () => {
      h.emulator.clearRequests();
      const answer = await query(
        "{ catalogImages { id name members { memberId status } } }",
        as("proj-a")["x-auth-token"]!,
      );

      const images = answer.data?.catalogImages ?? [];
      expect(images[1]).toBeNull();
      const byName = new Map(images.filter((image) => image !== null).map((image) => [image.name, image]));
      expect(byName.get("ubuntu")?.members).toEqual(
        expect.arrayContaining([
          { memberId: "proj-b", status: "ACCEPTED" },
          { memberId: "proj-c", status: "PENDING" },
        ]),
      );
      expect(byName.get("debian")?.members).toEqual([]);
      expect(byName.has("secret")).toBe(false);
      expect(answer.errors).toHaveLength(1);
      expect(answer.errors?.[0]?.extensions).toMatchObject({ code: "NOT_FOUND", serviceName: "members" });
      expect(answer.errors?.[0]?.path).toEqual(["catalogImages", 1, "members"]);
      // One member list per image.
      expect(
        calls(h.emulator)
          .map((c) => c.path)
          .sort(),
      ).toEqual(
        [
          `/v2/images/${hidden}/members`,
          `/v2/images/${lonely}/members`,
          `/v2/images/${shared}/members`,
        ].sort(),
      );
    });
  });
});
