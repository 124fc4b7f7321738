/**
 * The few Python behaviours that leak into Glance's answers: json.dumps output, truthiness,
 * repr(), str(), urlencode() and the TypeError texts of bad subscripts.
 */

export interface DumpOptions {
  /** json.dumps' ensure_ascii: escape everything outside printable ASCII. */
  ensureAscii: boolean;
  /** Pretty-print with this indent (oslo's healthcheck does), otherwise one line. */
  indent?: number;
  sortKeys?: boolean;
}

/** json.dumps with its default separators (", " and ": "), so bodies read byte for byte like Glance's. */
export function pyJsonDumps(value: unknown, options: DumpOptions): string {
  return dump(value, options, 0);
}

function dump(value: unknown, options: DumpOptions, depth: number): string {
  if (value === null || value === undefined) {
    return "null";
  }
  if (typeof value === "boolean") {
    return value ? "true" : "false";
  }
  if (typeof value === "number") {
    return Number.isFinite(value) ? String(value) : value > 0 ? "Infinity" : value < 0 ? "-Infinity" : "NaN";
  }
  if (typeof value === "string") {
    return pyJsonString(value, options.ensureAscii);
  }
  if (value instanceof Date) {
    return pyJsonString(value.toISOString(), options.ensureAscii);
  }
  const { indent } = options;
  const open = (items: string[], start: string, end: string): string => {
    if (items.length === 0) {
      return start + end;
    }
    if (indent === undefined) {
      return start + items.join(", ") + end;
    }
    const inner = " ".repeat(indent * (depth + 1));
    const outer = " ".repeat(indent * depth);
    return `${start}\n${inner}${items.join(`,\n${inner}`)}\n${outer}${end}`;
  };
  if (Array.isArray(value)) {
    return open(
      value.map((item) => dump(item, options, depth + 1)),
      "[",
      "]",
    );
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  if (options.sortKeys === true) {
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }
  return open(
    entries.map(
      ([key, item]) => `${pyJsonString(key, options.ensureAscii)}: ${dump(item, options, depth + 1)}`,
    ),
    "{",
    "}",
  );
}

const SHORT_ESCAPES: Readonly<Record<number, string>> = {
  0x22: '\\"',
  0x5c: "\\\\",
  0x0a: "\\n",
  0x0d: "\\r",
  0x09: "\\t",
  0x08: "\\b",
  0x0c: "\\f",
};

function pyJsonString(text: string, ensureAscii: boolean): string {
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    const short = SHORT_ESCAPES[unit];
    if (short !== undefined) {
      out += short;
    } else if (unit < 0x20 || (ensureAscii && unit > 0x7e)) {
      // Python escapes per UTF-16 code unit, so astral characters become surrogate pairs.
      out += `\\u${unit.toString(16).padStart(4, "0")}`;
    } else {
      out += text[i];
    }
  }
  return `${out}"`;
}

/** Python's bool(x) for a value decoded from JSON. */
export function pyTruthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false) {
    return false;
  }
  if (typeof value === "number") {
    return value !== 0;
  }
  if (typeof value === "string" || Array.isArray(value)) {
    return value.length > 0;
  }
  if (typeof value === "object") {
    return Object.keys(value).length > 0;
  }
  return true;
}

/** The Python type name of a value decoded from JSON. */
export function pyTypeName(value: unknown): string {
  if (value === null || value === undefined) {
    return "NoneType";
  }
  if (typeof value === "boolean") {
    return "bool";
  }
  if (typeof value === "number") {
    return Number.isInteger(value) ? "int" : "float";
  }
  if (typeof value === "string") {
    return "str";
  }
  return Array.isArray(value) ? "list" : "dict";
}

export const isJsonObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The TypeError text Python 3 gives for `value['key']` when value is not a dict, or null for a dict. */
export function subscriptError(value: unknown): string | null {
  switch (pyTypeName(value)) {
    case "dict":
      return null;
    case "str":
      return "string indices must be integers";
    case "list":
      return "list indices must be integers or slices, not str";
    default:
      return `'${pyTypeName(value)}' object is not subscriptable`;
  }
}

/** Python's `key in container` for JSON values; null when Python would raise TypeError. */
export function pyContains(container: unknown, key: string): boolean | null {
  if (typeof container === "string") {
    return container.includes(key);
  }
  if (Array.isArray(container)) {
    return container.some((item) => item === key);
  }
  if (isJsonObject(container)) {
    return Object.hasOwn(container, key);
  }
  return null;
}

/** repr() of a JSON value, as jsonschema quotes instances in its messages. */
export function pyRepr(value: unknown): string {
  if (value === null || value === undefined) {
    return "None";
  }
  if (typeof value === "boolean") {
    return value ? "True" : "False";
  }
  if (typeof value === "number") {
    return String(value);
  }
  if (typeof value === "string") {
    const quote = value.includes("'") && !value.includes('"') ? '"' : "'";
    let out = quote;
    for (const ch of value) {
      if (ch === "\\" || ch === quote) {
        out += `\\${ch}`;
      } else if (ch === "\n") {
        out += "\\n";
      } else if (ch === "\r") {
        out += "\\r";
      } else if (ch === "\t") {
        out += "\\t";
      } else if (ch < " " || ch === "\x7f") {
        out += `\\x${ch.charCodeAt(0).toString(16).padStart(2, "0")}`;
      } else {
        out += ch;
      }
    }
    return out + quote;
  }
  if (Array.isArray(value)) {
    return `[${value.map(pyRepr).join(", ")}]`;
  }
  return `{${Object.entries(value as Record<string, unknown>)
    .map(([k, v]) => `${pyRepr(k)}: ${pyRepr(v)}`)
    .join(", ")}}`;
}

/** str() of a JSON value as Python's `%s` formats it. */
export function pyStr(value: unknown): string {
  return typeof value === "string" ? value : pyRepr(value);
}

/** str.title(): the first letter of every run of letters upper-cased, the rest lower-cased. */
export function pyTitle(text: string): string {
  return text
    .toLowerCase()
    .replace(/(^|[^\p{L}])(\p{L})/gu, (_m, before: string, letter: string) => before + letter.toUpperCase());
}

/** urllib.parse.quote_plus: everything but letters, digits and `_.-~` is percent-encoded, spaces as `+`. */
export function quotePlus(text: string): string {
  return encodeURIComponent(text)
    .replace(/[!'()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, "+");
}

/** urllib.parse.urlencode of ordered pairs. */
export function urlencode(pairs: ReadonlyArray<readonly [string, string]>): string {
  return pairs.map(([key, value]) => `${quotePlus(key)}=${quotePlus(value)}`).join("&");
}

/** Matches a character outside the Basic Multilingual Plane, i.e. 4 bytes in UTF-8. */
export const FOUR_BYTE_CHARACTER = /[\u{10000}-\u{10FFFF}]/u;
