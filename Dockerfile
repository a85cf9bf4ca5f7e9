# The ephemeris API image. Build it with scripts/build-app-image.sh, which first puts every wheel
# the image needs into build/wheels/ (the app's own in build/wheels/app/), so nothing here
# reaches PyPI. Works with the legacy builder and with BuildKit (no RUN --mount).
#
# BASE_IMAGE is the official python:3.11-slim-bookworm where Docker Hub is reachable, or its
# offline stand-in ephemeris-offline/python:3.11-bookworm made by scripts/offline-images.sh.
# Both must carry CPython 3.11, because the wheels are downloaded for cp311.
ARG BASE_IMAGE=python:3.11-slim-bookworm

FROM ${BASE_IMAGE} AS builder

# The Swiss Ephemeris files come from Debian's swe-basic-data. The offline base has it installed;
# the official image does not, so it is installed here and staged in /ephemeris for the runtime
# stage. Staging nothing when the base has the files keeps them out of the image twice. Only this
# stage ever runs apt.
RUN mkdir /ephemeris \
    && if [ ! -d /usr/share/libswe/ephe ]; then \
        apt-get update \
        && DEBIAN_FRONTEND=noninteractive \
            apt-get install -y --no-install-recommends swe-basic-data \
        && rm -rf /var/lib/apt/lists/* \
        && cp -a /usr/share/libswe/ephe/. /ephemeris/; \
    fi \
    && ls /usr/share/libswe/ephe/sepl_18.se1 >/dev/null

RUN python -m venv /opt/venv

COPY build/wheels/*.whl /wheels/
COPY app/requirements.txt /tmp/requirements.txt
# Dependencies first, in their own layers, so a change to the app alone reuses them.
RUN /opt/venv/bin/pip install --no-cache-dir --no-index --find-links /wheels \
        -r /tmp/requirements.txt
# The app wheel is installed without dependencies: requirements.txt is the complete, pinned set,
# and pip check fails the build if the app needs anything outside it.
COPY build/wheels/app/*.whl /wheels/app/
RUN /opt/venv/bin/pip install --no-cache-dir --no-index --no-deps /wheels/app/*.whl \
    && /opt/venv/bin/pip check \
    && /opt/venv/bin/python -m pip uninstall --yes --quiet pip setuptools wheel \
    && find /opt/venv -name '__pycache__' -prune -exec rm -rf {} +


FROM ${BASE_IMAGE} AS runtime

RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin app

COPY --from=builder /opt/venv /opt/venv
COPY --from=builder /ephemeris/ /usr/share/libswe/ephe/
COPY docker/entrypoint.sh docker/healthcheck.py /app/docker/

ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    HOST=0.0.0.0 \
    PORT=8000 \
    LOG_FORMAT=json \
    EPHEMERIS_PATH=/usr/share/libswe/ephe

WORKDIR /app
# Fails the build if neither the base nor the builder stage provided the ephemeris files.
RUN ls /usr/share/libswe/ephe/sepl_18.se1 >/dev/null
USER 10001:10001
EXPOSE 8000

HEALTHCHECK --interval=5s --timeout=3s --start-period=30s --retries=3 \
    CMD ["python", "/app/docker/healthcheck.py"]
ENTRYPOINT ["/app/docker/entrypoint.sh"]

# Release metadata last: a new release tag then changes only these small layers.
ARG BASE_IMAGE
ARG APP_VERSION=unknown
ARG APP_REVISION=unknown
ARG APP_SOURCE=unknown
ARG APP_RELEASE=dev
LABEL org.opencontainers.image.title="ephemeris-api" \
      org.opencontainers.image.description="HTTP API computing natal charts" \
      org.opencontainers.image.version="${APP_VERSION}" \
      org.opencontainers.image.revision="${APP_REVISION}" \
      org.opencontainers.image.source="${APP_SOURCE}" \
      org.opencontainers.image.base.name="${BASE_IMAGE}"
ENV APP_RELEASE=${APP_RELEASE}
