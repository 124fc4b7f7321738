/**
 * A TCP listener on 127.0.0.1 that establishes no connection: its accept queue is full and nothing
 * takes from it, so the kernel drops every new SYN and a client's connect() waits until its own
 * timeout. This is an upstream host that is up but does not take connections (overloaded, or
 * behind a firewall that drops packets), reproduced deterministically on loopback.
 *
 * The listening socket lives in a worker thread whose event loop is blocked right after `listen`,
 * so that it never accepts; the queue (backlog 1) is filled by connections made here. `accept()`
 * unblocks the worker: from then on it accepts, and counts every connection other than the fillers.
 */
import { connect, type Socket } from "node:net";
import { Worker } from "node:worker_threads";

export interface UnansweredListener {
  readonly url: string;
  /** Starts accepting: connections are then established, and counted by `connections()`. */
  accept(): Promise<void>;
  /** Connections accepted since `accept()`, the fillers not included. */
  connections(): Promise<number>;
  close(): Promise<void>;
}

const LISTENER = `
const { parentPort, workerData } = require("node:worker_threads");
const { createServer } = require("node:net");
const ports = [];
const sockets = [];
const server = createServer((socket) => {
  ports.push(socket.remotePort);
  sockets.push(socket);
  socket.on("error", () => undefined);
});
parentPort.on("message", (message) => {
  if (message === "ports") {
    parentPort.postMessage({ ports });
  } else if (message === "close") {
    sockets.forEach((socket) => socket.destroy());
    server.close(() => process.exit(0));
  }
});
server.listen({ host: "127.0.0.1", port: 0, backlog: 1 }, () => {
  parentPort.postMessage({ port: server.address().port });
  // Blocked until told otherwise: nothing is accepted, and the accept queue fills up.
  Atomics.wait(workerData, 0, 0);
  parentPort.postMessage({ accepting: true });
});
`;

/** How long a connect may take before the queue counts as full: loopback handshakes take microseconds. */
const FULL_AFTER_MS = 200;

export async function startUnansweredListener(): Promise<UnansweredListener> {
  const blocked = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(LISTENER, { eval: true, workerData: blocked });
  const next = <T>(key: string): Promise<T> =>
    new Promise((resolve, reject) => {
      const onMessage = (message: Record<string, unknown>): void => {
        if (key in message) {
          worker.off("message", onMessage);
          worker.off("error", reject);
          resolve(message[key] as T);
        }
      };
      worker.on("message", onMessage);
      worker.once("error", reject);
    });
  const port = await next<number>("port");

  // Fill the accept queue: connect until a handshake no longer completes.
  const fillers: Socket[] = [];
  for (;;) {
    const socket = connect(port, "127.0.0.1");
    socket.on("error", () => undefined);
    const established = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), FULL_AFTER_MS);
      socket.once("connect", () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
    if (!established) {
      socket.destroy();
      break;
    }
    fillers.push(socket);
    if (fillers.length > 64) {
      throw new Error("the listener's accept queue never filled up");
    }
  }
  const fillerPorts = new Set(fillers.map((socket) => socket.localPort));

  let accepting = false;
  const accept = async (): Promise<void> => {
    if (!accepting) {
      accepting = true;
      const resumed = next<boolean>("accepting");
      Atomics.store(blocked, 0, 1);
      Atomics.notify(blocked, 0);
      await resumed;
    }
  };

  return {
    url: `http://127.0.0.1:${port}`,
    accept,
    async connections() {
      const answer = next<number[]>("ports");
      worker.postMessage("ports");
      return (await answer).filter((remote) => !fillerPorts.has(remote)).length;
    },
    async close() {
      for (const socket of fillers) {
        socket.destroy();
      }
      await accept();
      const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
      worker.postMessage("close");
      await exited;
    },
  };
}
