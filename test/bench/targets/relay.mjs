/**
 * The floor: a bare node:http relay. It takes the same GraphQL POST, parses no GraphQL, makes one
 * undici call chosen by the operation name, and answers JSON of the same shape as the gateway.
 */
import { createServer } from "node:http";
import { Pool } from "undici";
import { answerUsage } from "../child-usage.mjs";

const upstream = new Pool(process.env.GLANCE_URL, { connections: 64 });
const HEADERS = { accept: "application/json" };
const JSON_HEADERS = { accept: "application/json", "content-type": "application/json" };

const STATUS_OUT = (s) => (s == null ? null : String(s).toUpperCase());
const stamp = (s) => (s == null ? null : new Date(s).toISOString());
const member = (m) => ({
  id: `${m.image_id}/${encodeURIComponent(m.member_id)}`,
  imageId: m.image_id,
  memberId: m.member_id,
  status: STATUS_OUT(m.status),
  createdAt: stamp(m.created_at),
  updatedAt: stamp(m.updated_at),
});

async function call(method, path, body) {
  const response = await upstream.request({
    method,
    path,
    headers: body === undefined ? HEADERS : JSON_HEADERS,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.body.text();
  if (response.statusCode >= 300) {
    throw new Error(`upstream answered ${response.statusCode}`);
  }
  return text === "" ? null : JSON.parse(text);
}

const members = (imageId) => `/v2/images/${encodeURIComponent(imageId)}/members`;
const one = (imageId, memberId) => `${members(imageId)}/${encodeURIComponent(memberId)}`;

const OPERATIONS = {
  async OneMember({ imageId, memberId }) {
    return { imageMember: member(await call("GET", one(imageId, memberId))) };
  },
  async MemberList({ imageId }) {
    return { imageMembers: (await call("GET", members(imageId))).members.map(member) };
  },
  async AliasedMember({ imageId, memberId }) {
    const answer = member(await call("GET", one(imageId, memberId)));
    const data = {};
    for (let i = 0; i < 10; i++) {
      data[`m${i}`] = answer;
    }
    return data;
  },
  async Share({ imageId, memberId }) {
    return { shareImage: member(await call("POST", members(imageId), { member: memberId })) };
  },
  async Respond({ imageId, memberId, status }) {
    return {
      respondToShare: member(await call("PUT", one(imageId, memberId), { status: status.toLowerCase() })),
    };
  },
  async SharedImages({ memberId, status }) {
    const query = `visibility=shared&member_status=${status.toLowerCase()}&limit=100`;
    const { images } = await call("GET", `/v2/images?${query}`);
    return {
      sharedImages: images
        .filter((image) => image.owner !== memberId)
        .map((image) => ({ imageId: image.id, memberId, status })),
    };
  },
};

function send(response, status, payload) {
  const text = JSON.stringify(payload);
  response.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
  });
  response.end(text);
}

const server = createServer((request, response) => {
  const chunks = [];
  request.on("data", (chunk) => chunks.push(chunk));
  request.on("end", async () => {
    try {
      const { operationName, variables } = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      const operation = OPERATIONS[operationName];
      if (operation === undefined) {
        send(response, 400, { errors: [{ message: `unknown operation ${operationName}` }] });
        return;
      }
      send(response, 200, { data: await operation(variables ?? {}) });
    } catch (error) {
      send(response, 200, { errors: [{ message: String(error?.message ?? error) }], data: null });
    }
  });
});
server.keepAliveTimeout = 65_000;

answerUsage();
process.on("message", (message) => {
  if (message?.type === "stop") {
    server.close(() => process.exit(0));
  }
});
server.listen(0, "127.0.0.1", () => {
  process.send?.({ type: "ready", url: `http://127.0.0.1:${server.address().port}/graphql` });
});
