"""The chart endpoints beyond the natal chart, each checked against swetest, the time-zone
database or published almanac times rather than against this code."""

from datetime import UTC, datetime
from typing import Any

import pytest
from sanic_testing.testing import TestingResponse as Answer

from tests.charts import BERLIN
from tests.conftest import ApiClient
from tests.swetest import arc_difference, run_swetest

OTHER = {**BERLIN, "datetime": "1992-01-01T10:00:00", "latitude": 48.85, "longitude": 2.35}


def _post(client: ApiClient, path: str, body: dict[str, Any]) -> dict[str, Any]:
    response = client.post(path, json=body)
    assert response.status_code == 200, response.text
    return response.json


def _swetest_longitude(jd: float, letter: str) -> float:
    return float(run_swetest(jd, letter, "Pl").bodies[0][1])


def test_utc_offset_and_ut_are_alternatives_to_a_time_zone(client: ApiClient) -> None:
    by_zone = _post(client, "/v1/natal-chart", BERLIN)
    by_offset = _post(
        client, "/v1/natal-chart", {**BERLIN, "timezone": None, "utc_offset": "+02:00"}
    )
    by_ut = _post(
        client,
        "/v1/natal-chart",
        {"ut": "1990-06-15T12:30:00", "latitude": 52.52, "longitude": 13.405},
    )

    assert by_zone["time"]["utc"] == by_offset["time"]["utc"] == by_ut["time"]["utc"]
    assert by_offset["meta"]["utc_offset"] == "+02:00"
    assert by_offset["meta"]["time_source"] == "utc_offset"
    assert by_ut["meta"]["utc_offset"] == "+00:00"
    assert by_ut["meta"]["time_source"] == "ut"


def test_two_time_references_are_refused(client: ApiClient) -> None:
    response = client.post("/v1/natal-chart", json={**BERLIN, "utc_offset": "+02:00"})

    assert response.status_code == 422
    assert response.json["errors"][0]["field"] == "timezone"


def test_julian_calendar_dates_are_converted(client: ApiClient) -> None:
    # 1 January 1900 (Julian) is 13 January 1900 (Gregorian); 29 February 1900 exists only
    # in the Julian calendar.
    julian = _post(
        client,
        "/v1/natal-chart",
        {"ut": "1900-01-01T00:00:00", "calendar": "julian", "latitude": 0.0, "longitude": 0.0},
    )
    leap = client.post(
        "/v1/natal-chart",
        json={"ut": "1900-02-29T00:00:00", "calendar": "julian", "latitude": 0, "longitude": 0},
    )

    assert julian["time"]["utc"] == "1900-01-13T00:00:00Z"
    assert julian["input"]["datetime"] == "1900-01-01T00:00:00"
    assert julian["meta"]["calendar"] == "julian"
    assert leap.status_code == 200
    assert leap.json["time"]["utc"] == "1900-03-13T00:00:00Z"


@pytest.mark.parametrize(
    ("zone", "local", "offset"),
    [
        # Local mean time before standard time, as the tz database records it.
        ("Europe/Paris", "1890-06-01T12:00:00", "+00:09:21"),
        ("America/New_York", "1870-06-01T12:00:00", "-04:56:02"),
        ("Asia/Kolkata", "1945-06-01T12:00:00", "+06:30"),
        ("Europe/London", "1941-06-01T12:00:00", "+02:00"),
    ],
)
def test_historical_offsets_come_from_the_time_zone_database(
    client: ApiClient, zone: str, local: str, offset: str
) -> None:
    chart = _post(client, "/v1/natal-chart", {**BERLIN, "timezone": zone, "datetime": local})

    assert chart["time"]["utc_offset"] == offset
    assert chart["meta"]["utc_offset"] == offset


def test_unknown_birth_time_gives_noon_positions_and_the_moons_range(client: ApiClient) -> None:
    chart = _post(client, "/v1/natal-chart", {**BERLIN, "time_unknown": True})

    assert chart["time"]["local"] == "1990-06-15T12:00:00"
    assert "cusps" not in chart
    assert "angles" not in chart
    assert chart["positions"]["sun"]["house"] is None
    jd = chart["time"]["julian_day_ut"]
    moon_range = chart["moon_range"]
    assert (
        arc_difference(moon_range["start"]["longitude"], _swetest_longitude(jd - 0.5, "1")) < 1e-9
    )
    assert arc_difference(moon_range["end"]["longitude"], _swetest_longitude(jd + 0.5, "1")) < 1e-9
    assert any("unknown" in warning for warning in chart["meta"]["warnings"])


