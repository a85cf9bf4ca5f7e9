"""The element and modality distribution agrees with the signs swetest places the points in.

The expected groups are built here from swetest's longitudes and the textbook order of the
signs (fire, earth, air, water repeating from Aries; cardinal, fixed, mutable likewise).
"""

from typing import Any

import pytest

from tests.conftest import ApiClient
from tests.swetest import run_swetest

PLANETS = ["sun", "moon", "mercury", "venus", "mars", "jupiter", "saturn", "uranus", "neptune"]
PLANETS += ["pluto"]
FIRE, EARTH, AIR, WATER = (0, 4, 8), (1, 5, 9), (2, 6, 10), (3, 7, 11)
CARDINAL, FIXED, MUTABLE = (0, 3, 6, 9), (1, 4, 7, 10), (2, 5, 8, 11)
ELEMENT_SIGNS = {"fire": FIRE, "earth": EARTH, "air": AIR, "water": WATER}
MODALITY_SIGNS = {"cardinal": CARDINAL, "fixed": FIXED, "mutable": MUTABLE}
CHARTS = [
    {"datetime": "1990-06-15T14:30:00", "timezone": "Europe/Berlin", "latitude": 52.52,
     "longitude": 13.405},
    {"datetime": "1969-07-20T20:17:40", "timezone": "UTC", "latitude": 0.674,
     "longitude": 23.473, "house_system": "koch"},
    {"datetime": "2001-09-09T03:00:00", "timezone": "Asia/Tokyo", "latitude": 35.68,
     "longitude": 139.69, "zodiac": "sidereal", "ayanamsa": "lahiri"},
]  # fmt: skip
SWETEST_OPTIONS = [(), (), ("-sid1",)]


def _chart(client: ApiClient, **fields: Any) -> dict[str, Any]:  # noqa: ANN401
    response = client.post("/v1/natal-chart", json=fields)
    assert response.status_code == 200, response.text
    return response.json


def _expected(signs: dict[str, int], groups: dict[str, tuple[int, ...]]) -> dict[str, Any]:
    return {
        group: {
            "count": sum(1 for sign in signs.values() if sign in members),
            "points": [name for name, sign in signs.items() if sign in members],
        }
        for group, members in groups.items()
    }


@pytest.mark.parametrize(("subject", "options"), list(zip(CHARTS, SWETEST_OPTIONS, strict=True)))
def test_distribution_counts_the_planets_ascendant_and_mc_by_sign(
    client: ApiClient, subject: dict[str, Any], options: tuple[str, ...]
) -> None:
    points = [*PLANETS, "mean_node", "chiron", "ascendant", "mc", "descendant", "vertex"]
    chart = _chart(client, **subject, points=points)
    house = (subject["longitude"], subject["latitude"], chart["meta"]["house_system"]["used"])
    reference = run_swetest(chart["time"]["julian_day_ut"], "0123456789", "Pl", options, house)
    longitudes = {name: float(row[1]) for name, row in zip(PLANETS, reference.bodies, strict=True)}
    longitudes["ascendant"] = reference.houses["Ascendant"]
    longitudes["mc"] = reference.houses["MC"]
    signs = {name: int(longitude // 30.0) for name, longitude in longitudes.items()}

    distribution = chart["distribution"]

    assert distribution["counted_points"] == [*PLANETS, "ascendant", "mc"]
    assert distribution["elements"] == _expected(signs, ELEMENT_SIGNS)
    assert distribution["modalities"] == _expected(signs, MODALITY_SIGNS)
    assert sum(group["count"] for group in distribution["elements"].values()) == 12


def test_distribution_counts_only_the_chosen_points(client: ApiClient) -> None:
    chart = _chart(client, **CHARTS[0], points=["sun", "moon", "true_node", "ceres"])
    reference = run_swetest(chart["time"]["julian_day_ut"], "01", "Pl")
    signs = {
        name: int(float(row[1]) // 30.0)
        for name, row in zip(["sun", "moon"], reference.bodies, strict=True)
    }

    distribution = chart["distribution"]

    assert distribution["counted_points"] == ["sun", "moon"]
    assert distribution["elements"] == _expected(signs, ELEMENT_SIGNS)
    assert distribution["modalities"] == _expected(signs, MODALITY_SIGNS)


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/v1/composite", {"first": CHARTS[0], "second": CHARTS[1]}),
        ("/v1/returns", {"natal": CHARTS[0], "after": {"ut": "2024-01-01T00:00:00"}}),
        ("/v1/progressions", {"natal": CHARTS[0], "target": {"ut": "2020-01-01T00:00:00"}}),
        ("/v1/positions", {"ut": "2024-03-20T12:00:00"}),
    ],
)
def test_every_chart_of_points_carries_its_distribution(
    client: ApiClient, path: str, body: dict[str, Any]
) -> None:
    response = client.post(path, json=body)
    assert response.status_code == 200, response.text
    answer = response.json
    positions = answer["positions"]
    counted = answer["distribution"]["counted_points"]

    assert counted == [name for name in positions if name in PLANETS]
    for element, group in answer["distribution"]["elements"].items():
        assert group["count"] == len(group["points"])
        for name in group["points"]:
            assert int(positions[name]["longitude"] // 30.0) in ELEMENT_SIGNS[element]
