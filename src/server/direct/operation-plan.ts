/**
 * An operation's execution plan, worked out once per cached document: for every field, its
 * definition, resolver, arguments and how to complete its value, so that running the operation
 * (plan-executor.ts) looks nothing up and collects no fields. Only operations whose execution is
 * plain get a plan: fields and `__typename`, without fragments, directives, duplicate response keys,
 * abstract types or `isTypeOf`; every other operation (null) runs on graphql-js's `execute`.
 */
import {
  Kind,
  OperationTypeNode,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  valueFromAST,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLFieldResolver,
  type GraphQLLeafType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
  type VariableDefinitionNode,
} from "graphql";

export type Completion =
  | { readonly kind: "non-null"; readonly of: Completion }
  | { readonly kind: "list"; readonly of: Completion }
  | { readonly kind: "leaf"; readonly type: GraphQLLeafType }
  | { readonly kind: "object"; readonly type: GraphQLObjectType; readonly fields: readonly FieldPlan[] };

/** Where one argument's value comes from. */
export type ArgumentPlan =
  | { readonly name: string; readonly from: "constant"; readonly value: unknown }
  | {
      readonly name: string;
      readonly from: "variable";
      readonly variable: string;
      readonly defaultValue: unknown;
      readonly nonNull: boolean;
    };

export type FieldPlan = TypenamePlan | ResolverPlan;

/** `__typename`: the parent type's name, as graphql-js's meta field answers it. */
export interface TypenamePlan {
  readonly kind: "typename";
  readonly responseKey: string;
  readonly typeName: string;
}

export interface ResolverPlan {
  readonly kind: "field";
  readonly responseKey: string;
  readonly fieldName: string;
  readonly fieldNodes: readonly FieldNode[];
  readonly definition: GraphQLField<unknown, unknown>;
  readonly parentType: GraphQLObjectType;
  readonly returnType: GraphQLOutputType;
  /** undefined: graphql-js's default resolver (a property, or a method, of the parent value). */
  readonly resolve: GraphQLFieldResolver<unknown, unknown> | undefined;
  readonly arguments: readonly ArgumentPlan[];
  readonly completion: Completion;
}

export interface OperationPlan {
  readonly schema: GraphQLSchema;
  readonly operation: OperationDefinitionNode;
  readonly variableDefinitions: readonly VariableDefinitionNode[];
  /** The document's fragments, for resolvers (a planned operation itself spreads none). */
  readonly fragments: Record<string, FragmentDefinitionNode>;
  readonly rootType: GraphQLObjectType;
  readonly serial: boolean;
  readonly fields: readonly FieldPlan[];
}

/** The plan, or null when the operation needs graphql-js's full execution. */
export function planOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
): OperationPlan | null {
  if (operation.operation === OperationTypeNode.SUBSCRIPTION || hasDirectives(operation)) {
    return null;
  }
  const rootType = schema.getRootType(operation.operation);
  if (rootType === null || rootType === undefined) {
    return null;
  }
  const fields = planSelections(rootType, operation.selectionSet);
  if (fields === null) {
    return null;
  }
  return {
    schema,
    operation,
    variableDefinitions: operation.variableDefinitions ?? [],
    fragments: fragmentsOf(document),
    rootType,
    serial: operation.operation === OperationTypeNode.MUTATION,
    fields,
  };
}

/** As graphql-js hands them to resolvers: every fragment of the document, by name. */
function fragmentsOf(document: DocumentNode): Record<string, FragmentDefinitionNode> {
  const fragments = Object.create(null) as Record<string, FragmentDefinitionNode>;
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) {
      fragments[definition.name.value] = definition;
    }
  }
  return fragments;
}

