/**
 * Keystone's 400s for request bodies its JSON schemas reject: jsonschema's text, relayed whole
 * where the schema at fault is small (the failing rule, the schema and the instance), and only its
 * first line where Keystone goes on to print a whole request schema.
 */
import { pyRepr } from "../python.js";

/** jsonschema's failure text for a rule at a path of properties. */
function failure(
  first: string,
  rule: string,
  path: readonly string[],
  schema: string,
  instance: unknown,
): string {
  const inSchema = path.map((name) => `['properties']['${name}']`).join("");
  const inInstance = path.map((name) => `['${name}']`).join("");
  return (
    `Invalid input for field '${path.join("/")}': ${first}\n\n` +
    `Failed validating '${rule}' in schema${inSchema}:\n    ${schema}\n\n` +
    `On instance${inInstance}:\n    ${pyRepr(instance)}`
  );
}

const PASSWORD_PATH = ["identity", "password", "user", "password"];
const TOKEN_SCHEMA =
  "{'properties': {'id': {'type': 'string'}},\n     'required': ['id'],\n     'type': 'object'}";
/** An application credential's name: 1 to 255 characters, not all whitespace. */
const NAME_SCHEMA =
  "{'maxLength': 255,\n     'minLength': 1,\n     'pattern': '[\\\\S]+',\n     'type': 'string'}";

export const SCHEMA_MESSAGES = {
  /** First lines only. */
  authNotObject: (auth: unknown): string => `${pyRepr(auth)} is not of type 'object'`,
  identityRequired: "'identity' is a required property",
  identityNotObject: (identity: unknown): string =>
    `Invalid input for field 'identity': ${pyRepr(identity)} is not of type 'object'`,
  methodsRequired: "Invalid input for field 'identity': 'methods' is a required property",
  nameRequired: "'name' is a required property",
  /** Whole. */
  methodsNotArray: (methods: unknown): string =>
    failure(
      `${pyRepr(methods)} is not of type 'array'`,
      "type",
      ["identity", "methods"],
      "{'items': {'type': 'string'}, 'type': 'array'}",
      methods,
    ),
  passwordNotString: (password: unknown): string =>
    failure(
      `${pyRepr(password)} is not of type 'string'`,
      "type",
      PASSWORD_PATH,
      "{'type': 'string'}",
      password,
    ),
  tokenIdRequired: (token: unknown): string =>
    failure("'id' is a required property", "required", ["identity", "token"], TOKEN_SCHEMA, token),
  /** What is wrong with an application credential's name, or null when nothing is. */
  badName: (name: unknown): string | null => {
    const fail = (first: string, rule: string) => failure(first, rule, ["name"], NAME_SCHEMA, name);
    if (typeof name !== "string") {
      return fail(`${pyRepr(name)} is not of type 'string'`, "type");
    }
    if (name.length === 0) {
      return fail("'' is too short", "minLength");
    }
    if (name.length > 255) {
      return fail(`${pyRepr(name)} is too long`, "maxLength");
    }
    return /\S/.test(name) ? null : fail(`${pyRepr(name)} does not match '[\\\\S]+'`, "pattern");
  },
} as const;
