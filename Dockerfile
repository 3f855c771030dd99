# syntax=docker/dockerfile:1
# Vigil's container image: a release build with the Swift runtime linked in, on a slim Debian.
#
#   docker build -t vigil .
#   docker run -p 8080:8080 -v vigil-data:/data -v "$PWD/models:/models:ro" vigil
#
# Docker cannot run on the project's CI machines, so the build stage runs the same script that
# CI runs (deploy/build-release.sh), and CI tests the binary that script makes.

# ---- build ------------------------------------------------------------------------------------
FROM swift:6.3-bookworm AS build
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libsqlite3-dev zlib1g-dev pkg-config \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Dependencies first, in a layer of their own: it is rebuilt only when Package.swift changes.
COPY Package.swift ./
RUN swift package resolve
COPY . .
RUN deploy/build-release.sh /out

# ---- runtime ----------------------------------------------------------------------------------
FROM debian:bookworm-slim
# Only what the binary links at run time (deploy/check-runtime-libraries.sh checks it), plus CA
# certificates for https webhooks. libc6, libgcc-s1 and libstdc++6 are in the base image already.
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libsqlite3-0 zlib1g ca-certificates \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin vigil \
    && mkdir -p /data /models && chown vigil:vigil /data
COPY --from=build /out/vigil /usr/local/bin/vigil
COPY --chown=vigil:vigil models /models

USER vigil
WORKDIR /data
VOLUME ["/data"]
ENV VIGIL_HOST=0.0.0.0 \
    VIGIL_PORT=8080 \
    VIGIL_MODELS=/models \
    VIGIL_DB=/data/vigil.sqlite
EXPOSE 8080
# vigil probe exits 0 on a 2xx, so the image needs no curl.
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
    CMD ["vigil", "probe", "http://127.0.0.1:8080/v2/health/live"]
# SIGTERM drains in-flight requests and flushes the feature log (--shutdown-timeout bounds it).
STOPSIGNAL SIGTERM
ENTRYPOINT ["vigil"]
CMD ["serve"]
