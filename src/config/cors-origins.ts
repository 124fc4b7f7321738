/** CORS_ORIGINS: the browser origins allowed to call the gateway. */
import type { Context } from "./read-variable.js";

/** "*" for any; unset means any, or none in production. */
export function parseCorsOrigins(raw: string, context: Context): "*" | readonly string[] {
  if (raw.trim() === "") {
    return context.value("NODE_ENV") === true ? [] : "*";
  }
  if (raw.trim() === "*") {
    return "*";
  }
  const origins: string[] = [];
  for (const part of raw.split(",")) {
    const text = part.trim();
    if (text === "") {
      continue;
    }
    let origin: string | null = null;
    try {
      const url = new URL(text);
      origin = url.origin === text.replace(/\/$/, "") ? url.origin : null;
    } catch {
      origin = null;
    }
    if (origin === null || origin === "null") {
      context.problem(`CORS_ORIGINS: "${text}" is not an origin such as https://app.example.com`);
    } else {
      origins.push(origin);
    }
  }
  return origins;
}
