/**
 * Redacting credentials from text the gateway writes (answers, logs, upstream error texts): the
 * one rule, used by the HTTP server and the upstream client alike.
 *
 * A credential is redacted where it stands as a whole value, never where it is part of a longer
 * word: an occurrence counts when neither the character before it nor the one after it is a word
 * character (a letter, a digit, "-" or "_"; the characters of a word, an identifier or a base64url
 * token). So a token "no" leaves "nothing", "no-op" and "no_such" alone, while a token quoted in a
 * coercion message, named in a sentence (even at its very end, before the full stop), standing as
 * a path segment or a query parameter's value, or making up a whole string is redacted. Any
 * non-empty value is a credential, however short: the rule, not a length, keeps prose intact.
 */
/** A character that continues a word: a credential next to one is part of a longer word. */
const WORD_CHARACTER = /^[\p{L}\p{N}\p{M}_-]$/u;

export const REDACTED = "[redacted]";

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