function planSelections(parentType: GraphQLObjectType, set: SelectionSetNode): FieldPlan[] | null {
  const plans: FieldPlan[] = [];
  const keys = new Set<string>();
  for (const selection of set.selections) {
    if (selection.kind !== Kind.FIELD || hasDirectives(selection)) {
      return null;
    }
    const responseKey = selection.alias?.value ?? selection.name.value;
    if (keys.has(responseKey)) {
      // Field merging: graphql-js completes the merged selections; leave that to it.
      return null;
    }
    keys.add(responseKey);
    const plan = planField(parentType, selection, responseKey);
    if (plan === null) {
      return null;
    }
    plans.push(plan);
  }
  return plans;
}

function planField(parentType: GraphQLObjectType, node: FieldNode, responseKey: string): FieldPlan | null {
  const fieldName = node.name.value;
  if (fieldName === "__typename") {
    return node.selectionSet === undefined && (node.arguments ?? []).length === 0
      ? { kind: "typename", responseKey, typeName: parentType.name }
      : null;
  }
  if (fieldName.startsWith("__")) {
    return null;
  }
  const definition = parentType.getFields()[fieldName];
  if (definition === undefined) {
    return null;
  }
  const argumentPlans = planArguments(definition, node);
  const completion = planCompletion(definition.type, node);
  if (argumentPlans === null || completion === null) {
    return null;
  }
  return {
    kind: "field",
    responseKey,
    fieldName,
    fieldNodes: [node],
    definition,
    parentType,
    returnType: definition.type,
    resolve: definition.resolve,
    arguments: argumentPlans,
    completion,
  };
}

/** In the definition's order, as graphql-js coerces them; null when one needs its coercion. */
function planArguments(definition: GraphQLField<unknown, unknown>, node: FieldNode): ArgumentPlan[] | null {
  const plans: ArgumentPlan[] = [];
  const given = node.arguments ?? [];
  for (const argument of given) {
    if (!definition.args.some((arg) => arg.name === argument.name.value)) {
      return null;
    }
  }
  for (const arg of definition.args) {
    const valueNode = given.find((argument) => argument.name.value === arg.name)?.value;
    if (valueNode === undefined) {
      if (arg.defaultValue !== undefined) {
        plans.push({ name: arg.name, from: "constant", value: arg.defaultValue });
      } else if (isNonNullType(arg.type)) {
        return null;
      }
      continue;
    }
    if (valueNode.kind === Kind.VARIABLE) {
      plans.push({
        name: arg.name,
        from: "variable",
        variable: valueNode.name.value,
        defaultValue: arg.defaultValue,
        nonNull: isNonNullType(arg.type),
      });
      continue;
    }
    const value = isScalarLiteral(valueNode) ? valueFromAST(valueNode, arg.type) : undefined;
    if (value === undefined || (typeof value === "object" && value !== null)) {
      // Lists, input objects and anything that does not coerce: a shared constant would not do.
      return null;
    }
    plans.push({ name: arg.name, from: "constant", value });
  }
  return plans;
}

function isScalarLiteral(node: ValueNode): boolean {
  return node.kind !== Kind.LIST && node.kind !== Kind.OBJECT && node.kind !== Kind.VARIABLE;
}

function planCompletion(type: GraphQLOutputType, node: FieldNode): Completion | null {
  if (isNonNullType(type)) {
    const of = planCompletion(type.ofType, node);
    return of === null ? null : { kind: "non-null", of };
  }
  if (isListType(type)) {
    const of = planCompletion(type.ofType, node);
    return of === null ? null : { kind: "list", of };
  }
  if (isLeafType(type)) {
    return node.selectionSet === undefined ? { kind: "leaf", type } : null;
  }
  if (isObjectType(type) && typeof type.isTypeOf !== "function" && node.selectionSet !== undefined) {
    const fields = planSelections(type, node.selectionSet);
    return fields === null ? null : { kind: "object", type, fields };
  }
  return null;
}

function hasDirectives(node: { readonly directives?: readonly unknown[] }): boolean {
  return (node.directives ?? []).length > 0;
}
