"""The natal chart: bodies, houses and aspects for one moment seen from one place.

This module only composes the other computation modules; it is the seam where later chart
kinds (transits, synastry, returns) add their own compositions of the same parts.
"""

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from ephemeris_api.astro.aspects import Aspect, find_aspects
from ephemeris_api.astro.bodies import NATAL_BODIES, Body
from ephemeris_api.astro.civil_time import ResolvedTime, resolve
from ephemeris_api.astro.ephemeris import Ephemeris, Position, TimeScales
from ephemeris_api.astro.houses import Houses, HouseSystem, compute_houses
from ephemeris_api.astro.zodiac import sign_of


@dataclass(frozen=True, slots=True)
class NatalChartInput:
    """A validated request for a natal chart (the local time is not yet pinned to UTC)."""

    local_datetime: datetime
    zone: ZoneInfo
    latitude: float
    longitude: float
    house_system: HouseSystem
    fold: int | None = None


@dataclass(frozen=True, slots=True)
class PlacedBody:
    """A body's position read in the chart: sign, degree in sign, motion and house."""

    body: Body
    position: Position
    sign: str
    sign_degree: float
    retrograde: bool
    house: int


@dataclass(frozen=True, slots=True)
class NatalChart:
    """Everything computed for one natal chart."""

    request: NatalChartInput
    time: ResolvedTime
    time_scales: TimeScales
    houses: Houses
    bodies: tuple[PlacedBody, ...]
    aspects: tuple[Aspect, ...]


def compute_natal_chart(request: NatalChartInput, ephemeris: Ephemeris) -> NatalChart:
    """Compute a natal chart.

    Raises `InvalidInput` for times the caller must clarify (DST gaps and folds, out of range)
    or houses undefined at the latitude, `EphemerisUnavailable` when the files fail.
    """
    time = resolve(request.local_datetime, request.zone, request.fold)
    ephemeris.activate()
    scales = ephemeris.time_scales(time.utc)
    houses = compute_houses(
        scales.julian_day_ut, request.latitude, request.longitude, request.house_system
    )
    positions = [(body, ephemeris.position(scales.julian_day_ut, body)) for body in NATAL_BODIES]
    bodies = tuple(_place(body, position, houses) for body, position in positions)
    return NatalChart(
        request=request,
        time=time,
        time_scales=scales,
        houses=houses,
        bodies=bodies,
        aspects=tuple(find_aspects(positions)),
    )


def _place(body: Body, position: Position, houses: Houses) -> PlacedBody:
    sign, degree = sign_of(position.longitude)
    return PlacedBody(
        body=body,
        position=position,
        sign=sign,
        sign_degree=degree,
        retrograde=position.longitude_speed < 0.0,
        house=houses.house_of(position.longitude),
    )
