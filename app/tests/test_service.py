"""Health, readiness, metrics, request ids and JSON errors of the HTTP layer."""

import re
from pathlib import Path

import pytest

from tests.conftest import ApiClient, MakeClient

CHART = {
    "datetime": "1990-06-15T14:30:00",
    "timezone": "Europe/Berlin",
    "latitude": 52.52,
    "longitude": 13.405,
}


def _sample(metrics_text: str, name: str, labels: dict[str, str]) -> float:
    """The value of one sample in Prometheus text, 0 when it does not exist yet."""
    wanted = ",".join(f'{key}="{value}"' for key, value in sorted(labels.items()))
    for line in metrics_text.splitlines():
        match = re.fullmatch(r"(\w+)\{(.*)\} (\S+)", line)
        if match and match[1] == name:
            pairs = sorted(re.findall(r'(\w+)="([^"]*)"', match[2]))
            if ",".join(f'{key}="{value}"' for key, value in pairs) == wanted:
                return float(match[3])
    return 0.0


def test_health_reports_version_and_release(client: ApiClient) -> None:
    response = client.get("/v1/health")

    assert response.status_code == 200
    assert response.json == {"status": "ok", "version": "0.1.0", "release": "test-release"}


def test_ready_when_all_ephemeris_files_serve_swiss_ephemeris(client: ApiClient) -> None:
    response = client.get("/v1/ready")

    assert response.status_code == 200
    assert response.json["status"] == "ready"
    checks = response.json["checks"]
    assert set(checks) == {
        "ephemeris_path",
        "planet_file",
        "moon_file",
        "asteroid_file",
        "cache",
    }
    assert all(check["ok"] for check in checks.values())
    assert checks["cache"]["state"] == "disabled"
    # The Sun's apparent longitude at J2000 (2000-01-01T12:00 UT) is 280.37 degrees.
    assert "280.3689" in checks["planet_file"]["detail"]


def test_not_ready_when_the_ephemeris_path_is_missing(make_client: MakeClient) -> None:
    response = make_client(ephemeris_path="/nonexistent/ephe").get("/v1/ready")

    assert response.status_code == 503
    assert response.json["status"] == "not_ready"
    assert response.json["checks"]["ephemeris_path"]["ok"] is False


def test_not_ready_when_the_files_are_absent_rather_than_falling_back_to_moshier(
    make_client: MakeClient, tmp_path: Path
) -> None:
    response = make_client(ephemeris_path=str(tmp_path)).get("/v1/ready")

    assert response.status_code == 503
    checks = response.json["checks"]
    assert checks["ephemeris_path"]["ok"] is True
    assert checks["planet_file"]["ok"] is False
    assert "Moshier" in checks["planet_file"]["detail"]
    assert checks["asteroid_file"]["ok"] is False


def test_chart_is_refused_with_503_when_only_moshier_could_answer(
    make_client: MakeClient, tmp_path: Path
) -> None:
    response = make_client(ephemeris_path=str(tmp_path)).post("/v1/natal-chart", json=CHART)

    assert response.status_code == 503
    assert response.json["error"] == "ephemeris_unavailable"
    assert response.json["request_id"]


def test_the_ephemeris_path_is_set_per_request_not_left_from_another_app(
    make_client: MakeClient, client: ApiClient, tmp_path: Path
) -> None:
    # The Swiss Ephemeris keeps its path in thread state shared by both apps here.
    assert make_client(ephemeris_path=str(tmp_path)).get("/v1/ready").status_code == 503

    assert client.post("/v1/natal-chart", json=CHART).status_code == 200


def test_chart_echoes_input_and_names_the_ephemeris(client: ApiClient) -> None:
    chart = client.post("/v1/natal-chart", json={**CHART, "house_system": "koch"}).json

    assert chart["input"] == {
        **CHART,
        "house_system": "K",
        "fold": None,
        "utc_offset": None,
        "calendar": "gregorian",
        "altitude": 0.0,
        "time_unknown": False,
    }
    assert chart["ephemeris"] == "swiss_ephemeris"
    assert len(chart["positions"]) == 14
    assert len(chart["cusps"]) == 12
    assert set(chart["angles"]) == {"ascendant", "mc", "descendant", "ic", "vertex"}
    # The mean node always moves backwards through the zodiac.
    assert chart["positions"]["mean_node"]["retrograde"] is True
    assert chart["positions"]["sun"]["retrograde"] is False


