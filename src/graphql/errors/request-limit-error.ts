/**
 * A request refused before execution because it exceeds one of the gateway's limits. Each limit is
 * named after the variable that configures it, so a refusal says what to change.
 */
export type RequestLimit =
  | "MAX_REQUEST_BYTES"
  | "MAX_QUERY_BYTES"
  | "MAX_QUERY_DEPTH"
  | "MAX_LIST_NESTING"
  | "MAX_ALIASES"
  | "MAX_ROOT_FIELDS"
  | "MAX_MUTATION_FIELDS"
  | "MAX_ENTITIES"
  | "MAX_LIST_ITEMS";

export class RequestLimitError extends Error {
  override readonly name = "RequestLimitError";

  constructor(
    readonly limit: RequestLimit,
    readonly max: number,
    what: string,
  ) {
    super(`${what}; the limit is ${max} (${limit})`);
  }
}
