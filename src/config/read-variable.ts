/** The shape of one entry of the configuration table, and how its text becomes a value. */
import type { OperationLimits } from "../graphql/limits/operation-limits.js";
import type { Places } from "./clouds-yaml.js";

export type Env = Readonly<Record<string, string | undefined>>;

/** What reading one variable may see: the environment and the variables above it in the table. */
export interface Context {
  readonly env: Env;
  /** Where files named by relative paths and `~` are found (clouds.yaml). */
  readonly places: Places;
  value(name: string): unknown;
  problem(message: string): void;
}

interface Entry {
  readonly name: string;
  /** The Config field it fills. */
  readonly field: string;
  /** Its meaning in docs/configuration.md. */
  readonly meaning: string;
  /** The documented default, where it is not `default` itself. */
  readonly docDefault?: string;
  /** The operation limit it sets. */
  readonly limit?: keyof OperationLimits;
}

/**
 * An integer from min to max. A bound or the default may name a variable above; a default outside
 * the bounds moves to the nearest one (UPSTREAM_CONNECT_TIMEOUT_MS: 5000, or less when
 * UPSTREAM_TIMEOUT_MS is less).
 */
interface IntegerEntry extends Entry {
  readonly integer: readonly [min: number | string, max: number | string];
  readonly default: number | string;
}

/** One of the listed words; `then` may revise the choice against variables above. */
interface ChoiceEntry extends Entry {
  readonly oneOf: readonly string[];
  readonly default: string;
  readonly then?: (chosen: string, context: Context) => string;
}

/** true / false (also 1 / 0), or trimmed text. */
interface PlainEntry extends Entry {
  readonly default: boolean | string;
}

/**
 * Read by its own function, given "" when the variable is unset.
 *
 * Secrets (OS_PASSWORD, OS_API_KEY, OS_APPLICATION_CREDENTIAL_SECRET) are read this way so that their
 * values never become Config fields: their own entries return only whether they are set
 * (`osPasswordSet`), and the entry that builds the settings needing them (OS_CLOUD's `openstack`)
 * reads the values from `context.env` itself and keeps them where logs and JSON do not reach.
 */
interface ParsedEntry extends Entry {
  readonly parse: (raw: string, context: Context) => unknown;
}

export type Variable = IntegerEntry | ChoiceEntry | PlainEntry | ParsedEntry;

export function readVariable(variable: Variable, context: Context): unknown {
  const raw = context.env[variable.name] ?? "";
  const text = raw.trim();
  if ("parse" in variable) {
    return variable.parse(raw, context);
  }
  if ("integer" in variable) {
    const min = numberOf(variable.integer[0], context);
    const max = numberOf(variable.integer[1], context);
    const fallback = Math.min(Math.max(numberOf(variable.default, context), min), max);
    if (text === "") {
      return fallback;
    }
    const value = Number(raw);
    if (Number.isInteger(value) && value >= min && value <= max) {
      return value;
    }
    const named = variable.integer.filter((bound) => typeof bound === "string");
    const range = `from ${min} to ${max}${named.length > 0 ? ` (${named.join(", ")})` : ""}`;
    context.problem(`${variable.name} must be an integer ${range} (got "${raw}")`);
    return fallback;
  }
  if ("oneOf" in variable) {
    const valid = text === "" || variable.oneOf.includes(text);
    if (!valid) {
      context.problem(`${variable.name} must be one of ${variable.oneOf.join(", ")} (got "${text}")`);
    }
    const chosen = text !== "" && valid ? text : variable.default;
    return variable.then?.(chosen, context) ?? chosen;
  }
  if (typeof variable.default === "boolean") {
    const flag = text.toLowerCase();
    if (flag === "true" || flag === "1") {
      return true;
    }
    if (flag === "false" || flag === "0") {
      return false;
    }
    if (flag !== "") {
      context.problem(`${variable.name} must be true or false (got "${raw}")`);
    }
    return variable.default;
  }
  return text || variable.default;
}

/** A bound or default: a number, or the name of a variable above whose value it is. */
function numberOf(bound: number | string, context: Context): number {
  return typeof bound === "number" ? bound : (context.value(bound) as number);
}
