/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** Who sees an image. On Images API v1 only PUBLIC and PRIVATE exist. */
export type ImageVisibility =
  /** Anyone who asks for it by id or lists community images (v2). */
  | 'COMMUNITY'
  /** Its owner only. Images API v2 refuses members on a private image. */
  | 'PRIVATE'
  /** Everyone; making an image public usually needs an admin. */
  | 'PUBLIC'
  /** Its owner and the projects it is shared with (v2): the one that takes members. */
  | 'SHARED';

/** Where a share stands for its member (Images API v2). Only the member (or an admin) changes it. */
export type MemberStatus =
  /** Accepted: the image appears in the member's default image list. */
  | 'ACCEPTED'
  /** Offered and not yet answered. A share starts here, and may be set back here. */
  | 'PENDING'
  /** Declined: hidden from the member's default image list, yet still usable by id. */
  | 'REJECTED';

export type MemberFieldsFragment = { id: string, imageId: string, memberId: string, status: MemberStatus | null, canShare: boolean | null, createdAt: string | null, updatedAt: string | null };

export type ImageMembersQueryVariables = Exact<{
  imageId: string | number;
}>;


export type ImageMembersQuery = { imageMembers: Array<{ id: string, imageId: string, memberId: string, status: MemberStatus | null, canShare: boolean | null, createdAt: string | null, updatedAt: string | null }> };

export type ImageMemberQueryVariables = Exact<{
  imageId: string | number;
  memberId: string | number;
}>;


export type ImageMemberQuery = { imageMember: { id: string, imageId: string, memberId: string, status: MemberStatus | null, canShare: boolean | null, createdAt: string | null, updatedAt: string | null } | null };

export type SharedImagesQueryVariables = Exact<{
  memberId: string | number;
  status?: MemberStatus | null | undefined;
}>;


export type SharedImagesQuery = { sharedImages: Array<{ id: string, imageId: string, memberId: string, status: MemberStatus | null, canShare: boolean | null, createdAt: string | null, updatedAt: string | null }> };

export type SharedImageIdsQueryVariables = Exact<{
  memberId: string | number;
}>;


export type SharedImageIdsQuery = { sharedImages: Array<{ id: string, imageId: string, memberId: string }> };

export type SharedImageStatusesQueryVariables = Exact<{
  memberId: string | number;
}>;


export type SharedImageStatusesQuery = { sharedImages: Array<{ imageId: string, status: MemberStatus | null }> };

export type ShareImageMutationVariables = Exact<{
  imageId: string | number;
  memberId: string | number;
  canShare?: boolean | null | undefined;
}>;


export type ShareImageMutation = { shareImage: { id: string, imageId: string, memberId: string, status: MemberStatus | null, canShare: boolean | null, createdAt: string | null, updatedAt: string | null } };

export type RespondToShareMutationVariables = Exact<{
  imageId: string | number;
  memberId: string | number;
  status: MemberStatus;
}>;


export type RespondToShareMutation = { respondToShare: { id: string, imageId: string, memberId: string, status: MemberStatus | null, canShare: boolean | null, createdAt: string | null, updatedAt: string | null } };

export type UnshareImageMutationVariables = Exact<{
  imageId: string | number;
  memberId: string | number;
}>;


export type UnshareImageMutation = { unshareImage: string };

export type ViewerQueryVariables = Exact<{ [key: string]: never; }>;


export type ViewerQuery = { viewer: { roles: Array<string>, tokenExpiresAt: string, region: string, regions: Array<string>, project: { id: string, name: string | null } | null, user: { id: string, name: string | null } } };

export type MySharedImagesQueryVariables = Exact<{
  status?: MemberStatus | null | undefined;
}>;


export type MySharedImagesQuery = { sharedImages: Array<{ id: string, imageId: string, memberId: string, status: MemberStatus | null, canShare: boolean | null, createdAt: string | null, updatedAt: string | null }> };

export type SetImageVisibilityMutationVariables = Exact<{
  imageId: string | number;
  visibility: ImageVisibility;
}>;


export type SetImageVisibilityMutation = { setImageVisibility: { id: string, name: string | null, status: string, visibility: ImageVisibility, owner: string | null, size: number | null, diskFormat: string | null, containerFormat: string | null, createdAt: string | null, updatedAt: string | null, protected: boolean } };

