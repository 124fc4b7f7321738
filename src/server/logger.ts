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

/** Lines are held until this many bytes are waiting, or until the next flush tick. */
const BUFFER_BYTES = 4_096;
const FLUSH_EVERY_MS = 500;

/**
 * JSON logs on standard output; credentials and forwarded identity headers never reach them.
 * `forwardHeaders` (lower case) are redacted wherever a `headers` object would carry them.
 *
 * Writing is buffered and asynchronous (pino's own destination): a busy gateway makes one write
 * for many lines instead of a blocking write per request, and a quiet one writes what it holds at
 * least every FLUSH_EVERY_MS. Whatever is held is written before the process exits (pino flushes
 * it on `exit`); only a process killed outright (SIGKILL) loses its last few lines.
 */
export function createLogger(level: string, forwardHeaders: readonly string[] = []): Logger {
  const forwarded = forwardHeaders
    .filter((name) => SIMPLE_NAME.test(name))
    .flatMap((name) => [`headers["${name}"]`, `*.headers["${name}"]`]);
  const destination = pino.destination({ dest: 1, sync: false, minLength: BUFFER_BYTES });
  setInterval(() => destination.flush(), FLUSH_EVERY_MS).unref();
  return pino(
    {
      level,
      base: { service: "image-members-gateway" },
      redact: { paths: [...CREDENTIAL_PATHS, ...forwarded], censor: "[redacted]" },
    },
    destination,
  );
}
