"""Houses of the derived charts (progressed, midpoint composite, Davison) in the sidereal zodiac
agree with swetest's -sid cusps.

Progressed and midpoint-composite houses are cast from an ARMC rather than from a moment and a
place. swetest takes no ARMC, but the ARMC of a chart is the Greenwich sidereal time plus the
east longitude; so swetest run at the same instant, at the longitude that turns its sidereal
time into the wanted ARMC, gives the reference cusps for that ARMC, obliquity and ayanamsa.
"""

from typing import Any

import pytest

from tests.conftest import ApiClient
from tests.swetest import RawOutput, arc_difference, run_swetest

SIDEREAL = {"zodiac": "sidereal", "ayanamsa": "lahiri"}
# At 14:40 the tropical Ascendant is early Scorpio and the sidereal one late Libra, so
# whole-sign cusps taken from the tropical sign would be a sign off.
BERLIN = {
    "datetime": "1990-06-15T14:40:00",
    "timezone": "Europe/Berlin",
    "latitude": 52.52,
    "longitude": 13.405,
    **SIDEREAL,
}
PARIS = {
    "datetime": "1985-02-03T08:10:00",
    "timezone": "Europe/Paris",
    "latitude": 48.85,
    "longitude": 2.35,
    **SIDEREAL,
}
TROPICAL_YEAR_DAYS = 365.24219
SYSTEMS = ["P", "R", "W", "N", "I"]


def _post(client: ApiClient, path: str, body: dict[str, Any]) -> dict[str, Any]:
    response = client.post(path, json=body)
    assert response.status_code == 200, response.text
    return response.json


def _swetest_houses(
    julian_day_ut: float, longitude: float, latitude: float, system: str
) -> RawOutput:
    return run_swetest(julian_day_ut, "0", "Pl", ("-sid1",), house=(longitude, latitude, system))


def _cusps_for_armc(julian_day_ut: float, armc: float, latitude: float, system: str) -> list:
    greenwich = _swetest_houses(julian_day_ut, 0.0, latitude, system).houses["ARMC"]
    longitude = (armc - greenwich + 180.0) % 360.0 - 180.0
    reference = _swetest_houses(julian_day_ut, longitude, latitude, system)
    assert arc_difference(reference.houses["ARMC"], armc) < 1e-9
    return [value for label, value in reference.houses.items() if label.startswith("house")]


def _sun(julian_day_ut: float) -> float:
    return float(run_swetest(julian_day_ut, "0", "Pl", ("-sid1",)).bodies[0][1])


def _assert_cusps(chart: dict[str, Any], expected: list[float]) -> None:
    actual = [cusp["longitude"] for cusp in chart["cusps"]]
    assert len(actual) == len(expected)
    for number, (mine, theirs) in enumerate(zip(actual, expected, strict=True), start=1):
        assert arc_difference(mine, theirs) < 1e-7, f"house {number}: {mine} != {theirs}"


@pytest.mark.parametrize("system", SYSTEMS)
def test_sidereal_secondary_progression_cusps_match_swetest(client: ApiClient, system: str) -> None:
    natal = {**BERLIN, "house_system": system}
    target = {"ut": "2020-06-15T12:30:00"}
    body = _post(client, "/v1/progressions", {"natal": natal, "target": target})
    natal_jd = _post(client, "/v1/natal-chart", natal)["time"]["julian_day_ut"]
    progressed_jd = body["progressed_julian_day_ut"]
    assert progressed_jd == pytest.approx(
        natal_jd + (body["target"]["julian_day_ut"] - natal_jd) / TROPICAL_YEAR_DAYS, abs=1e-9
    )

    natal_armc = _swetest_houses(natal_jd, 13.405, 52.52, system).houses["ARMC"]
    arc = (_sun(progressed_jd) - _sun(natal_jd)) % 360.0
    expected = _cusps_for_armc(progressed_jd, (natal_armc + arc) % 360.0, 52.52, system)

    _assert_cusps(body, expected)
    assert body["meta"]["zodiac"]["type"] == "sidereal"


@pytest.mark.parametrize("system", SYSTEMS)
def test_sidereal_midpoint_composite_cusps_match_swetest(client: ApiClient, system: str) -> None:
    first, second = {**BERLIN, "house_system": system}, {**PARIS, "house_system": system}
    body = _post(client, "/v1/composite", {"first": first, "second": second})
    first_jd = _post(client, "/v1/natal-chart", first)["time"]["julian_day_ut"]
    second_jd = _post(client, "/v1/natal-chart", second)["time"]["julian_day_ut"]

    first_armc = _swetest_houses(first_jd, 13.405, 52.52, system).houses["ARMC"]
    second_armc = _swetest_houses(second_jd, 2.35, 48.85, system).houses["ARMC"]
    shorter = (second_armc - first_armc + 180.0) % 360.0 - 180.0
    armc = (first_armc + shorter / 2.0) % 360.0
    # The composite's obliquity and ayanamsa are those of the first chart's instant.
    expected = _cusps_for_armc(first_jd, armc, (52.52 + 48.85) / 2.0, system)

    _assert_cusps(body, expected)


@pytest.mark.parametrize("system", SYSTEMS)
def test_sidereal_davison_cusps_match_swetest(client: ApiClient, system: str) -> None:
    first, second = {**BERLIN, "house_system": system}, {**PARIS, "house_system": system}
    body = _post(client, "/v1/composite", {"first": first, "second": second, "method": "davison"})
    first_jd = _post(client, "/v1/natal-chart", first)["time"]["julian_day_ut"]
    second_jd = _post(client, "/v1/natal-chart", second)["time"]["julian_day_ut"]
    mean_jd = (first_jd + second_jd) / 2.0
    assert body["davison"]["julian_day_ut"] == pytest.approx(mean_jd, abs=1e-9)

    reference = _swetest_houses(mean_jd, (13.405 + 2.35) / 2.0, (52.52 + 48.85) / 2.0, system)
    expected = [value for label, value in reference.houses.items() if label.startswith("house")]

    _assert_cusps(body, expected)
