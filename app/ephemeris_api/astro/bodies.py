"""The catalogue of points a chart can contain and how each one is obtained.

Names are the public vocabulary of the API. Most points are bodies the Swiss Ephemeris computes
(`swe_id`); the south nodes are the points opposite their north nodes; the angles and the Part
of Fortune come from the houses, so they exist only when the birth time and place are known.
The orb class decides how generous aspect orbs are for the point (luminaries are given the
widest, calculated points the narrowest).
"""

from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import Final

import swisseph as swe


class OrbClass(StrEnum):
    """Groups of points that share aspect orbs (see `ephemeris_api.astro.aspects`)."""

    LUMINARY = "luminary"
    PLANET = "planet"
    POINT = "point"


class Source(StrEnum):
    """How a point's position is obtained."""

    EPHEMERIS = "ephemeris"
    OPPOSITE = "opposite"
    ANGLE = "angle"
    LOT = "lot"


@dataclass(frozen=True, slots=True)
class Body:
    """One chart point: API name, Swiss Ephemeris number (or -1), orb class and source.

    `opposite_of` names the point a south node mirrors.
    """

    name: str
    swe_id: int
    orb_class: OrbClass
    source: Source = Source.EPHEMERIS
    opposite_of: str = ""


NATAL_BODIES: Final = (
    Body("sun", swe.SUN, OrbClass.LUMINARY),
    Body("moon", swe.MOON, OrbClass.LUMINARY),
    Body("mercury", swe.MERCURY, OrbClass.PLANET),
    Body("venus", swe.VENUS, OrbClass.PLANET),
    Body("mars", swe.MARS, OrbClass.PLANET),
    Body("jupiter", swe.JUPITER, OrbClass.PLANET),
    Body("saturn", swe.SATURN, OrbClass.PLANET),
    Body("uranus", swe.URANUS, OrbClass.PLANET),
    Body("neptune", swe.NEPTUNE, OrbClass.PLANET),
    Body("pluto", swe.PLUTO, OrbClass.PLANET),
    Body("mean_node", swe.MEAN_NODE, OrbClass.POINT),
    Body("true_node", swe.TRUE_NODE, OrbClass.POINT),
    # Chiron and the four asteroids come from the asteroid file seas_18.se1.
    Body("chiron", swe.CHIRON, OrbClass.POINT),
    # "Black Moon Lilith" is the mean lunar apogee.
    Body("mean_lilith", swe.MEAN_APOG, OrbClass.POINT),
)
EXTRA_BODIES: Final = (
    Body("mean_south_node", -1, OrbClass.POINT, Source.OPPOSITE, "mean_node"),
    Body("true_south_node", -1, OrbClass.POINT, Source.OPPOSITE, "true_node"),
    # The osculating lunar apogee, often called true Lilith.
    Body("true_lilith", swe.OSCU_APOG, OrbClass.POINT),
    Body("ceres", swe.CERES, OrbClass.POINT),
    Body("pallas", swe.PALLAS, OrbClass.POINT),
    Body("juno", swe.JUNO, OrbClass.POINT),
    Body("vesta", swe.VESTA, OrbClass.POINT),
    # Only seen from the Sun: the Earth is the observer of every geocentric chart.
    Body("earth", swe.EARTH, OrbClass.PLANET),
)
HOUSE_POINTS: Final = (
    Body("ascendant", -1, OrbClass.POINT, Source.ANGLE),
    Body("mc", -1, OrbClass.POINT, Source.ANGLE),
    Body("descendant", -1, OrbClass.POINT, Source.ANGLE),
    Body("ic", -1, OrbClass.POINT, Source.ANGLE),
    Body("vertex", -1, OrbClass.POINT, Source.ANGLE),
    Body("part_of_fortune", -1, OrbClass.POINT, Source.LOT),
)
ALL_POINTS: Final = NATAL_BODIES + EXTRA_BODIES + HOUSE_POINTS
POINTS_BY_NAME: Final = {body.name: body for body in ALL_POINTS}
DEFAULT_POINTS: Final = tuple(body.name for body in NATAL_BODIES)

# Points that mean nothing from the Sun: the Sun itself and the Moon's orbital points.
NOT_HELIOCENTRIC: Final = frozenset(
    {
        "sun",
        "mean_node",
        "true_node",
        "mean_south_node",
        "true_south_node",
        "mean_lilith",
        "true_lilith",
    }
)
ONLY_HELIOCENTRIC: Final = frozenset({"earth"})

# Two renderings of the same point, or two ends of one axis: an "aspect" between them says
# nothing about the chart.
SAME_POINT_PAIRS: Final = frozenset(
    frozenset(pair)
    for pair in (
        ("mean_node", "true_node"),
        ("mean_south_node", "true_south_node"),
        ("mean_node", "mean_south_node"),
        ("true_node", "true_south_node"),
        ("mean_node", "true_south_node"),
        ("true_node", "mean_south_node"),
        ("mean_lilith", "true_lilith"),
        ("ascendant", "descendant"),
        ("mc", "ic"),
    )
)


@cache
def accepted_points() -> str:
    """Human-readable list of point names, used in validation errors (built once)."""
    return "point names: " + ", ".join(body.name for body in ALL_POINTS)
