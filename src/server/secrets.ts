/**
 * The credentials a client request carries, so that nothing the gateway writes (answers, logs)
 * repeats them, even when an upstream, a parser or a coercion message echoes them back.
 */
import type { IncomingHttpHeaders } from "node:http";

/** Forwarded headers whose values are treated as credentials, by name. */
const CREDENTIAL_NAME = /token|auth|secret|password|passwd|credential|cookie|key/i;
/** Shorter values are not scrubbed: they would mangle ordinary words. */
const MIN_SECRET_LENGTH = 6;

const AUTH_SCHEME = /^\s*\S+\s+/;

export const REDACTED = "[redacted]";

export function clientSecrets(headers: IncomingHttpHeaders, forwardHeaders: readonly string[]): string[] {
  const secrets: string[] = [];
  const add = (value: string | string[] | undefined): void => {
    for (const item of Array.isArray(value) ? value : [value]) {
      const text = item?.trim();
      if (text !== undefined && text.length >= MIN_SECRET_LENGTH && !secrets.includes(text)) {
        secrets.push(text);
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

export function scrub(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) {
    if (result.includes(secret)) {
      result = result.replaceAll(secret, REDACTED);
    }
  }
  return result;
}
