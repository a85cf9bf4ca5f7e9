#!/bin/sh
# Container entry point of the ephemeris API image.
#
# Without arguments it logs one JSON start-up event, so `docker logs` shows which release and
# which ephemeris files a container runs with before the app's own logging begins, and then
# replaces itself with the API server (exec keeps it PID 1, receiving Docker's stop signal).
# With arguments it runs them instead, e.g. `docker run --rm ephemeris-api:<release> python -V`.
set -eu

if [ "$#" -gt 0 ]; then
    exec "$@"
fi

# Python writes the line because it escapes JSON correctly and reads the installed version from
# package metadata, as the app does. A failure here must not keep the API from starting.
python - <<'PY' || true
import datetime
import importlib.metadata
import json
import os

ephemeris_path = os.environ.get("EPHEMERIS_PATH", "/usr/share/libswe/ephe")
workers = os.environ.get("WORKERS") or str(os.cpu_count())
try:
    version = importlib.metadata.version("ephemeris_api")
except importlib.metadata.PackageNotFoundError:
    version = "unknown"
print(json.dumps({
    "event": "container_starting",
    "level": "info",
    "logger": "entrypoint",
    "timestamp": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
    "version": version,
    "release": os.environ.get("APP_RELEASE", "dev"),
    "workers": int(workers) if workers.isdigit() else workers,
    "ephemeris_path": ephemeris_path,
    "ephemeris_present": os.path.isdir(ephemeris_path),
}), flush=True)
PY

exec python -m ephemeris_api
