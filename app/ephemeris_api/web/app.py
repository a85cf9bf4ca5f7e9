"""The Sanic application: factory, request bookkeeping and JSON errors.

Every request gets an id (the caller's X-Request-ID when it is sane, else a new one), echoed in
the response, and ends in exactly one `request_completed` event and one metrics sample labelled
by route template. Every error, including Sanic's own 404/405, is answered as JSON.
"""

import re
import uuid
from functools import partial
from time import perf_counter
from typing import Final

import ujson
from sanic import Request, Sanic
from sanic.exceptions import SanicException
from sanic.handlers import ErrorHandler
from sanic.response import HTTPResponse
from sanic.response import json as json_response

from ephemeris_api.astro.ephemeris import Ephemeris
from ephemeris_api.cache import ResponseCache
from ephemeris_api.config import Settings
from ephemeris_api.errors import EphemerisUnavailable, InvalidInput
from ephemeris_api.logs import configure_logging, get_logger
from ephemeris_api.metrics import UNMATCHED_ROUTE, observe_request
from ephemeris_api.version import __version__
from ephemeris_api.web.routes import build_blueprint

log = get_logger(__name__)

REQUEST_ID_HEADER: Final = "X-Request-ID"
# A caller's id is reused only if it cannot smuggle anything into logs or headers.
_SAFE_REQUEST_ID: Final = re.compile(r"[A-Za-z0-9._:-]{1,128}")
# Natal-chart requests are a few hundred bytes; anything near this limit is not one.
MAX_BODY_BYTES: Final = 64 * 1024
_ERROR_CODES: Final = {
    400: "bad_request",
    404: "not_found",
    405: "method_not_allowed",
    408: "request_timeout",
    413: "payload_too_large",
    503: "service_unavailable",
}

# ujson writes every float as its shortest exact round-trip form, like the standard library,
# at a fifth of the cost (a natal chart has some 400 numbers), and refuses NaN, which is not
# JSON. Slashes stay unescaped so zone names read as sent.
_dumps = partial(ujson.dumps, escape_forward_slashes=False, allow_nan=False)


def create_app(settings: Settings, name: str = "ephemeris_api") -> Sanic:
    """Build the application; called once per worker process by Sanic's app loader."""
    configure_logging(settings.log_format, settings.log_level)
    app = Sanic(name, configure_logging=False, dumps=_dumps, error_handler=JsonErrorHandler())
    app.config.FALLBACK_ERROR_FORMAT = "json"
    app.config.REQUEST_MAX_SIZE = MAX_BODY_BYTES
    app.config.ACCESS_LOG = False
    app.config.MOTD = False
    app.ctx.settings = settings
    app.ctx.ephemeris = Ephemeris(settings.ephemeris_path)
    app.ctx.cache = None
    app.blueprint(build_blueprint())
    app.on_request(_begin_request)
    app.on_response(_complete_request)
    if settings.redis_url:
        app.before_server_start(_open_cache)
        app.after_server_stop(_close_cache)
    return app


async def _open_cache(app: Sanic) -> None:
    """Give this worker its own Redis client; connections are made on first use."""
    settings: Settings = app.ctx.settings
    # The release is part of the key as well as the version: a new image may compute
    # differently without the version having changed, and must not serve older answers.
    app.ctx.cache = ResponseCache(
        settings.redis_url or "",
        settings.cache_ttl_seconds,
        namespace=f"{__version__}:{settings.release}",
    )
    log.info("cache_enabled", ttl_seconds=settings.cache_ttl_seconds)


async def _close_cache(app: Sanic) -> None:
    cache: ResponseCache | None = app.ctx.cache
    if cache is not None:
        app.ctx.cache = None
        await cache.close()


def request_id_of(request: Request) -> str:
    """The id of a request, assigned on first use so error paths have one too."""
    request_id: str | None = getattr(request.ctx, "request_id", None)
    if request_id is None:
        offered = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = offered if _SAFE_REQUEST_ID.fullmatch(offered) else uuid.uuid4().hex
        request.ctx.request_id = request_id
    return request_id


async def _begin_request(request: Request) -> None:
    request.ctx.started = perf_counter()
    request_id_of(request)


async def _complete_request(request: Request, response: HTTPResponse) -> None:
    request_id = request_id_of(request)
    response.headers[REQUEST_ID_HEADER] = request_id
    started: float = getattr(request.ctx, "started", perf_counter())
    duration = perf_counter() - started
    route = request.uri_template or UNMATCHED_ROUTE
    observe_request(request.method, route, response.status, duration)
    log.info(
        "request_completed",
        method=request.method,
        route=route,
        status=response.status,
        duration_ms=round(duration * 1000.0, 3),
        request_id=request_id,
    )


class JsonErrorHandler(ErrorHandler):
    """Answers every exception as JSON; only a genuine bug may produce a 500."""

    def default(self, request: Request, exception: Exception) -> HTTPResponse:
        """Map known failures to their status and everything else to a logged 500."""
        request_id = request_id_of(request) if request is not None else uuid.uuid4().hex
        if isinstance(exception, InvalidInput):
            body = {
                "error": "validation_error",
                "errors": [error.as_dict() for error in exception.errors],
                "request_id": request_id,
            }
            return json_response(body, status=422, dumps=_dumps)
        if isinstance(exception, EphemerisUnavailable):
            log.error("ephemeris_unavailable", detail=str(exception), request_id=request_id)
            return _error(503, "ephemeris_unavailable", str(exception), request_id)
        if isinstance(exception, SanicException):
            status = exception.status_code
            code = getattr(exception, "error_code", None) or _ERROR_CODES.get(status, "http_error")
            return _error(status, code, str(exception), request_id, exception.headers)
        log.exception("unhandled_exception", request_id=request_id)
        message = "internal error; the request id identifies the logged details"
        return _error(500, "internal_error", message, request_id)


def _error(
    status: int,
    code: str,
    message: str,
    request_id: str,
    headers: dict[str, str] | None = None,
) -> HTTPResponse:
    body = {"error": code, "message": message, "request_id": request_id}
    return json_response(body, status=status, headers=headers, dumps=_dumps)
