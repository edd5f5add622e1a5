# syntax=docker/dockerfile:1
# One image recipe for every app: `docker build --build-arg APP=data-service .`
# Only the npm registry and Debian's mirrors are needed to build it.
ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS base
ENV CI=true
RUN npm install --global --no-audit --no-fund pnpm@10.34.9
WORKDIR /repo

# Dependencies only: cached until the lockfile changes.
FROM base AS fetch
COPY pnpm-lock.yaml pnpm-workspace.yaml ./
RUN --mount=type=cache,id=pnpm-store,target=/root/.local/share/pnpm/store pnpm fetch --prod

# The app and the workspace libs it uses, with production dependencies only. The workspace layout
# is kept (rather than `pnpm deploy`, which copies the libs under node_modules) because apps run
# their TypeScript through @swc-node/register, which compiles workspace sources but never
# node_modules. The dashboard builds its page with Vite (a production dependency) at first start.
FROM fetch AS build
ARG APP
COPY . .
RUN --mount=type=cache,id=pnpm-store,target=/root/.local/share/pnpm/store \
    pnpm install --offline --prod --frozen-lockfile --filter "@runnerly/${APP}..."

FROM ${NODE_IMAGE} AS runtime
ARG APP
ENV NODE_ENV=production HOST=0.0.0.0
COPY --from=build --chown=node:node /repo /repo
WORKDIR /repo/apps/${APP}
USER node
CMD ["node", "--enable-source-maps", "--import", "@swc-node/register/esm-register", "src/main.ts"]
