# Aisle's production image (docs/deployment.md): `docker build -t aisle .`, then run it with the settings of the
# README (SHOPIFY_*, DATABASE_URL, CHROMA_URL or VECTOR_STORE=pgvector, …). It starts with `npm run docker-start`:
# database migrations, then the server on PORT (3000). Node 24 LTS, Debian 12 like CI.
ARG NODE_VERSION=24

# ── build: every dependency (better-sqlite3 compiles here: the full image has g++ and python3), the Remix
# build, then the dev dependencies dropped.
FROM node:${NODE_VERSION}-bookworm AS build
WORKDIR /app
# Dependencies first, so this layer is reused until the lock file changes. `postinstall` generates both Prisma
# clients, which needs the schemas and prisma.config.ts (and the helpers it imports).
COPY package.json package-lock.json .npmrc prisma.config.ts ./
COPY prisma ./prisma
COPY app/lib/db ./app/lib/db
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

# ── runtime: the build, production dependencies and what `prisma migrate deploy` reads; nothing else.
FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ENV NODE_ENV=production PORT=3000 HOST=0.0.0.0
WORKDIR /app
COPY --from=build /app/package.json /app/package-lock.json /app/prisma.config.ts /app/server.mjs ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/build ./build
COPY --from=build /app/prisma ./prisma
COPY --from=build /app/app/lib/db ./app/lib/db
# The only place the app writes: the SQLite database of a one-box install (mount a volume there). With
# DATABASE_URL on Postgres nothing is written inside the container.
RUN mkdir -p .data && chown node:node .data
VOLUME ["/app/.data"]
USER node
EXPOSE 3000
# /healthz: 200 when ok or degraded (only the LLM is down: answers come from retrieval alone), 503 when the
# database, the vector store or the embedder is down.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["npm", "run", "docker-start"]
