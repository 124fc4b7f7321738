/**
 * The direct path's execution plans: which operations get one, and that running a plan answers
 * exactly what graphql-js's `execute` answers for the same operation (data, errors in order with
 * their paths and locations, null propagation, the resolvers' calls and their arguments).
 */
import {
  buildSchema,
  execute,
  getOperationAST,
  parse,
  validate,
  type GraphQLFieldResolver,
  type GraphQLSchema,
} from "graphql";
import { describe, expect, it } from "vitest";
import "reflect-metadata";
import { buildGatewaySchema } from "../../src/graphql/build-schema.js";
import { planOperation } from "../../src/server/direct/operation-plan.js";
import { executePlan } from "../../src/server/direct/plan-executor.js";

const SDL = `
  enum Color { RED GREEN }
  interface Named { name: String }
  type Item implements Named {
    id: ID!
    name: String
    method(suffix: String): String
    late: String
    broken: String!
    brokenLate: String!
    errorValue: String
    child: Item
    tags: [String!]
    lateTags: [String]
    color: Color
  }
  type Query {
    item(id: ID!, flag: Boolean = true, color: Color): Item
    items(count: Int!): [Item!]!
    looseItems(count: Int!): [Item]
    strictItem: Item!
    failing: String
    failingLate: String
    notIterable: [String]
    badLeaf: Int
    echo(text: String, n: Int = 3, color: Color): String
    named: Named
  }
  type Mutation {
    step(label: String!): [String!]!
  }
`;

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

interface Source {
  readonly id: string;
  readonly depth: number;
}

function testSchema(calls: string[]): GraphQLSchema {
  const schema = buildSchema(SDL);
  const resolvers: Record<string, Record<string, GraphQLFieldResolver<unknown, unknown>>> = {
    Query: {
      item: (_root, args) => {
        calls.push(`item ${JSON.stringify(args)}`);
        const id = String((args as { id: string }).id);
        return {
          id,
          depth: 0,
          method(this: Source, methodArgs: { suffix?: string }) {
            return `${this.id}${methodArgs.suffix ?? "?"}`;
          },
        };
      },
      items: async (_root, args) => {
        calls.push(`items ${JSON.stringify(args)}`);
        await tick();
        return Array.from({ length: (args as { count: number }).count }, (_, i) => ({
          id: `i${i}`,
          depth: 0,
        }));
      },
      looseItems: (_root, args) =>
        Array.from({ length: (args as { count: number }).count }, (_, i) =>
          i % 2 === 0 ? Promise.resolve({ id: `l${i}`, depth: 0 }) : null,
        ),
      strictItem: () => null,
      failing: () => {
        throw new Error("sync failure");
      },
      failingLate: async () => {
        await tick();
        throw new Error("late failure");
      },
      notIterable: () => 42,
      badLeaf: () => "not a number",
      echo: (_root, args) => JSON.stringify(args),
      named: () => ({ id: "n", depth: 0 }),
    },
    Item: {
      name: (source) => `name of ${(source as Source).id}`,
      late: async (source) => {
        await tick();
        return `late ${(source as Source).id}`;
      },
      broken: () => null,
      brokenLate: async () => {
        await tick();
        throw new Error("broken late");
      },
      errorValue: () => new Error("returned, not thrown"),
      child: (source) => {
        const { id, depth } = source as Source;
        return depth < 2 ? { id: `${id}.c`, depth: depth + 1 } : null;
      },
      tags: (source) => [(source as Source).id, "b"],
      lateTags: (source) => [Promise.resolve((source as Source).id), Promise.reject(new Error("tag")), null],
      color: (source) => ((source as Source).depth === 0 ? "RED" : "GREEN"),
    },
    Mutation: {
      step: async (_root, args) => {
        const label = (args as { label: string }).label;
        calls.push(`start ${label}`);
        await tick();
        calls.push(`end ${label}`);
        return [label];
      },
    },
  };
  for (const [typeName, fields] of Object.entries(resolvers)) {
    const type = schema.getType(typeName) as unknown as {
      getFields(): Record<string, { resolve?: unknown }>;
    };
    for (const [name, resolve] of Object.entries(fields)) {
      type.getFields()[name]!.resolve = resolve;
    }
  }
  (schema.getType("Named") as unknown as { resolveType: () => string }).resolveType = () => "Item";
  return schema;
}

async function both(
  query: string,
  variables?: Record<string, unknown>,
): Promise<{ graphqlJs: string; plan: string; callsJs: string[]; callsPlan: string[] }> {
  const callsJs: string[] = [];
  const callsPlan: string[] = [];
  const schemaJs = testSchema(callsJs);
  const schemaPlan = testSchema(callsPlan);
  const document = parse(query);
  expect(validate(schemaJs, document)).toEqual([]);
  const js = await execute({
    schema: schemaJs,
    document,
    variableValues: variables,
    contextValue: {},
  });
  const operation = getOperationAST(document)!;
  const plan = planOperation(schemaPlan, document, operation);
  expect(plan).not.toBeNull();
  const planned = await executePlan(plan!, {}, variables);
  return { graphqlJs: JSON.stringify(js), plan: JSON.stringify(planned), callsJs, callsPlan };
}

