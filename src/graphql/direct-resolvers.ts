/**
 * Direct calls of the type-graphql resolver methods that need none of its per-call machinery.
 *
 * type-graphql runs every resolver through a generic wrapper: it sorts the parameter list, converts
 * and validates each argument (in an async function, so that each argument costs a promise even
 * with validation off), asks the container for the class instance and runs the middleware chain.
 * For a member list that is three wrapped calls per member and a few promises each. A resolver
 * qualifies for a direct call when it has no middlewares and no authorization, and its parameters
 * are only @Root and @Ctx (whole values), @Info, and @Arg of a scalar or enum type without
 * validation settings: for those the wrapper passes the values through unchanged. The method is
 * then called on one instance of its class, with the same values in the same order.
 */
import { getMetadataStorage } from "type-graphql";
import type { GraphQLFieldResolver } from "graphql";

type Storage = ReturnType<typeof getMetadataStorage>;
type ResolverMeta = Storage["queries"][number] | Storage["fieldResolvers"][number];
type Param = NonNullable<ResolverMeta["params"]>[number];
type ResolverClass = new () => Record<string, (...values: unknown[]) => unknown>;

/** Where each parameter's value comes from: root, args[name], context or info. */
type Source =
  { readonly from: "root" | "context" | "info" } | { readonly from: "arg"; readonly name: string };

export interface DirectResolvers {
  /** By GraphQL type name, then field name, as a resolver map. */
  readonly map: Record<string, Record<string, GraphQLFieldResolver<unknown, unknown>>>;
  /** "Type.field" of every resolver called directly, for tests and diagnostics. */
  readonly fields: readonly string[];
}

/** The direct resolvers for the given resolver classes, once type-graphql has built its schema. */
export function directResolvers(classes: readonly unknown[]): DirectResolvers {
  const storage = getMetadataStorage();
  const instances = new Map<unknown, InstanceType<ResolverClass>>();
  const instanceOf = (target: unknown): InstanceType<ResolverClass> => {
    let instance = instances.get(target);
    if (instance === undefined) {
      instance = new (target as ResolverClass)();
      instances.set(target, instance);
    }
    return instance;
  };
  const map: Record<string, Record<string, GraphQLFieldResolver<unknown, unknown>>> = {};
  const fields: string[] = [];
  const add = (typeName: string | undefined, meta: ResolverMeta): void => {
    if (typeName === undefined || !classes.includes(meta.target)) {
      return;
    }
    const sources = sourcesOf(meta, storage);
    if (sources === null) {
      return;
    }
    const instance = instanceOf(meta.target);
    const method = instance[meta.methodName];
    if (typeof method !== "function") {
      return;
    }
    (map[typeName] ??= {})[meta.schemaName] = callDirectly(instance, method, sources);
    fields.push(`${typeName}.${meta.schemaName}`);
  };
  for (const meta of storage.queries) {
    add("Query", meta);
  }
  for (const meta of storage.mutations) {
    add("Mutation", meta);
  }
  for (const meta of storage.fieldResolvers) {
    const objectClass = meta.getObjectType?.();
    add(storage.objectTypes.find((type) => type.target === objectClass)?.name, meta);
  }
  return { map, fields };
}

function sourcesOf(meta: ResolverMeta, storage: Storage): Source[] | null {
  if ((meta.middlewares?.length ?? 0) > 0 || meta.roles !== undefined || meta.params === undefined) {
    return null;
  }
  const sources: Source[] = [];
  for (const param of [...meta.params].sort((a, b) => a.index - b.index)) {
    const source = sourceOf(param, storage);
    if (source === null) {
      return null;
    }
    sources.push(source);
  }
  return sources;
}

function sourceOf(param: Param, storage: Storage): Source | null {
  switch (param.kind) {
    case "root":
      return param.propertyName === undefined && param.getType === undefined ? { from: "root" } : null;
    case "context":
      return param.propertyName === undefined ? { from: "context" } : null;
    case "info":
      return { from: "info" };
    case "arg": {
      if (param.validateSettings !== undefined || param.validateFn !== undefined) {
        return null;
      }
      // An input type class is converted into an instance of it; scalars and enums pass as they are.
      const type: unknown = param.getType();
      const isInputClass = storage.inputTypes.some((input) => input.target === type);
      return isInputClass ? null : { from: "arg", name: param.name };
    }
    default:
      return null;
  }
}

function callDirectly(
  instance: object,
  method: (...values: unknown[]) => unknown,
  sources: readonly Source[],
): GraphQLFieldResolver<unknown, unknown> {
  const count = sources.length;
  return (root, args: Record<string, unknown>, context, info) => {
    const values = new Array<unknown>(count);
    for (let i = 0; i < count; i++) {
      const source = sources[i]!;
      switch (source.from) {
        case "root":
          values[i] = root;
          break;
        case "context":
          values[i] = context;
          break;
        case "info":
          values[i] = info;
          break;
        case "arg":
          values[i] = args[source.name];
          break;
      }
    }
    return method.apply(instance, values);
  };
}
