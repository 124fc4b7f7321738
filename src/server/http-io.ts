/** Reading request bodies within a bound, and writing JSON answers. */
import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * The body as text, or null once it grows past `maxBytes`: reading then stops, and the caller
 * answers and closes the connection rather than swallow the rest.
 */
export function readBody(request: IncomingMessage, maxBytes: number): Promise<string | null> {
  const declared = Number(request.headers["content-length"]);
  if (Number.isFinite(declared) && declared > maxBytes) {
    request.pause();
    return Promise.resolve(null);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = (): void => {
      request.off("data", onData);
      request.off("end", onEnd);
      request.off("error", onError);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > maxBytes) {
        cleanup();
        request.pause();
        resolve(null);
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(chunks.length === 1 ? chunks[0]!.toString("utf8") : Buffer.concat(chunks).toString("utf8"));
    };
    const onError = (error: Error): void => {
      cleanup();
      reject(error);
    };
    request.on("data", onData);
    request.on("end", onEnd);
    request.on("error", onError);
  });
}

export function parseBody(contentType: string | undefined, body: string): unknown {
  if (body === "") {
    return undefined;
  }
  if (contentType?.toLowerCase().includes("json")) {
    try {
      return JSON.parse(body) as unknown;
    } catch {
      // Apollo Server answers 400 for a body it cannot use; hand it the raw text.
      return body;
    }
  }
  return body;
}

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
  });
  response.end(text);
}
