/**
 * The common way to build this: Apollo Server 5 (standalone) with a hand-written SDL of the same
 * schema and one @apollo/datasource-rest RESTDataSource per request.
 */
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import { RESTDataSource } from "@apollo/datasource-rest";
import { GraphQLScalarType } from "graphql";
import { answerUsage } from "../child-usage.mjs";

const typeDefs = `#graphql
  scalar DateTimeISO

  enum MemberStatus { ACCEPTED PENDING REJECTED }

  type Image {
    id: ID!
    members: [ImageMember!]!
    member(memberId: ID!): ImageMember
  }

  type ImageMember {
    id: ID!
    imageId: ID!
    memberId: ID!
    status: MemberStatus
    canShare: Boolean
    createdAt: DateTimeISO
    updatedAt: DateTimeISO
    image: Image!
  }

  type Query {
    imageMember(imageId: ID!, memberId: ID!): ImageMember
    imageMembers(imageId: ID!): [ImageMember!]!
    sharedImages(memberId: ID!, status: MemberStatus): [ImageMember!]!
  }

  type Mutation {
    shareImage(imageId: ID!, memberId: ID!, canShare: Boolean): ImageMember!
    respondToShare(imageId: ID!, memberId: ID!, status: MemberStatus!): ImageMember!
    unshareImage(imageId: ID!, memberId: ID!): ID!
  }
`;

class MembersAPI extends RESTDataSource {
  constructor(options) {
    super(options);
    this.baseURL = process.env.GLANCE_URL;
  }
  willSendRequest(_path, request) {
    request.headers.accept = "application/json";
  }
  members(imageId) {
    return this.get(`v2/images/${encodeURIComponent(imageId)}/members`);
  }
  member(imageId, memberId) {
    return this.get(`v2/images/${encodeURIComponent(imageId)}/members/${encodeURIComponent(memberId)}`);
  }
  add(imageId, memberId) {
    return this.post(`v2/images/${encodeURIComponent(imageId)}/members`, { body: { member: memberId } });
  }
  respond(imageId, memberId, status) {
    return this.put(`v2/images/${encodeURIComponent(imageId)}/members/${encodeURIComponent(memberId)}`, {
      body: { status },
    });
  }
  remove(imageId, memberId) {
    return this.delete(`v2/images/${encodeURIComponent(imageId)}/members/${encodeURIComponent(memberId)}`);
  }
  sharedImages(status) {
    return this.get("v2/images", {
      params: { visibility: "shared", member_status: status, limit: "100" },
    });
  }
}

const toMember = (m) => ({
  imageId: m.image_id,
  memberId: m.member_id,
  status: m.status?.toUpperCase() ?? null,
  createdAt: m.created_at ?? null,
  updatedAt: m.updated_at ?? null,
});

const resolvers = {
  DateTimeISO: new GraphQLScalarType({
    name: "DateTimeISO",
    serialize: (value) => new Date(value).toISOString(),
    parseValue: (value) => new Date(value),
  }),
  Query: {
    imageMember: async (_, { imageId, memberId }, { api }) => toMember(await api.member(imageId, memberId)),
    imageMembers: async (_, { imageId }, { api }) => (await api.members(imageId)).members.map(toMember),
    sharedImages: async (_, { memberId, status }, { api }) => {
      const { images } = await api.sharedImages(status?.toLowerCase() ?? "all");
      return images
        .filter((image) => image.owner !== memberId)
        .map((image) => ({ imageId: image.id, memberId, status: status ?? null }));
    },
  },
  Mutation: {
    shareImage: async (_, { imageId, memberId }, { api }) => toMember(await api.add(imageId, memberId)),
    respondToShare: async (_, { imageId, memberId, status }, { api }) =>
      toMember(await api.respond(imageId, memberId, status.toLowerCase())),
    unshareImage: async (_, { imageId, memberId }, { api }) => {
      await api.remove(imageId, memberId);
      return `${imageId}/${encodeURIComponent(memberId)}`;
    },
  },
  ImageMember: {
    id: (m) => `${m.imageId}/${encodeURIComponent(m.memberId)}`,
    canShare: () => null,
    image: (m) => ({ id: m.imageId }),
  },
  Image: {
    members: async ({ id }, _, { api }) => (await api.members(id)).members.map(toMember),
    member: async ({ id }, { memberId }, { api }) => toMember(await api.member(id, memberId)),
  },
};

const server = new ApolloServer({ typeDefs, resolvers });
const { url } = await startStandaloneServer(server, {
  listen: { port: 0, host: "127.0.0.1" },
  context: async () => ({ api: new MembersAPI() }),
});

answerUsage();
process.on("message", (message) => {
  if (message?.type === "stop") {
    server.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  }
});
process.send?.({ type: "ready", url: new URL("/graphql", url).href });
