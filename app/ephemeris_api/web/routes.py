"""Route handlers: parse, delegate to the computation layer, render.

Handlers hold no astronomy; they translate between JSON and the `ephemeris_api.astro` types.
Charts are computed on the event-loop thread: a natal chart takes well under a millisecond, far
less than handing it to a thread pool would cost, and the Swiss Ephemeris state is per thread.
"""

import json
from time import perf_counter
from typing import Final

from sanic import Blueprint, Request
from sanic.exceptions import SanicException
from sanic.response import HTTPResponse, raw
from sanic.response import json as json_response

from ephemeris_api.astro.bodies import NATAL_BODIES
from ephemeris_api.astro.chart import compute_natal_chart
from ephemeris_api.astro.ephemeris import probe_readiness
from ephemeris_api.logs import get_logger
from ephemeris_api.metrics import CONTENT_TYPE, observe_chart, render_latest
from ephemeris_api.version import __version__
from ephemeris_api.web import presenters
from ephemeris_api.web.schemas import parse_natal_chart_request

log = get_logger(__name__)

_BODIES_BY_NAME: Final = {body.name: body for body in NATAL_BODIES}
# One body per ephemeris file family, so a missing file shows up by name.
READINESS_PROBES: Final = {
    "planet_file": _BODIES_BY_NAME["sun"],
    "moon_file": _BODIES_BY_NAME["moon"],
    "asteroid_file": _BODIES_BY_NAME["chiron"],
}


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
    blueprint.add_route(metrics, "/metrics", methods=["GET"], name="metrics")
    return blueprint


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
    return json_response(body, status=200 if is_ready else 503)


async def natal_chart(request: Request) -> HTTPResponse:
    """Compute a natal chart for a local time, time zone and place."""
    chart_input = parse_natal_chart_request(read_json_body(request))
    started = perf_counter()
    chart = compute_natal_chart(chart_input, request.app.ctx.ephemeris)
    elapsed = perf_counter() - started
    observe_chart("natal", elapsed)
    log.debug("chart_computed", kind="natal", compute_ms=round(elapsed * 1000.0, 3))
    return json_response(presenters.natal_chart(chart))


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
