/**
 * A real GraphQL client against the running gateway: Apollo Client 4 (HttpLink over Node's fetch,
 * InMemoryCache) with the typed documents codegen generates from the committed schema. Members
 * are normalised by their stable `id`, so a mutation's answer updates what an earlier query showed,
 * with no second upstream read.
 */
import { ApolloClient, CombinedGraphQLErrors, HttpLink, InMemoryCache } from "@apollo/client";
import { afterAll, beforeAll, beforeEach, describe, expect, expectTypeOf, it } from "vitest";
import {
  ImageMembersDocument,
  RespondToShareDocument,
  type ImageMembersQuery,
  type MemberStatus,
  type RespondToShareMutation,
} from "../__generated__/graphql.js";
import { as, startHarness, type Harness } from "../support/harness.js";

const OWNER = "proj-owner";
const CONSUMER = "proj-consumer";

function clientFor(h: Harness, project: string): ApolloClient {
  return new ApolloClient({
    link: new HttpLink({ uri: h.gateway.url, fetch, headers: as(project) }),
    cache: new InMemoryCache({
      // Apollo's default id is also `__typename:id`; spelled out because the cache depends on it.
      typePolicies: { ImageMember: { keyFields: ["id"] } },
    }),
  });
}

describe("Apollo Client 4 against the gateway", () => {
  let h: Harness;
  let image: string;

  beforeAll(async () => {
    h = await startHarness({ api: "v2", env: { GLANCE_API_VERSION: "v2" } });
  });
  afterAll(() => h.close());
  beforeEach(() => {
    h.emulator.reset();
    image = h.emulator.createImage({ owner: OWNER, visibility: "shared" }).id;
    h.emulator.addMember(image, CONSUMER);
    h.emulator.clearRequests();
  });

  const upstreamCalls = (): string[] => h.emulator.requests.map((r) => `${r.method} ${r.path}`);

  it("types results from the generated documents", async () => {
    const client = clientFor(h, OWNER);
    const { data } = await client.query({
      query: ImageMembersDocument,
      variables: { imageId: image },
      errorPolicy: "none",
    });

    expectTypeOf(data).toEqualTypeOf<ImageMembersQuery>();
    expectTypeOf(data.imageMembers).items.toHaveProperty("status").toEqualTypeOf<MemberStatus | null>();
    expectTypeOf<MemberStatus>().toEqualTypeOf<"ACCEPTED" | "PENDING" | "REJECTED">();
    // @ts-expect-error the variables are typed too: imageId is required
    await expect(client.query({ query: ImageMembersDocument, variables: {} })).rejects.toThrow();

    expect(data.imageMembers).toEqual([
      expect.objectContaining({ id: `${image}/${CONSUMER}`, memberId: CONSUMER, status: "PENDING" }),
    ]);
    client.stop();
  });

  it("updates the cached member from respondToShare's answer, without reading the list again", async () => {
    const client = clientFor(h, CONSUMER);
    const variables = { imageId: image };
    // errorPolicy "none": errors reject, so a result always has its data.
    const first = await client.query({ query: ImageMembersDocument, variables, errorPolicy: "none" });
    const member = first.data.imageMembers[0];
    expect(member).toMatchObject({ memberId: CONSUMER, status: "PENDING" });

    // The list holds a reference to one normalised member, keyed by its id.
    const key = `ImageMember:${JSON.stringify({ id: `${image}/${CONSUMER}` })}`;
    expect(client.cache.identify({ __typename: "ImageMember", id: `${image}/${CONSUMER}` })).toBe(key);
    expect(client.cache.extract()).toHaveProperty([key, "status"], "PENDING");

    // A view of the list that only ever reads the cache, as a UI component would keep one.
    const seen: Array<MemberStatus | null | undefined> = [];
    const subscription = client
      .watchQuery({ query: ImageMembersDocument, variables, fetchPolicy: "cache-only" })
      .subscribe((result) => {
        if (result.dataState === "complete") {
          seen.push(result.data.imageMembers[0]?.status);
        }
      });

    const answer = await client.mutate({
      mutation: RespondToShareDocument,
      variables: { imageId: image, memberId: CONSUMER, status: "ACCEPTED" },
      errorPolicy: "none",
    });
    expectTypeOf(answer.data).toEqualTypeOf<RespondToShareMutation>();
    expect(answer.data.respondToShare).toMatchObject({ id: member?.id, status: "ACCEPTED" });

    // The earlier query now reads ACCEPTED from the cache, and the watching view saw the change.
    const again = await client.query({ query: ImageMembersDocument, variables, errorPolicy: "none" });
    expect(again.data.imageMembers).toEqual([
      expect.objectContaining({ memberId: CONSUMER, status: "ACCEPTED" }),
    ]);
    expect(client.readQuery({ query: ImageMembersDocument, variables })?.imageMembers[0]?.status).toBe(
      "ACCEPTED",
    );
    await expect.poll(() => seen).toEqual(["PENDING", "ACCEPTED"]);
    subscription.unsubscribe();

    // One read and one write upstream: the list was never fetched a second time.
    expect(upstreamCalls()).toEqual([
      `GET /v2/images/${image}/members`,
      `PUT /v2/images/${image}/members/${CONSUMER}`,
    ]);
    client.stop();
  });

  it("rejects with the gateway's coded errors", async () => {
    const client = clientFor(h, "proj-stranger");
    const failure: unknown = await client
      .query({ query: ImageMembersDocument, variables: { imageId: image } })
      .then(
        () => null,
        (error: unknown) => error,
      );

    expect(CombinedGraphQLErrors.is(failure)).toBe(true);
    const { errors } = failure as CombinedGraphQLErrors;
    expect(errors.map((error) => error.extensions?.code)).toEqual(["NOT_FOUND"]);
    expect(upstreamCalls()).toEqual([`GET /v2/images/${image}/members`]);
    client.stop();
  });
});
