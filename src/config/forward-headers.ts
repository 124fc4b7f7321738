/** FORWARD_HEADERS: client headers passed upstream verbatim. */
import type { Context } from "./read-variable.js";

/** Headers that would break the upstream connection if copied, then headers the gateway sets itself. */
const NOT_FORWARDABLE = new Set([
  ...["host", "connection", "keep-alive", "upgrade", "te", "trailer", "transfer-encoding", "content-length"],
  ...["content-type", "accept", "user-agent", "x-auth-token", "authorization", "cookie"],
]);
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Lower-case, without duplicates. */
export function parseForwardHeaders(raw: string, context: Context): readonly string[] {
  const names: string[] = [];
  for (const part of raw.split(",")) {
    const name = part.trim().toLowerCase();
    if (name === "") {
      continue;
    }
    if (!HEADER_NAME.test(name)) {
      context.problem(`FORWARD_HEADERS: "${part.trim()}" is not a valid header name`);
    } else if (NOT_FORWARDABLE.has(name) || name.startsWith("proxy-")) {
      context.problem(
        `FORWARD_HEADERS: "${name}" cannot be forwarded (the gateway sets or strips it itself)`,
      );
    } else if (!names.includes(name)) {
      names.push(name);
    }
  }
  return names;
}
