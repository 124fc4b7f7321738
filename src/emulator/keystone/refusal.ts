/** A request refused part-way through: thrown by the checks, answered by the route. */
import type { KeystoneReply } from "./replies.js";

export class Refusal extends Error {
  constructor(readonly reply: KeystoneReply) {
    super(`refused with ${reply.status}`);
  }
}

/** The reply of a refusal, or the error rethrown. */
export function replyOf(error: unknown): KeystoneReply {
  if (error instanceof Refusal) {
    return error.reply;
  }
  throw error;
}