def test_positions_endpoint_needs_no_place(client: ApiClient) -> None:
    body = _post(client, "/v1/positions", {"ut": "2000-01-01T12:00:00", "points": ["sun"]})

    expected = _swetest_longitude(body["time"]["julian_day_ut"], "0")
    assert arc_difference(body["positions"]["sun"]["longitude"], expected) < 1e-9
    assert "cusps" not in body


def test_houses_endpoint_returns_36_gauquelin_sectors(client: ApiClient) -> None:
    body = _post(client, "/v1/houses", {**BERLIN, "house_system": "gauquelin"})

    assert len(body["cusps"]) == 36
    assert body["meta"]["house_system"]["used"] == "G"
    assert "positions" not in body


def test_transits_place_transiting_bodies_in_natal_houses(client: ApiClient) -> None:
    body = _post(
        client, "/v1/transits", {"natal": BERLIN, "transit": {"ut": "2024-01-01T00:00:00"}}
    )
    jd = body["time"]["julian_day_ut"]

    assert arc_difference(body["transits"]["saturn"]["longitude"], _swetest_longitude(jd, "6")) < (
        1e-9
    )
    assert all(position["house"] in range(1, 13) for position in body["transits"].values())
    assert body["aspects"]
    assert all(aspect["second"] in body["natal"]["positions"] for aspect in body["aspects"])


def test_transit_search_finds_instants_where_the_aspect_is_exact(client: ApiClient) -> None:
    body = _post(
        client,
        "/v1/transits/search",
        {
            "natal": BERLIN,
            "start": {"ut": "2024-01-01T00:00"},
            "end": {"ut": "2024-04-01T00:00"},
            "transiting_points": ["sun", "mars"],
        },
    )

    assert body["events"]
    letters = {"sun": "0", "mars": "4"}
    for event in body["events"][:12]:
        longitude = _swetest_longitude(event["julian_day_ut"], letters[event["transiting"]])
        # Within 1e-6 day the Sun moves 0.004 arcseconds.
        assert arc_difference(longitude, event["longitude"]) < 0.5 / 3600.0, event


def test_transit_search_is_bounded_to_366_days(client: ApiClient) -> None:
    response = client.post(
        "/v1/transits/search",
        json={
            "natal": BERLIN,
            "start": {"ut": "2024-01-01T00:00"},
            "end": {"ut": "2025-06-01T00:00"},
        },
    )

    assert response.status_code == 422
    assert response.json["errors"][0]["field"] == "end"


@pytest.mark.parametrize(("body", "letter"), [("sun", "0"), ("moon", "1"), ("mars", "4")])
def test_returns_find_the_body_back_at_its_natal_longitude(
    client: ApiClient, body: str, letter: str
) -> None:
    answer = _post(
        client,
        "/v1/returns",
        {"natal": BERLIN, "body": body, "after": {"ut": "2024-01-01T00:00"}},
    )
    jd = answer["time"]["julian_day_ut"]

    assert jd > 2460310.5
    assert arc_difference(_swetest_longitude(jd, letter), answer["natal_longitude"]) < 1.0 / 3600.0


def test_synastry_reports_inter_aspects_and_house_overlays(client: ApiClient) -> None:
    body = _post(client, "/v1/synastry", {"first": BERLIN, "second": OTHER})

    assert body["aspects"]
    assert set(body["house_overlay"]["first_in_second"]) == set(body["first"]["positions"])
    assert all(house in range(1, 13) for house in body["house_overlay"]["second_in_first"].values())


def test_midpoint_composite_takes_the_shorter_arc(client: ApiClient) -> None:
    first = _post(client, "/v1/natal-chart", BERLIN)["positions"]
    second = _post(client, "/v1/natal-chart", OTHER)["positions"]
    body = _post(client, "/v1/composite", {"first": BERLIN, "second": OTHER})

    for name, position in body["positions"].items():
        a, b = first[name]["longitude"], second[name]["longitude"]
        distance = arc_difference(position["longitude"], a)
        assert distance == pytest.approx(arc_difference(a, b) / 2.0, abs=1e-9), name


def test_davison_chart_is_cast_for_the_mean_instant_and_place(client: ApiClient) -> None:
    first = _post(client, "/v1/natal-chart", BERLIN)["time"]["julian_day_ut"]
    second = _post(client, "/v1/natal-chart", OTHER)["time"]["julian_day_ut"]
    body = _post(client, "/v1/composite", {"first": BERLIN, "second": OTHER, "method": "davison"})
    mean = (first + second) / 2.0

    assert body["davison"]["julian_day_ut"] == pytest.approx(mean, abs=1e-9)
    assert body["davison"]["latitude"] == pytest.approx((52.52 + 48.85) / 2.0)
    assert arc_difference(body["positions"]["sun"]["longitude"], _swetest_longitude(mean, "0")) < (
        1e-9
    )


