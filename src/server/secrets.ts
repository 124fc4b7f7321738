/**
 * The credentials a client request carries, so that nothing the gateway writes (answers, logs)
 * repeats them, even when an upstream, a parser or a coercion message echoes them back.
 *
 * A credential is redacted where it stands as a whole value, never where it is part of a longer
 * word: an occurrence counts when neither the character before it nor the one after it is a word
 * character (a letter, a digit, "-" or "_"; the characters of a word, an identifier or a base64url
 * token). So a token "no" leaves "nothing", "no-op" and "no_such" alone, while a token quoted in a
 * coercion message, named in a sentence (even at its very end, before the full stop), standing as
 * a path segment or a query parameter's value, or making up a whole string is redacted. Any
 * non-empty value is a credential, however short: the rule, not a length, keeps prose intact.
 */
import type { IncomingHttpHeaders } from "node:http";

/** Forwarded headers whose values are treated as credentials, by name. */
const CREDENTIAL_NAME = /token|auth|secret|password|passwd|credential|cookie|key/i;

const AUTH_SCHEME = /^\s*\S+\s+/;

/** A character that continues a word: a credential next to one is part of a longer word. */
const WORD_CHARACTER = /^[\p{L}\p{N}\p{M}_-]$/u;

export const REDACTED = "[redacted]";

export function clientSecrets(headers: IncomingHttpHeaders, forwardHeaders: readonly string[]): string[] {
  const secrets: string[] = [];
  const push = (text: string): void => {
    if (text.length > 0 && !secrets.includes(text)) {
      secrets.push(text);
    }
  };
  const add = (value: string | string[] | undefined): void => {
    for (const item of Array.isArray(value) ? value : [value]) {
      const text = item?.trim();
      if (text !== undefined) {
        push(text);
        // As it appears in an upstream path, where it was sent as a segment (a member id).
        push(encodeURIComponent(text));
      }
    }
  };
  add(headers["x-auth-token"]);
  const authorization = headers.authorization;
  if (authorization !== undefined) {
    add(authorization);
    add(authorization.replace(AUTH_SCHEME, ""));
  }
  for (const name of forwardHeaders) {
    if (CREDENTIAL_NAME.test(name)) {
      add(headers[name]);
    }
  }
  // Longest first, so that a token containing another is replaced whole.
  return secrets.sort((a, b) => b.length - a.length);
}

/** `text` with every whole occurrence of each secret (see above) replaced by [redacted]. */
export function scrub(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) {
    if (secret.length > 0 && result.includes(secret)) {
      result = redactWhole(result, secret);
    }
  }
  return result;
}

/**
 * `value` with every string in it scrubbed, as it will be serialised: a string itself, and the
 * values of arrays and objects at any depth (an error's message, its path, its extensions). An
 * object that changes becomes a plain copy of its own properties; nothing is copied that does not
 * change.
 */
export function scrubDeep<T>(value: T, secrets: readonly string[]): T {
  return secrets.length === 0 ? value : (scrubValue(value, secrets) as T);
}

function scrubValue(value: unknown, secrets: readonly string[]): unknown {
  if (typeof value === "string") {
    return scrub(value, secrets);
  }
  if (Array.isArray(value)) {
    const items: readonly unknown[] = value;
    let copy: unknown[] | null = null;
    for (let index = 0; index < items.length; index++) {
      const item = items[index];
      const scrubbed = scrubValue(item, secrets);
      if (scrubbed !== item) {
        copy ??= [...items];
        copy[index] = scrubbed;
      }
    }
    return copy ?? value;
  }
  if (isRecord(value)) {
    let copy: Record<string, unknown> | null = null;
    for (const key of Object.keys(value)) {
      const item = value[key];
      const scrubbed = scrubValue(item, secrets);
      if (scrubbed !== item) {
        copy ??= { ...value };
        copy[key] = scrubbed;
      }
    }
    return copy ?? value;
  }
  return value;
}

/** An object serialised as its own properties (a copy of which serialises the same). */
function isRecord(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { toJSON?: unknown }).toJSON !== "function"
  );
}

function redactWhole(text: string, secret: string): string {
  let out = "";
  let copied = 0;
  let at = text.indexOf(secret);
  while (at !== -1) {
    const end = at + secret.length;
    if (!isWordCharacter(characterBefore(text, at)) && !isWordCharacter(characterAt(text, end))) {
      out += text.slice(copied, at) + REDACTED;
      copied = end;
      at = text.indexOf(secret, end);
    } else {
      at = text.indexOf(secret, at + 1);
    }
  }
  return copied === 0 ? text : out + text.slice(copied);
}

function isWordCharacter(character: string | undefined): boolean {
  return character !== undefined && WORD_CHARACTER.test(character);
}

/** The whole code point that ends just before `index`, if any. */
function characterBefore(text: string, index: number): string | undefined {
  if (index <= 0) {
    return undefined;
  }
  const pair = index >= 2 ? text.codePointAt(index - 2)! : 0;
  return String.fromCodePoint(pair > 0xffff ? pair : text.charCodeAt(index - 1));
}

/** The whole code point that starts at `index`, if any. */
function characterAt(text: string, index: number): string | undefined {
  const point = text.codePointAt(index);
  return point === undefined ? undefined : String.fromCodePoint(point);
}
