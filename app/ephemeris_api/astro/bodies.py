"""The catalogue of points a chart can contain and how each one is obtained.

Names are the public vocabulary of the API. Most points are bodies the Swiss Ephemeris computes
(`swe_id`); the south nodes are the points opposite their north nodes; the angles and the Part
of Fortune come from the houses, so they exist only when the birth time and place are known.
The orb class decides how generous aspect orbs are for the point (luminaries are given the
widest, calculated points the narrowest).

Besides the named points a chart may hold fixed stars (`star:Regulus`, from the catalogue file
sefstars.txt) and numbered asteroids (`asteroid:433`, each from its own file). Their names are
open-ended, so they are parsed rather than listed; whether the files exist, and whether the
catalogue knows the star, only the ephemeris can tell when it computes them.
"""

import re
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
    STAR = "star"
    ASTEROID = "asteroid"


@dataclass(frozen=True, slots=True)
class Body:
    """One chart point: API name, Swiss Ephemeris number (or -1), orb class and source.

    `opposite_of` names the point a south node mirrors; `catalogue_name` is the name a fixed
    star is looked up by in sefstars.txt, or an asteroid's minor-planet number.
    """

    name: str
    swe_id: int
    orb_class: OrbClass
    source: Source = Source.EPHEMERIS
    opposite_of: str = ""
    catalogue_name: str = ""


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
# The Sun, the Moon and the eight planets, in that order.
PLANETS: Final = tuple(body.name for body in NATAL_BODIES[:10])

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


STAR_PREFIX: Final = "star:"
ASTEROID_PREFIX: Final = "asteroid:"
# A star's traditional name or its Bayer designation after a comma (",alLeo"), as sefstars.txt
# spells them; the library's wildcard "%" and its search by line number are not offered.
STAR_NAME: Final = r"[A-Za-z][A-Za-z0-9 .'-]{0,39}|,[A-Za-z][A-Za-z0-9]{1,11}"
# Minor-planet numbers as the Minor Planet Center assigns them, without leading zeros.
ASTEROID_NUMBER: Final = r"[1-9][0-9]{0,5}"
STAR_POINT: Final = re.compile(re.escape(STAR_PREFIX) + f"(?:{STAR_NAME})")
ASTEROID_POINT: Final = re.compile(re.escape(ASTEROID_PREFIX) + ASTEROID_NUMBER)


def resolve_point(name: str) -> Body | None:
    """The point a name stands for: a named point, `star:<name>` or `asteroid:<number>`."""
    body = POINTS_BY_NAME.get(name)
    if body is not None:
        return body
    if STAR_POINT.fullmatch(name):
        star = name.removeprefix(STAR_PREFIX)
        return Body(name, -1, OrbClass.POINT, Source.STAR, catalogue_name=star)
    if ASTEROID_POINT.fullmatch(name):
        number = name.removeprefix(ASTEROID_PREFIX)
        return Body(name, swe.AST_OFFSET + int(number), OrbClass.POINT, Source.ASTEROID, "", number)
    return None


def asteroid_files(number: int) -> tuple[str, str]:
    """The files, relative to the ephemeris directory, that can hold one numbered asteroid.

    The Swiss Ephemeris keeps asteroids in folders of a thousand (`ast0` for 1-999) and opens
    the 6,000-year file or the 600-year one (suffix `s`), in the folder or at the top level.
    """
    folder = f"ast{number // 1000}"
    return f"{folder}/se{number:05d}s.se1", f"{folder}/se{number:05d}.se1"


@cache
def accepted_points() -> str:
    """Human-readable list of point names, used in validation errors (built once)."""
    names = ", ".join(body.name for body in ALL_POINTS)
    return (
        f"point names: {names}; or star:<name> for a fixed star of sefstars.txt (e.g. "
        "star:Regulus, star:,alLeo) or asteroid:<number> for a numbered asteroid whose file is "
        "installed (e.g. asteroid:433)"
    )
