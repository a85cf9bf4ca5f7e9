"""Route handlers: parse, delegate to the computation layer, render.

Handlers hold no astronomy; they translate between JSON and the `ephemeris_api.astro` types.
Charts are computed on the event-loop thread: a natal chart takes well under a millisecond, far
less than handing it to a thread pool would cost, and the Swiss Ephemeris state is per thread.
"""

import json
from collections.abc import Awaitable, Callable
from time import perf_counter
from typing import Final

from sanic import Blueprint, Request
from sanic.exceptions import SanicException
from sanic.response import HTTPResponse, html, raw
from sanic.response import json as json_response

from ephemeris_api.astro.bodies import NATAL_BODIES
from ephemeris_api.astro.ephemeris import Ephemeris, probe_readiness
from ephemeris_api.cache import CacheState, Lookup, ResponseCache, canonical
from ephemeris_api.logs import get_logger
from ephemeris_api.metrics import CONTENT_TYPE, observe_chart, render_latest
from ephemeris_api.version import __version__
from ephemeris_api.web import endpoints
from ephemeris_api.web.docs_page import DOCS_HTML
from ephemeris_api.web.endpoints import Endpoint
from ephemeris_api.web.openapi import openapi_document

log = get_logger(__name__)

_BODIES_BY_NAME: Final = {body.name: body for body in NATAL_BODIES}
# One body per ephemeris file family, so a missing file shows up by name.
READINESS_PROBES: Final = {
    "planet_file": _BODIES_BY_NAME["sun"],
    "moon_file": _BODIES_BY_NAME["moon"],
    "asteroid_file": _BODIES_BY_NAME["chiron"],
}
CACHE_HEADER: Final = "X-Cache"
JSON_CONTENT_TYPE: Final = "application/json"


class MalformedJSON(SanicException):
    """The body is not parseable JSON; nothing about its fields can be said yet."""

    status_code = 400
    quiet = True
    error_code = "malformed_json"


def build_blueprint() -> Blueprint:
    """The API's routes; a new blueprint per app so test apps never share route state."""
    blueprint = Blueprint("ephemeris_api")
    blueprint.add_route(health, "/v1/health", methods=["GET"], name="health")
    blueprint.add_route(ready, "/v1/ready", methods=["GET"], name="ready")
    blueprint.add_route(natal_chart, "/v1/natal-chart", methods=["POST"], name="natal_chart")
    for path, name, compute in _COMPUTED_POSTS:
        blueprint.add_route(_post_handler(name, compute), path, methods=["POST"], name=name)
    blueprint.add_route(
        _now_handler("positions_now", endpoints.positions_now),
        "/v1/positions/now",
        methods=["GET"],
        name="positions_now",
    )
    blueprint.add_route(
        _now_handler("moon_phase_now", endpoints.moon_phase_now),
        "/v1/moon-phase/now",
        methods=["GET"],
        name="moon_phase_now",
    )
    blueprint.add_route(metrics, "/metrics", methods=["GET"], name="metrics")
    blueprint.add_route(openapi, "/v1/openapi.json", methods=["GET"], name="openapi")
    blueprint.add_route(docs, "/v1/docs", methods=["GET"], name="docs")
    return blueprint


async def openapi(_request: Request) -> HTTPResponse:
    """The OpenAPI 3.1 description of every endpoint."""
    return json_response(openapi_document())


async def docs(_request: Request) -> HTTPResponse:
    """A self-contained page rendering the OpenAPI description."""
    return html(DOCS_HTML)


async def health(request: Request) -> HTTPResponse:
    """Liveness: the process answers. Deliberately checks nothing else."""
    release = request.app.ctx.settings.release
    return json_response({"status": "ok", "version": __version__, "release": release})


async def ready(request: Request) -> HTTPResponse:
    """Readiness: the ephemeris files are present and serve Swiss Ephemeris precision."""
    checks = probe_readiness(request.app.ctx.ephemeris, READINESS_PROBES)
    is_ready = all(check.ok for check in checks)
    if not is_ready:
        failed = {check.name: check.detail for check in checks if not check.ok}
        log.warning("readiness_failed", failed_checks=failed)
    body = {
        "status": "ready" if is_ready else "not_ready",
        "checks": {check.name: {"ok": check.ok, "detail": check.detail} for check in checks},
    }
    # The cache only saves work: without it every answer is still computed, so a degraded
    # cache is reported but never makes the service unready.
    cache: ResponseCache | None = request.app.ctx.cache
    if cache is None:
        state, detail = CacheState.DISABLED, "REDIS_URL is not set"
    else:
        state, detail = await cache.state()
    body["checks"]["cache"] = {"ok": True, "state": state.value, "detail": detail}
    return json_response(body, status=200 if is_ready else 503)


