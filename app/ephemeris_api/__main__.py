"""Entry point: `python -m ephemeris_api` serves the API with one Sanic worker per core.

Order matters here: configuration is validated first (a bad variable stops start-up with a
message naming it), then the Prometheus multiprocess directory is prepared, and only then is
the web layer imported, because importing it imports prometheus_client, which fixes its
single- or multi-process storage at import time.
"""

import os
import shutil
import sys
from functools import partial

from sanic import Sanic
from sanic.worker.loader import AppLoader

from ephemeris_api.config import LOG_FORMATS, ConfigError, Settings
from ephemeris_api.logs import configure_logging, get_logger
from ephemeris_api.metrics_dir import MULTIPROC_ENV, prepare_multiprocess_dir
from ephemeris_api.version import __version__

EXIT_CONFIG_ERROR = 2


def main() -> int:
    """Validate the environment, then run the server until it is stopped."""
    log = get_logger("ephemeris_api")
    try:
        settings = Settings.from_env(os.environ)
    except ConfigError as exc:
        requested = os.environ.get("LOG_FORMAT", "console").strip().lower()
        configure_logging(requested if requested in LOG_FORMATS else "console", "info")
        log.error("configuration_invalid", problems=exc.problems)
        return EXIT_CONFIG_ERROR
    configure_logging(settings.log_format, settings.log_level)

    operator_dir = bool(os.environ.get(MULTIPROC_ENV))
    metrics_dir = prepare_multiprocess_dir(os.environ)
    from ephemeris_api.web.app import create_app  # noqa: PLC0415 - needs the metrics dir first

    loader = AppLoader(factory=partial(create_app, settings))
    app = loader.load()
    app.prepare(
        host=settings.host,
        port=settings.port,
        workers=settings.workers,
        access_log=False,
        motd=False,
    )
    log.info(
        "server_starting",
        version=__version__,
        release=settings.release,
        host=settings.host,
        port=settings.port,
        workers=settings.workers,
        ephemeris_path=settings.ephemeris_path,
        metrics_dir=str(metrics_dir),
        cache_enabled=settings.redis_url is not None,
        cache_ttl_seconds=settings.cache_ttl_seconds,
    )
    try:
        Sanic.serve(primary=app, app_loader=loader)
    finally:
        if not operator_dir:
            shutil.rmtree(metrics_dir, ignore_errors=True)
    log.info("server_stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
