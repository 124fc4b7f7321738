/**
 * Serves the members page from its own loopback origin: the HTML as written (its script is an
 * inline ES module), and `operations.js`, an ES module holding the gateway's typed documents
 * (codegen, string mode) as plain strings. No bundler: the browser loads exactly these two files.
 */
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { ImageMembersDocument, ShareImageDocument } from "../__generated__/client/graphql.js";

export interface PageServer {
  /** e.g. http://127.0.0.1:41234 */
  readonly origin: string;
  /** Paths requested so far, in order. */
  readonly requested: readonly string[];
  close(): Promise<void>;
}

const PAGE = new URL("./page/index.html", import.meta.url);
const OPERATIONS = { ImageMembersDocument, ShareImageDocument };

function operationsModule(): string {
  return Object.entries(OPERATIONS)
    .map(([name, document]) => `export const ${name} = ${JSON.stringify(document.toString())};\n`)
    .join("");
}

export async function startPageServer(): Promise<PageServer> {
  const files: Record<string, { type: string; body: string }> = {
    "/": { type: "text/html; charset=utf-8", body: await readFile(PAGE, "utf8") },
    "/operations.js": { type: "text/javascript; charset=utf-8", body: operationsModule() },
  };
  const requested: string[] = [];
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://page.invalid").pathname;
    requested.push(path);
    const file = request.method === "GET" ? files[path] : undefined;
    if (file === undefined) {
      response.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("not found");
      return;
    }
    response
      .writeHead(200, {
        "content-type": file.type,
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
      })
      .end(file.body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requested,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
