"""The API deployed by deploy.yml answers over 127.0.0.1 with the charts swetest computes.

Run by verify.yml from the controller with EPHEMERIS_E2E_URL pointing at the port the test host
publishes on the controller's loopback, and EPHEMERIS_RELEASE naming the deployed release.
"""

import json
import os
import urllib.request
from typing import Any

from tests.swetest import reference_chart

BASE_URL = os.environ["EPHEMERIS_E2E_URL"].rstrip("/")
RELEASE = os.environ["EPHEMERIS_RELEASE"]

# 0.001 arcsecond, in degrees; cusps are compared at the 11 decimals swetest prints.
BODY_TOLERANCE = 0.001 / 3600.0
PRINTED_TOLERANCE = 0.5e-11 + 1e-13

BIRTH = {
    "datetime": "1990-06-15T14:30:00",
    "timezone": "Europe/London",
    "latitude": 51.5074,
    "longitude": -0.1278,
    "house_system": "P",
}


def _request(path: str, body: dict[str, Any] | None = None) -> tuple[int, dict[str, Any]]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        BASE_URL + path, data=data, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, json.load(response)


def _angle_difference(a: float, b: float) -> float:
    return abs((a - b + 180.0) % 360.0 - 180.0)


def test_health_answers_with_the_deployed_release() -> None:
    status, body = _request("/v1/health")

    assert status == 200
    assert body["status"] == "ok"
    assert body["release"] == RELEASE


def test_readiness_reports_the_ephemeris_files_usable() -> None:
    status, body = _request("/v1/ready")

    assert status == 200
    assert body["status"] == "ready"


def test_natal_chart_matches_swetest_for_the_same_instant_and_place() -> None:
    status, chart = _request("/v1/natal-chart", BIRTH)
    assert status == 200
    # London is on British Summer Time in June: 14:30 local is 13:30 UT.
    assert chart["time"]["utc"].startswith("1990-06-15T13:30:00")
    assert chart["ephemeris"] == "swiss_ephemeris"

    reference = reference_chart(
        chart["time"]["julian_day_ut"], BIRTH["latitude"], BIRTH["longitude"], "P"
    )
    for name, expected in reference.bodies.items():
        actual = chart["positions"][name]
        assert _angle_difference(actual["longitude"], expected.longitude) < BODY_TOLERANCE, name
        assert abs(actual["latitude"] - expected.latitude) < BODY_TOLERANCE, name
    for cusp, expected_cusp in zip(chart["cusps"], reference.cusps, strict=True):
        assert _angle_difference(cusp["longitude"], expected_cusp) <= PRINTED_TOLERANCE
    angles = chart["angles"]
    assert _angle_difference(angles["ascendant"]["longitude"], reference.ascendant) <= (
        PRINTED_TOLERANCE
    )
    assert _angle_difference(angles["mc"]["longitude"], reference.mc) <= PRINTED_TOLERANCE
