"""Preparation of prometheus_client's multiprocess directory.

Kept apart from `ephemeris_api.metrics` because it must run before prometheus_client is
imported: the library decides between in-memory and file-backed samples at import time.
"""

import tempfile
from collections.abc import MutableMapping
from pathlib import Path

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"


def prepare_multiprocess_dir(environ: MutableMapping[str, str]) -> Path:
    """Make sure PROMETHEUS_MULTIPROC_DIR names an empty, writable directory.

    A directory given by the operator is emptied of old sample files, because counters left by
    a previous run would otherwise be added to this run's. Without one, a fresh temporary
    directory is created; worker processes inherit the variable from this process.
    """
    configured = environ.get(MULTIPROC_ENV)
    if configured:
        directory = Path(configured)
        directory.mkdir(parents=True, exist_ok=True)
        for stale in directory.glob("*.db"):
            stale.unlink()
    else:
        directory = Path(tempfile.mkdtemp(prefix="ephemeris-api-metrics-"))
        environ[MULTIPROC_ENV] = str(directory)
    return directory
