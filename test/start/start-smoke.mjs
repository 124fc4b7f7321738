/**
 * The README's first command, end to end: `npm start` (build, bundle, the gateway over its embedded
 * emulator) answers the walkthrough's first query with the demo data, then stops cleanly on
 * SIGTERM. CI runs it; it talks only to 127.0.0.1 and stops what it started.
 */
import { spawn } from "node:child_process";
import { createServer } from "node:net";

const TIMEOUT_MS = 120_000;
const IMAGE = "5eed0001-0000-4000-8000-000000000001";

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const child = spawn("npm", ["start"], {
  env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", LOG_LEVEL: "info" },
  stdio: ["ignore", "pipe", "inherit"],
  detached: true,
});
let output = "";
child.stdout.on("data", (chunk) => (output += chunk));
const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
const stopAll = () => {
  try {
    process.kill(-child.pid, "SIGKILL");
  } catch {
    // already gone
  }
};
const guard = setTimeout(() => {
  console.error(`start-smoke: no answer within ${TIMEOUT_MS} ms\n${output}`);
  stopAll();
  process.exit(1);
}, TIMEOUT_MS);

try {
  const startedAt = performance.now();
  for (;;) {
    const ready = await fetch(`${base}/health/ready`).then(
      (r) => r.status,
      () => null,
    );
    if (ready === 200) {
      break;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const response = await fetch(`${base}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-auth-token": "demo-owner" },
    body: JSON.stringify({ query: `{ imageMembers(imageId: "${IMAGE}") { memberId status } }` }),
  });
  const answer = await response.json();
  const members = answer?.data?.imageMembers;
  if (
    response.status !== 200 ||
    !Array.isArray(members) ||
    members.length !== 1 ||
    members[0].memberId !== "demo-consumer" ||
    members[0].status !== "PENDING"
  ) {
    throw new Error(`unexpected answer ${response.status}: ${JSON.stringify(answer)}`);
  }
  if (!output.includes(`${base}/graphql`)) {
    throw new Error(`the banner does not name ${base}/graphql:\n${output}`);
  }
  console.log(`start-smoke: npm start answered after ${Math.round(performance.now() - startedAt)} ms`);
  // The whole process group, as a terminal's Ctrl-C or a container stop would: the gateway drains,
  // logs that it stopped and exits.
  process.kill(-child.pid, "SIGTERM");
  const { code, signal } = await exited;
  await new Promise((r) => setTimeout(r, 200));
  if (!output.includes('"msg":"stopped"')) {
    throw new Error(`no "stopped" line after SIGTERM (npm exited with ${code ?? signal}):\n${output}`);
  }
  console.log(`start-smoke: stopped cleanly (npm exited with ${code ?? signal})`);
} catch (error) {
  console.error(`start-smoke: ${error?.message ?? error}\n${output}`);
  stopAll();
  process.exitCode = 1;
} finally {
  clearTimeout(guard);
}
