/**
 * docs/configuration.md against the configuration table: the variables the code reads are the ones
 * documented, with the table's defaults, values and meanings. On a difference the failure prints the
 * table to paste into the page.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.js";
import type { Variable } from "../../src/config/read-variable.js";
import { VARIABLES } from "../../src/config/variables.js";

const HEADER = ["variable", "default", "values", "meaning"];
const code = (text: string | number | boolean): string => `\`${text}\``;

/** The documentation row of one table entry. */
function rowOf(variable: Variable): string[] {
  const values =
    "integer" in variable
      ? variable.integer
          .map((bound) => (typeof bound === "string" ? code(bound) : String(bound)))
          .join(" to ")
      : "oneOf" in variable
        ? variable.oneOf.map(code).join(", ")
        : "default" in variable && typeof variable.default === "boolean"
          ? "`true` or `false`"
          : "";
  const fallback = variable.docDefault ?? ("default" in variable ? code(variable.default) : "");
  return [code(variable.name), fallback, values, variable.meaning];
}

/** The table laid out as prettier formats it. */
function markdown(rows: readonly string[][]): string {
  const all = [HEADER, ...rows];
  const widths = HEADER.map((_, column) => Math.max(...all.map((cells) => cells[column]?.length ?? 0)));
  const line = (cells: readonly string[]): string =>
    `| ${cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(" | ")} |`;
  return [line(HEADER), line(widths.map((width) => "-".repeat(width))), ...rows.map(line)].join("\n");
}

const expected = (VARIABLES as readonly Variable[]).map(rowOf);
const documented = readFileSync(new URL("../../docs/configuration.md", import.meta.url), "utf8")
  .split("\n")
  .filter((line) => /^\| `[A-Z0-9_]+` /.test(line))
  .map((line) =>
    line
      .slice(1, -1)
      .split("|")
      .map((cell) => cell.trim()),
  );
const regenerate = `docs/configuration.md should have this table:\n\n${markdown(expected)}\n`;

describe("docs/configuration.md", () => {
  it("documents every variable of the table, with its default", () => {
    const wrong = expected
      .filter(([name, fallback]) => !documented.some((row) => row[0] === name && row[1] === fallback))
      .map(([name, fallback]) => `${name} (default ${fallback || "none"})`);
    expect(wrong, regenerate).toEqual([]);
  });

  it("lists no variable the table lacks", () => {
    const unknown = documented.filter(([name]) => !expected.some((row) => row[0] === name));
    expect(
      unknown.map(([name]) => name),
      regenerate,
    ).toEqual([]);
  });

  it("documents each variable as the table does, in its order", () => {
    expect(documented, regenerate).toEqual(expected);
  });

  it("documents exactly the variables loadConfig reads, whatever their values", () => {
    const read = new Set<string>();
    for (const sample of [
      undefined,
      "1",
      "*",
      "true",
      "production",
      "http://127.0.0.1:9292/v2",
      "x-a, x-b",
    ]) {
      const env = new Proxy<Record<string, string | undefined>>(
        {},
        {
          get: (_, name) => {
            read.add(String(name));
            return sample;
          },
        },
      );
      try {
        loadConfig(env);
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
      }
    }
    expect([...read].map(code).sort()).toEqual(documented.map(([name]) => name).sort());
  });
});
