"""Major aspects between chart bodies, with orbs and whether they are applying.

Orbs follow the moiety idea: each body brings its own allowance for an aspect and a pair is
allowed the mean of the two, so the luminaries widen an orb and calculated points narrow it.

Default orbs in degrees (planet column: the common 8/6/7/8/8):

    aspect        angle  luminary  planet  point
    conjunction       0        10       8      5
    sextile          60         7       6      3
    square           90         9       7      4
    trine           120        10       8      4
    opposition      180        10       8      5
"""

from bisect import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from itertools import combinations, pairwise
from typing import Final

from ephemeris_api.astro.bodies import SAME_POINT_PAIRS, Body, OrbClass
from ephemeris_api.astro.ephemeris import Position
from ephemeris_api.astro.zodiac import signed_difference


@dataclass(frozen=True, slots=True)
class AspectKind:
    """One aspect type: name, exact angle and the orb each body class allows."""

    name: str
    angle: float
    luminary_orb: float
    planet_orb: float
    point_orb: float

    def allowance(self, orb_class: OrbClass) -> float:
        """The orb one body of this class brings to the aspect."""
        if orb_class is OrbClass.LUMINARY:
            return self.luminary_orb
        if orb_class is OrbClass.PLANET:
            return self.planet_orb
        return self.point_orb

    def orb_for(self, first: Body, second: Body) -> float:
        """The orb allowed for this pair: the mean of the two bodies' allowances."""
        return (self.allowance(first.orb_class) + self.allowance(second.orb_class)) / 2.0


MAJOR_ASPECTS: Final = (
    AspectKind("conjunction", 0.0, luminary_orb=10.0, planet_orb=8.0, point_orb=5.0),
    AspectKind("sextile", 60.0, luminary_orb=7.0, planet_orb=6.0, point_orb=3.0),
    AspectKind("square", 90.0, luminary_orb=9.0, planet_orb=7.0, point_orb=4.0),
    AspectKind("trine", 120.0, luminary_orb=10.0, planet_orb=8.0, point_orb=4.0),
    AspectKind("opposition", 180.0, luminary_orb=10.0, planet_orb=8.0, point_orb=5.0),
)


@dataclass(frozen=True, slots=True)
class Aspect:
    """An aspect found in a chart.

    `orb` is the actual distance from exactness in degrees; `applying` tells whether the
    bodies' current speeds bring the aspect closer to exact.
    """

    first: str
    second: str
    kind: AspectKind
    separation: float
    orb: float
    orb_allowed: float
    applying: bool


class _AspectTable:
    """The kinds sorted by angle, with every pair-of-classes orb worked out in advance.

    A pair can only be within orb of its nearest aspect angle, because the orbs of
    neighbouring aspects never overlap (largest orb 10 < half the smallest 30 degree gap); so
    one bisection finds the only candidate. Charts are computed on the event-loop thread, where
    the 91 pairs of a natal chart would otherwise cost more than the ephemeris itself.
    """

    def __init__(self, kinds: tuple[AspectKind, ...]) -> None:
        self.kinds = sorted(kinds, key=lambda kind: kind.angle)
        self.midpoints = [(low.angle + high.angle) / 2.0 for low, high in pairwise(self.kinds)]
        self.orbs = [
            {
                (first, second): (kind.allowance(first) + kind.allowance(second)) / 2.0
                for first in OrbClass
                for second in OrbClass
            }
            for kind in self.kinds
        ]


@cache
def _table(kinds: tuple[AspectKind, ...]) -> _AspectTable:
    return _AspectTable(kinds)


def find_aspects(
    placed: Sequence[tuple[Body, Position]],
    kinds: tuple[AspectKind, ...] = MAJOR_ASPECTS,
) -> list[Aspect]:
    """All aspects within orb between every pair of bodies, in catalogue order of the pairs."""
    table = _table(kinds)
    found: list[Aspect] = []
    for (first, first_pos), (second, second_pos) in combinations(placed, 2):
        arc = signed_difference(first_pos.longitude, second_pos.longitude)
        separation = abs(arc)
        index = bisect(table.midpoints, separation)
        kind = table.kinds[index]
        deviation = separation - kind.angle
        allowed = table.orbs[index][first.orb_class, second.orb_class]
        if abs(deviation) > allowed:
            continue
        if frozenset((first.name, second.name)) in SAME_POINT_PAIRS:
            continue
        found.append(
            Aspect(
                first=first.name,
                second=second.name,
                kind=kind,
                separation=separation,
                orb=abs(deviation),
                orb_allowed=allowed,
                applying=_is_applying(arc, deviation, first_pos, second_pos),
            )
        )
    return found


def _is_applying(arc: float, deviation: float, first: Position, second: Position) -> bool:
    """Whether the distance from exactness is shrinking at this instant.

    The separation changes at the relative speed, signed by which side of the other body the
    first one is on; the deviation shrinks when that change has the opposite sign to it.
    """
    relative_speed = first.longitude_speed - second.longitude_speed
    separation_rate = relative_speed if arc >= 0.0 else -relative_speed
    return deviation * separation_rate < 0.0
