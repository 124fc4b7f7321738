/**
 * The root field an operation asks for, as a metric label: a name from the schema (the operation
 * has passed validation), `multiple` when it asks for several, so that the label's values are as
 * few as the schema's root fields whatever clients send.
 */
import { Kind, type OperationDefinitionNode } from "graphql";

export function rootFieldLabel(operation: OperationDefinitionNode): string {
  let found: string | null = null;
  for (const selection of operation.selectionSet.selections) {
    if (selection.kind !== Kind.FIELD) {
      return "multiple";
    }
    const name = selection.name.value;
    if (found !== null && found !== name) {
      return "multiple";
    }
    found = name;
  }
  return found ?? "none";
}
