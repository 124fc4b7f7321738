/**
 * A fast loopback stand-in for the Glance v2 image-members API: canned JSON, an optional added
 * latency, and a count of the calls it answered. Runs as a child process of the runner.
 *
 * IPC: { type: "latency", ms } sets the added latency; { type: "usage", reset? } answers usage and
 * the call count (and resets the count when asked).
 */
import { createServer } from "node:http";
import { answerUsage } from "./child-usage.mjs";

let latencyMs = Number(process.env.UPSTREAM_LATENCY_MS ?? 0);
let calls = 0;

const STAMP = "2024-01-01T00:00:00Z";
const LIST_SIZE = 10;
const SHARED_IMAGES = 20;

const member = (imageId, memberId, status = "accepted") =>
  `{"member_id":${JSON.stringify(memberId)},"image_id":"${imageId}","status":"${status}",` +
  `"created_at":"${STAMP}","updated_at":"${STAMP}","schema":"/v2/schemas/member"}`;

const memberList = (imageId) => {
  const members = [];
  for (let i = 0; i < LIST_SIZE; i++) {
    members.push(member(imageId, `member-${i}`));
  }
  return `{"members":[${members.join(",")}],"schema":"/v2/schemas/members"}`;
};

const imageId = (i) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`;
// The caller's shares are all accepted: like Glance for a non-admin caller, the listing is filtered
// by member_status (accepted or all: the images; pending or rejected: none), and by limit.
const images = (count) =>
  JSON.stringify({
    images: Array.from({ length: count }, (_, i) => ({ id: imageId(i), owner: "image-owner" })),
    schema: "/v2/schemas/images",
  });
const IMAGES = images(SHARED_IMAGES);
const NO_IMAGES = images(0);

function imageList(url) {
  const query = new URLSearchParams(url.slice(url.indexOf("?") + 1));
  const status = query.get("member_status") ?? "accepted";
  if (status !== "accepted" && status !== "all") {
    return NO_IMAGES;
  }
  const limit = Number(query.get("limit") ?? SHARED_IMAGES);
  return limit >= SHARED_IMAGES ? IMAGES : images(Math.max(0, limit));
}
const VERSIONS = JSON.stringify({
  versions: [{ id: "v2.9", status: "CURRENT", links: [{ rel: "self", href: "http://127.0.0.1/v2/" }] }],
});

const MEMBER_PATH = /^\/v2\/images\/([^/]+)\/members(?:\/([^/?]+))?$/;

function route(method, url, body) {
  const path = url.split("?", 1)[0];
  if (path === "/versions" || path === "/") {
    return [200, VERSIONS];
  }
  if (path === "/v2/images" && method === "GET") {
    return [200, imageList(url)];
  }
  const match = MEMBER_PATH.exec(path);
  if (match === null) {
    return [404, '{"message":"not found"}'];
  }
  const [, image, memberPart] = match;
  const memberId = memberPart === undefined ? undefined : decodeURIComponent(memberPart);
  if (memberId === undefined) {
    if (method === "GET") {
      return [200, memberList(image)];
    }
    if (method === "POST") {
      return [200, member(image, JSON.parse(body).member, "pending")];
    }
  } else {
    if (method === "GET") {
      return [200, member(image, memberId)];
    }
    if (method === "PUT") {
      return [200, member(image, memberId, JSON.parse(body).status)];
    }
    if (method === "DELETE") {
      return [204, ""];
    }
  }
  return [405, '{"message":"method not allowed"}'];
}

const server = createServer((request, response) => {
  const chunks = [];
  request.on("data", (chunk) => chunks.push(chunk));
  request.on("end", () => {
    calls++;
    let status;
    let text;
    try {
      [status, text] = route(request.method, request.url, Buffer.concat(chunks).toString("utf8"));
    } catch {
      [status, text] = [400, '{"message":"bad request"}'];
    }
    const send = () => {
      if (status === 204) {
        response.writeHead(204).end();
        return;
      }
      response.writeHead(status, {
        "content-type": "application/json; charset=UTF-8",
        "content-length": Buffer.byteLength(text),
      });
      response.end(text);
    };
    if (latencyMs > 0) {
      setTimeout(send, latencyMs);
    } else {
      send();
    }
  });
});
server.keepAliveTimeout = 65_000;

process.on("message", (message) => {
  if (message?.type === "latency") {
    latencyMs = Number(message.ms);
    process.send?.({ type: "latency", id: message.id });
  }
});
answerUsage((message) => {
  const counted = calls;
  if (message.reset) {
    calls = 0;
  }
  return { calls: counted };
});

server.listen(0, "127.0.0.1", () => {
  const { port } = server.address();
  process.send?.({ type: "ready", url: `http://127.0.0.1:${port}` });
});
