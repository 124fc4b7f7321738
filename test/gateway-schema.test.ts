import { readFileSync } from "node:fs";
import { isInputObjectType, isInterfaceType, isObjectType, type GraphQLField } from "graphql";
import { describe, expect, it } from "vitest";
import {
  buildGatewaySchema,
  buildTypeGraphqlSchema,
  printGatewaySchema,
  printGatewaySubgraph,
} from "../src/graphql/build-schema.js";

const committed = (name: string): string =>
  readFileSync(new URL(`../schema/${name}`, import.meta.url), "utf8");

describe("committed schema files (run `npm run schema:emit` after changing types)", () => {
  const base = buildTypeGraphqlSchema();

  it("schema/schema.graphql matches the schema the code builds", () => {
    expect(printGatewaySchema(base)).toBe(committed("schema.graphql"));
  });

  it("schema/subgraph.graphql matches the subgraph the code serves", () => {
    expect(printGatewaySubgraph(buildGatewaySchema(base))).toBe(committed("subgraph.graphql"));
  });

  it("every type, field and argument has a description", () => {
    const missing: string[] = [];
    for (const type of Object.values(base.getTypeMap())) {
      if (type.name.startsWith("__") || ["String", "Boolean", "ID", "Int", "Float"].includes(type.name)) {
        continue;
      }
      if (!type.description && type.name !== "Query" && type.name !== "Mutation") {
        missing.push(type.name);
      }
      if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
        for (const field of Object.values(type.getFields()) as Array<
          GraphQLField<unknown, unknown> | { name: string; description?: string | null; args?: undefined }
        >) {
          if (!field.description) {
            missing.push(`${type.name}.${field.name}`);
          }
          for (const arg of field.args ?? []) {
            if (!arg.description) {
              missing.push(`${type.name}.${field.name}(${arg.name})`);
            }
          }
        }
      }
    }
    expect(missing).toEqual([]);
  });
});
