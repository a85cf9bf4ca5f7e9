"""Natal-chart positions, cusps and houses agree with swetest for the same UT instant."""

from typing import Any

import pytest

from tests.conftest import ApiClient
from tests.swetest import ReferenceChart, reference_chart

# 0.001 arcsecond, in degrees.
BODY_TOLERANCE = 0.001 / 3600.0
# swetest -ep prints 11 decimals; anything within half a unit of the last digit is exact.
PRINTED_TOLERANCE = 0.5e-11 + 1e-13

CHARTS = [
    pytest.param(
        {"datetime": "1990-06-15T14:30:00", "timezone": "Europe/Berlin"},
        52.52,
        13.405,
        "P",
        id="berlin-1990-placidus",
    ),
    pytest.param(
        {"datetime": "1955-02-24T19:15:00", "timezone": "America/Los_Angeles"},
        37.7749,
        -122.4194,
        "K",
        id="san-francisco-1955-koch",
    ),
    pytest.param(
        {"datetime": "2003-11-30T06:05:59", "timezone": "Australia/Sydney"},
        -33.8688,
        151.2093,
        "R",
        id="sydney-2003-regiomontanus-southern",
    ),
    pytest.param(
        {"datetime": "1800-03-21T12:00:00", "timezone": "Europe/London"},
        51.5074,
        -0.1278,
        "W",
        id="london-1800-whole-sign",
    ),
    pytest.param(
        {"datetime": "2399-12-31T12:00:00", "timezone": "Asia/Tokyo"},
        35.6762,
        139.6503,
        "C",
        id="tokyo-2399-campanus",
    ),
    pytest.param(
        {"datetime": "2150-07-04T00:00:00", "timezone": "America/Guayaquil"},
        -0.1807,
        -78.4678,
        "O",
        id="quito-2150-porphyry-equator",
    ),
    pytest.param(
        {"datetime": "1969-07-20T22:56:00", "timezone": "Europe/Oslo"},
        69.6492,
        18.9553,
        "A",
        id="tromso-1969-equal-arctic",
    ),
    pytest.param(
        {"datetime": "1912-04-15T02:20:00", "timezone": "America/Halifax"},
        -54.8019,
        -68.303,
        "B",
        id="ushuaia-latitude-1912-alcabitius",
    ),
]


def _angle_difference(a: float, b: float) -> float:
    return abs((a - b + 180.0) % 360.0 - 180.0)


def _house_from_cusps(longitude: float, cusps: list[float]) -> int:
    """Expected house: the cusp interval (in zodiacal order) holding the longitude."""
    for index in range(12):
        start, end = cusps[index], cusps[(index + 1) % 12]
        if (longitude - start) % 360.0 < (end - start) % 360.0:
            return index + 1
    raise AssertionError(f"{longitude} lies in no house of {cusps}")


def _chart(
    client: ApiClient, when: dict[str, str], latitude: float, longitude: float, hsys: str
) -> tuple[dict[str, Any], ReferenceChart]:
    body = {**when, "latitude": latitude, "longitude": longitude, "house_system": hsys}
    response = client.post("/v1/natal-chart", json=body)
    assert response.status_code == 200, response.text
    chart = response.json
    reference = reference_chart(chart["time"]["julian_day_ut"], latitude, longitude, hsys)
    return chart, reference


@pytest.mark.parametrize(("when", "latitude", "longitude", "hsys"), CHARTS)
def test_bodies_match_swetest_within_a_milliarcsecond(
    client: ApiClient, when: dict[str, str], latitude: float, longitude: float, hsys: str
) -> None:
    chart, reference = _chart(client, when, latitude, longitude, hsys)

    assert chart["ephemeris"] == "swiss_ephemeris"
    assert list(chart["positions"]) == list(reference.bodies)
    for name, expected in reference.bodies.items():
        actual = chart["positions"][name]
        assert _angle_difference(actual["longitude"], expected.longitude) < BODY_TOLERANCE, name
        assert abs(actual["latitude"] - expected.latitude) < BODY_TOLERANCE, name
        assert actual["distance"] == pytest.approx(expected.distance, rel=1e-9), name
        assert actual["longitude_speed"] == pytest.approx(expected.longitude_speed, abs=1e-9)
        assert actual["retrograde"] is (expected.longitude_speed < 0), name


@pytest.mark.parametrize(("when", "latitude", "longitude", "hsys"), CHARTS)
def test_cusps_and_angles_match_swetest_to_printed_precision(
    client: ApiClient, when: dict[str, str], latitude: float, longitude: float, hsys: str
) -> None:
    chart, reference = _chart(client, when, latitude, longitude, hsys)

    assert chart["house_system"]["code"] == hsys
    assert [cusp["house"] for cusp in chart["cusps"]] == list(range(1, 13))
    for cusp, expected in zip(chart["cusps"], reference.cusps, strict=True):
        assert _angle_difference(cusp["longitude"], expected) <= PRINTED_TOLERANCE, cusp
    angles = chart["angles"]
    assert _angle_difference(angles["ascendant"]["longitude"], reference.ascendant) <= (
        PRINTED_TOLERANCE
    )
    assert _angle_difference(angles["mc"]["longitude"], reference.mc) <= PRINTED_TOLERANCE


@pytest.mark.parametrize(("when", "latitude", "longitude", "hsys"), CHARTS)
def test_each_body_sits_in_the_house_swetest_cusps_enclose(
    client: ApiClient, when: dict[str, str], latitude: float, longitude: float, hsys: str
) -> None:
    chart, reference = _chart(client, when, latitude, longitude, hsys)

    for name, expected in reference.bodies.items():
        expected_house = _house_from_cusps(expected.longitude, reference.cusps)
        assert chart["positions"][name]["house"] == expected_house, name


def test_sign_and_degree_within_sign_follow_the_longitude(client: ApiClient) -> None:
    chart, reference = _chart(
        client,
        {"datetime": "1990-06-15T14:30:00", "timezone": "Europe/Berlin"},
        52.52,
        13.405,
        "P",
    )
    signs = [
        "aries",
        "taurus",
        "gemini",
        "cancer",
        "leo",
        "virgo",
        "libra",
        "scorpio",
        "sagittarius",
        "capricorn",
        "aquarius",
        "pisces",
    ]
    for name, expected in reference.bodies.items():
        actual = chart["positions"][name]
        assert actual["sign"] == signs[int(expected.longitude // 30)], name
        assert actual["sign_degree"] == pytest.approx(expected.longitude % 30, abs=1e-6), name
    # The Sun on 15 June is in Gemini (it enters Cancer around 21 June).
    assert chart["positions"]["sun"]["sign"] == "gemini"
    assert chart["angles"]["ascendant"]["sign"] == signs[int(reference.ascendant // 30)]
