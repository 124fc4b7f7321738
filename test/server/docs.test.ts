/** The README keeps up with the code: every error code, and every reliability and limit variable. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ERROR_CODES } from "../../src/graphql/errors/codes.js";

const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
const configSource = readFileSync(new URL("../../src/config.ts", import.meta.url), "utf8");

function section(title: string): string {
  const start = readme.indexOf(`## ${title}\n`);
  const end = readme.indexOf("\n## ", start + 1);
  return readme.slice(start, end === -1 ? undefined : end);
}

describe("README", () => {
  it("lists every error code in the Errors table", () => {
    const errors = section("Errors");
    for (const code of ERROR_CODES) {
      expect(errors, code).toContain(`\`${code}\``);
    }
  });

  it("lists every reliability and limit variable in the configuration table", () => {
    const names = [...configSource.matchAll(/integer\(\s*"([A-Z_]+)"/g)].map((match) => match[1] ?? "");
    const reliability = names.filter((name) =>
      /^(UPSTREAM|REQUEST|CIRCUIT|MAX|READINESS|SHUTDOWN)_/.test(name),
    );
    expect(reliability.length).toBeGreaterThan(20);
    const table = section("Configuration");
    for (const name of reliability) {
      expect(table, name).toContain(`| \`${name}\``);
    }
  });
});
