/**
 * Runs an operation plan (operation-plan.ts) with graphql-js's execution semantics, step for step:
 * the same resolver calls with the same arguments and info, the same completion, null propagation
 * and error collection, results built in the same order and settled through the same promise
 * chains, so that errors come out in the same order too. What it leaves out is the work graphql-js
 * repeats on every request: collecting fields, looking up definitions and building arguments.
 */
import {
  GraphQLError,
  getArgumentValues,
  getVariableValues,
  locatedError,
  responsePathAsArray,
  type ExecutionResult,
  type GraphQLResolveInfo,
} from "graphql";
import { inspect } from "graphql/jsutils/inspect.js";
import type { Path } from "graphql/jsutils/Path.js";
import type { Completion, FieldPlan, OperationPlan, ResolverPlan } from "./operation-plan.js";

type Value = unknown;

interface Run {
  readonly plan: OperationPlan;
  readonly contextValue: unknown;
  readonly variableValues: Record<string, unknown>;
  readonly errors: CollectedErrors;
}

/** As graphql-js's: an error below a position already nulled by another error is not reported. */
class CollectedErrors {
  private readonly positions = new Set<Path | undefined>();
  readonly list: GraphQLError[] = [];

  add(error: GraphQLError, path: Path | undefined): void {
    for (let at = path; at !== undefined; at = at.prev) {
      if (this.positions.has(at)) {
        return;
      }
    }
    if (this.positions.has(undefined)) {
      return;
    }
    this.positions.add(path);
    this.list.push(error);
  }
}

export function executePlan(
  plan: OperationPlan,
  contextValue: unknown,
  rawVariables: Readonly<Record<string, unknown>> | undefined,
): ExecutionResult | Promise<ExecutionResult> {
  const coerced = getVariableValues(plan.schema, plan.variableDefinitions, rawVariables ?? {}, {
    maxErrors: 50,
  });
  if (coerced.errors !== undefined) {
    return { errors: coerced.errors };
  }
  const run: Run = { plan, contextValue, variableValues: coerced.coerced, errors: new CollectedErrors() };
  try {
    const data = plan.serial
      ? executeSerially(run, plan.fields)
      : executeFields(run, plan.fields, undefined, undefined);
    if (isPromise(data)) {
      return data.then(
        (resolved) => response(resolved as Record<string, unknown>, run.errors.list),
        (error: unknown) => {
          run.errors.add(error as GraphQLError, undefined);
          return response(null, run.errors.list);
        },
      );
    }
    return response(data as Record<string, unknown>, run.errors.list);
  } catch (error) {
    run.errors.add(error as GraphQLError, undefined);
    return response(null, run.errors.list);
  }
}

function response(data: Record<string, unknown> | null, errors: readonly GraphQLError[]): ExecutionResult {
  return errors.length === 0 ? { data } : { errors, data };
}

function executeSerially(run: Run, fields: readonly FieldPlan[]): Value {
  let results: Value = Object.create(null);
  for (const field of fields) {
    const step = (accumulated: Value): Value => {
      const object = accumulated as Record<string, Value>;
      const result = executeField(run, field, undefined, {
        prev: undefined,
        key: field.responseKey,
        typename: run.plan.rootType.name,
      });
      if (isPromise(result)) {
        return result.then((resolved) => {
          object[field.responseKey] = resolved;
          return object;
        });
      }
      object[field.responseKey] = result;
      return object;
    };
    results = isPromise(results) ? results.then(step) : step(results);
  }
  return results;
}

function executeFields(run: Run, fields: readonly FieldPlan[], source: Value, path: Path | undefined): Value {
  const results = Object.create(null) as Record<string, Value>;
  let containsPromise = false;
  try {
    for (const field of fields) {
      const fieldPath: Path = { prev: path, key: field.responseKey, typename: parentTypeName(field) };
      const result = executeField(run, field, source, fieldPath);
      results[field.responseKey] = result;
      if (isPromise(result)) {
        containsPromise = true;
      }
    }
  } catch (error) {
    if (containsPromise) {
      return promiseForObject(results).finally(() => {
        throw error;
      });
    }
    throw error;
  }
  return containsPromise ? promiseForObject(results) : results;
}

function parentTypeName(field: FieldPlan): string {
  return field.kind === "field" ? field.parentType.name : field.typeName;
}

function promiseForObject(object: Record<string, Value>): Promise<Record<string, Value>> {
  return Promise.all(Object.values(object)).then((values) => {
    const resolved = Object.create(null) as Record<string, Value>;
    const keys = Object.keys(object);
    for (let i = 0; i < keys.length; i++) {
      resolved[keys[i]!] = values[i];
    }
    return resolved;
  });
}

