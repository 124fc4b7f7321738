/**
 * The one place that reads the environment, through the table of config/variables.ts. Every
 * variable is checked at start-up, and all problems are reported together, each naming its variable.
 */
import { homedir } from "node:os";
import type { Places } from "./config/clouds-yaml.js";
import type { OperationLimits } from "./graphql/limits/operation-limits.js";
import { readVariable, type Context, type Env, type Variable } from "./config/read-variable.js";
import { VARIABLES } from "./config/variables.js";

type Entry = (typeof VARIABLES)[number];
/** How an entry is read decides the type of its field. */
type ValueOf<E> = E extends { parse: (...args: never[]) => infer T }
  ? T
  : E extends { oneOf: readonly (infer T)[] }
    ? T
    : E extends { integer: unknown }
      ? number
      : E extends { default: boolean }
        ? boolean
        : string;

/** One field per entry of the table, typed by how the entry is read. */
export type Config = { readonly [E in Entry as E["field"]]: ValueOf<E> };
export type EmulatedApi = Config["emulatorApi"];

export class ConfigError extends Error {
  override readonly name = "ConfigError";

  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
  }
}

export function loadConfig(
  env: Env = process.env,
  places: Places = { cwd: process.cwd(), home: homedir() },
): Config {
  const problems: string[] = [];
  const values = new Map<string, unknown>();
  const context: Context = {
    env,
    places,
    value(name) {
      if (!values.has(name)) {
        throw new Error(`${name} is used before it is read: move it up the configuration table`);
      }
      return values.get(name);
    },
    problem: (message) => problems.push(message),
  };
  const config: Record<string, unknown> = {};
  for (const variable of VARIABLES as readonly Variable[]) {
    const value = readVariable(variable, context);
    values.set(variable.name, value);
    config[variable.field] = value;
  }
  if (problems.length > 0) {
    throw new ConfigError(problems);
  }
  return config as Config;
}

type LimitName = Extract<Entry, { limit: string }>["limit"];

/** The operation limits, from the entries tagged `limit`; a limit without one fails to compile. */
export function operationLimits(config: Config): OperationLimits {
  const tagged = VARIABLES.flatMap((entry) => ("limit" in entry ? [[entry.limit, config[entry.field]]] : []));
  return Object.fromEntries(tagged) as Record<LimitName, number>;
}
