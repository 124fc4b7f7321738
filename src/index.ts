/**
 * Entry point (npm start): reads the configuration, starts the embedded emulator when no GLANCE_URL
 * is set, starts the gateway, and shuts both down on SIGTERM/SIGINT.
 */
import "reflect-metadata";
import { startGateway, type RunningGateway } from "./app.js";
import { ConfigError, loadConfig, type Config } from "./config.js";
import { seedDemoData, startEmulator, type Emulator } from "./emulator/index.js";
import { createLogger } from "./server/logger.js";
import { demoBanner } from "./server/demo-banner.js";

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);

  let emulator: Emulator | null = null;
  if (config.glanceUrl === null) {
    emulator = await startEmulator({ api: config.emulatorApi, memberQuota: config.emulatorMemberQuota });
    config = { ...config, glanceUrl: new URL(emulator.url) };
  }
  const gateway: RunningGateway = await startGateway(config, { logger });
  logger.info(
    {
      graphql: gateway.url,
      upstream: gateway.upstreamUrl,
      apiVersion: config.apiVersion,
      emulator: emulator !== null,
    },
    "gateway ready",
  );
  if (emulator !== null) {
    process.stdout.write(demoBanner(gateway.url, emulator.url, config.emulatorApi, seedDemoData(emulator)));
  }

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) {
      return;
    }
    stopping = true;
    logger.info({ signal }, "shutting down");
    const forced = setTimeout(() => process.exit(1), 10_000);
    forced.unref();
    void (async () => {
      await gateway.close();
      await emulator?.close();
      logger.info("stopped");
      process.exit(0);
    })();
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

main().catch((error: unknown) => {
  process.stderr.write(
    `image-members-gateway failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
