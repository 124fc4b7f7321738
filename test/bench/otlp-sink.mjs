/**
 * An OTLP/HTTP receiver for the benchmark's `gateway+otel` target: takes every export (traces and
 * metrics, any encoding), answers 200 at once and counts what arrived, so that the gateway pays the
 * whole cost of exporting and nothing else. Started and stopped over IPC by the runner, on the load
 * generator's CPU.
 */
import { createServer } from "node:http";

const received = { requests: 0, bytes: 0 };
const server = createServer((request, response) => {
  request.on("data", (chunk) => (received.bytes += chunk.length));
  request.on("end", () => {
    received.requests++;
    response.writeHead(200, { "content-type": request.headers["content-type"] ?? "application/json" });
    response.end();
  });
});
server.keepAliveTimeout = 65_000;
server.listen(0, "127.0.0.1", () => {
  process.send?.({ type: "ready", url: `http://127.0.0.1:${server.address().port}` });
});
process.on("message", (message) => {
  if (message?.type === "usage") {
    const usage = process.resourceUsage();
    process.send?.({
      type: "usage",
      id: message.id,
      userUs: usage.userCPUTime,
      systemUs: usage.systemCPUTime,
      maxRssKb: usage.maxRSS,
      received,
    });
  } else if (message?.type === "stop") {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  }
});
process.on("disconnect", () => process.exit(0));
