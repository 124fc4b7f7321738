import { pino, type Logger } from "pino";

export type { Logger };

/** Credentials as they could appear in a logged object; the gateway's own lines never hold them. */
const CREDENTIAL_PATHS = [
  "headers.authorization",
  'headers["x-auth-token"]',
  "headers.cookie",
  "*.headers.authorization",
  '*.headers["x-auth-token"]',
  "*.headers.cookie",
  "token",
  "*.token",
];

const SIMPLE_NAME = /^[a-z0-9_-]+$/;

/**
 * JSON logs; credentials and forwarded identity headers never reach them. `forwardHeaders` (lower
 * case) are redacted wherever a `headers` object would carry them.
 */
export function createLogger(level: string, forwardHeaders: readonly string[] = []): Logger {
  const forwarded = forwardHeaders
    .filter((name) => SIMPLE_NAME.test(name))
    .flatMap((name) => [`headers["${name}"]`, `*.headers["${name}"]`]);
  return pino({
    level,
    base: { service: "image-members-gateway" },
    redact: { paths: [...CREDENTIAL_PATHS, ...forwarded], censor: "[redacted]" },
  });
}
