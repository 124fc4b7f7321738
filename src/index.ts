/**
 * Entry point (npm start): reads the configuration, starts the embedded emulator when neither
 * GLANCE_URL nor OpenStack credentials are set, starts the gateway, and shuts both down on SIGTERM/SIGINT: no new connections, requests
 * in flight finish (up to SHUTDOWN_TIMEOUT_MS), then the upstream pool closes.
 */
import "reflect-metadata";
import { startGateway, type RunningGateway } from "./app.js";
import { ConfigError, loadConfig, type Config } from "./config.js";
import { demoBanner, seedDemoData, startEmulator, type Emulator } from "./emulator/index.js";
import { createLogger } from "./server/logger.js";

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
  const logger = createLogger(config.logLevel, config.forwardHeaders);

  let emulator: Emulator | null = null;
  if (config.glanceUrl === null && config.openstack === null) {
    emulator = await startEmulator({ api: config.emulatorApi, memberQuota: config.emulatorMemberQuota });
    config = { ...config, glanceUrl: new URL(emulator.url) };
  }
  const gateway: RunningGateway = await startGateway(config, { logger });
  logger.info(
    {
      graphql: gateway.url,
      upstream: gateway.upstreamUrl,
      regions: gateway.regions,
      apiVersion: config.apiVersion,
      emulator: emulator !== null,
    },
    "gateway ready",
  );
  if (emulator !== null) {
    process.stdout.write(demoBanner(gateway.url, emulator.url, config.emulatorApi, seedDemoData(emulator)));
  }

  let stopping = false;
  /** `exitCode` 1 after a failure nothing handled: the state is unknown, so the process still stops. */
  const stop = (signal: string, exitCode = 0): void => {
    if (stopping) {
      return;
    }
    stopping = true;
    logger.info({ signal }, "shutting down");
    // A last resort, should closing itself hang: shutdown's own bound plus time to close the pool.
    const forced = setTimeout(() => process.exit(1), config.shutdownTimeoutMs + 10_000);
    forced.unref();
    void (async () => {
      try {
        await gateway.close();
        await emulator?.close();
        logger.info("stopped");
        process.exit(exitCode);
      } catch (error) {
        logger.error({ err: error }, "shutdown failed");
        process.exit(1);
      }
    })();
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("unhandledRejection", (reason: unknown) => {
    logger.fatal({ err: reason }, "unhandled rejection");
    stop("unhandledRejection", 1);
  });
}

main().catch((error: unknown) => {
  process.stderr.write(
    `image-members-gateway failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