def test_secondary_progressions_use_a_day_for_a_year(client: ApiClient) -> None:
    natal_jd = _post(client, "/v1/natal-chart", BERLIN)["time"]["julian_day_ut"]
    body = _post(
        client, "/v1/progressions", {"natal": BERLIN, "target": {"ut": "2020-06-15T12:30:00"}}
    )
    target_jd = body["target"]["julian_day_ut"]
    progressed_jd = natal_jd + (target_jd - natal_jd) / 365.24219

    assert body["progressed_julian_day_ut"] == pytest.approx(progressed_jd, abs=1e-9)
    assert (
        arc_difference(
            body["positions"]["sun"]["longitude"], _swetest_longitude(progressed_jd, "0")
        )
        < 1e-9
    )
    # Thirty years of progression move the Sun by about thirty degrees.
    assert 28.0 < body["solar_arc"] < 31.0


def test_solar_arc_moves_every_point_by_the_same_arc(client: ApiClient) -> None:
    natal = _post(client, "/v1/natal-chart", BERLIN)["positions"]
    body = _post(
        client,
        "/v1/progressions",
        {"natal": BERLIN, "target": {"ut": "2020-06-15T12:30:00"}, "method": "solar_arc"},
    )

    for name, position in body["positions"].items():
        moved = (position["longitude"] - natal[name]["longitude"]) % 360.0
        assert moved == pytest.approx(body["solar_arc"], abs=1e-9), name


# New and full moons from the US Naval Observatory's phases of the Moon tables (UT, minutes).
ALMANAC_PHASES = [
    ("2000-01-01T00:00:00", "next_new_moon", "2000-01-06T18:14"),
    ("2000-01-10T00:00:00", "next_full_moon", "2000-01-21T04:40"),
    ("2017-08-15T00:00:00", "next_new_moon", "2017-08-21T18:30"),
    ("2019-01-25T00:00:00", "previous_full_moon", "2019-01-21T05:16"),
    ("2024-04-01T00:00:00", "next_new_moon", "2024-04-08T18:21"),
    ("2024-04-01T00:00:00", "previous_full_moon", "2024-03-25T07:00"),
]


@pytest.mark.parametrize(("moment", "event", "published"), ALMANAC_PHASES)
def test_moon_phase_times_match_the_almanac_within_a_minute(
    client: ApiClient, moment: str, event: str, published: str
) -> None:
    body = _post(client, "/v1/moon-phase", {"ut": moment})
    found = datetime.fromisoformat(body[event]["utc"].replace("Z", "+00:00"))
    expected = datetime.fromisoformat(published).replace(tzinfo=UTC)

    # The almanac rounds to the minute; 60 s covers that and the model differences.
    assert abs((found - expected).total_seconds()) <= 60.0


def test_moon_phase_names_and_illumination(client: ApiClient) -> None:
    full = _post(client, "/v1/moon-phase", {"ut": "2024-03-25T07:00:00"})
    new = _post(client, "/v1/moon-phase", {"ut": "2024-04-08T18:21:00"})
    quarter = _post(client, "/v1/moon-phase", {"ut": "2024-04-15T19:13:00"})

    assert full["phase"] == "full_moon"
    assert full["illumination"] > 0.99
    assert new["phase"] == "new_moon"
    assert new["illumination"] < 0.01
    assert quarter["phase"] == "first_quarter"
    assert quarter["illumination"] == pytest.approx(0.5, abs=0.02)


@pytest.mark.parametrize("path", ["/v1/positions/now", "/v1/moon-phase/now"])
def test_now_variants_use_the_server_clock(client: ApiClient, path: str) -> None:
    response = client.get(path)
    before = datetime.now(UTC)

    assert response.status_code == 200
    computed = datetime.fromisoformat(response.json["time"]["utc"].replace("Z", "+00:00"))
    assert abs((before - computed).total_seconds()) < 60.0


def test_transits_now_needs_only_the_natal_chart(client: ApiClient) -> None:
    body = _post(client, "/v1/transits/now", {"natal": BERLIN})

    assert "sun" in body["transits"]


def test_minor_aspects_and_orb_overrides(client: ApiClient) -> None:
    default = _post(client, "/v1/natal-chart", BERLIN)["aspects"]
    everything = _post(client, "/v1/natal-chart", {**BERLIN, "aspects": "all"})["aspects"]
    tight = _post(client, "/v1/natal-chart", {**BERLIN, "orbs": {"trine": 1.0, "square": 1.0}})

    assert {aspect["aspect"] for aspect in default} <= {
        "conjunction",
        "sextile",
        "square",
        "trine",
        "opposition",
    }
    assert len(everything) > len(default)
    for aspect in tight["aspects"]:
        if aspect["aspect"] in ("trine", "square"):
            assert aspect["orb"] <= 1.0
            assert aspect["orb_allowed"] == 1.0


