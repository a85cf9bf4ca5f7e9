"""Structured logging: every line is an event with key/value context, JSON in production.

structlog renders both our own events and the standard-library records that Sanic emits, so a
log collector never has to parse two formats. Sanic's access log stays off: the HTTP layer logs
one `request_completed` event per request instead, with the route template and request id.
"""

import logging
import sys

import structlog
from structlog.typing import Processor

# Sanic's loggers; they get no handlers of their own and propagate to the root handler below.
_SANIC_LOGGERS = ("sanic.root", "sanic.error", "sanic.server", "sanic.websockets")


def configure_logging(log_format: str, log_level: str) -> None:
    """Install structlog and route the standard library through the same renderer.

    Safe to call again (each Sanic worker process configures itself after being spawned).
    """
    level = logging.getLevelNamesMapping()[log_level.upper()]
    shared: list[Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    renderer: Processor
    if log_format == "json":
        # One JSON object per line; tracebacks become structured data instead of a text blob.
        renderer = structlog.processors.JSONRenderer()
        shared.append(structlog.processors.dict_tracebacks)
    else:
        renderer = structlog.dev.ConsoleRenderer(colors=sys.stdout.isatty())

    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *shared,
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )

    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared,
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, renderer],
    )
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)

    for name in _SANIC_LOGGERS:
        sanic_logger = logging.getLogger(name)
        sanic_logger.handlers.clear()
        sanic_logger.propagate = True
    # The HTTP layer's request_completed event replaces Sanic's access lines.
    access = logging.getLogger("sanic.access")
    access.handlers.clear()
    access.propagate = False
    access.disabled = True


def get_logger(name: str) -> structlog.stdlib.BoundLogger:
    """A structlog logger named after the module that logs (becomes the `logger` key)."""
    return structlog.stdlib.get_logger(name)
