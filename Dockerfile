# One image recipe for every app: `docker build --build-arg APP=data-service -t runnerly/data-service .`
# Compiled JavaScript and production dependencies only: no TypeScript compiler, swc or Vite in the
# image. Runs as `node`, with its files owned by root, and needs nothing writable but /tmp (compose
# runs it with a read-only root filesystem). Only the npm registry is needed to build it; NODE_IMAGE
# names another Node.js 24 base (scripts/podman/base-images.sh builds one where no registry is reachable).
# Classic-builder compatible (no BuildKit-only syntax).
ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS base
ENV CI=true
RUN npm install --global --no-audit --no-fund pnpm@10.34.9
WORKDIR /repo

# Every dependency in the store: cached until the lockfile changes.
FROM base AS fetch
COPY pnpm-lock.yaml pnpm-workspace.yaml ./
RUN pnpm fetch

# `pnpm build` (every package's dist/, the dashboard's page): the same for every APP, so one cached
# stage. /out keeps what production needs of it: the manifests, dist/ and the built page.
FROM fetch AS build
COPY . .
RUN pnpm install --offline --frozen-lockfile && pnpm build \
 && mkdir /out && cp package.json pnpm-lock.yaml pnpm-workspace.yaml /out/ \
 && for pkg in apps/* libs/*; do mkdir -p "/out/$pkg" && cp -r "$pkg/package.json" "$pkg/dist" "/out/$pkg/"; done \
 && mkdir /out/apps/dashboard/web && cp -r apps/dashboard/web/dist /out/apps/dashboard/web/

# APP's production dependencies: its own and its workspace libs' (their dist/ through their
# package.json `exports` "runnerly-dist" condition), from the store `pnpm fetch` filled (its
# node_modules, which holds every dependency, is dropped). TypeScript comes in only as
# @nestjs/swagger's peer (for its compiler plugin, never loaded at run time): removed.
FROM fetch AS app
ARG APP
COPY --from=build /out/ ./
RUN test -n "$APP" && rm -rf node_modules \
 && pnpm install --offline --prod --frozen-lockfile --filter-prod "@runnerly/${APP}..." \
 && rm -rf node_modules/.pnpm/typescript@* \
 && test -f "apps/${APP}/dist/main.js"

FROM ${NODE_IMAGE} AS runtime
ARG APP
ENV NODE_ENV=production HOST=0.0.0.0 NODE_OPTIONS="--conditions=runnerly-dist --enable-source-maps"
COPY --from=app /repo /repo
WORKDIR /repo/apps/${APP}
USER node
STOPSIGNAL SIGTERM
CMD ["node", "dist/main.js"]