def test_unknown_route_is_a_json_404(client: ApiClient) -> None:
    response = client.get("/v1/horoscope/today")

    assert response.status_code == 404
    assert response.json["error"] == "not_found"
    assert response.headers["content-type"].startswith("application/json")


def test_wrong_method_is_a_json_405_listing_the_allowed_one(client: ApiClient) -> None:
    response = client.get("/v1/natal-chart")

    assert response.status_code == 405
    assert response.json["error"] == "method_not_allowed"
    assert response.headers["allow"] == "POST"


def test_request_id_is_taken_from_the_header_and_echoed(client: ApiClient) -> None:
    response = client.get("/v1/health", headers={"X-Request-ID": "abc-123.def"})

    assert response.headers["x-request-id"] == "abc-123.def"


def test_request_id_is_generated_when_absent_or_unsafe(client: ApiClient) -> None:
    generated = client.get("/v1/health")
    replaced = client.get("/v1/health", headers={"X-Request-ID": "evil id <script>" + "x" * 200})

    assert re.fullmatch(r"[0-9a-f]{32}", generated.headers["x-request-id"])
    assert re.fullmatch(r"[0-9a-f]{32}", replaced.headers["x-request-id"])


def test_errors_carry_the_request_id(client: ApiClient) -> None:
    response = client.get("/nowhere", headers={"X-Request-ID": "trace-me"})

    assert response.json["request_id"] == "trace-me"
    assert response.headers["x-request-id"] == "trace-me"


def test_metrics_count_requests_by_route_template_and_status(client: ApiClient) -> None:
    route = {"method": "POST", "route": "/v1/natal-chart"}
    before = client.get("/metrics").text

    client.post("/v1/natal-chart", json=CHART)
    client.post("/v1/natal-chart", json=CHART)
    client.post("/v1/natal-chart", json={**CHART, "latitude": 123})
    client.get("/v1/no/such/route/42")
    after = client.get("/metrics").text

    ok, invalid = {**route, "status": "200"}, {**route, "status": "422"}
    unmatched = {"method": "GET", "route": "unmatched", "status": "404"}
    count = "http_requests_total"
    assert _sample(after, count, ok) - _sample(before, count, ok) == 2
    assert _sample(after, count, invalid) - _sample(before, count, invalid) == 1
    assert _sample(after, count, unmatched) - _sample(before, count, unmatched) == 1
    assert "/v1/no/such/route/42" not in after
    latency = "http_request_duration_seconds_count"
    assert _sample(after, latency, ok) - _sample(before, latency, ok) == 2
    compute = "chart_compute_seconds_count"
    assert _sample(after, compute, {"kind": "natal"}) - _sample(
        before, compute, {"kind": "natal"}
    ) == pytest.approx(2)


def test_metrics_are_prometheus_text(client: ApiClient) -> None:
    response = client.get("/metrics")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    assert "# TYPE http_requests_total counter" in response.text
    assert "# TYPE chart_compute_seconds histogram" in response.text


def test_an_unexpected_exception_is_a_logged_json_500_with_the_request_id(
    make_client: MakeClient, capsys: pytest.CaptureFixture[str]
) -> None:
    api = make_client()

    async def broken(_request: object) -> None:
        raise RuntimeError("simulated bug")

    api.app.add_route(broken, "/test/broken", name="broken")
    response = api.get("/test/broken", headers={"X-Request-ID": "bug-42"})

    assert response.status_code == 500
    assert response.json == {
        "error": "internal_error",
        "message": "internal error; the request id identifies the logged details",
        "request_id": "bug-42",
    }
    assert "simulated bug" not in response.text
    logged = capsys.readouterr().out
    assert "unhandled_exception" in logged
    assert "simulated bug" in logged
