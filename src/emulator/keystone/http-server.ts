/**
 * The emulated Keystone's HTTP plumbing: listens on loopback, journals every request, applies fault
 * rules (the Glance emulator's), hands the rest to the router, and closes without leaving sockets or
 * timers behind.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { FaultBook } from "../faults.js";
import type { FaultAction, FaultRule } from "../types.js";
import type { KeystoneReply } from "./replies.js";
import type { RawRequest } from "./router.js";
import type { KeystoneRequest } from "./types.js";

/** Statuses and methods after which HTTP carries no body. */
const bodyless = (status: number, method: string): boolean =>
  method === "HEAD" || status === 204 || status === 304 || status < 200;

function headerRecord(rawHeaders: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = (rawHeaders[i] ?? "").toLowerCase();
    const value = rawHeaders[i + 1] ?? "";
    headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
  }
  return headers;
}

export class KeystoneHttp {
  private journal: KeystoneRequest[] = [];
  private readonly faults = new FaultBook();
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private closing: Promise<void> | null = null;

  private constructor(
    private readonly server: Server,
    readonly url: string,
    private readonly handle: (request: RawRequest) => KeystoneReply,
  ) {
    server.on("connection", (socket: Socket) => {
      this.sockets.add(socket);
      socket.once("close", () => this.sockets.delete(socket));
    });
    server.on("request", (req: IncomingMessage, res: ServerResponse) => {
      void this.onRequest(req, res);
    });
  }

  static async listen(
    host: string,
    port: number,
    handle: (request: RawRequest) => KeystoneReply,
  ): Promise<KeystoneHttp> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => {
        server.off("error", reject);
        resolve();
      });
    });
    const { address, port: bound } = server.address() as AddressInfo;
    const url = `http://${address.includes(":") ? `[${address}]` : address}:${bound}`;
    return new KeystoneHttp(server, url, handle);
  }

  get requests(): readonly KeystoneRequest[] {
    return Object.freeze([...this.journal]);
  }

  clearRequests(): void {
    this.journal = [];
  }

  injectFault(rule: FaultRule): void {
    this.faults.add(rule);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  /** Replaces every rule by one applying the action to every request; null clears. */
  setFault(action: FaultAction | null): void {
    const rule: FaultRule | null = action === null ? null : { times: Infinity, action };
    if (rule !== null) {
      // Validated before the old rules go, so that a bad action changes nothing.
      new FaultBook().add(rule);
    }
    this.faults.clear();
    if (rule !== null) {
      this.faults.add(rule);
    }
  }

  close(): Promise<void> {
    if (this.closing === null) {
      this.closing = new Promise<void>((resolve) => {
        this.server.close(() => resolve());
      });
      for (const timer of this.timers) {
        clearTimeout(timer);
      }
      this.timers.clear();
      for (const socket of this.sockets) {
        socket.destroy();
      }
      this.server.closeAllConnections();
    }
    return this.closing;
  }

  private later(ms: number, run: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, ms);
    this.timers.add(timer);
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of req) {
        chunks.push(chunk as Buffer);
      }
    } catch {
      return;
    }
    const request: RawRequest = {
      method: (req.method ?? "GET").toUpperCase(),
      target: req.url ?? "/",
      headers: headerRecord(req.rawHeaders),
      body: Buffer.concat(chunks).toString("utf8"),
    };
    this.journal.push({
      method: request.method,
      path: request.target,
      headers: { ...request.headers },
      body: request.body,
    });
    try {
      this.respond(req, res, request);
    } catch {
      // Nothing sensible can be sent once writing the answer itself failed.
      res.destroy();
    }
  }

  private respond(req: IncomingMessage, res: ServerResponse, request: RawRequest): void {
    const answer = (): KeystoneReply => this.handle(request);
    const fault = this.faults.take(request.method, request.target);
    if (fault === undefined) {
      this.send(res, request.method, answer());
      return;
    }
    const { action } = fault;
    switch (action.kind) {
      case "respond":
        this.send(res, request.method, {
          status: action.status,
          headers: action.headers ?? {},
          body: action.body ?? "",
        });
        return;
      case "delay":
        this.later(action.ms, () => this.send(res, request.method, answer()));
        return;
      case "stall-body": {
        const reply = answer();
        this.writeHead(res, reply);
        res.flushHeaders();
        this.later(action.ms, () => this.end(res, request.method, reply));
        return;
      }
      case "destroy":
        req.socket.destroy();
        return;
      case "truncate": {
        const reply = answer();
        const body = Buffer.from(reply.body, "utf8");
        res.writeHead(bodyless(reply.status, "GET") ? 200 : reply.status, {
          ...reply.headers,
          "content-length": String(body.length + 64),
        });
        if (body.length > 0 && request.method !== "HEAD") {
          res.write(body);
        } else {
          res.flushHeaders();
        }
        res.socket?.end();
        return;
      }
    }
  }

  private send(res: ServerResponse, method: string, reply: KeystoneReply): void {
    if (res.destroyed) {
      return;
    }
    this.writeHead(res, reply);
    this.end(res, method, reply);
  }

  /** The reply's headers with a Content-Length (a HEAD's is the GET's, as Keystone's). */
  private writeHead(res: ServerResponse, reply: KeystoneReply): void {
    const headers: Record<string, string> = { ...reply.headers };
    if (reply.status !== 304 && reply.status >= 200) {
      headers["content-length"] = String(Buffer.byteLength(reply.body, "utf8"));
    }
    res.writeHead(reply.status, headers);
  }

  private end(res: ServerResponse, method: string, reply: KeystoneReply): void {
    if (!res.destroyed) {
      res.end(bodyless(reply.status, method) ? undefined : reply.body);
    }
  }
}
