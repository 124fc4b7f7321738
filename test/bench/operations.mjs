/**
 * The operations the benchmark drives, each with the upstream calls one of them should cost.
 * `targets` lists who can answer it: the relay and the RESTDataSource server have no `_entities`.
 */
const IMAGE = "00000000-0000-4000-8000-00000000000a";
const imageId = (i) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`;
const FIELDS = "id imageId memberId status createdAt updatedAt";
const ALL = ["gateway", "relay", "datasource"];

const aliases = Array.from(
  { length: 10 },
  (_, i) => `m${i}: imageMember(imageId: $imageId, memberId: $memberId) { ${FIELDS} }`,
).join("\n  ");

const representations = [];
for (let image = 0; image < 10; image++) {
  for (let member = 0; member < 5; member++) {
    representations.push({
      __typename: "ImageMember",
      imageId: imageId(image),
      memberId: `member-${member}`,
    });
  }
}

export const OPERATIONS = [
  {
    key: "member",
    title: "one member (imageMember)",
    targets: ALL,
    expectedCalls: 1,
    body: {
      operationName: "OneMember",
      query: `query OneMember($imageId: ID!, $memberId: ID!) { imageMember(imageId: $imageId, memberId: $memberId) { ${FIELDS} } }`,
      variables: { imageId: IMAGE, memberId: "member-1" },
    },
  },
  {
    key: "list10",
    title: "member list of 10 (imageMembers)",
    targets: ALL,
    expectedCalls: 1,
    body: {
      operationName: "MemberList",
      query: `query MemberList($imageId: ID!) { imageMembers(imageId: $imageId) { ${FIELDS} } }`,
      variables: { imageId: IMAGE },
    },
  },
  {
    key: "aliases10",
    title: "one member under 10 aliases",
    targets: ALL,
    expectedCalls: 1,
    body: {
      operationName: "AliasedMember",
      query: `query AliasedMember($imageId: ID!, $memberId: ID!) {\n  ${aliases}\n}`,
      variables: { imageId: IMAGE, memberId: "member-1" },
    },
  },
  {
    key: "share",
    title: "shareImage",
    targets: ALL,
    expectedCalls: 1,
    body: {
      operationName: "Share",
      query: `mutation Share($imageId: ID!, $memberId: ID!) { shareImage(imageId: $imageId, memberId: $memberId) { ${FIELDS} } }`,
      variables: { imageId: IMAGE, memberId: "member-new" },
    },
  },
  {
    key: "respond",
    title: "respondToShare",
    targets: ALL,
    expectedCalls: 1,
    body: {
      operationName: "Respond",
      query: `mutation Respond($imageId: ID!, $memberId: ID!, $status: MemberStatus!) { respondToShare(imageId: $imageId, memberId: $memberId, status: $status) { ${FIELDS} } }`,
      variables: { imageId: IMAGE, memberId: "member-1", status: "ACCEPTED" },
    },
  },
  {
    key: "entities50",
    title: "50 _entities representations over 10 images",
    targets: ["gateway"],
    expectedCalls: 10,
    body: {
      operationName: "Entities",
      query: `query Entities($representations: [_Any!]!) { _entities(representations: $representations) { ... on ImageMember { ${FIELDS} } } }`,
      variables: { representations },
    },
  },
  {
    key: "shared",
    title: "sharedImages (status given, 20 images)",
    targets: ALL,
    // The listing, and the first page under another status, which tells an admin's unfiltered
    // listing apart (src/upstream/v2/shared-listing.ts); the two run side by side.
    expectedCalls: 2,
    body: {
      operationName: "SharedImages",
      query: `query SharedImages($memberId: ID!, $status: MemberStatus) { sharedImages(memberId: $memberId, status: $status) { imageId memberId status } }`,
      variables: { memberId: "bench-member", status: "ACCEPTED" },
    },
  },
];
