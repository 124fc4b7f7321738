/** Writes schema/schema.graphql from the code (npm run schema:emit, run from the project root). */
import "reflect-metadata";
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { printGatewaySchema } from "./build-schema.js";

const target = resolve(process.cwd(), "schema/schema.graphql");
writeFileSync(target, printGatewaySchema());
console.log(`wrote ${target}`);
