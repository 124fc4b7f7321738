# syntax=docker/dockerfile:1
# The gateway as a container: built in one stage, run from a slim image as the unprivileged `node`
# user with only what the production bundle needs. docs/deployment.md explains each setting;
# test/start/container-smoke.mjs replays the runtime stage without Docker.

# --- build: TypeScript, then the production bundle (dist/bundle) ---------------------------------
FROM node:20-bookworm-slim AS build
WORKDIR /app
# The lock file alone first, so that the install layer is reused until a dependency changes.
COPY package.json package-lock.json ./
# BuildKit's cache mount keeps npm's download cache between builds, outside every layer.
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
# Only what `npm run build` reads (tsc over src/, then rolldown): tests and docs never reach a layer.
COPY tsconfig.json tsconfig.build.json rolldown.config.mjs ./
COPY src ./src
RUN npm run build

# --- runtime -------------------------------------------------------------------------------------
FROM node:20-bookworm-slim
WORKDIR /app
# production: Apollo's landing page instead of Sandbox, graphql-js without its development checks.
# 0.0.0.0: the gateway listens on loopback by default, which nothing outside the container reaches.
ENV NODE_ENV=production HOST=0.0.0.0 PORT=4000
# Production dependencies only: the bundle still loads a few packages from node_modules at run time
# (OpenTelemetry's SDK, lazily, when an OTEL_* setting asks for it). No install scripts: none of the
# production packages needs one, and none then runs in the image.
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --ignore-scripts --no-audit --no-fund
COPY --from=build /app/dist/bundle ./dist/bundle
# The base image's unprivileged user (uid 1000); the files above stay root's, so read-only to it.
USER node
EXPOSE 4000
# Liveness only (the process answers): whether an upstream answers is /health/ready, which an
# orchestrator asks. Node's own fetch, since the slim image has no curl or wget.
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/health/live`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM: the gateway stops taking connections, lets requests in flight finish (SHUTDOWN_TIMEOUT_MS)
# and exits 0.
STOPSIGNAL SIGTERM
# Node as PID 1 directly, with npm start's V8 flags: npm would rebuild first (prestart) and would not
# pass the stop signal on.
CMD ["node", "--max-semi-space-size=8", "--heap-growing-percent=50", "dist/bundle/index.js"]
