import { Kind, type FieldNode, type GraphQLResolveInfo, type SelectionSetNode } from "graphql";

/** Whether the field being resolved selects a sub-field (through fragments too), e.g. `status`. */
export function selectsField(info: GraphQLResolveInfo, name: string): boolean {
  return info.fieldNodes.some((node: FieldNode) => hasField(node.selectionSet, name, info, new Set()));
}

function hasField(
  set: SelectionSetNode | undefined,
  name: string,
  info: GraphQLResolveInfo,
  visited: Set<string>,
): boolean {
  if (set === undefined) {
    return false;
  }
  return set.selections.some((selection) => {
    switch (selection.kind) {
      case Kind.FIELD:
        return selection.name.value === name;
      case Kind.INLINE_FRAGMENT:
        return hasField(selection.selectionSet, name, info, visited);
      case Kind.FRAGMENT_SPREAD: {
        const fragmentName = selection.name.value;
        if (visited.has(fragmentName)) {
          return false;
        }
        visited.add(fragmentName);
        return hasField(info.fragments[fragmentName]?.selectionSet, name, info, visited);
      }
      default:
        return false;
    }
  });
}
