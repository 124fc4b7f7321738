/**
 * A fault-injecting HTTP proxy on 127.0.0.1, between the gateway and the emulator. For each
 * request a chooser decides: pass it through, or break it in one of the ways a real upstream (or
 * the network before it) breaks. Unlike the emulator's own fault rules it can also let the
 * upstream act and then lose the answer, and it records, per upstream request id, what it did and
 * whether the gateway hung up before the answer.
 */
import {
  Agent,
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type ServerResponse,
} from "node:http";
import type { AddressInfo, Socket } from "node:net";

export type ProxyFault =
  /** Answer this, without asking the upstream. */
  | { kind: "status"; status: number; headers?: Record<string, string>; body?: string }
  /** Wait, then forward. */
  | { kind: "slow-headers"; ms: number }
  /** Forward; send the upstream's head at once and its body after a wait. */
  | { kind: "slow-body"; ms: number }
  /** Destroy the connection without forwarding. */
  | { kind: "reset" }
  /** Forward; send the head and half the body, then destroy the connection. */
  | { kind: "reset-mid-body" }
  /** Forward; announce a longer body than is sent, then end the connection. */
  | { kind: "truncated" }
  /** Answer 200 with JSON cut in the middle. */
  | { kind: "malformed-json" }
  /** Answer 200 with a JSON body of about `bytes` bytes. */
  | { kind: "oversized"; bytes: number }
  /** Forward (the upstream acts), then destroy the connection instead of answering. */
  | { kind: "forward-then-reset" };

export type FaultKind = ProxyFault["kind"];

export interface ProxiedRequest {
  readonly seq: number;
  readonly method: string;
  readonly path: string;
  /** The X-Openstack-Request-Id the gateway sent. */
  readonly requestId: string | null;
}

export interface ProxyRecord extends ProxiedRequest {
  readonly fault: FaultKind | null;
  /** The gateway closed the connection before the proxy had answered. */
  abandoned: boolean;
  /** The request reached the upstream. */
  forwarded: boolean;
  /** performance.now() when the request was read, and when its answer was written (null: never). */
  readonly receivedAt: number;
  answeredAt: number | null;
}

export type FaultChooser = (request: ProxiedRequest) => ProxyFault | null;

