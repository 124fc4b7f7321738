import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { printGatewaySchema } from "../src/graphql/build-schema.js";

describe("schema/schema.graphql", () => {
  it("matches the schema the code builds (run `npm run schema:emit` after changing types)", () => {
    const committed = readFileSync(new URL("../schema/schema.graphql", import.meta.url), "utf8");
    expect(printGatewaySchema()).toBe(committed);
  });

  it("has a description on every type, field and argument", () => {
    const sdl = printGatewaySchema();
    // Every definition line that declares a field/arg must be preceded by a description block.
    const lines = sdl.split("\n");
    const undocumented = lines.filter((line, index) => {
      const declares = /^\s+\w+(\(|:)/.test(line) || /^(type|enum) \w+/.test(line);
      if (!declares || /^type (Query|Mutation) /.test(line)) {
        return false;
      }
      const previous = lines[index - 1]?.trim() ?? "";
      return !previous.endsWith('"""') && !(previous.startsWith('"""') && previous.endsWith('"""'));
    });
    expect(undocumented).toEqual([]);
  });
});
