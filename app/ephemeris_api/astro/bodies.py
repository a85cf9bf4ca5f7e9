"""The catalogue of bodies a chart can contain and how each is asked of the Swiss Ephemeris.

Names are the public vocabulary of the API; the orb class decides how generous aspect orbs are
for the body (luminaries are given the widest, calculated points the narrowest).
"""

from dataclasses import dataclass
from enum import StrEnum
from typing import Final

import swisseph as swe


class OrbClass(StrEnum):
    """Groups of bodies that share aspect orbs (see `ephemeris_api.astro.aspects`)."""

    LUMINARY = "luminary"
    PLANET = "planet"
    POINT = "point"


@dataclass(frozen=True, slots=True)
class Body:
    """One chart body: its API name, Swiss Ephemeris number and orb class."""

    name: str
    swe_id: int
    orb_class: OrbClass


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
    # Chiron comes from the asteroid file seas_18.se1, not the planetary one.
    Body("chiron", swe.CHIRON, OrbClass.POINT),
    # "Black Moon Lilith" is the mean lunar apogee.
    Body("mean_lilith", swe.MEAN_APOG, OrbClass.POINT),
)

# Two renderings of the same point: an "aspect" between them says nothing about the chart.
SAME_POINT_PAIRS: Final = frozenset({frozenset({"mean_node", "true_node"})})
