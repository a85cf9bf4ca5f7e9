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

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import combinations, product
from typing import Final, NamedTuple

from ephemeris_api.astro.bodies import SAME_POINT_PAIRS, Body, OrbClass
from ephemeris_api.astro.ephemeris import Position


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


class Aspect(NamedTuple):
    """An aspect found between two points.

    `orb` is the actual distance from exactness in degrees; `applying` tells whether the
    points' current speeds bring the aspect closer to exact.
    A named tuple rather than a frozen dataclass: it is as immutable, and a chart makes one
    per point (per aspect), where a frozen dataclass' `object.__setattr__` per field cost
    several times as much.
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
    return table.scan(placed, combinations(range(len(placed)), 2), same_point_pairs=True)


def find_cross_aspects(
    moving: Sequence[Placed], fixed: Sequence[Placed], settings: AspectSettings = DEFAULT_ASPECTS
) -> list[Aspect]:
    """Aspects from each point of one chart to each point of another (transits, synastry).

    Pairs of the same point are kept here: transiting Saturn conjunct natal Saturn is a return.
    """
    both = (*moving, *fixed)
    table = _OrbTable(settings, [body for body, _ in both])
    pairs = product(range(len(moving)), range(len(moving), len(both)))
    return table.scan(both, pairs, same_point_pairs=False)


def aspect_between(
    first: Placed,
    second: Placed,
    settings: AspectSettings,
    *,
    same_point_pairs: bool = True,
) -> Aspect | None:
    """The aspect a pair forms, the closest one when several are within orb, or None."""
    table = _OrbTable(settings, [first[0], second[0]])
    found = table.scan((first, second), [(0, 1)], same_point_pairs=same_point_pairs)
    return found[0] if found else None


class _OrbTable:
    """Each point's allowance for each aspect, worked out once per settings and points.

    Charts are computed on the event-loop thread, and the pair loop is the largest part of a
    natal chart's time (91 pairs), so it is written as plain arithmetic without calls, over
    columns (names, longitudes, allowances) read once per point rather than once per pair.
    An aspect's orb override is stored as both points' allowance: the mean of two equal
    numbers is that number exactly, so the loop needs no second case.
    """

    def __init__(self, settings: AspectSettings, bodies: Sequence[Body]) -> None:
        self.kinds = settings.kinds
        self.angles = tuple(kind.angle for kind in self.kinds)
        self.allowances, self.candidates = _allowances(settings.cache_key(), tuple(bodies))

    def scan(
        self,
        placed: Sequence[Placed],
        pairs: Iterable[tuple[int, int]],
        *,
        same_point_pairs: bool,
    ) -> list[Aspect]:
        """The aspect of each pair of indices into `placed` within orb (the closest kind, the
        first on a tie), in the order of the pairs."""
        found: list[Aspect] = []
        kinds, angles, candidates = self.kinds, self.angles, self.candidates
        names = [body.name for body, _ in placed]
        positions = [position for _, position in placed]
        longitudes = [position.longitude for position in positions]
        allowances = [self.allowances[name] for name in names]
        for first, second in pairs:
            # signed_difference inlined: the shortest signed arc from the second to the first.
            arc = (longitudes[first] - longitudes[second]) % 360.0
            if arc > 180.0:
                arc -= 360.0
            separation = -arc if arc < 0.0 else arc
            mine = allowances[first]
            theirs = allowances[second]
            best = -1
            best_orb = best_allowed = 0.0
            for index in candidates[int(separation)]:
                orb = separation - angles[index]
                if orb < 0.0:
                    orb = -orb
                allowed = (mine[index] + theirs[index]) / 2.0
                if orb <= allowed and (best < 0 or orb < best_orb):
                    best, best_orb, best_allowed = index, orb, allowed
            if best < 0:
                continue
            first_name, second_name = names[first], names[second]
            if same_point_pairs and (first_name, second_name) in _SAME_POINT_NAMES:
                continue
            kind = kinds[best]
            deviation = separation - kind.angle
            applying = _is_applying(arc, deviation, positions[first], positions[second])
            found.append(
                Aspect(first_name, second_name, kind, separation, best_orb, best_allowed, applying)
            )
        return found


@lru_cache(maxsize=256)
def _allowances(
    settings_key: tuple, bodies: tuple[Body, ...]
) -> tuple[dict[str, tuple[float, ...]], tuple[tuple[int, ...], ...]]:
    """Allowances by point name (one per aspect kind) and candidate kinds by whole degree.

    The candidates for separations in [d, d + 1) are the indices, in the caller's order, of the
    kinds whose angle lies within the widest allowance of that degree; the others cannot be
    within orb, so the pair loop skips them. Nearly every request uses the default settings and
    the same points, so this is looked up rather than worked out for each chart.
    """
    kinds, aspect_orbs, point_orbs = settings_key
    settings = AspectSettings(kinds, dict(aspect_orbs), dict(point_orbs))
    allowances = {
        body.name: tuple(settings.orb(kind, body, body) for kind in kinds) for body in bodies
    }
    widest = max((max(values, default=0.0) for values in allowances.values()), default=0.0)
    candidates = tuple(
        tuple(
            index
            for index, kind in enumerate(kinds)
            if kind.angle - widest <= degree + 1 and kind.angle + widest >= degree
        )
        for degree in range(181)
    )
    return allowances, candidates


# Both orders of every excluded pair, so a lookup needs no frozenset per pair.
_SAME_POINT_NAMES: Final = frozenset(
    ordered for pair in SAME_POINT_PAIRS for ordered in (tuple(pair), tuple(pair)[::-1])
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
