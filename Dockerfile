# The gateway as a container: built in one stage, run from a slim image as the unprivileged `node`
# user with only what the production bundle needs. docs/deployment.md explains each setting;
# test/start/container-smoke.mjs replays the runtime stage without Docker.

# --- build: TypeScript, then the production bundle (dist/bundle) ---------------------------------
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json rolldown.config.mjs ./
COPY src ./src
RUN npm run build

# --- runtime -------------------------------------------------------------------------------------
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production HOST=0.0.0.0 PORT=4000
# Production dependencies only: the bundle loads a few packages from node_modules at run time
# (OpenTelemetry's SDK, when an OTEL_* setting asks for it).
COPY package.json package-lock.json ./
# (BuildKit's cache mount keeps npm's download cache out of the image.)
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --ignore-scripts --no-audit --no-fund
COPY --from=build /app/dist/bundle ./dist/bundle
USER node
EXPOSE 4000
# Liveness only: readiness (an upstream answers) is the orchestrator's question, on /health/ready.
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/health/live`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM stops taking connections and lets requests finish (SHUTDOWN_TIMEOUT_MS). Node runs as
# PID 1 directly, not through npm, which would neither forward the signal nor skip the build.
STOPSIGNAL SIGTERM
CMD ["node", "--max-semi-space-size=8", "--heap-growing-percent=50", "dist/bundle/index.js"]
