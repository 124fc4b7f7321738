/**
 * The README keeps up with the code: every error code, every metric. (Every setting is checked against
 * docs/configuration.md by test/unit/config-docs.test.ts.)
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ERROR_CODES } from "../../src/graphql/errors/codes.js";
import { INSTRUMENTS } from "../../src/telemetry/instruments.js";

const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");

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

  it("lists every metric, with its labels, in the fleet section", () => {
    const fleet = section("Run it as a fleet");
    for (const instrument of Object.values(INSTRUMENTS)) {
      const row = fleet.split("\n").find((line) => line.startsWith(`| \`${instrument.name}\``));
      expect(row, instrument.name).toBeDefined();
      for (const label of instrument.labels) {
        expect(row, `${instrument.name} ${label}`).toContain(`\`${label}\``);
      }
    }
  });
});