export interface FaultProxy {
  readonly url: string;
  /** Decides each request's fault; null passes it through. */
  choose: FaultChooser;
  readonly records: readonly ProxyRecord[];
  clear(): void;
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set(["connection", "keep-alive", "transfer-encoding", "host"]);

export async function startFaultProxy(upstreamUrl: string): Promise<FaultProxy> {
  const upstream = new URL(upstreamUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let records: ProxyRecord[] = [];
  let seq = 0;

  const later = (ms: number, run: () => void): void => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      run();
    }, ms);
    timers.add(timer);
  };

  interface Answer {
    status: number;
    headers: Record<string, string>;
    body: Buffer;
  }

  const forward = (req: IncomingMessage, body: Buffer): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (value !== undefined && !HOP_BY_HOP.has(name)) {
          headers[name] = Array.isArray(value) ? value.join(", ") : value;
        }
      }
      headers["content-length"] = String(body.length);
      const outgoing = httpRequest(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers,
          agent,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("end", () => {
            const answerHeaders: Record<string, string> = {};
            for (const [name, value] of Object.entries(res.headers)) {
              if (value !== undefined && !HOP_BY_HOP.has(name)) {
                answerHeaders[name] = Array.isArray(value) ? value.join(", ") : value;
              }
            }
            resolve({ status: res.statusCode ?? 502, headers: answerHeaders, body: Buffer.concat(chunks) });
          });
          res.on("error", reject);
        },
      );
      outgoing.on("error", reject);
      outgoing.end(body);
    });

  const send = (res: ServerResponse, answer: Answer): void => {
    if (res.destroyed) {
      return;
    }
    const bodyless = answer.status === 204 || answer.status === 304;
    res.writeHead(answer.status, {
      ...answer.headers,
      ...(bodyless ? {} : { "content-length": String(answer.body.length) }),
    });
    res.end(bodyless ? undefined : answer.body);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) {
      chunks.push(chunk as Buffer);
    }
    const body = Buffer.concat(chunks);
    const requestId = req.headers["x-openstack-request-id"];
    const incoming: ProxiedRequest = {
      seq: seq++,
      method: req.method ?? "GET",
      path: req.url ?? "/",
      requestId: typeof requestId === "string" ? requestId : null,
    };
    const fault = proxy.choose(incoming);
    const record: ProxyRecord = {
      ...incoming,
      fault: fault?.kind ?? null,
      abandoned: false,
      forwarded: false,
      receivedAt: performance.now(),
      answeredAt: null,
    };
    records.push(record);
    let deliberate = false;
    res.on("finish", () => {
      record.answeredAt = performance.now();
    });
    res.on("close", () => {
      if (!res.writableFinished && !deliberate) {
        record.abandoned = true;
      }
    });
    const relay = (): Promise<Answer> => {
      record.forwarded = true;
      return forward(req, body);
    };
    const destroy = (): void => {
      deliberate = true;
      req.socket.destroy();
    };

    if (fault === null) {
      send(res, await relay());
      return;
    }
    switch (fault.kind) {
      case "status":
        send(res, {
          status: fault.status,
          headers: fault.headers ?? { "content-type": "application/json" },
          body: Buffer.from(fault.body ?? ""),
        });
        return;
      case "slow-headers":
        later(fault.ms, () => {
          if (res.destroyed) {
            return;
          }
          relay().then(
            (answer) => send(res, answer),
            () => destroy(),
          );
        });
        return;
      case "slow-body": {
        const answer = await relay();
        if (res.destroyed) {
          return;
        }
        if (answer.status === 204 || answer.status === 304) {
          // A bodyless answer is complete with its head: stalling means holding the head back.
          later(fault.ms, () => send(res, answer));
          return;
        }
        res.writeHead(answer.status, { ...answer.headers, "content-length": String(answer.body.length) });
        res.flushHeaders();
        later(fault.ms, () => {
          if (!res.destroyed) {
            res.end(answer.body);
          }
        });
        return;
      }
      case "reset":
        destroy();
        return;
      case "reset-mid-body": {
        const answer = await relay();
        if (res.destroyed) {
          return;
        }
        const padded = answer.body.length > 1 ? answer.body : Buffer.from(`{"members": []}`);
        res.writeHead(200, { ...answer.headers, "content-length": String(padded.length) });
        res.write(padded.subarray(0, Math.floor(padded.length / 2)), () => destroy());
        return;
      }
      case "truncated": {
        const answer = await relay();
        if (res.destroyed) {
          return;
        }
        deliberate = true;
        res.writeHead(200, { ...answer.headers, "content-length": String(answer.body.length + 64) });
        res.write(answer.body);
        res.socket?.end();
        return;
      }
      case "malformed-json":
        send(res, {
          status: 200,
          headers: { "content-type": "application/json" },
          body: Buffer.from('{"members": [{"member_id": "x", '),
        });
        return;
      case "oversized":
        send(res, {
          status: 200,
          headers: { "content-type": "application/json" },
          body: Buffer.from(JSON.stringify({ members: [], padding: "x".repeat(fault.bytes) })),
        });
        return;
      case "forward-then-reset":
        await relay();
        destroy();
        return;
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) {
        res.destroy();
      }
    });
  });
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  const proxy: FaultProxy = {
    url: `http://127.0.0.1:${port}`,
    choose: () => null,
    get records() {
      return records;
    },
    clear() {
      records = [];
    },
    async close() {
      for (const timer of timers) {
        clearTimeout(timer);
      }
      timers.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) {
        socket.destroy();
      }
      server.closeAllConnections();
      agent.destroy();
      await closed;
    },
  };
  return proxy;
}

/** A chooser that applies each fault of `plan` once, in order, to requests matching `match`, then passes. */
export function inOrder(
  plan: readonly ProxyFault[],
  match: (request: ProxiedRequest) => boolean = () => true,
): FaultChooser {
  const queue = [...plan];
  return (request) => (match(request) ? (queue.shift() ?? null) : null);
}
