# syntax=docker/dockerfile:1
# pgmask container image: the CLI with pg_dump and psql, running as a non-root user.
#   docker build -t pgmask .
#   docker run --rm -e PGMASK_KEY pgmask copy --source ... --target ... --rules /rules/rules.yaml

ARG NODE_VERSION=22
ARG PG_MAJOR=17

FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY bin ./bin
COPY src ./src
COPY rules ./rules
RUN npm ci --ignore-scripts && npm run build && npm prune --omit=dev --ignore-scripts

FROM node:${NODE_VERSION}-bookworm-slim
ARG PG_MAJOR
# pg_dump must be at least as new as the source server: take it from the PostgreSQL apt repository.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl gnupg \
 && install -d /usr/share/postgresql-common/pgdg \
 && curl -fsSL -o /usr/share/postgresql-common/pgdg/apt.postgresql.org.asc https://www.postgresql.org/media/keys/ACCC4CF8.asc \
 && echo "deb [signed-by=/usr/share/postgresql-common/pgdg/apt.postgresql.org.asc] https://apt.postgresql.org/pub/repos/apt bookworm-pgdg main" > /etc/apt/sources.list.d/pgdg.list \
 && apt-get update \
 && apt-get install -y --no-install-recommends postgresql-client-${PG_MAJOR} \
 && apt-get purge -y curl gnupg && apt-get autoremove -y && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/bin ./bin
COPY --from=build /app/rules ./rules
# Skatteverket's test lists (open data, CC0); `pgmask testdata fetch` puts newer ones in ~/.cache/pgmask.
COPY data ./data
RUN ln -s /app/bin/pgmask.js /usr/local/bin/pgmask \
 && useradd --system --create-home --uid 10001 pgmask
USER pgmask
ENTRYPOINT ["pgmask"]
CMD ["--help"]
