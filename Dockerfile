# syntax=docker/dockerfile:1
# Latch as a container: docs/deploy.md ("Container image"). Build with `docker build -t latch .`.

# 1. Build the apps (Vite) and the server and CLI (esbuild), with every dev dependency. python3, make
#    and g++ compile better-sqlite3 when its prebuilt binary cannot be downloaded.
FROM node:20-bookworm-slim AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
COPY packages/protocol/package.json packages/protocol/
COPY packages/server/package.json packages/server/
COPY packages/client/package.json packages/client/
COPY packages/web/package.json packages/web/
COPY packages/phone/package.json packages/phone/
COPY packages/cli/package.json packages/cli/
COPY packages/mls/package.json packages/mls/
COPY packages/build/package.json packages/build/
COPY packages/react/package.json packages/react/
COPY e2e/package.json e2e/
COPY bench/package.json bench/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

# 2. Runtime dependencies only (npm ci --omit=dev), built on the same base as the final image.
FROM node:20-bookworm-slim AS deps
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app/package.json /app/package-lock.json /app/.npmrc ./
COPY --from=build /app/packages/protocol/package.json packages/protocol/
COPY --from=build /app/packages/server/package.json packages/server/
COPY --from=build /app/packages/client/package.json packages/client/
COPY --from=build /app/packages/web/package.json packages/web/
COPY --from=build /app/packages/phone/package.json packages/phone/
COPY --from=build /app/packages/cli/package.json packages/cli/
COPY --from=build /app/packages/mls/package.json packages/mls/
COPY --from=build /app/packages/build/package.json packages/build/
COPY --from=build /app/packages/react/package.json packages/react/
COPY --from=build /app/e2e/package.json e2e/
COPY --from=build /app/bench/package.json bench/
RUN npm ci --omit=dev --no-audit --no-fund

# 3. The image: compiled JavaScript, the built apps and runtime dependencies; no compiler, no
#    TypeScript, run as the unprivileged `node` user.
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    DATA_DIR=/data
WORKDIR /app
COPY --from=deps /app ./
COPY --from=build /app/packages/server/dist packages/server/dist
COPY --from=build /app/packages/web/dist packages/web/dist
COPY --from=build /app/packages/phone/dist packages/phone/dist
COPY --from=build /app/packages/cli/bin packages/cli/bin
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8080
# Liveness: /healthz answers while the process serves. Load balancers should use /readyz (store and bus).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM: sockets closed with 1001, requests drained, store closed (docs/deploy.md, "Stopping a node").
STOPSIGNAL SIGTERM
CMD ["node", "--enable-source-maps", "packages/server/dist/main.js"]
