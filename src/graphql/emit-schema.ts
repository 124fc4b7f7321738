/** Writes schema/schema.graphql and schema/subgraph.graphql from the code (npm run schema:emit). */
import "reflect-metadata";
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import {
  buildTypeGraphqlSchema,
  buildGatewaySchema,
  printGatewaySchema,
  printGatewaySubgraph,
} from "./build-schema.js";

const base = buildTypeGraphqlSchema();
const files: Array<[string, string]> = [
  ["schema/schema.graphql", printGatewaySchema(base)],
  ["schema/subgraph.graphql", printGatewaySubgraph(buildGatewaySchema(base))],
];
for (const [path, text] of files) {
  const target = resolve(process.cwd(), path);
  writeFileSync(target, text);
  console.log(`wrote ${target}`);
}
