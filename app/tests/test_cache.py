"""The Redis cache, against a real redis-server and a real `python -m ephemeris_api`.

Redis is started on a free loopback port without persistence, the API with two workers and
REDIS_URL pointing at it. The down cases stop Redis (or freeze it with SIGSTOP) under the
running API and start it again on the same port.
"""

import json
import signal
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from email.message import Message
from pathlib import Path

import pytest
import redis

from ephemeris_api.cache import ResponseCache, canonical
from ephemeris_api.web import endpoints
from ephemeris_api.web.endpoints import parse_transits
from ephemeris_api.web.openapi import openapi_document
from ephemeris_api.web.schemas import parse_natal_chart_request
from tests.api_process import free_port, running_server, server_environment

REDIS_SERVER = "/usr/bin/redis-server"
RELEASE = "itest-cache"
TTL_SECONDS = 600
# The API stops asking a failed Redis for 5 s; waiting a little longer lets it ask again.
AFTER_BACKOFF_SECONDS = 5.5
# Far above the 0.1 s socket timeout, far below what waiting on a dead Redis would take.
QUICK_SECONDS = 2.0

pytestmark = pytest.mark.skipif(
    not Path(REDIS_SERVER).exists(), reason=f"{REDIS_SERVER} is not installed"
)


def _chart(day: int, hour: int = 12) -> dict:
    return {
        "datetime": f"1990-06-{day:02d}T{hour:02d}:30:00",
        "timezone": "Europe/Berlin",
        "latitude": 52.52,
        "longitude": 13.405,
    }


class RedisServer:
    """A redis-server subprocess that can be stopped and started again on its port."""

    def __init__(self, directory: Path) -> None:
        self.port = free_port()
        self.directory = directory
        self.process: subprocess.Popen | None = None
        self.client = redis.Redis(port=self.port, socket_timeout=1.0)

    def start(self) -> None:
        command = [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1"]
        command += ["--save", "", "--appendonly", "no", "--dir", str(self.directory)]
        self.process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 10
        while True:
            try:
                if self.client.ping():
                    return
            except redis.RedisError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"redis-server did not answer PING on port {self.port}")
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None

    def keys(self, endpoint: str) -> set[bytes]:
        return set(self.client.scan_iter(f"ephemeris_api:*:{RELEASE}:{endpoint}:*"))


