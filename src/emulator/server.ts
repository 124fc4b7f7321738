/**
 * The HTTP plumbing: listens on loopback, journals every request, applies fault rules, hands the
 * rest to the emulated Glance, and closes without leaving sockets or timers behind.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { handleRequest, type AppSettings } from "./app.js";
import { FaultBook } from "./faults.js";
import type { EmulatorRequest, EmulatorResponse } from "./http-types.js";
import { EmulatorState } from "./state.js";
import type {
  AddMemberOptions,
  CreateImageInput,
  EmulatedImage,
  Emulator,
  EmulatorOptions,
  FaultRule,
  RecordedRequest,
} from "./types.js";

/** Header names lower-cased, repeated headers joined with ", ", as the journal and routes read them. */
function headerRecord(rawHeaders: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = (rawHeaders[i] ?? "").toLowerCase();
    const value = rawHeaders[i + 1] ?? "";
    headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
  }
  return headers;
}

function toEmulatorRequest(
  req: IncomingMessage,
  headers: Record<string, string>,
  body: Buffer,
): EmulatorRequest {
  const target = req.url ?? "/";
  const queryAt = target.indexOf("?");
  const rawPath = queryAt === -1 ? target : target.slice(0, queryAt);
  const query = queryAt === -1 ? [] : [...new URLSearchParams(target.slice(queryAt + 1))];
  const local = req.socket.localAddress ?? "127.0.0.1";
  const fallbackHost = `${local.includes(":") ? `[${local}]` : local}:${req.socket.localPort ?? 80}`;
  return {
    method: (req.method ?? "GET").toUpperCase(),
    target,
    rawPath: rawPath === "" ? "/" : rawPath,
    query,
    headers,
    body,
    hostUrl: `http://${headers.host ?? fallbackHost}`,
  };
}

/** Statuses and methods after which HTTP carries no body. */
const bodyless = (status: number, method: string): boolean =>
  method === "HEAD" || status === 204 || status === 304 || status < 200;

class LoopbackEmulator implements Emulator {
  private readonly state = new EmulatorState();
  private readonly faults = new FaultBook();
  private journal: RecordedRequest[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private closing: Promise<void> | null = null;
  private imageCounter = 0;

  constructor(
    private readonly server: Server,
    private readonly settings: AppSettings,
    readonly url: string,
  ) {
    server.on("connection", (socket: Socket) => {
      this.sockets.add(socket);
      socket.once("close", () => this.sockets.delete(socket));
    });
    server.on("request", (req: IncomingMessage, res: ServerResponse) => {
      void this.onRequest(req, res);
    });
  }

  get requests(): readonly RecordedRequest[] {
    return Object.freeze([...this.journal]);
  }

  clearRequests(): void {
    this.journal = [];
  }

  createImage(input: CreateImageInput): EmulatedImage {
    this.imageCounter += 1;
    const image = this.state.createImage({
      id: input.id,
      name: input.name ?? `image-${this.imageCounter}`,
      owner: input.owner,
      visibility: input.visibility ?? "shared",
    });
    return {
      id: image.id,
      name: image.name ?? "",
      owner: image.owner,
      visibility: image.visibility,
      createdAt: new Date(image.createdAt),
      updatedAt: new Date(image.updatedAt),
    };
  }

  addMember(imageId: string, memberId: string, options: AddMemberOptions = {}): void {
    if (this.state.liveImage(imageId) === undefined) {
      throw new Error(`cannot add a member: no image ${imageId}`);
    }
    const row = this.state.membershipRow(imageId, memberId);
    if (row === undefined) {
      this.state.insertMembership(imageId, memberId, {
        status: options.status ?? "pending",
        canShare: options.canShare ?? false,
      });
      return;
    }
    const now = this.state.now();
    if (row.deleted) {
      Object.assign(row, { deleted: false, status: "pending", canShare: false, createdAt: now });
    }
    Object.assign(row, {
      status: options.status ?? row.status,
      canShare: options.canShare ?? row.canShare,
      updatedAt: now,
    });
  }

  injectFault(rule: FaultRule): void {
    this.faults.add(rule);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  reset(): void {
    this.state.reset();
    this.faults.clear();
    this.journal = [];
    this.imageCounter = 0;
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
    const body = Buffer.concat(chunks);
    const headers = headerRecord(req.rawHeaders);
    const request = toEmulatorRequest(req, headers, body);
    this.journal.push({
      method: request.method,
      path: request.target,
      headers: { ...headers },
      body: body.toString("utf8"),
    });
    try {
      this.respond(req, res, request);
    } catch {
      // Nothing sensible can be sent once writing the answer itself failed.
      res.destroy();
    }
  }

  private respond(req: IncomingMessage, res: ServerResponse, request: EmulatorRequest): void {
    const answer = (): EmulatorResponse => handleRequest(request, this.state, this.settings);
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
      case "stall-body":
        this.stallBody(res, request.method, answer(), action.ms);
        return;
      case "destroy":
        req.socket.destroy();
        return;
      case "truncate":
        this.truncate(res, request.method, answer());
        return;
    }
  }

  /** The response headers with a Content-Length, except on statuses that never carry a body. */
  private head(response: EmulatorResponse, length: number): Record<string, string> {
    const headers = Object.fromEntries(
      Object.entries(response.headers).map(([name, value]) => [name.toLowerCase(), value]),
    );
    if (!bodyless(response.status, "GET")) {
      headers["content-length"] ??= String(length);
    }
    return headers;
  }

  private send(res: ServerResponse, method: string, response: EmulatorResponse): void {
    if (res.destroyed) {
      return;
    }
    const body = Buffer.from(response.body, "utf8");
    res.writeHead(response.status, response.reason, this.head(response, body.length));
    res.end(bodyless(response.status, method) ? undefined : body);
  }

  private stallBody(res: ServerResponse, method: string, response: EmulatorResponse, ms: number): void {
    const body = Buffer.from(response.body, "utf8");
    res.writeHead(response.status, response.reason, this.head(response, body.length));
    res.flushHeaders();
    this.later(ms, () => {
      if (!res.destroyed) {
        res.end(bodyless(response.status, method) ? undefined : body);
      }
    });
  }

  /** Announces more bytes than follow, then ends the connection mid-body. */
  private truncate(res: ServerResponse, method: string, response: EmulatorResponse): void {
    const body = Buffer.from(response.body, "utf8");
    // A bodyless status cannot announce a length; the truncated answer is then a 200.
    const status = bodyless(response.status, "GET") ? 200 : response.status;
    const reason = status === response.status ? response.reason : "OK";
    res.writeHead(status, reason, { ...response.headers, "content-length": String(body.length + 64) });
    if (body.length > 0 && method !== "HEAD") {
      res.write(body);
    } else {
      res.flushHeaders();
    }
    res.socket?.end();
  }
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const pageSize = options.pageSize ?? 25;
  if (!Number.isInteger(pageSize) || pageSize < 1) {
    throw new RangeError(`pageSize must be a positive integer, got ${pageSize}`);
  }
  const memberQuota = options.memberQuota ?? 128;
  if (!Number.isInteger(memberQuota)) {
    throw new RangeError(`memberQuota must be an integer, got ${memberQuota}`);
  }
  const host = options.host ?? "127.0.0.1";
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { address, port } = server.address() as AddressInfo;
  const url = `http://${address.includes(":") ? `[${address}]` : address}:${port}`;
  return new LoopbackEmulator(
    server,
    { api: options.api ?? "v2", memberQuota, pageSize, authtoken: options.authtoken ?? null },
    url,
  );
}
