/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "fragment MemberFields on ImageMember {\n  id\n  imageId\n  memberId\n  status\n  canShare\n  createdAt\n  updatedAt\n}\n\nquery ImageMembers($imageId: ID!) {\n  imageMembers(imageId: $imageId) {\n    ...MemberFields\n  }\n}\n\nquery ImageMember($imageId: ID!, $memberId: ID!) {\n  imageMember(imageId: $imageId, memberId: $memberId) {\n    ...MemberFields\n  }\n}\n\nquery SharedImages($memberId: ID!, $status: MemberStatus) {\n  sharedImages(memberId: $memberId, status: $status) {\n    ...MemberFields\n  }\n}\n\nquery SharedImageIds($memberId: ID!) {\n  sharedImages(memberId: $memberId) {\n    id\n    imageId\n    memberId\n  }\n}\n\nquery SharedImageStatuses($memberId: ID!) {\n  sharedImages(memberId: $memberId) {\n    imageId\n    status\n  }\n}\n\nmutation ShareImage($imageId: ID!, $memberId: ID!, $canShare: Boolean) {\n  shareImage(imageId: $imageId, memberId: $memberId, canShare: $canShare) {\n    ...MemberFields\n  }\n}\n\nmutation RespondToShare($imageId: ID!, $memberId: ID!, $status: MemberStatus!) {\n  respondToShare(imageId: $imageId, memberId: $memberId, status: $status) {\n    ...MemberFields\n  }\n}\n\nmutation UnshareImage($imageId: ID!, $memberId: ID!) {\n  unshareImage(imageId: $imageId, memberId: $memberId)\n}\n\nquery Viewer {\n  viewer {\n    project {\n      id\n      name\n    }\n    user {\n      id\n      name\n    }\n    roles\n    tokenExpiresAt\n    region\n    regions\n  }\n}\n\nquery MySharedImages($status: MemberStatus) {\n  sharedImages(status: $status) {\n    ...MemberFields\n  }\n}": typeof types.MemberFieldsFragmentDoc,
};
const documents: Documents = {
    "fragment MemberFields on ImageMember {\n  id\n  imageId\n  memberId\n  status\n  canShare\n  createdAt\n  updatedAt\n}\n\nquery ImageMembers($imageId: ID!) {\n  imageMembers(imageId: $imageId) {\n    ...MemberFields\n  }\n}\n\nquery ImageMember($imageId: ID!, $memberId: ID!) {\n  imageMember(imageId: $imageId, memberId: $memberId) {\n    ...MemberFields\n  }\n}\n\nquery SharedImages($memberId: ID!, $status: MemberStatus) {\n  sharedImages(memberId: $memberId, status: $status) {\n    ...MemberFields\n  }\n}\n\nquery SharedImageIds($memberId: ID!) {\n  sharedImages(memberId: $memberId) {\n    id\n    imageId\n    memberId\n  }\n}\n\nquery SharedImageStatuses($memberId: ID!) {\n  sharedImages(memberId: $memberId) {\n    imageId\n    status\n  }\n}\n\nmutation ShareImage($imageId: ID!, $memberId: ID!, $canShare: Boolean) {\n  shareImage(imageId: $imageId, memberId: $memberId, canShare: $canShare) {\n    ...MemberFields\n  }\n}\n\nmutation RespondToShare($imageId: ID!, $memberId: ID!, $status: MemberStatus!) {\n  respondToShare(imageId: $imageId, memberId: $memberId, status: $status) {\n    ...MemberFields\n  }\n}\n\nmutation UnshareImage($imageId: ID!, $memberId: ID!) {\n  unshareImage(imageId: $imageId, memberId: $memberId)\n}\n\nquery Viewer {\n  viewer {\n    project {\n      id\n      name\n    }\n    user {\n      id\n      name\n    }\n    roles\n    tokenExpiresAt\n    region\n    regions\n  }\n}\n\nquery MySharedImages($status: MemberStatus) {\n  sharedImages(status: $status) {\n    ...MemberFields\n  }\n}": types.MemberFieldsFragmentDoc,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment MemberFields on ImageMember {\n  id\n  imageId\n  memberId\n  status\n  canShare\n  createdAt\n  updatedAt\n}\n\nquery ImageMembers($imageId: ID!) {\n  imageMembers(imageId: $imageId) {\n    ...MemberFields\n  }\n}\n\nquery ImageMember($imageId: ID!, $memberId: ID!) {\n  imageMember(imageId: $imageId, memberId: $memberId) {\n    ...MemberFields\n  }\n}\n\nquery SharedImages($memberId: ID!, $status: MemberStatus) {\n  sharedImages(memberId: $memberId, status: $status) {\n    ...MemberFields\n  }\n}\n\nquery SharedImageIds($memberId: ID!) {\n  sharedImages(memberId: $memberId) {\n    id\n    imageId\n    memberId\n  }\n}\n\nquery SharedImageStatuses($memberId: ID!) {\n  sharedImages(memberId: $memberId) {\n    imageId\n    status\n  }\n}\n\nmutation ShareImage($imageId: ID!, $memberId: ID!, $canShare: Boolean) {\n  shareImage(imageId: $imageId, memberId: $memberId, canShare: $canShare) {\n    ...MemberFields\n  }\n}\n\nmutation RespondToShare($imageId: ID!, $memberId: ID!, $status: MemberStatus!) {\n  respondToShare(imageId: $imageId, memberId: $memberId, status: $status) {\n    ...MemberFields\n  }\n}\n\nmutation UnshareImage($imageId: ID!, $memberId: ID!) {\n  unshareImage(imageId: $imageId, memberId: $memberId)\n}\n\nquery Viewer {\n  viewer {\n    project {\n      id\n      name\n    }\n    user {\n      id\n      name\n    }\n    roles\n    tokenExpiresAt\n    region\n    regions\n  }\n}\n\nquery MySharedImages($status: MemberStatus) {\n  sharedImages(status: $status) {\n    ...MemberFields\n  }\n}"): (typeof documents)["fragment MemberFields on ImageMember {\n  id\n  imageId\n  memberId\n  status\n  canShare\n  createdAt\n  updatedAt\n}\n\nquery ImageMembers($imageId: ID!) {\n  imageMembers(imageId: $imageId) {\n    ...MemberFields\n  }\n}\n\nquery ImageMember($imageId: ID!, $memberId: ID!) {\n  imageMember(imageId: $imageId, memberId: $memberId) {\n    ...MemberFields\n  }\n}\n\nquery SharedImages($memberId: ID!, $status: MemberStatus) {\n  sharedImages(memberId: $memberId, status: $status) {\n    ...MemberFields\n  }\n}\n\nquery SharedImageIds($memberId: ID!) {\n  sharedImages(memberId: $memberId) {\n    id\n    imageId\n    memberId\n  }\n}\n\nquery SharedImageStatuses($memberId: ID!) {\n  sharedImages(memberId: $memberId) {\n    imageId\n    status\n  }\n}\n\nmutation ShareImage($imageId: ID!, $memberId: ID!, $canShare: Boolean) {\n  shareImage(imageId: $imageId, memberId: $memberId, canShare: $canShare) {\n    ...MemberFields\n  }\n}\n\nmutation RespondToShare($imageId: ID!, $memberId: ID!, $status: MemberStatus!) {\n  respondToShare(imageId: $imageId, memberId: $memberId, status: $status) {\n    ...MemberFields\n  }\n}\n\nmutation UnshareImage($imageId: ID!, $memberId: ID!) {\n  unshareImage(imageId: $imageId, memberId: $memberId)\n}\n\nquery Viewer {\n  viewer {\n    project {\n      id\n      name\n    }\n    user {\n      id\n      name\n    }\n    roles\n    tokenExpiresAt\n    region\n    regions\n  }\n}\n\nquery MySharedImages($status: MemberStatus) {\n  sharedImages(status: $status) {\n    ...MemberFields\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;