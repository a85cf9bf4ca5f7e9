"""Moments found by root finding: exact transits, returns and lunar phases.

Every search reduces to one question: when does a longitude (or the Moon-Sun elongation)
reach a target value? Sampling finds the steps in which the signed arc to the target changes
sign, and the Illinois variant of regula falsi narrows each one down to below a second.
Between two samples a body is assumed to cross a target at most once, which holds for the
sampling steps below except within hours of a station, where a double crossing can be missed.
"""

import math
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final

import swisseph as swe

from ephemeris_api.astro.aspects import AspectKind
from ephemeris_api.astro.bodies import POINTS_BY_NAME, Body
from ephemeris_api.astro.civil_time import FIRST_JULIAN_DAY_UT, LAST_JULIAN_DAY_UT
from ephemeris_api.astro.ephemeris import Ephemeris
from ephemeris_api.astro.frame import Frame
from ephemeris_api.astro.zodiac import normalize, signed_difference

# Precision of found instants: 1e-6 day is 0.0864 seconds.
PRECISION_DAYS: Final = 1e-6
MAX_ITERATIONS: Final = 100
# Sampling step per body, in days: small enough that it moves well under 180 degrees per step
# and rarely turns around within one.
STEP_DAYS: Final = {"moon": 0.25, "sun": 1.0, "mercury": 0.5, "venus": 0.5, "mars": 1.0}
DEFAULT_STEP_DAYS: Final = 2.0
SYNODIC_MONTH: Final = 29.530588853
PHASES: Final = (
    "new_moon",
    "waxing_crescent",
    "first_quarter",
    "waxing_gibbous",
    "full_moon",
    "waning_gibbous",
    "last_quarter",
    "waning_crescent",
)


def refine(function: Callable[[float], float], low: float, high: float) -> float:
    """A root of `function` in [low, high], where its values at the ends differ in sign.

    Illinois regula falsi: secant steps that halve the weight of an end retained twice, so it
    converges superlinearly yet never leaves the bracket.
    """
    f_low, f_high = function(low), function(high)
    if f_low == 0.0:
        return low
    if f_high == 0.0:
        return high
    side = 0
    for _ in range(MAX_ITERATIONS):
        middle = (low * f_high - high * f_low) / (f_high - f_low)
        f_middle = function(middle)
        if f_middle == 0.0 or high - low < PRECISION_DAYS:
            return middle
        if (f_middle > 0.0) == (f_high > 0.0):
            high, f_high = middle, f_middle
            if side == -1:
                f_low /= 2.0
            side = -1
        else:
            low, f_low = middle, f_middle
            if side == 1:
                f_high /= 2.0
            side = 1
        if high - low < PRECISION_DAYS:
            return (low + high) / 2.0
    return (low + high) / 2.0


@dataclass(frozen=True, slots=True)
class Target:
    """A longitude to reach, and what reaching it means (e.g. square to natal Venus)."""

    longitude: float
    natal_point: str
    kind: AspectKind


@dataclass(frozen=True, slots=True)
class Hit:
    """A transiting body exactly at a target."""

    julian_day_ut: float
    body: str
    target: Target
    retrograde: bool


def aspect_targets(natal: Sequence[tuple[str, float]], kinds: Sequence[AspectKind]) -> list[Target]:
    """Every longitude where a transiting body would be exact in one of the aspects."""
    targets: list[Target] = []
    for name, longitude in natal:
        for kind in kinds:
            angles = {kind.angle, -kind.angle} if 0.0 < kind.angle < 180.0 else {kind.angle}
            targets.extend(
                Target(normalize(longitude + angle), name, kind) for angle in sorted(angles)
            )
    return targets


def find_hits(
    ephemeris: Ephemeris,
    frame: Frame,
    body: Body,
    targets: Sequence[Target],
    start: float,
    end: float,
) -> list[Hit]:
    """Every instant in [start, end] (Julian days UT) when the body is at one of the targets."""
    step = STEP_DAYS.get(body.name, DEFAULT_STEP_DAYS)
    count = max(1, math.ceil((end - start) / step))
    times = [start + (end - start) * index / count for index in range(count + 1)]
    longitudes = [ephemeris.longitude(jd, body, frame) for jd in times]
    ordered = sorted(targets, key=lambda target: target.longitude)
    keys = [target.longitude for target in ordered]
    hits: list[Hit] = []
    for index in range(count):
        before, after = longitudes[index], longitudes[index + 1]
        moved = signed_difference(after, before)
        for target in _crossed(ordered, keys, before, moved):
            low, high = times[index], times[index + 1]

            def arc(jd: float, target: Target = target) -> float:
                return signed_difference(ephemeris.longitude(jd, body, frame), target.longitude)

            exact = refine(arc, low, high)
            hits.append(Hit(exact, body.name, target, retrograde=moved < 0.0))
    return sorted(hits, key=lambda hit: hit.julian_day_ut)


def _crossed(
    ordered: Sequence[Target], keys: Sequence[float], before: float, moved: float
) -> list[Target]:
    """Targets within the arc travelled from `before` by `moved` degrees (either direction).

    A target exactly at the start of the arc belongs to the previous step, so each crossing is
    counted once.
    """
    if moved == 0.0:
        return []
    low, high = (before, before + moved) if moved > 0.0 else (before + moved, before)
    found: list[Target] = []
    for lower, upper in _unwrapped(low, high):
        left = bisect_right(keys, lower) if moved > 0.0 else bisect_left(keys, lower)
        right = bisect_right(keys, upper) if moved > 0.0 else bisect_left(keys, upper)
        found.extend(ordered[left:right])
    return found


