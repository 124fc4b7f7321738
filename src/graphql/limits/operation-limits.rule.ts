/**
 * A validation rule measuring each operation as it would execute (fragments expanded, each
 * fragment measured once): depth, list nesting, aliases and root fields, plus the length of every
 * list written in the document. graphql-js runs it with its own rules, before execution; Apollo
 * Server caches validated documents, so a repeated query is measured once.
 */
import {
  GraphQLError,
  Kind,
  OperationTypeNode,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  getNamedType,
  getNullableType,
  isInterfaceType,
  isListType,
  isObjectType,
  type ASTNode,
  type ASTVisitor,
  type FieldNode,
  type GraphQLField,
  type GraphQLNamedType,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from "graphql";
import { RequestLimitError } from "../errors/request-limit-error.js";
import type { OperationLimits } from "./operation-limits.js";

interface Shape {
  /** Field levels, an introspection subtree counting as one. */
  readonly depth: number;
  /** List fields along the deepest path, outside introspection. */
  readonly lists: number;
  readonly aliases: number;
}

const EMPTY: Shape = { depth: 0, lists: 0, aliases: 0 };

export function operationLimitsRule(limits: OperationLimits): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    const measure = new Measurer(context);
    const refuse = (error: RequestLimitError, node: FieldNode | OperationDefinitionNode | undefined): void =>
      context.reportError(new GraphQLError(error.message, { nodes: node, originalError: error }));
    return {
      OperationDefinition(operation) {
        const root = context.getSchema().getRootType(operation.operation);
        if (root === undefined || root === null) {
          return;
        }
        const shape = measure.selections(operation.selectionSet, root, false);
        const name = operation.name === undefined ? "The operation" : `Operation ${operation.name.value}`;
        if (shape.depth > limits.maxDepth) {
          refuse(
            new RequestLimitError(
              "MAX_QUERY_DEPTH",
              limits.maxDepth,
              `${name} is ${shape.depth} fields deep`,
            ),
            operation,
          );
        }
        if (shape.lists > limits.maxListNesting) {
          refuse(
            new RequestLimitError(
              "MAX_LIST_NESTING",
              limits.maxListNesting,
              `${name} nests ${shape.lists} lists in one another`,
            ),
            operation,
          );
        }
        if (shape.aliases > limits.maxAliases) {
          refuse(
            new RequestLimitError("MAX_ALIASES", limits.maxAliases, `${name} has ${shape.aliases} aliases`),
            operation,
          );
        }
        const roots = measure.rootFields(operation.selectionSet);
        const [limit, max] =
          operation.operation === OperationTypeNode.MUTATION
            ? (["MAX_MUTATION_FIELDS", limits.maxMutationFields] as const)
            : (["MAX_ROOT_FIELDS", limits.maxRootFields] as const);
        if (roots > max) {
          refuse(new RequestLimitError(limit, max, `${name} has ${roots} root fields`), operation);
        }
      },
      ListValue(list, _key, parent) {
        const argument = context.getArgument();
        // The representations list itself; lists inside a representation are ordinary lists.
        const entities =
          argument?.name === "representations" &&
          context.getFieldDef()?.name === "_entities" &&
          isArgumentNode(parent);
        const max = entities ? limits.maxEntities : limits.maxListItems;
        if (list.values.length > max) {
          const error = entities
            ? new RequestLimitError(
                "MAX_ENTITIES",
                max,
                `_entities is given ${list.values.length} representations`,
              )
            : new RequestLimitError("MAX_LIST_ITEMS", max, `A list argument has ${list.values.length} items`);
          context.reportError(new GraphQLError(error.message, { nodes: list, originalError: error }));
        }
      },
    };
  };
}

/** Measures selection sets, each fragment once per context (inside or outside introspection). */
class Measurer {
  private readonly fragments = new Map<string, Shape>();
  private readonly rootCounts = new Map<string, number>();
  private readonly entered = new Set<string>();

