"""Zodiacs, perspectives, coordinates and the extra points agree with swetest's options:
-sid<n> and -sidudef (sidereal), -topo (topocentric), -hel (heliocentric), -true (geometric),
right ascension and declination (swetest prints both in degrees with -ep), and the asteroids
and osculating apogee."""

from typing import Any

import pytest

from tests.charts import natal_chart
from tests.conftest import ApiClient
from tests.swetest import arc_difference, run_swetest

TOLERANCE = 0.001 / 3600.0
PLANETS = ["sun", "moon", "mercury", "venus", "mars", "jupiter", "saturn", "uranus", "neptune"]
PLANET_LETTERS = "012345678"


def _assert_longitudes(chart: dict, names: list[str], rows: list[list[str]]) -> None:
    for name, row in zip(names, rows, strict=True):
        actual = chart["positions"][name]
        assert arc_difference(actual["longitude"], float(row[1])) < TOLERANCE, name
        assert abs(actual["latitude"] - float(row[2])) < TOLERANCE, name


@pytest.mark.parametrize(
    ("fields", "options"),
    [
        ({"zodiac": "sidereal", "ayanamsa": "lahiri"}, ("-sid1",)),
        ({"zodiac": "sidereal", "ayanamsa": 0}, ("-sid0",)),
        ({"zodiac": "sidereal", "ayanamsa": "raman"}, ("-sid3",)),
        ({"zodiac": "sidereal", "ayanamsa": "True Citra"}, ("-sid27",)),
        (
            {"zodiac": "sidereal", "ayanamsa": {"t0": 2451545.0, "ayanamsa_t0": 23.5}},
            ("-sidudef2451545.0,23.5",),
        ),
        ({"perspective": "true_geocentric"}, ("-true",)),
        ({"perspective": "topocentric", "altitude": 34.0}, ("-topo13.405,52.52,34.0",)),
        (
            {"perspective": "topocentric", "zodiac": "sidereal", "ayanamsa": "lahiri"},
            ("-topo13.405,52.52,0", "-sid1"),
        ),
    ],
    ids=["lahiri", "fagan-bradley", "raman", "true-citra", "user", "true", "topo", "topo-sid"],
)
def test_frame_matches_swetest(
    client: ApiClient, fields: dict[str, Any], options: tuple[str, ...]
) -> None:
    chart = natal_chart(client, points=PLANETS, house_system="R", **fields)
    jd = chart["time"]["julian_day_ut"]
    reference = run_swetest(jd, PLANET_LETTERS, "Plb", options, house=(13.405, 52.52, "R"))

    _assert_longitudes(chart, PLANETS, reference.bodies)
    cusps = [value for label, value in reference.houses.items() if label.startswith("house")]
    for cusp, expected in zip(chart["cusps"], cusps, strict=True):
        assert arc_difference(cusp["longitude"], expected) < 1e-9
    if "zodiac" in fields:
        assert chart["meta"]["zodiac"]["type"] == "sidereal"
        assert chart["meta"]["zodiac"]["ayanamsa"]["value"] > 20.0


def test_heliocentric_matches_swetest_and_leaves_out_the_sun_and_nodes(client: ApiClient) -> None:
    points = ["sun", "mercury", "venus", "mars", "jupiter", "mean_node", "earth"]
    chart = natal_chart(client, perspective="heliocentric", points=points)
    reference = run_swetest(chart["time"]["julian_day_ut"], "234", "Plb", ("-hel",))

    _assert_longitudes(chart, ["mercury", "venus", "mars"], reference.bodies)
    assert "sun" not in chart["positions"]
    assert "mean_node" not in chart["positions"]
    assert any("sun, mean_node" in warning for warning in chart["meta"]["warnings"])
    # The Earth seen from the Sun is opposite the Sun seen from the Earth.
    geocentric = natal_chart(client, points=["sun"])["positions"]["sun"]["longitude"]
    assert arc_difference(chart["positions"]["earth"]["longitude"], geocentric + 180.0) < 0.01


def test_equatorial_coordinates_match_swetest_right_ascension_and_declination(
    client: ApiClient,
) -> None:
    chart = natal_chart(client, coordinates="equatorial", points=PLANETS)
    reference = run_swetest(chart["time"]["julian_day_ut"], PLANET_LETTERS, "Pad")

    for name, row in zip(PLANETS, reference.bodies, strict=True):
        position = chart["positions"][name]
        assert arc_difference(position["right_ascension"], float(row[1])) < 1e-9, name
        assert abs(position["declination"] - float(row[2])) < 1e-9, name
    assert chart["meta"]["coordinates"] == "equatorial"


def test_asteroids_and_true_lilith_match_swetest(client: ApiClient) -> None:
    names = ["true_lilith", "ceres", "pallas", "juno", "vesta"]
    chart = natal_chart(client, points=names)
    reference = run_swetest(chart["time"]["julian_day_ut"], "BFGHI", "Plb")

    _assert_longitudes(chart, names, reference.bodies)


def test_south_nodes_are_opposite_the_north_nodes(client: ApiClient) -> None:
    points = ["mean_node", "mean_south_node", "true_node", "true_south_node"]
    positions = natal_chart(client, points=points)["positions"]
    reference = run_swetest(natal_chart(client)["time"]["julian_day_ut"], "mt", "Pl").bodies

    assert arc_difference(
        positions["mean_south_node"]["longitude"], float(reference[0][1]) + 180
    ) < (TOLERANCE)
    assert arc_difference(
        positions["true_south_node"]["longitude"], float(reference[1][1]) + 180
    ) < (TOLERANCE)


def test_angles_vertex_and_part_of_fortune_follow_swetest_angles(client: ApiClient) -> None:
    points = ["sun", "moon", "ascendant", "mc", "descendant", "ic", "vertex", "part_of_fortune"]
    chart = natal_chart(client, points=points)
    reference = run_swetest(chart["time"]["julian_day_ut"], "01", "Pl", house=(13.405, 52.52, "P"))
    houses = reference.houses
    positions = chart["positions"]
    ascendant, mc = houses["Ascendant"], houses["MC"]

    assert arc_difference(positions["ascendant"]["longitude"], ascendant) < 1e-9
    assert arc_difference(positions["descendant"]["longitude"], ascendant + 180.0) < 1e-9
    assert arc_difference(positions["mc"]["longitude"], mc) < 1e-9
    assert arc_difference(positions["ic"]["longitude"], mc + 180.0) < 1e-9
    assert arc_difference(positions["vertex"]["longitude"], houses["Vertex"]) < 1e-9
    sun, moon = float(reference.bodies[0][1]), float(reference.bodies[1][1])
    # 14:30 in Berlin in June: the Sun is above the horizon, so the day formula applies.
    expected = (ascendant + moon - sun) % 360.0
    assert arc_difference(positions["part_of_fortune"]["longitude"], expected) < 1e-8


def test_night_charts_use_the_night_formula_for_the_part_of_fortune(client: ApiClient) -> None:
    chart = natal_chart(
        client, datetime="1990-06-15T01:30:00", points=["sun", "moon", "part_of_fortune"]
    )
    reference = run_swetest(chart["time"]["julian_day_ut"], "01", "Pl", house=(13.405, 52.52, "P"))
    sun, moon = float(reference.bodies[0][1]), float(reference.bodies[1][1])
    expected = (reference.houses["Ascendant"] + sun - moon) % 360.0

    assert arc_difference(chart["positions"]["part_of_fortune"]["longitude"], expected) < 1e-8
