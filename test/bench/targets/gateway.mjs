/**
 * The gateway under test, as the runner starts it: the production bundle (dist/bundle, what
 * `npm start` runs) over the loopback upstream
 * (GLANCE_URL, GLANCE_API_VERSION=v2, LOG_LEVEL=warn in the environment), listening on a free port.
 */
import { pathToFileURL } from "node:url";
import { resolve } from "node:path";
import { answerUsage } from "../child-usage.mjs";

const dist = resolve(process.env.BENCH_DIST ?? "dist");
const { startGateway } = await import(pathToFileURL(resolve(dist, "bundle/app.js")).href);
const { loadConfig } = await import(pathToFileURL(resolve(dist, "bundle/config.js")).href);

const gateway = await startGateway(loadConfig({ ...process.env, PORT: "0", HOST: "127.0.0.1" }));
answerUsage();
process.on("message", (message) => {
  if (message?.type === "stop") {
    gateway.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  }
});
process.send?.({ type: "ready", url: gateway.url });
