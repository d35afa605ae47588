# The `dds` command line in a container, for batch jobs (docs/batch.md). Build: `docker build -t dds .`
# The first stage builds the bundle (esbuild is a dev dependency); the image keeps the runtime packages only.
FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN node scripts/build-cli.mjs

FROM node:20-bookworm-slim
WORKDIR /opt/dds
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /src/build/cli build/cli
COPY public/presets public/presets
RUN ln -s /opt/dds/build/cli/dds.mjs /usr/local/bin/dds
# a sweep folder is mounted here; results are written into it
WORKDIR /sweep
ENTRYPOINT ["dds"]
CMD ["--help"]
