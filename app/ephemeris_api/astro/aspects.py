"""Aspects between chart points, with orbs and whether they are applying.

Orbs follow the moiety idea: each point brings its own allowance for an aspect and a pair is
allowed the mean of the two, so the luminaries widen an orb and calculated points narrow it.

Default orbs in degrees (planet column: the common 8/6/7/8/8 for the major aspects):

    aspect          angle  luminary  planet  point  major
    conjunction         0        10       8      5  yes
    semisextile        30         2       2      1
    semisquare         45         2       2      1
    sextile            60         7       6      3  yes
    quintile           72         2       2      1
    square             90         9       7      4  yes
    trine             120        10       8      4  yes
    sesquiquadrate    135         2       2      1
    biquintile        144         2       2      1
    quincunx          150         3       3      2
    opposition        180        10       8      5  yes

A caller may override an aspect's orb for every pair (`aspect_orbs`) or the allowance one point
brings to every aspect (`point_orbs`); when orbs are widened until two aspects overlap, the pair
is reported with the aspect it is closest to.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations, product
from typing import Final

from ephemeris_api.astro.bodies import SAME_POINT_PAIRS, Body, OrbClass
from ephemeris_api.astro.ephemeris import Position
from ephemeris_api.astro.zodiac import signed_difference


@dataclass(frozen=True, slots=True)
class AspectKind:
    """One aspect type: name, exact angle and the orb each point class allows."""

    name: str
    angle: float
    luminary_orb: float
    planet_orb: float
    point_orb: float

    def allowance(self, orb_class: OrbClass) -> float:
        """The orb one point of this class brings to the aspect."""
        if orb_class is OrbClass.LUMINARY:
            return self.luminary_orb
        if orb_class is OrbClass.PLANET:
            return self.planet_orb
        return self.point_orb

    def orb_for(self, first: Body, second: Body) -> float:
        """The default orb allowed for this pair: the mean of the two points' allowances."""
        return (self.allowance(first.orb_class) + self.allowance(second.orb_class)) / 2.0


MAJOR_ASPECTS: Final = (
    AspectKind("conjunction", 0.0, luminary_orb=10.0, planet_orb=8.0, point_orb=5.0),
    AspectKind("sextile", 60.0, luminary_orb=7.0, planet_orb=6.0, point_orb=3.0),
    AspectKind("square", 90.0, luminary_orb=9.0, planet_orb=7.0, point_orb=4.0),
    AspectKind("trine", 120.0, luminary_orb=10.0, planet_orb=8.0, point_orb=4.0),
    AspectKind("opposition", 180.0, luminary_orb=10.0, planet_orb=8.0, point_orb=5.0),
)
MINOR_ASPECTS: Final = (
    AspectKind("semisextile", 30.0, luminary_orb=2.0, planet_orb=2.0, point_orb=1.0),
    AspectKind("semisquare", 45.0, luminary_orb=2.0, planet_orb=2.0, point_orb=1.0),
    AspectKind("quintile", 72.0, luminary_orb=2.0, planet_orb=2.0, point_orb=1.0),
    AspectKind("sesquiquadrate", 135.0, luminary_orb=2.0, planet_orb=2.0, point_orb=1.0),
    AspectKind("biquintile", 144.0, luminary_orb=2.0, planet_orb=2.0, point_orb=1.0),
    AspectKind("quincunx", 150.0, luminary_orb=3.0, planet_orb=3.0, point_orb=2.0),
)
ALL_ASPECTS: Final = tuple(sorted(MAJOR_ASPECTS + MINOR_ASPECTS, key=lambda kind: kind.angle))
ASPECTS_BY_NAME: Final = {kind.name: kind for kind in ALL_ASPECTS}
MAX_ORB: Final = 30.0


@dataclass(frozen=True, slots=True)
class AspectSettings:
    """Which aspects to look for and the caller's orb overrides (degrees)."""

    kinds: tuple[AspectKind, ...] = MAJOR_ASPECTS
    aspect_orbs: Mapping[str, float] = field(default_factory=dict)
    point_orbs: Mapping[str, float] = field(default_factory=dict)

    def orb(self, kind: AspectKind, first: Body, second: Body) -> float:
        """Orb allowed for a pair: the aspect's override, else the mean of the allowances."""
        if kind.name in self.aspect_orbs:
            return self.aspect_orbs[kind.name]
        return (self._allowance(kind, first) + self._allowance(kind, second)) / 2.0

    def _allowance(self, kind: AspectKind, body: Body) -> float:
        if body.name in self.point_orbs:
            return self.point_orbs[body.name]
        return kind.allowance(body.orb_class)

    def cache_key(self) -> tuple:
        """A hashable rendering, for memoising the per-class orb tables."""
        return (
            self.kinds,
            tuple(sorted(self.aspect_orbs.items())),
            tuple(sorted(self.point_orbs.items())),
        )


