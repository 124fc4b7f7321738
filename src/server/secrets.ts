/**
 * The credentials a client request carries, so that nothing the gateway writes (answers, logs)
 * repeats them, even when an upstream, a parser or a coercion message echoes them back; they are
 * redacted by the rule of domain/redaction.ts.
 */
import type { IncomingHttpHeaders } from "node:http";
import { scrub } from "../domain/redaction.js";

/** Forwarded headers whose values are treated as credentials, by name. */
const CREDENTIAL_NAME = /token|auth|secret|password|passwd|credential|cookie|key/i;

const AUTH_SCHEME = /^\s*\S+\s+/;

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
