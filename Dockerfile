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
RUN --mount=type=cache,id=pnpm-store,target=/root/.local/share/pnpm/store pnpm fetch

FROM fetch AS build
ARG APP
COPY . .
RUN --mount=type=cache,id=pnpm-store,target=/root/.local/share/pnpm/store pnpm install --offline --frozen-lockfile
RUN if [ "$APP" = "dashboard" ]; then pnpm --filter @runnerly/dashboard run build; fi
# A self-contained copy of the app with its production dependencies and workspace libs.
RUN pnpm --filter "@runnerly/${APP}" deploy --prod --legacy /out \
 && cp tsconfig.base.json /out/tsconfig.runtime.json

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production HOST=0.0.0.0 SWC_NODE_PROJECT=/app/tsconfig.runtime.json
WORKDIR /app
COPY --from=build --chown=node:node /out ./
USER node
CMD ["node", "--enable-source-maps", "--import", "@swc-node/register/esm-register", "src/main.ts"]