@pytest.mark.parametrize(
    ("moment", "field"),
    [
        ({"ut": "1800-01-10T00:00:00"}, "ut"),
        ({"datetime": "2399-12-20T00:00:00", "timezone": "UTC"}, "datetime"),
    ],
)
def test_moon_phase_near_the_ends_of_the_files_is_a_422_not_a_503(
    client: ApiClient, moment: dict[str, str], field: str
) -> None:
    # The moment is served, but its previous or next new or full moon is not.
    response = client.post("/v1/moon-phase", json=moment)

    assert response.status_code == 422, response.text
    [error] = response.json["errors"]
    assert error["field"] == field
    assert "outside the ephemeris files" in error["message"]


def test_moon_phase_a_lunation_inside_the_files_is_answered(client: ApiClient) -> None:
    body = _post(client, "/v1/moon-phase", {"ut": "1800-03-01T00:00:00"})

    assert body["previous_new_moon"]["julian_day_ut"] >= 2378497.0


@pytest.mark.parametrize(
    ("body", "after"),
    [("mars", "2399-06-30T00:00:00"), ("pluto", "2399-12-30T00:00:00")],
)
def test_a_return_after_the_end_of_the_files_is_a_422_on_after(
    client: ApiClient, body: str, after: str
) -> None:
    response = client.post(
        "/v1/returns", json={"natal": BERLIN, "body": body, "after": {"ut": after}}
    )

    assert response.status_code == 422, response.text
    [error] = response.json["errors"]
    assert error["field"] == "after"
    assert f"no return of the {body} found before the ephemeris files end" in error["message"]


def test_a_heliocentric_sun_return_is_a_422_on_body(client: ApiClient) -> None:
    natal = {**BERLIN, "perspective": "heliocentric"}
    response = client.post(
        "/v1/returns", json={"natal": natal, "body": "sun", "after": {"ut": "2024-01-01T00:00"}}
    )

    assert response.status_code == 422, response.text
    [error] = response.json["errors"]
    assert error["field"] == "body"
    assert "heliocentric" in error["message"]


def test_transit_search_accepts_a_whole_leap_year_and_names_an_excess(client: ApiClient) -> None:
    def search(end: str) -> Answer:
        return client.post(
            "/v1/transits/search",
            json={
                "natal": BERLIN,
                "start": {"ut": "2024-01-01T00:00:00"},
                "end": {"ut": end},
                "transiting_points": ["pluto"],
            },
        )

    # 2024 has 366 days; Julian days UT1 put it a few microdays over.
    assert search("2025-01-01T00:00:00").status_code == 200
    refused = search("2025-01-01T00:00:01")
    assert refused.status_code == 422
    [error] = refused.json["errors"]
    assert error["field"] == "end"
    assert error["message"] == "the end is 366 days, 0:00:01 after the start"


def test_transit_search_refuses_more_work_than_its_budget(client: ApiClient) -> None:
    planets_and_points = [
        *("sun", "moon", "mercury", "venus", "mars", "jupiter", "saturn"),
        *("uranus", "neptune", "pluto", "mean_node", "true_node", "chiron", "mean_lilith"),
        *("ceres", "pallas", "juno", "vesta"),
    ]
    stars = ["Regulus", "Spica", "Aldebaran", "Antares"]

    def search(points: list[str]) -> Answer:
        return client.post(
            "/v1/transits/search",
            json={
                "natal": {**BERLIN, "points": points},
                "start": {"ut": "2024-01-01T00:00:00"},
                "end": {"ut": "2025-01-01T00:00:00"},
                "transiting_points": planets_and_points,
                "aspects": "all",
            },
        )

    # All 11 aspects give 20 exact longitudes per natal point (both sides of each but the
    # conjunction and the opposition). 18 points: 360 x 18 bodies x 366 days = 2,371,680.
    assert search(planets_and_points).status_code == 200
    # 22 points: 440 x 18 x 366 = 2,898,720, over the budget.
    refused = search(planets_and_points + [f"star:{name}" for name in stars])
    assert refused.status_code == 422, refused.json
    [error] = refused.json["errors"]
    assert error["field"] == "transiting_points"
    assert error["message"] == (
        "440 natal aspect points (natal points x aspects) x 18 transiting bodies x 366 days"
        " = 2,898,720"
    )
    assert error["accepted"].startswith("a search of at most 2,500,000")
