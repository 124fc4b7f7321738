/** The per-operation limits, checked before execution and therefore before any upstream call. */
export interface OperationLimits {
  /** Field levels of an operation, outside introspection. */
  readonly maxDepth: number;
  /** List fields nested in one another (each multiplies the size of the answer), outside introspection. */
  readonly maxListNesting: number;
  /** Aliased fields, counted as executed (a fragment spread twice counts twice). */
  readonly maxAliases: number;
  /** Root fields of a query. */
  readonly maxRootFields: number;
  /** Root fields of a mutation: each one is at least one upstream write. */
  readonly maxMutationFields: number;
  /** Representations one `_entities` call resolves. */
  readonly maxEntities: number;
  /** Items of any other list given as an argument, in the document or in the variables. */
  readonly maxListItems: number;
}