class Api:
    def __init__(self, port: int) -> None:
        self.base_url = f"http://127.0.0.1:{port}"

    def request(
        self, method: str, path: str, body: bytes | None = None
    ) -> tuple[int, Message, bytes]:
        request = urllib.request.Request(  # noqa: S310 - fixed http://127.0.0.1 URL
            self.base_url + path, data=body, method=method
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()

    def post(self, path: str, payload: object) -> tuple[int, Message, bytes]:
        return self.request("POST", path, json.dumps(payload).encode())

    def ready(self) -> dict:
        status, _, body = self.request("GET", "/v1/ready")
        assert status == 200, body
        return json.loads(body)

    def counter(self, name: str) -> float:
        """A counter's value summed over its label sets (0 before its first increment)."""
        _, _, text = self.request("GET", "/metrics")
        return sum(
            float(line.split()[-1])
            for line in text.decode().splitlines()
            if line.startswith((name + " ", name + "{"))
        )


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    server.start()
    try:
        yield server
    finally:
        server.stop()
        server.client.close()


@pytest.fixture(scope="module")
def api(redis_server: RedisServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    directory = tmp_path_factory.mktemp("cached-api")
    port = free_port()
    environment = server_environment(
        HOST="127.0.0.1",
        PORT=str(port),
        WORKERS="2",
        LOG_FORMAT="json",
        LOG_LEVEL="warning",
        APP_RELEASE=RELEASE,
        REDIS_URL=f"redis://127.0.0.1:{redis_server.port}/0",
        CACHE_TTL_SECONDS=str(TTL_SECONDS),
        PROMETHEUS_MULTIPROC_DIR=str(directory / "metrics"),
    )
    log_path = directory / "server.log"
    with running_server(environment, log_path):
        yield Api(port)


def test_equal_json_gives_an_equal_key_and_other_input_another() -> None:
    cache = ResponseCache("redis://127.0.0.1:1/0", 60, namespace="0.1.0:dev")
    spaced = json.loads('{ "latitude": 52.520, "datetime": "1990-06-15T14:30:00" }')
    compact = json.loads('{"datetime":"1990-06-15T14:30:00","latitude":52.52}')

    assert cache.key("natal", spaced) == cache.key("natal", compact)
    assert cache.key("natal", spaced) != cache.key("positions", spaced)
    assert cache.key("natal", spaced) != cache.key("natal", {**compact, "latitude": 52.53})
    assert cache.key("natal", spaced).startswith("ephemeris_api:0.1.0:dev:natal:")


# One request in the spellings the validators accept: names or letters, names or numbers, any
# case and punctuation, defaults omitted or written out.
TERSE = {
    "datetime": "1990-06-15T14:30",
    "timezone": "Europe/Berlin",
    "latitude": 52.52,
    "longitude": 13.405,
    "house_system": "placidus",
    "zodiac": "sidereal",
    "ayanamsa": "lahiri",
}
SPELLED_OUT = {
    "datetime": "1990-06-15T14:30:00",
    "timezone": "Europe/Berlin",
    "latitude": 52.52,
    "longitude": 13.405,
    "altitude": 0,
    "house_system": "p",
    "zodiac": "sidereal",
    "ayanamsa": 1,
    "calendar": "gregorian",
    "perspective": "apparent_geocentric",
    "coordinates": "ecliptic",
    "aspects": ["conjunction", "sextile", "square", "trine", "opposition"],
    "orbs": {},
    "time_unknown": False,
}


def test_spellings_of_one_request_give_one_key_and_other_requests_another() -> None:
    cache = ResponseCache("redis://127.0.0.1:1/0", 60, namespace="0.1.0:dev")

    def key(body: dict) -> str | None:
        return cache.key("natal", canonical(parse_natal_chart_request(body)))

    assert key(TERSE) == key(SPELLED_OUT)
    assert key(TERSE) != key({**TERSE, "ayanamsa": "raman"})
    assert key(TERSE) != key({**TERSE, "house_system": "koch"})
    assert key(TERSE) != key({**TERSE, "fold": 0})
    assert key(TERSE) != key({**TERSE, "points": ["sun", "star:Regulus"]})
    assert key(TERSE) != key({**TERSE, "timezone": "Europe/Paris"})


def test_nested_requests_are_keyed_on_their_validated_parts() -> None:
    cache = ResponseCache("redis://127.0.0.1:1/0", 60, namespace="0.1.0:dev")
    transit = {"utc_offset": "+00:00", "datetime": "2024-01-01T00:00"}
    terse = {"natal": TERSE, "transit": transit}
    spelled_out = {"natal": SPELLED_OUT, "transit": {**transit, "calendar": "gregorian"}}

    first = cache.key("transits", canonical(parse_transits(terse)))
    second = cache.key("transits", canonical(parse_transits(spelled_out)))

    assert first == second
    assert first != cache.key(
        "transits", canonical(parse_transits({**terse, "transiting_points": ["sun"]}))
    )


@pytest.mark.parametrize(
    ("path", "endpoint"),
    [
        ("/v1/natal-chart", endpoints.NATAL_CHART),
        ("/v1/positions", endpoints.POSITIONS),
        ("/v1/houses", endpoints.HOUSES),
        ("/v1/transits", endpoints.TRANSITS),
        ("/v1/transits/search", endpoints.TRANSIT_SEARCH),
        ("/v1/synastry", endpoints.SYNASTRY),
        ("/v1/composite", endpoints.COMPOSITE),
        ("/v1/returns", endpoints.RETURNS),
        ("/v1/progressions", endpoints.PROGRESSIONS),
        ("/v1/moon-phase", endpoints.MOON_PHASE),
    ],
)
def test_every_cached_request_has_a_canonical_key(path: str, endpoint: endpoints.Endpoint) -> None:
    operation = openapi_document()["paths"][path]["post"]
    example = operation["requestBody"]["content"]["application/json"]["example"]
    cache = ResponseCache("redis://127.0.0.1:1/0", 60, namespace="0.1.0:dev")

    key = cache.key(path, canonical(endpoint.parse(example)))

    assert key is not None
    assert key == cache.key(path, canonical(endpoint.parse(json.loads(json.dumps(example)))))


def test_a_body_too_deeply_nested_to_write_back_has_no_key() -> None:
    cache = ResponseCache("redis://127.0.0.1:1/0", 60, namespace="0.1.0:dev")
    nested: list = []
    for _ in range(5000):
        nested = [nested]

    assert cache.key("natal", nested) is None


def test_a_deeply_nested_body_is_refused_as_without_a_cache(api: Api) -> None:
    depth = 990
    status, _, body = api.request("POST", "/v1/natal-chart", b"[" * depth + b"]" * depth)

    assert 400 <= status < 500, body


def test_a_repeated_request_is_answered_from_the_cache_with_the_same_body(
    api: Api, redis_server: RedisServer
) -> None:
    chart = _chart(1)
    reordered = dict(reversed(list(chart.items())))

    first_status, first_headers, first_body = api.post("/v1/natal-chart", chart)
    second_status, second_headers, second_body = api.post("/v1/natal-chart", reordered)

    assert (first_status, second_status) == (200, 200)
    assert first_headers["X-Cache"] == "miss"
    assert second_headers["X-Cache"] == "hit"
    assert second_headers["Content-Type"] == "application/json"
    assert second_body == first_body
    assert "X-Request-ID" in second_headers


def test_two_spellings_of_one_request_share_one_stored_answer(
    api: Api, redis_server: RedisServer
) -> None:
    before = redis_server.keys("natal")
    terse = {**TERSE, "datetime": "1990-06-16T14:30"}
    spelled_out = {**SPELLED_OUT, "datetime": "1990-06-16T14:30:00"}

    first_status, first_headers, first_body = api.post("/v1/natal-chart", terse)
    second_status, second_headers, second_body = api.post("/v1/natal-chart", spelled_out)

    assert (first_status, second_status) == (200, 200)
    assert (first_headers["X-Cache"], second_headers["X-Cache"]) == ("miss", "hit")
    assert second_body == first_body
    assert len(redis_server.keys("natal") - before) == 1


def test_a_stored_answer_expires_after_the_configured_time(
    api: Api, redis_server: RedisServer
) -> None:
    before = redis_server.keys("positions")

    status, _, _ = api.post("/v1/positions", _chart(2))

    assert status == 200
    [key] = redis_server.keys("positions") - before
    assert 0 < redis_server.client.ttl(key) <= TTL_SECONDS


def test_different_requests_are_stored_under_different_keys(
    api: Api, redis_server: RedisServer
) -> None:
    before = redis_server.keys("natal") | redis_server.keys("houses")

    for payload in (_chart(3), _chart(3, hour=13), {**_chart(3), "house_system": "koch"}):
        assert api.post("/v1/natal-chart", payload)[1]["X-Cache"] == "miss"
    assert api.post("/v1/houses", _chart(3))[1]["X-Cache"] == "miss"

    after = redis_server.keys("natal") | redis_server.keys("houses")
    assert len(after - before) == 4


def test_invalid_requests_and_answers_at_the_server_clock_are_not_stored(
    api: Api, redis_server: RedisServer
) -> None:
    keys_before = redis_server.client.dbsize()

    invalid_status, _, _ = api.post("/v1/natal-chart", {**_chart(4), "latitude": 95})
    now_status, now_headers, _ = api.post("/v1/transits/now", {"natal": _chart(4)})
    get_now_status, get_now_headers, _ = api.request("GET", "/v1/positions/now")

    assert (invalid_status, now_status, get_now_status) == (422, 200, 200)
    assert "X-Cache" not in now_headers
    assert "X-Cache" not in get_now_headers
    assert redis_server.client.dbsize() == keys_before


def test_hits_and_misses_are_counted_across_workers(api: Api, redis_server: RedisServer) -> None:
    hits, misses = api.counter("cache_hits_total"), api.counter("cache_misses_total")

    for _ in range(4):
        moment = {"datetime": "1990-06-05T12:00:00", "timezone": "Europe/Berlin"}
        assert api.post("/v1/moon-phase", moment)[0] == 200

    assert api.counter("cache_misses_total") == misses + 1
    assert api.counter("cache_hits_total") == hits + 3


def test_ready_reports_a_working_cache(api: Api) -> None:
    body = api.ready()

    assert body["status"] == "ready"
    assert body["checks"]["cache"]["state"] == "ok"


def _post_quickly(api: Api, payload: dict) -> Message:
    started = time.monotonic()
    status, headers, _ = api.post("/v1/natal-chart", payload)
    assert status == 200
    assert time.monotonic() - started < QUICK_SECONDS
    return headers


def test_without_redis_answers_are_computed_and_ready_reports_degraded(
    api: Api, redis_server: RedisServer
) -> None:
    errors = api.counter("cache_errors_total")
    redis_server.stop()
    try:
        for hour in range(6):
            headers = _post_quickly(api, _chart(6, hour=hour))
            assert headers["X-Cache"] == "bypass"
        ready = api.ready()
        assert api.counter("cache_errors_total") > errors
    finally:
        redis_server.start()

    assert ready["status"] == "ready"
    assert ready["checks"]["cache"]["state"] == "degraded"
    assert "Redis" in ready["checks"]["cache"]["detail"]

    time.sleep(AFTER_BACKOFF_SECONDS)
    assert _post_quickly(api, _chart(7))["X-Cache"] == "miss"
    assert _post_quickly(api, _chart(7))["X-Cache"] == "hit"
    assert api.ready()["checks"]["cache"]["state"] == "ok"


def test_a_frozen_redis_costs_a_timeout_not_a_hang(api: Api, redis_server: RedisServer) -> None:
    assert redis_server.process is not None
    redis_server.process.send_signal(signal.SIGSTOP)
    try:
        for hour in range(4):
            assert _post_quickly(api, _chart(8, hour=hour))["X-Cache"] == "bypass"
    finally:
        redis_server.process.send_signal(signal.SIGCONT)

    time.sleep(AFTER_BACKOFF_SECONDS)
    assert _post_quickly(api, _chart(9))["X-Cache"] == "miss"
    assert _post_quickly(api, _chart(9))["X-Cache"] == "hit"