DEFAULT_ASPECTS: Final = AspectSettings()


@dataclass(frozen=True, slots=True)
class Aspect:
    """An aspect found between two points.

    `orb` is the actual distance from exactness in degrees; `applying` tells whether the
    points' current speeds bring the aspect closer to exact.
    """

    first: str
    second: str
    kind: AspectKind
    separation: float
    orb: float
    orb_allowed: float
    applying: bool


Placed = tuple[Body, Position]


def find_aspects(
    placed: Sequence[Placed], settings: AspectSettings | tuple[AspectKind, ...] = DEFAULT_ASPECTS
) -> list[Aspect]:
    """All aspects within orb between every pair of points, in catalogue order of the pairs."""
    if isinstance(settings, tuple):
        settings = AspectSettings(kinds=settings)
    table = _OrbTable(settings, [body for body, _ in placed])
    return [
        found
        for first, second in combinations(placed, 2)
        if (found := table.aspect_between(first, second, same_point_pairs=True)) is not None
    ]


def find_cross_aspects(
    moving: Sequence[Placed], fixed: Sequence[Placed], settings: AspectSettings = DEFAULT_ASPECTS
) -> list[Aspect]:
    """Aspects from each point of one chart to each point of another (transits, synastry).

    Pairs of the same point are kept here: transiting Saturn conjunct natal Saturn is a return.
    """
    table = _OrbTable(settings, [body for body, _ in (*moving, *fixed)])
    return [
        found
        for first, second in product(moving, fixed)
        if (found := table.aspect_between(first, second, same_point_pairs=False)) is not None
    ]


def aspect_between(
    first: Placed,
    second: Placed,
    settings: AspectSettings,
    *,
    same_point_pairs: bool = True,
) -> Aspect | None:
    """The aspect a pair forms, the closest one when several are within orb, or None."""
    table = _OrbTable(settings, [first[0], second[0]])
    return table.aspect_between(first, second, same_point_pairs=same_point_pairs)


class _OrbTable:
    """Each point's allowance for each aspect, worked out once per chart.

    Charts are computed on the event-loop thread, where recomputing the allowances for each of
    the 91 pairs of a natal chart would cost more than the ephemeris itself.
    """

    def __init__(self, settings: AspectSettings, bodies: Sequence[Body]) -> None:
        self.kinds = settings.kinds
        self.overrides = [settings.aspect_orbs.get(kind.name) for kind in self.kinds]
        self.allowances = {
            body.name: [settings.orb(kind, body, body) for kind in self.kinds] for body in bodies
        }

    def aspect_between(
        self, first: Placed, second: Placed, *, same_point_pairs: bool
    ) -> Aspect | None:
        first_body, first_pos = first
        second_body, second_pos = second
        if same_point_pairs and frozenset((first_body.name, second_body.name)) in SAME_POINT_PAIRS:
            return None
        arc = signed_difference(first_pos.longitude, second_pos.longitude)
        separation = abs(arc)
        first_allowances = self.allowances[first_body.name]
        second_allowances = self.allowances[second_body.name]
        best = None
        for index, kind in enumerate(self.kinds):
            deviation = separation - kind.angle
            override = self.overrides[index]
            allowed = (
                override
                if override is not None
                else (first_allowances[index] + second_allowances[index]) / 2.0
            )
            if abs(deviation) <= allowed and (best is None or abs(deviation) < abs(best[0])):
                best = (deviation, kind, allowed)
        if best is None:
            return None
        deviation, kind, allowed = best
        return Aspect(
            first=first_body.name,
            second=second_body.name,
            kind=kind,
            separation=separation,
            orb=abs(deviation),
            orb_allowed=allowed,
            applying=_is_applying(arc, deviation, first_pos, second_pos),
        )


def _is_applying(arc: float, deviation: float, first: Position, second: Position) -> bool:
    """Whether the distance from exactness is shrinking at this instant.

    The separation changes at the relative speed, signed by which side of the other point the
    first one is on; the deviation shrinks when that change has the opposite sign to it. Both
    the arc and the deviation come from the shortest arc, so the 0/360 wrap is handled.
    """
    relative_speed = first.longitude_speed - second.longitude_speed
    separation_rate = relative_speed if arc >= 0.0 else -relative_speed
    return deviation * separation_rate < 0.0
