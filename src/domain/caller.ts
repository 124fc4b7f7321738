/** Who is asking, as the identity service (Keystone) vouches for the client's token. */
export interface Caller {
  readonly user: { readonly id: string; readonly name: string | null };
  /** Null for a token not scoped to a project. */
  readonly project: { readonly id: string; readonly name: string | null } | null;
  readonly roles: readonly string[];
  readonly expiresAt: Date;
}
