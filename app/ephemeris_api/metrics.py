"""Prometheus metrics, aggregated across all Sanic worker processes.

Each worker is a separate process with its own counters, so a scrape answered by one worker
would show only its share. prometheus_client's multiprocess mode writes every worker's samples
to files in PROMETHEUS_MULTIPROC_DIR and sums them at scrape time. That variable must be set
before prometheus_client is first imported, which is why `ephemeris_api.metrics_dir` prepares
it and the entry point imports this module only afterwards.
"""

from typing import Final

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client import values as _values
from prometheus_client.multiprocess import MultiProcessCollector

# prometheus_client picked its storage when first imported; follow that choice, not the current
# environment, so a variable set later cannot make /metrics read files nobody writes.
MULTIPROCESS = _values.ValueClass is not _values.MutexValue
UNMATCHED_ROUTE = "unmatched"
CONTENT_TYPE = CONTENT_TYPE_LATEST

REQUESTS = Counter(
    "http_requests_total",
    "HTTP requests answered, by method, route template and status code.",
    labelnames=("method", "route", "status"),
)
REQUEST_DURATION = Histogram(
    "http_request_duration_seconds",
    "Time from request received to response ready, by method, route template and status.",
    labelnames=("method", "route", "status"),
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5),
)
CHART_COMPUTE = Histogram(
    "chart_compute_seconds",
    "Time spent in the Swiss Ephemeris computing one chart, by chart kind.",
    labelnames=("kind",),
    # A natal chart takes well under a millisecond; the buckets resolve that range.
    buckets=(0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1),
)

CACHE_HITS = Counter("cache_hits_total", "Chart requests answered from the Redis cache.")
CACHE_MISSES = Counter(
    "cache_misses_total", "Chart requests computed because Redis held no answer for them."
)
CACHE_ERRORS = Counter(
    "cache_errors_total",
    "Redis commands that failed or timed out, by operation (get, set, ping).",
    labelnames=("operation",),
)
CACHE_BYPASSES = Counter(
    "cache_bypassed_total",
    "Chart requests computed without asking Redis, because it failed moments before.",
)


# Labelled children by label values. `labels()` validates and looks up its arguments on every
# call; the routes, methods and statuses seen are few, so each child is kept (up to a bound, so
# a client inventing methods cannot grow this without limit).
_MAX_KEPT: Final = 1024
_REQUEST_CHILDREN: dict[tuple[str, str, int], tuple[Counter, Histogram]] = {}
_CHART_CHILDREN: dict[str, Histogram] = {}


def observe_request(method: str, route: str, status: int, seconds: float) -> None:
    """Count one answered request; `route` must be a template, never a raw path."""
    key = (method, route, status)
    children = _REQUEST_CHILDREN.get(key)
    if children is None:
        labels = {"method": method, "route": route, "status": str(status)}
        children = (REQUESTS.labels(**labels), REQUEST_DURATION.labels(**labels))
        if len(_REQUEST_CHILDREN) < _MAX_KEPT:
            _REQUEST_CHILDREN[key] = children
    children[0].inc()
    children[1].observe(seconds)


def observe_chart(kind: str, seconds: float) -> None:
    """Record how long the ephemeris took for one chart."""
    child = _CHART_CHILDREN.get(kind)
    if child is None:
        child = _CHART_CHILDREN[kind] = CHART_COMPUTE.labels(kind=kind)
    child.observe(seconds)


def render_latest() -> bytes:
    """Exposition text for /metrics, summed over all workers when running multi-process."""
    if MULTIPROCESS:
        registry = CollectorRegistry()
        MultiProcessCollector(registry)
        return generate_latest(registry)
    return generate_latest(REGISTRY)