export type SharedImageRowsQueryVariables = Exact<{
  memberId?: string | number | null | undefined;
  status?: MemberStatus | null | undefined;
}>;


export type SharedImageRowsQuery = { sharedImages: Array<{ id: string, imageId: string, status: MemberStatus | null, imageSummary: { name: string | null, status: string, visibility: ImageVisibility, owner: string | null } }> };

export type ImageMemberRowsQueryVariables = Exact<{
  imageId: string | number;
}>;


export type ImageMemberRowsQuery = { imageMembers: Array<{ id: string, memberId: string, status: MemberStatus | null, imageSummary: { name: string | null, visibility: ImageVisibility } }> };

export type MemberPermissionsQueryVariables = Exact<{
  imageId: string | number;
}>;


export type MemberPermissionsQuery = { imageMembers: Array<{ memberId: string, viewerCan: { respond: boolean, remove: boolean, manageMembers: boolean } | null }> };

export type SharedPermissionsQueryVariables = Exact<{ [key: string]: never; }>;


export type SharedPermissionsQuery = { sharedImages: Array<{ imageId: string, viewerCan: { respond: boolean, remove: boolean, manageMembers: boolean } | null }> };

export type SharedImagesPageQueryVariables = Exact<{
  status: MemberStatus;
  first?: number | null | undefined;
  after?: string | null | undefined;
  memberId?: string | number | null | undefined;
}>;