function executeField(run: Run, field: FieldPlan, source: Value, path: Path): Value {
  if (field.kind === "typename") {
    return field.typeName;
  }
  try {
    const args = argumentsOf(run, field);
    let result: Value;
    if (field.resolve !== undefined) {
      result = field.resolve(source, args, run.contextValue, resolveInfo(run, field, path));
    } else if ((typeof source === "object" && source !== null) || typeof source === "function") {
      const holder = source as Record<string, Value>;
      const property = holder[field.fieldName];
      result =
        typeof property === "function"
          ? (holder[field.fieldName] as (...parameters: unknown[]) => Value)(
              args,
              run.contextValue,
              resolveInfo(run, field, path),
            )
          : property;
    }
    const completed = isPromise(result)
      ? result.then((resolved) => completeValue(run, field, field.completion, path, resolved))
      : completeValue(run, field, field.completion, path, result);
    if (isPromise(completed)) {
      return completed.then(undefined, (rawError: unknown) =>
        handleFieldError(run, located(rawError, field, path), field.completion, path),
      );
    }
    return completed;
  } catch (rawError) {
    return handleFieldError(run, located(rawError, field, path), field.completion, path);
  }
}

function resolveInfo(run: Run, field: ResolverPlan, path: Path): GraphQLResolveInfo {
  return {
    fieldName: field.fieldName,
    fieldNodes: field.fieldNodes,
    returnType: field.returnType,
    parentType: field.parentType,
    path,
    schema: run.plan.schema,
    fragments: run.plan.fragments,
    rootValue: undefined,
    operation: run.plan.operation,
    variableValues: run.variableValues,
  };
}

/** As graphql-js's getArgumentValues builds them; the rare irregular case is left to it. */
function argumentsOf(run: Run, field: ResolverPlan): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  const variables = run.variableValues;
  for (const argument of field.arguments) {
    if (argument.from === "constant") {
      args[argument.name] = argument.value;
      continue;
    }
    if (!Object.prototype.hasOwnProperty.call(variables, argument.variable)) {
      if (argument.defaultValue === undefined) {
        if (argument.nonNull) {
          return getArgumentValues(field.definition, field.fieldNodes[0]!, variables);
        }
      } else {
        args[argument.name] = argument.defaultValue;
      }
      continue;
    }
    const value = variables[argument.variable];
    if (value === undefined || (value === null && argument.nonNull)) {
      // Throws the error graphql-js throws.
      return getArgumentValues(field.definition, field.fieldNodes[0]!, variables);
    }
    args[argument.name] = value;
  }
  return args;
}

function handleFieldError(run: Run, error: GraphQLError, completion: Completion, path: Path): null {
  if (completion.kind === "non-null") {
    throw error;
  }
  run.errors.add(error, path);
  return null;
}

function located(rawError: unknown, field: ResolverPlan, path: Path): GraphQLError {
  return locatedError(rawError, field.fieldNodes, responsePathAsArray(path));
}

function completeValue(
  run: Run,
  field: ResolverPlan,
  completion: Completion,
  path: Path,
  result: Value,
): Value {
  if (result instanceof Error) {
    throw result;
  }
  switch (completion.kind) {
    case "non-null": {
      const completed = completeValue(run, field, completion.of, path, result);
      if (completed === null) {
        throw new Error(
          `Cannot return null for non-nullable field ${field.parentType.name}.${field.fieldName}.`,
        );
      }
      return completed;
    }
    case "list":
      return result === null || result === undefined
        ? null
        : completeList(run, field, completion.of, path, result);
    case "leaf":
      return result === null || result === undefined ? null : completeLeaf(completion, result);
    case "object":
      return result === null || result === undefined
        ? null
        : executeFields(run, completion.fields, result, path);
  }
}

function completeList(
  run: Run,
  field: ResolverPlan,
  itemCompletion: Completion,
  path: Path,
  result: Value,
): Value {
  if (!isIterableObject(result)) {
    throw new GraphQLError(
      `Expected Iterable, but did not find one for field "${field.parentType.name}.${field.fieldName}".`,
    );
  }
  let containsPromise = false;
  const completed = Array.from(result, (item: Value, index: number) => {
    const itemPath: Path = { prev: path, key: index, typename: undefined };
    try {
      const completedItem = isPromise(item)
        ? item.then((resolved) => completeValue(run, field, itemCompletion, itemPath, resolved))
        : completeValue(run, field, itemCompletion, itemPath, item);
      if (isPromise(completedItem)) {
        containsPromise = true;
        return completedItem.then(undefined, (rawError: unknown) =>
          handleFieldError(run, located(rawError, field, itemPath), itemCompletion, itemPath),
        );
      }
      return completedItem;
    } catch (rawError) {
      return handleFieldError(run, located(rawError, field, itemPath), itemCompletion, itemPath);
    }
  });
  return containsPromise ? Promise.all(completed) : completed;
}

function completeLeaf(completion: Extract<Completion, { kind: "leaf" }>, result: Value): Value {
  const serialized: unknown = completion.type.serialize(result);
  if (serialized === null || serialized === undefined) {
    throw leafError(completion, result, serialized);
  }
  return serialized;
}

function leafError(
  completion: Extract<Completion, { kind: "leaf" }>,
  result: Value,
  serialized: unknown,
): Error {
  return new Error(
    `Expected \`${inspect(completion.type)}.serialize(${inspect(result)})\` to ` +
      `return non-nullable value, returned: ${inspect(serialized)}`,
  );
}

function isPromise(value: unknown): value is Promise<Value> {
  return typeof (value as { then?: unknown } | null | undefined)?.then === "function";
}

function isIterableObject(value: unknown): value is Iterable<Value> {
  return (
    typeof value === "object" &&
    typeof (value as { [Symbol.iterator]?: unknown } | null)?.[Symbol.iterator] === "function"
  );
}
