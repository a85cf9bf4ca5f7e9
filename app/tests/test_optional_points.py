"""Fixed stars (`star:<name>`) and numbered asteroids (`asteroid:<number>`) as chart points.

Star positions are compared with swetest's -pf -xf<name>, which reads the same sefstars.txt.
Debian's swe-basic-data ships no numbered-asteroid file, so the answer for an asteroid is
normally the 422 naming the file to install; that test always runs, and the position test runs
where such a file exists.
"""

from pathlib import Path
from typing import Any

import pytest

from tests.charts import BERLIN, natal_chart
from tests.conftest import EPHEMERIS_PATH, ApiClient, MakeClient
from tests.swetest import arc_difference, run_swetest

TOLERANCE = 0.001 / 3600.0
STARS = ["Regulus", "Spica", "Aldebaran", "Algol", "Sirius", "Fomalhaut"]
SPEED_STEP = 0.01
SPEED_TOLERANCE = 1e-6
EROS_FILES = ("ast0/se00433s.se1", "ast0/se00433.se1", "se00433s.se1", "se00433.se1")


def _swetest_star(jd: float, star: str, options: tuple[str, ...]) -> tuple[float, float, float]:
    """Longitude, latitude and speed; the speed by central difference of swetest's longitudes.

    swetest's own speed column for a star in a sidereal zodiac is not the rate of its sidereal
    longitude (in 1990 it prints -4.8e-5 degrees a day for Regulus with -sid1, where its
    longitudes change by -8.7e-5 a day), so the speed is taken from the longitudes instead.
    The library differentiates star positions over a wider interval than this, which leaves
    differences up to about 5e-7 degrees a day, hence SPEED_TOLERANCE.
    """
    [row] = run_swetest(jd, "f", "Pl", (f"-xf{star}", *options)).bodies
    [before] = run_swetest(jd - SPEED_STEP, "f", "Pl", (f"-xf{star}", *options)).bodies
    [after] = run_swetest(jd + SPEED_STEP, "f", "Pl", (f"-xf{star}", *options)).bodies
    [latitude_row] = run_swetest(jd, "f", "Pb", (f"-xf{star}", *options)).bodies
    # The name column ("Regulus,alLeo") holds the separator too: read from the right.
    speed = (float(after[-1]) - float(before[-1])) / (2.0 * SPEED_STEP)
    return float(row[-1]), float(latitude_row[-1]), speed


def _errors(client: ApiClient, path: str, body: dict[str, Any]) -> list[dict[str, str]]:
    response = client.post(path, json=body)
    assert response.status_code == 422, response.text
    return response.json["errors"]


@pytest.mark.parametrize(
    ("fields", "options"),
    [({}, ()), ({"zodiac": "sidereal", "ayanamsa": "lahiri"}, ("-sid1",))],
    ids=["tropical", "lahiri"],
)
def test_fixed_stars_match_swetest(
    client: ApiClient, fields: dict[str, Any], options: tuple[str, ...]
) -> None:
    points = ["sun", *(f"star:{star}" for star in STARS), "star:,alLeo"]
    chart = natal_chart(client, points=points, **fields)
    jd = chart["time"]["julian_day_ut"]

    for star in [*STARS, ",alLeo"]:
        longitude, latitude, speed = _swetest_star(jd, star, options)
        position = chart["positions"][f"star:{star}"]
        assert arc_difference(position["longitude"], longitude) < TOLERANCE, star
        assert abs(position["latitude"] - latitude) < TOLERANCE, star
        assert abs(position["longitude_speed"] - speed) < SPEED_TOLERANCE, star
        assert position["house"] in range(1, 13)
    assert chart["positions"]["star:,alLeo"]["longitude"] == pytest.approx(
        chart["positions"]["star:Regulus"]["longitude"], abs=1e-12
    )


def test_fixed_star_equatorial_coordinates_match_swetest(client: ApiClient) -> None:
    chart = natal_chart(client, points=["star:Spica"], coordinates="equatorial")
    [row] = run_swetest(chart["time"]["julian_day_ut"], "f", "Pad", ("-xfSpica",)).bodies

    right_ascension, declination = (float(cell) for cell in row[-2:])
    position = chart["positions"]["star:Spica"]
    assert arc_difference(position["right_ascension"], right_ascension) < TOLERANCE
    assert abs(position["declination"] - declination) < TOLERANCE


def test_fixed_stars_take_part_in_aspects_and_orbs(client: ApiClient) -> None:
    chart = natal_chart(
        client,
        points=["sun", "moon", "star:Regulus"],
        aspects="all",
        point_orbs={"star:Regulus": 30},
    )

    assert any("star:Regulus" in (found["first"], found["second"]) for found in chart["aspects"])


