/** A failure as a person reads it: the gateway's message and its error code. */
export function describeError(error: unknown): string {
  const graphql = (error as { errors?: { message: string; extensions?: { code?: unknown } }[] }).errors;
  const first = Array.isArray(graphql) ? graphql[0] : undefined;
  if (first !== undefined) {
    const code = typeof first.extensions?.code === "string" ? ` (${first.extensions.code})` : "";
    return `${first.message}${code}`;
  }
  return error instanceof Error ? error.message : String(error);
}
