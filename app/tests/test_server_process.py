"""The real entry point: `python -m ephemeris_api` with two workers, JSON logs and metrics.

These tests start the server as a subprocess on 127.0.0.1 so that what only exists in a real
deployment is exercised: worker processes, metrics summed across them, the body size limit
enforced by the HTTP server, JSON log lines, and start-up refusal of a bad environment.
"""

import json
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.api_process import free_port, running_server, server_environment

CHART = {
    "datetime": "1990-06-15T14:30:00",
    "timezone": "Europe/Berlin",
    "latitude": 52.52,
    "longitude": 13.405,
}


@dataclass
class Server:
    base_url: str
    log_path: Path
    metrics_dir: Path

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        request = urllib.request.Request(  # noqa: S310 - fixed http://127.0.0.1 URL
            self.base_url + path, data=body, method=method, headers=headers or {}
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()

    def log_events(self) -> list[dict]:
        return [json.loads(line) for line in self.log_path.read_text().splitlines() if line]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    directory = tmp_path_factory.mktemp("server")
    port = free_port()
    log_path = directory / "server.log"
    metrics_dir = directory / "metrics"
    environment = server_environment(
        HOST="127.0.0.1",
        PORT=str(port),
        WORKERS="2",
        LOG_FORMAT="json",
        LOG_LEVEL="info",
        APP_RELEASE="itest",
        PROMETHEUS_MULTIPROC_DIR=str(metrics_dir),
    )
    with running_server(environment, log_path):
        yield Server(f"http://127.0.0.1:{port}", log_path, metrics_dir)


def test_metrics_are_summed_over_both_workers(server: Server) -> None:
    for _ in range(12):
        status, _, _ = server.request("POST", "/v1/natal-chart", json.dumps(CHART).encode())
        assert status == 200

    _, _, text = server.request("GET", "/metrics")

    sample = 'http_requests_total{method="POST",route="/v1/natal-chart",status="200"}'
    [line] = [line for line in text.decode().splitlines() if line.startswith(sample)]
    assert float(line.split()[-1]) == 12
    assert 'chart_compute_seconds_count{kind="natal"} 12.0' in text.decode()
    assert list(server.metrics_dir.glob("*.db"))


def test_health_names_the_release_from_theserver_environment(server: Server) -> None:
    status, _, body = server.request("GET", "/v1/health")

    assert status == 200
    assert json.loads(body) == {"status": "ok", "version": "0.1.0", "release": "itest"}


def test_each_request_logs_one_json_request_completed_event(server: Server) -> None:
    status, headers, _ = server.request(
        "GET", "/v1/unknown/thing", headers={"X-Request-ID": "itest-log-1"}
    )
    assert status == 404
    assert headers["X-Request-ID"] == "itest-log-1"

    deadline = time.monotonic() + 5
    while True:
        events = [
            event
            for event in server.log_events()
            if event.get("request_id") == "itest-log-1" and event["event"] == "request_completed"
        ]
        if events or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert len(events) == 1
    [event] = events
    assert event["method"] == "GET"
    assert event["route"] == "unmatched"
    assert event["status"] == 404
    assert event["duration_ms"] >= 0
    assert event["level"] == "info"


def test_every_log_line_is_json_and_sanic_access_log_is_off(server: Server) -> None:
    events = server.log_events()

    assert any(event["event"] == "server_starting" for event in events)
    assert not any(event.get("logger") == "sanic.access" for event in events)


def test_an_oversized_body_is_refused_with_a_json_413(server: Server) -> None:
    status, _, body = server.request("POST", "/v1/natal-chart", b" " * (70 * 1024))

    assert status == 413
    assert json.loads(body)["error"] == "payload_too_large"


@pytest.mark.parametrize(
    ("variable", "value"),
    [("PORT", "eighty"), ("WORKERS", "0"), ("LOG_FORMAT", "xml"), ("LOG_LEVEL", "loud")],
)
def test_an_invalid_environment_stops_start_up_naming_the_variable(
    variable: str, value: str
) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "ephemeris_api"],
        env=server_environment(**{variable: value}),
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )

    assert completed.returncode == 2
    output = completed.stdout + completed.stderr
    assert re.search(rf"{variable}=", output), output
    assert "configuration_invalid" in output
