/**
 * Failures decided by the gateway itself, before or instead of an upstream call.
 * The GraphQL layer maps each class to one error code.
 */
export class InputError extends Error {
  override readonly name = "InputError";

  constructor(
    readonly argument: string,
    problem: string,
  ) {
    super(`${argument} ${problem}`);
  }
}

/** The selected Images API version has no such operation (e.g. member status on v1). */
export class UnsupportedOperationError extends Error {
  override readonly name = "UnsupportedOperationError";
}

/** Something the upstream answered successfully does not contain what was asked for. */
export class NotFoundError extends Error {
  override readonly name = "NotFoundError";
}

/** The caller asked for something the gateway knows it may not have. */
export class ForbiddenError extends Error {
  override readonly name = "ForbiddenError";
}

/** The client's token is missing, invalid, expired or revoked, as the identity service says. */
export class UnauthenticatedError extends Error {
  override readonly name = "UnauthenticatedError";
}

/**
 * The identity service cannot vouch for anyone right now: it refused the gateway's own service
 * credentials, or answered something unusable. Retryable; never the client's fault.
 */
export class IdentityServiceError extends Error {
  override readonly name = "IdentityServiceError";
}
