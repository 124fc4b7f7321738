/**
 * Who may do what with another user's token, as Keystone 22's default policy answers (observed on a
 * real one): GET (identity:validate_token) takes `admin` or `service`; HEAD (identity:check_token)
 * and DELETE (identity:revoke_token) take `admin`. Any user may do all three with its own tokens
 * (the subject token's user is the caller's).
 */
export type TokenAction = "validate" | "check" | "revoke";

/** The roles that let a token act on any user's token, per action. */
export const TOKEN_POLICY: Readonly<Record<TokenAction, readonly string[]>> = {
  validate: ["admin", "service"],
  check: ["admin"],
  revoke: ["admin"],
};

/** The policy rule named in a 403. */
export const POLICY_NAMES: Readonly<Record<TokenAction, string>> = {
  validate: "identity:validate_token",
  check: "identity:check_token",
  revoke: "identity:revoke_token",
};

/** The roles Identity v2.0 (Rackspace) wants of a token validating someone else's. */
export const V2_VALIDATOR_ROLES: readonly string[] = ["admin", "service"];

export function mayActOnToken(
  action: TokenAction,
  caller: { readonly userId: string; readonly roles: readonly string[] },
  subjectUserId: string | null,
): boolean {
  return caller.userId === subjectUserId || caller.roles.some((role) => TOKEN_POLICY[action].includes(role));
}