def _unwrapped(low: float, high: float) -> list[tuple[float, float]]:
    """An arc [low, high] that may cross 0/360, as one or two intervals within [0, 360)."""
    if low < 0.0:
        return [(low + 360.0, 360.0), (0.0, high)]
    if high >= 360.0:
        return [(low, 360.0), (0.0, high - 360.0)]
    return [(low, high)]


_BEFORE_THE_END: Final = " before the ephemeris files end (2399-12-31T12:00:00Z)"


class OutsideEphemeris(ValueError):  # noqa: N818 - reads as the condition
    """A search would need positions outside the span of the ephemeris files."""


def next_return(
    ephemeris: Ephemeris, frame: Frame, body: Body, longitude: float, after: float
) -> float:
    """The first instant after `after` (Julian day UT) when the body is back at `longitude`.

    The Sun and Moon use the library's own crossing functions; other bodies are searched by
    sampling for up to 250 years (Pluto's period), which covers every planet's return, but
    never past the end of the ephemeris files: a return beyond it raises `ValueError`.
    """
    flags = frame.flags
    try:
        if body.name == "sun":
            return swe.solcross_ut(longitude, after, flags)
        if body.name == "moon":
            return swe.mooncross_ut(longitude, after, flags)
    except swe.Error as exc:
        raise ValueError(f"no return of the {body.name} found: {exc}") from exc
    kind = AspectKind("conjunction", 0.0, 0.0, 0.0, 0.0)
    target = Target(longitude, body.name, kind)
    window = 400.0
    start = after
    for _ in range(230):
        end = min(start + window, LAST_JULIAN_DAY_UT)
        if end <= start:
            break
        hits = find_hits(ephemeris, frame, body, [target], start, end)
        if hits:
            return hits[0].julian_day_ut
        start = end
    raise ValueError(f"no return of the {body.name} found{_BEFORE_THE_END}")


@dataclass(frozen=True, slots=True)
class MoonPhase:
    """The Moon's phase at an instant and the neighbouring new and full moons."""

    elongation: float
    phase_angle: float
    illumination: float
    name: str
    previous_new_moon: float
    next_new_moon: float
    previous_full_moon: float
    next_full_moon: float


def elongation(ephemeris: Ephemeris, frame: Frame, julian_day_ut: float) -> float:
    """Moon minus Sun in ecliptic longitude, [0, 360): 0 new, 180 full."""
    moon = ephemeris.longitude(julian_day_ut, POINTS_BY_NAME["moon"], frame)
    sun = ephemeris.longitude(julian_day_ut, POINTS_BY_NAME["sun"], frame)
    return normalize(moon - sun)


def phase_name(angle: float) -> str:
    """The eighth of the cycle an elongation falls in, centred on new, quarters and full."""
    return PHASES[int(normalize(angle + 22.5) // 45.0) % 8]


def moon_phase(ephemeris: Ephemeris, frame: Frame, julian_day_ut: float) -> MoonPhase:
    """Phase, illuminated fraction and surrounding new and full moons (geocentric)."""
    current = elongation(ephemeris, frame, julian_day_ut)
    try:
        attributes = swe.pheno_ut(julian_day_ut, swe.MOON, frame.flags)
    except swe.Error as exc:
        raise ValueError(f"lunar phenomena: {exc}") from exc
    return MoonPhase(
        elongation=current,
        phase_angle=attributes[0],
        illumination=attributes[1],
        name=phase_name(current),
        previous_new_moon=_lunation(ephemeris, frame, julian_day_ut, current, 0.0, -1),
        next_new_moon=_lunation(ephemeris, frame, julian_day_ut, current, 0.0, 1),
        previous_full_moon=_lunation(ephemeris, frame, julian_day_ut, current, 180.0, -1),
        next_full_moon=_lunation(ephemeris, frame, julian_day_ut, current, 180.0, 1),
    )


def _lunation(
    ephemeris: Ephemeris, frame: Frame, jd: float, current: float, target: float, direction: int
) -> float:
    """The nearest instant before (-1) or after (+1) `jd` when the elongation is `target`.

    Raises `OutsideEphemeris` when that instant may lie beyond the ephemeris files.
    """
    arc = normalize(target - current) if direction > 0 else -normalize(current - target)
    # Mean motion of the elongation; the true one varies by some 20 percent, hence the bracket.
    estimate = jd + arc / 360.0 * SYNODIC_MONTH
    low, high = estimate - 3.0, estimate + 3.0
    if direction > 0:
        low = max(low, jd)
    else:
        high = min(high, jd)
    clipped = low < FIRST_JULIAN_DAY_UT or high > LAST_JULIAN_DAY_UT
    low, high = max(low, FIRST_JULIAN_DAY_UT), min(high, LAST_JULIAN_DAY_UT)

    def offset(when: float) -> float:
        return signed_difference(elongation(ephemeris, frame, when), target)

    if low > high or offset(low) * offset(high) > 0.0:
        if clipped:
            event = "new moon" if target == 0.0 else "full moon"
            side = "next" if direction > 0 else "previous"
            raise OutsideEphemeris(
                f"the {side} {event} falls outside the ephemeris files "
                "(1800-01-01T12:00:00Z .. 2399-12-31T12:00:00Z)"
            )
        # Only when the instant is within a second of the event itself.
        return jd
    return refine(offset, low, high)
