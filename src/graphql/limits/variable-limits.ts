/**
 * The list limits applied to a request's variables, which a validation rule cannot see: the
 * representations given to `_entities`, and every other list anywhere in the variable values.
 */
import {
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";
import { RequestLimitError } from "../errors/request-limit-error.js";
import type { OperationLimits } from "./operation-limits.js";

export function variableLimitError(
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Readonly<Record<string, unknown>> | undefined,
  limits: OperationLimits,
): RequestLimitError | null {
  if (variables === undefined) {
    return null;
  }
  let representations: ReadonlySet<string> | null = null;
  for (const [name, value] of Object.entries(variables)) {
    if (typeof value !== "object" || value === null) {
      continue;
    }
    representations ??= representationVariables(document, operation);
    const entities = representations.has(name) && Array.isArray(value);
    if (entities && value.length > limits.maxEntities) {
      return new RequestLimitError(
        "MAX_ENTITIES",
        limits.maxEntities,
        `_entities is given ${value.length} representations ($${name})`,
      );
    }
    const longest = longestList(entities ? (value as unknown[]) : [value]);
    if (longest > limits.maxListItems) {
      return new RequestLimitError(
        "MAX_LIST_ITEMS",
        limits.maxListItems,
        `Variable $${name} holds a list of ${longest} items`,
      );
    }
  }
  return null;
}

/** The longest array inside `roots` (not counting `roots` itself), walked without recursion. */
function longestList(roots: readonly unknown[]): number {
  let longest = 0;
  const stack: unknown[] = [...roots];
  while (stack.length > 0) {
    const value = stack.pop();
    if (Array.isArray(value)) {
      longest = Math.max(longest, value.length);
      for (const item of value) {
        if (typeof item === "object" && item !== null) {
          stack.push(item);
        }
      }
    } else if (typeof value === "object" && value !== null) {
      for (const item of Object.values(value)) {
        if (typeof item === "object" && item !== null) {
          stack.push(item);
        }
      }
    }
  }
  return longest;
}

/** Variables passed as `_entities(representations: $name)` at the root of the operation. */
function representationVariables(document: DocumentNode, operation: OperationDefinitionNode): Set<string> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) {
      fragments.set(definition.name.value, definition);
    }
  }
  const names = new Set<string>();
  const seen = new Set<string>();
  const visit = (set: SelectionSetNode): void => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value !== "_entities") {
          continue;
        }
        for (const argument of selection.arguments ?? []) {
          if (argument.name.value === "representations" && argument.value.kind === Kind.VARIABLE) {
            names.add(argument.value.name.value);
          }
        }
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        visit(selection.selectionSet);
      } else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        const fragment = fragments.get(selection.name.value);
        if (fragment !== undefined) {
          visit(fragment.selectionSet);
        }
      }
    }
  };
  visit(operation.selectionSet);
  return names;
}