const CASES: Array<[string, string, Record<string, unknown>?]> = [
  [
    "scalar arguments from variables, literals and defaults",
    `query Q($id: ID!, $c: Color) { item(id: $id, color: $c) { id name } echo(text: "hi", color: GREEN) }`,
    { id: 7, c: "GREEN" },
  ],
  ["an omitted nullable variable", `query Q($t: String) { echo(text: $t) }`, {}],
  ["a variable given as null", `query Q($t: String) { echo(text: $t) }`, { t: null }],
  [
    "aliases and __typename",
    `{ a: item(id: "1") { __typename id } b: item(id: "2") { name t: __typename } __typename }`,
  ],
  [
    "nested objects, lists and enums",
    `{ items(count: 3) { id color child { id color child { id child { id } } } tags } }`,
  ],
  ["promises at every level", `{ items(count: 2) { late child { late } } item(id: "x") { late } }`],
  ["a thrown error in a nullable field", `{ failing item(id: "1") { id } }`],
  ["a rejected promise in a nullable field", `{ failingLate item(id: "1") { late } }`],
  ["null in a non-null field propagates to the nearest nullable parent", `{ item(id: "1") { id broken } }`],
  ["a late failure in a non-null field inside a non-null list", `{ items(count: 2) { id brokenLate } }`],
  [
    "a sync non-null failure after a pending sibling, racing another error",
    `{ a: item(id: "1") { late broken } b: failingLate }`,
  ],
  ["a non-null root field answering null", `{ strictItem { id } failing }`],
  ["a returned Error", `{ item(id: "1") { errorValue } }`],
  ["list items: promises, rejections and nulls", `{ looseItems(count: 3) { id lateTags } }`],
  ["a list resolver answering a non-iterable", `{ notIterable }`],
  ["a leaf that does not serialize", `{ badLeaf }`],
  [
    "errors on sibling positions, in order",
    `{ a: item(id: "1") { brokenLate late } b: failingLate c: item(id: "2") { errorValue } }`,
  ],
  ["a default resolver calling a method of the parent value", `{ item(id: "1") { method(suffix: "!") } }`],
];

describe("planned execution", () => {
  for (const [name, query, variables] of CASES) {
    it(`answers as graphql-js does: ${name}`, async () => {
      const { graphqlJs, plan, callsJs, callsPlan } = await both(query, variables);
      expect(plan).toBe(graphqlJs);
      expect(callsPlan).toEqual(callsJs);
    });
  }

  it("runs mutation fields one after the other, as graphql-js does", async () => {
    const { graphqlJs, plan, callsJs, callsPlan } = await both(
      `mutation { a: step(label: "a") b: step(label: "b") }`,
    );
    expect(plan).toBe(graphqlJs);
    expect(callsPlan).toEqual(["start a", "end a", "start b", "end b"]);
    expect(callsPlan).toEqual(callsJs);
  });

  it("answers variables that do not coerce with graphql-js's request errors and runs nothing", async () => {
    const { graphqlJs, plan, callsPlan } = await both(`query Q($id: ID!) { item(id: $id) { id } }`, {
      id: { no: 1 },
    });
    expect(plan).toBe(graphqlJs);
    expect(JSON.parse(plan)).not.toHaveProperty("data");
    expect(callsPlan).toEqual([]);
  });
});

describe("planOperation", () => {
  const schema = testSchema([]);
  const planned = (query: string): boolean => {
    const document = parse(query);
    expect(validate(schema, document)).toEqual([]);
    return planOperation(schema, document, getOperationAST(document)!) !== null;
  };

  it("plans fields, aliases, arguments and __typename", () => {
    expect(planned(`query Q($id: ID!) { item(id: $id, flag: false) { __typename id child { id } } }`)).toBe(
      true,
    );
  });

  it.each([
    ["fragment spreads", `{ item(id: "1") { ...F } } fragment F on Item { id }`],
    ["inline fragments", `{ item(id: "1") { ... on Item { id } } }`],
    ["directives", `query Q($s: Boolean!) { item(id: "1") { id @skip(if: $s) } }`],
    ["merged fields", `{ item(id: "1") { id } item(id: "1") { name } }`],
    ["abstract types", `{ named { name } }`],
    ["introspection", `{ __schema { queryType { name } } }`],
  ])("leaves %s to graphql-js", (name, query) => {
    expect(planned(query), name).toBe(false);
  });

  it("plans every operation of the gateway but _entities", () => {
    const gateway = buildGatewaySchema();
    const fields = "id imageId memberId status createdAt updatedAt";
    const documents: Array<[string, boolean]> = [
      [`query ($i: ID!, $m: ID!) { imageMember(imageId: $i, memberId: $m) { ${fields} } }`, true],
      [`query ($i: ID!) { imageMembers(imageId: $i) { ${fields} image { id } } }`, true],
      [
        `query ($i: ID!, $m: ID!) { a: imageMember(imageId: $i, memberId: $m) { id } b: imageMember(imageId: $i, memberId: $m) { id } }`,
        true,
      ],
      [`mutation ($i: ID!, $m: ID!) { shareImage(imageId: $i, memberId: $m) { ${fields} } }`, true],
      [
        `mutation ($i: ID!, $m: ID!) { respondToShare(imageId: $i, memberId: $m, status: ACCEPTED) { status } unshareImage(imageId: $i, memberId: $m) }`,
        true,
      ],
      [
        `query ($m: ID!, $s: MemberStatus) { sharedImages(memberId: $m, status: $s) { imageId memberId status } }`,
        true,
      ],
      [`query ($r: [_Any!]!) { _entities(representations: $r) { ... on ImageMember { ${fields} } } }`, false],
    ];
    for (const [query, expected] of documents) {
      const document = parse(query);
      expect(validate(gateway, document)).toEqual([]);
      expect(planOperation(gateway, document, getOperationAST(document)!) !== null, query).toBe(expected);
    }
  });
});
