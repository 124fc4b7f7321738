import { pino, type Logger } from "pino";

export type { Logger };

/** JSON logs; credentials and forwarded identity never reach them. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: "image-members-gateway" },
    redact: {
      paths: ["headers.authorization", 'headers["x-auth-token"]', "token", "*.token"],
      censor: "[redacted]",
    },
  });
}