  constructor(private readonly context: ValidationContext) {}

  selections(set: SelectionSetNode, parent: GraphQLNamedType | undefined, inIntrospection: boolean): Shape {
    let depth = 0;
    let lists = 0;
    let aliases = 0;
    for (const selection of set.selections) {
      let shape: Shape;
      if (selection.kind === Kind.FIELD) {
        shape = this.field(selection, parent, inIntrospection);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type =
          selection.typeCondition === undefined
            ? parent
            : this.context.getSchema().getType(selection.typeCondition.name.value);
        shape = this.selections(selection.selectionSet, type ?? undefined, inIntrospection);
      } else {
        shape = this.fragment(selection.name.value, inIntrospection);
      }
      depth = Math.max(depth, shape.depth);
      lists = Math.max(lists, shape.lists);
      aliases += shape.aliases;
    }
    return { depth, lists, aliases };
  }

  /** Root fields as executed: fragments on the root type expanded. */
  rootFields(set: SelectionSetNode): number {
    let count = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        count += 1;
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        count += this.rootFields(selection.selectionSet);
      } else {
        const name = selection.name.value;
        let known = this.rootCounts.get(name);
        if (known === undefined) {
          const fragment = this.context.getFragment(name);
          if (fragment === undefined || fragment === null || this.entered.has(`root:${name}`)) {
            continue;
          }
          this.entered.add(`root:${name}`);
          known = this.rootFields(fragment.selectionSet);
          this.entered.delete(`root:${name}`);
          this.rootCounts.set(name, known);
        }
        count += known;
      }
    }
    return count;
  }

  private field(node: FieldNode, parent: GraphQLNamedType | undefined, inIntrospection: boolean): Shape {
    const alias = node.alias === undefined ? 0 : 1;
    const depth = inIntrospection ? 0 : 1;
    if (node.selectionSet === undefined) {
      return { depth, lists: 0, aliases: alias };
    }
    const definition = fieldDefinition(parent, node.name.value);
    const type = definition === undefined ? undefined : getNamedType(definition.type);
    // Introspection answers are bounded by the schema, and graphql-js's own
    // MaxIntrospectionDepthRule stops queries that multiply them.
    const introspection = inIntrospection || node.name.value === "__schema" || node.name.value === "__type";
    const child = this.selections(node.selectionSet, type, introspection);
    if (introspection) {
      return { depth, lists: 0, aliases: alias + child.aliases };
    }
    const isList = definition !== undefined && isListType(getNullableType(definition.type));
    return {
      depth: depth + child.depth,
      lists: (isList ? 1 : 0) + child.lists,
      aliases: alias + child.aliases,
    };
  }

  private fragment(name: string, inIntrospection: boolean): Shape {
    const key = `${inIntrospection ? "i" : "d"}:${name}`;
    const known = this.fragments.get(key);
    if (known !== undefined) {
      return known;
    }
    const fragment = this.context.getFragment(name);
    // Unknown fragments and cycles are reported by graphql-js's own rules.
    if (fragment === undefined || fragment === null || this.entered.has(key)) {
      return EMPTY;
    }
    this.entered.add(key);
    const type = this.context.getSchema().getType(fragment.typeCondition.name.value);
    const shape = this.selections(fragment.selectionSet, type ?? undefined, inIntrospection);
    this.entered.delete(key);
    this.fragments.set(key, shape);
    return shape;
  }
}

function isArgumentNode(parent: ASTNode | readonly ASTNode[] | undefined): boolean {
  return parent !== undefined && !Array.isArray(parent) && (parent as ASTNode).kind === Kind.ARGUMENT;
}

function fieldDefinition(
  parent: GraphQLNamedType | undefined,
  name: string,
): GraphQLField<unknown, unknown> | undefined {
  if (name === "__schema") {
    return SchemaMetaFieldDef;
  }
  if (name === "__type") {
    return TypeMetaFieldDef;
  }
  return isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;
}