def test_an_unknown_star_is_a_422_naming_the_field_and_the_star(client: ApiClient) -> None:
    [error] = _errors(client, "/v1/natal-chart", {**BERLIN, "points": ["sun", "star:Nosuchstar"]})

    assert error["field"] == "points"
    assert "star:Nosuchstar" in error["message"]
    assert "sefstars.txt" in error["message"]
    assert "star:Regulus" in error["accepted"]


def test_a_star_in_a_nested_subject_is_named_by_its_path(client: ApiClient) -> None:
    natal = {**BERLIN, "points": ["sun", "star:Nosuchstar"]}
    body = {"natal": natal, "transit": {"ut": "2024-01-01T00:00:00"}}

    [error] = _errors(client, "/v1/transits", body)

    assert error["field"] == "natal.points"
    assert "star:Nosuchstar" in error["message"]


@pytest.mark.parametrize("name", ["star:", "star:%lgol", "star:Reg ulus;", "star:" + "x" * 41])
def test_malformed_star_names_are_refused_by_validation(client: ApiClient, name: str) -> None:
    [error] = _errors(client, "/v1/natal-chart", {**BERLIN, "points": [name]})

    assert error["field"] == "points"


def test_without_the_star_catalogue_a_star_is_a_422_naming_the_file(
    make_client: MakeClient, tmp_path: Path
) -> None:
    for name in ("sepl_18.se1", "semo_18.se1", "seas_18.se1"):
        (tmp_path / name).symlink_to(Path(EPHEMERIS_PATH) / name)
    client = make_client(ephemeris_path=str(tmp_path))

    [error] = _errors(client, "/v1/natal-chart", {**BERLIN, "points": ["sun", "star:Regulus"]})
    plain = client.post("/v1/natal-chart", json={**BERLIN, "points": ["sun"]})

    assert error["field"] == "points"
    assert "star:Regulus" in error["message"]
    assert f"sefstars.txt in {tmp_path}" in error["message"]
    assert plain.status_code == 200


def test_an_asteroid_without_its_file_is_a_422_naming_the_point_and_file(
    make_client: MakeClient, tmp_path: Path
) -> None:
    # An ephemeris directory known to hold no asteroid file, whatever is installed system-wide.
    for name in ("sepl_18.se1", "semo_18.se1", "seas_18.se1"):
        (tmp_path / name).symlink_to(Path(EPHEMERIS_PATH) / name)
    client = make_client(ephemeris_path=str(tmp_path))

    [error] = _errors(client, "/v1/natal-chart", {**BERLIN, "points": ["sun", "asteroid:433"]})

    assert error["field"] == "points"
    assert "asteroid:433" in error["message"]
    assert "ast0/se00433s.se1" in error["message"]
    assert str(tmp_path) in error["message"]


def test_an_asteroid_chosen_as_transiting_point_is_named_by_that_field(
    make_client: MakeClient, tmp_path: Path
) -> None:
    for name in ("sepl_18.se1", "semo_18.se1", "seas_18.se1"):
        (tmp_path / name).symlink_to(Path(EPHEMERIS_PATH) / name)
    client = make_client(ephemeris_path=str(tmp_path))
    body = {
        "natal": BERLIN,
        "start": {"ut": "2024-01-01T00:00:00"},
        "end": {"ut": "2024-03-01T00:00:00"},
        "transiting_points": ["asteroid:433"],
    }

    [error] = _errors(client, "/v1/transits/search", body)

    assert error["field"] == "transiting_points"
    assert "se00433s.se1" in error["message"]


@pytest.mark.parametrize("name", ["asteroid:0", "asteroid:0433", "asteroid:1234567", "asteroid:x"])
def test_malformed_asteroid_numbers_are_refused_by_validation(client: ApiClient, name: str) -> None:
    [error] = _errors(client, "/v1/natal-chart", {**BERLIN, "points": [name]})

    assert error["field"] == "points"


@pytest.mark.skipif(
    not any((Path(EPHEMERIS_PATH) / name).exists() for name in EROS_FILES),
    reason=f"no file for asteroid 433 Eros in {EPHEMERIS_PATH} (swe-basic-data ships none); "
    "the 422 for a missing file is tested above",
)
def test_an_installed_asteroid_matches_swetest(client: ApiClient) -> None:
    chart = natal_chart(client, points=["asteroid:433"])
    [row] = run_swetest(chart["time"]["julian_day_ut"], "s", "Plb", ("-xs433",)).bodies
    longitude, latitude = (float(cell) for cell in row[-2:])

    position = chart["positions"]["asteroid:433"]
    assert arc_difference(position["longitude"], longitude) < TOLERANCE
    assert abs(position["latitude"] - latitude) < TOLERANCE