export type SharedImagesPageQuery = { sharedImagesPage: { edges: Array<{ cursor: string, node: { imageId: string, memberId: string, status: MemberStatus | null, imageSummary: { name: string | null } } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const MemberFieldsFragmentDoc = new TypedDocumentString(`
    fragment MemberFields on ImageMember {
  id
  imageId
  memberId
  status
  canShare
  createdAt
  updatedAt
}
    `, {"fragmentName":"MemberFields"}) as unknown as TypedDocumentString<MemberFieldsFragment, unknown>;
export const ImageMembersDocument = new TypedDocumentString(`
    query ImageMembers($imageId: ID!) {
  imageMembers(imageId: $imageId) {
    ...MemberFields
  }
}
    fragment MemberFields on ImageMember {
  id
  imageId
  memberId
  status
  canShare
  createdAt
  updatedAt
}`) as unknown as TypedDocumentString<ImageMembersQuery, ImageMembersQueryVariables>;
export const ImageMemberDocument = new TypedDocumentString(`
    query ImageMember($imageId: ID!, $memberId: ID!) {
  imageMember(imageId: $imageId, memberId: $memberId) {
    ...MemberFields
  }
}
    fragment MemberFields on ImageMember {
  id
  imageId
  memberId
  status
  canShare
  createdAt
  updatedAt
}`) as unknown as TypedDocumentString<ImageMemberQuery, ImageMemberQueryVariables>;
export const SharedImagesDocument = new TypedDocumentString(`
    query SharedImages($memberId: ID!, $status: MemberStatus) {
  sharedImages(memberId: $memberId, status: $status) {
    ...MemberFields
  }
}
    fragment MemberFields on ImageMember {
  id
  imageId
  memberId
  status
  canShare
  createdAt
  updatedAt
}`) as unknown as TypedDocumentString<SharedImagesQuery, SharedImagesQueryVariables>;
export const SharedImageIdsDocument = new TypedDocumentString(`
    query SharedImageIds($memberId: ID!) {
  sharedImages(memberId: $memberId) {
    id
    imageId
    memberId
  }
}
    `) as unknown as TypedDocumentString<SharedImageIdsQuery, SharedImageIdsQueryVariables>;
export const SharedImageStatusesDocument = new TypedDocumentString(`
    query SharedImageStatuses($memberId: ID!) {
  sharedImages(memberId: $memberId) {
    imageId
    status
  }
}
    `) as unknown as TypedDocumentString<SharedImageStatusesQuery, SharedImageStatusesQueryVariables>;
export const ShareImageDocument = new TypedDocumentString(`
    mutation ShareImage($imageId: ID!, $memberId: ID!, $canShare: Boolean) {
  shareImage(imageId: $imageId, memberId: $memberId, canShare: $canShare) {
    ...MemberFields
  }
}
    fragment MemberFields on ImageMember {
  id
  imageId
  memberId
  status
  canShare
  createdAt
  updatedAt
}`) as unknown as TypedDocumentString<ShareImageMutation, ShareImageMutationVariables>;
export const RespondToShareDocument = new TypedDocumentString(`
    mutation RespondToShare($imageId: ID!, $memberId: ID!, $status: MemberStatus!) {
  respondToShare(imageId: $imageId, memberId: $memberId, status: $status) {
    ...MemberFields
  }
}
    fragment MemberFields on ImageMember {
  id
  imageId
  memberId
  status
  canShare
  createdAt
  updatedAt
}`) as unknown as TypedDocumentString<RespondToShareMutation, RespondToShareMutationVariables>;
export const UnshareImageDocument = new TypedDocumentString(`
    mutation UnshareImage($imageId: ID!, $memberId: ID!) {
  unshareImage(imageId: $imageId, memberId: $memberId)
}
    `) as unknown as TypedDocumentString<UnshareImageMutation, UnshareImageMutationVariables>;
export const ViewerDocument = new TypedDocumentString(`
    query Viewer {
  viewer {
    project {
      id
      name
    }
    user {
      id
      name
    }
    roles
    tokenExpiresAt
    region
    regions
  }
}
    `) as unknown as TypedDocumentString<ViewerQuery, ViewerQueryVariables>;
export const MySharedImagesDocument = new TypedDocumentString(`
    query MySharedImages($status: MemberStatus) {
  sharedImages(status: $status) {
    ...MemberFields
  }
}
    fragment MemberFields on ImageMember {
  id
  imageId
  memberId
  status
  canShare
  createdAt
  updatedAt
}`) as unknown as TypedDocumentString<MySharedImagesQuery, MySharedImagesQueryVariables>;
export const SetImageVisibilityDocument = new TypedDocumentString(`
    mutation SetImageVisibility($imageId: ID!, $visibility: ImageVisibility!) {
  setImageVisibility(imageId: $imageId, visibility: $visibility) {
    id
    name
    status
    visibility
    owner
    size
    diskFormat
    containerFormat
    createdAt
    updatedAt
    protected
  }
}
    `) as unknown as TypedDocumentString<SetImageVisibilityMutation, SetImageVisibilityMutationVariables>;
export const SharedImageRowsDocument = new TypedDocumentString(`
    query SharedImageRows($memberId: ID, $status: MemberStatus) {
  sharedImages(memberId: $memberId, status: $status) {
    id
    imageId
    status
    imageSummary {
      name
      status
      visibility
      owner
    }
  }
}
    `) as unknown as TypedDocumentString<SharedImageRowsQuery, SharedImageRowsQueryVariables>;
export const ImageMemberRowsDocument = new TypedDocumentString(`
    query ImageMemberRows($imageId: ID!) {
  imageMembers(imageId: $imageId) {
    id
    memberId
    status
    imageSummary {
      name
      visibility
    }
  }
}
    `) as unknown as TypedDocumentString<ImageMemberRowsQuery, ImageMemberRowsQueryVariables>;
export const MemberPermissionsDocument = new TypedDocumentString(`
    query MemberPermissions($imageId: ID!) {
  imageMembers(imageId: $imageId) {
    memberId
    viewerCan {
      respond
      remove
      manageMembers
    }
  }
}
    `) as unknown as TypedDocumentString<MemberPermissionsQuery, MemberPermissionsQueryVariables>;
export const SharedPermissionsDocument = new TypedDocumentString(`
    query SharedPermissions {
  sharedImages {
    imageId
    viewerCan {
      respond
      remove
      manageMembers
    }
  }
}
    `) as unknown as TypedDocumentString<SharedPermissionsQuery, SharedPermissionsQueryVariables>;
export const SharedImagesPageDocument = new TypedDocumentString(`
    query SharedImagesPage($status: MemberStatus!, $first: Int, $after: String, $memberId: ID) {
  sharedImagesPage(
    status: $status
    first: $first
    after: $after
    memberId: $memberId
  ) {
    edges {
      cursor
      node {
        imageId
        memberId
        status
        imageSummary {
          name
        }
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    `) as unknown as TypedDocumentString<SharedImagesPageQuery, SharedImagesPageQueryVariables>;