/** What the caller may do with one share, as Glance's rules for members and owners say. */
export interface SharePermissions {
  /** Accept, reject or reset it: the caller is the member (v2 only; v1 has no member status). */
  readonly respond: boolean;
  /** Remove it: the image's owner, or on v1 the member itself. */
  readonly remove: boolean;
  /** Add and remove members of the image: its owner. */
  readonly manageMembers: boolean;
}