_COMPUTED_POSTS: Final[tuple[tuple[str, str, Endpoint], ...]] = (
    ("/v1/positions", "positions", endpoints.POSITIONS),
    ("/v1/houses", "houses", endpoints.HOUSES),
    ("/v1/transits", "transits", endpoints.TRANSITS),
    ("/v1/transits/now", "transits_now", endpoints.TRANSITS_NOW),
    ("/v1/transits/search", "transit_search", endpoints.TRANSIT_SEARCH),
    ("/v1/synastry", "synastry", endpoints.SYNASTRY),
    ("/v1/composite", "composite", endpoints.COMPOSITE),
    ("/v1/returns", "returns", endpoints.RETURNS),
    ("/v1/progressions", "progressions", endpoints.PROGRESSIONS),
    ("/v1/moon-phase", "moon_phase", endpoints.MOON_PHASE),
)
# Answers that depend on the server clock are never cached.
_UNCACHED: Final = frozenset({"transits_now"})


async def natal_chart(request: Request) -> HTTPResponse:
    """Compute a natal chart for a local time, time zone and place."""
    return await _answer(request, "natal", endpoints.NATAL_CHART)


def _post_handler(kind: str, endpoint: Endpoint) -> Callable[[Request], Awaitable[HTTPResponse]]:
    """A handler validating the JSON body and timing the computation under `kind`."""

    async def handler(request: Request) -> HTTPResponse:
        return await _answer(request, kind, endpoint)

    handler.__name__ = kind
    handler.__doc__ = endpoint.compute.__doc__
    return handler


async def _answer(request: Request, kind: str, endpoint: Endpoint) -> HTTPResponse:
    """The answer to a POST, from the cache when it holds one.

    The body is validated first, so an invalid request never reaches Redis; the key is made
    from the validated request, so two spellings of one request share an answer. Only
    computed 200 answers are stored.
    """
    parsed = endpoint.parse(read_json_body(request))
    cache: ResponseCache | None = request.app.ctx.cache
    key = None if cache is None or kind in _UNCACHED else cache.key(kind, canonical(parsed))
    if cache is None or key is None:
        return json_response(_computed(kind, endpoint, parsed, request.app.ctx.ephemeris))

    lookup, stored = await cache.get(key)
    if stored is not None:
        return raw(stored, content_type=JSON_CONTENT_TYPE, headers={CACHE_HEADER: lookup})

    body = _computed(kind, endpoint, parsed, request.app.ctx.ephemeris)
    response = json_response(body, headers={CACHE_HEADER: lookup})
    if lookup is Lookup.MISS:
        await cache.put(key, response.body)
    return response


def _computed(kind: str, endpoint: Endpoint, parsed: object, ephemeris: Ephemeris) -> dict:
    started = perf_counter()
    body = endpoint.compute(parsed, ephemeris)
    _observe(kind, perf_counter() - started)
    return body


def _now_handler(
    kind: str, compute: Callable[[Ephemeris], dict]
) -> Callable[[Request], Awaitable[HTTPResponse]]:
    """A GET handler computing at the server's clock."""

    async def handler(request: Request) -> HTTPResponse:
        started = perf_counter()
        body = compute(request.app.ctx.ephemeris)
        _observe(kind, perf_counter() - started)
        return json_response(body)

    handler.__name__ = kind
    return handler


def _observe(kind: str, elapsed: float) -> None:
    observe_chart(kind, elapsed)
    log.debug("chart_computed", kind=kind, compute_ms=round(elapsed * 1000.0, 3))


async def metrics(_request: Request) -> HTTPResponse:
    """Prometheus exposition, summed over all worker processes."""
    return raw(render_latest(), content_type=CONTENT_TYPE)


def read_json_body(request: Request) -> object:
    """Parse the body as JSON, turning every way that can fail into a 400 naming the cause.

    Besides syntax errors this covers bodies that are not UTF-8, integers longer than Python
    converts and nesting deep enough to exhaust the parser's recursion.
    """
    if not request.body:
        raise MalformedJSON("the request body is empty; send a JSON object")
    try:
        return json.loads(request.body)
    except json.JSONDecodeError as exc:
        raise MalformedJSON(
            f"the request body is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        ) from exc
    except (ValueError, RecursionError) as exc:
        raise MalformedJSON(f"the request body is not usable JSON: {exc}") from exc
