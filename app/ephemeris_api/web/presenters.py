"""JSON shapes of computed results.

Kept apart from the routes so that every endpoint that returns bodies, houses or aspects
(natal charts now, transits and synastry later) renders them identically.
"""

from datetime import UTC, datetime
from typing import Any

from ephemeris_api.astro.aspects import Aspect
from ephemeris_api.astro.chart import NatalChart, PlacedBody
from ephemeris_api.astro.civil_time import ResolvedTime, format_offset
from ephemeris_api.astro.ephemeris import TimeScales
from ephemeris_api.astro.houses import Houses
from ephemeris_api.astro.zodiac import sign_of

# Name of the ephemeris that served a chart; the computation refuses anything else.
EPHEMERIS_NAME = "swiss_ephemeris"

JSONObject = dict[str, Any]


def natal_chart(chart: NatalChart) -> JSONObject:
    """The natal-chart response body."""
    request = chart.request
    return {
        "input": {
            "datetime": request.local_datetime.isoformat(),
            "timezone": str(request.zone.key),
            "latitude": request.latitude,
            "longitude": request.longitude,
            "house_system": request.house_system.code,
            "fold": request.fold,
        },
        "time": time(chart.time, chart.time_scales),
        "ephemeris": EPHEMERIS_NAME,
        "house_system": {
            "code": chart.houses.system.code,
            "name": chart.houses.system.name,
        },
        "positions": {placed.body.name: body(placed) for placed in chart.bodies},
        "angles": angles(chart.houses),
        "cusps": cusps(chart.houses),
        "aspects": [aspect(found) for found in chart.aspects],
    }


def time(resolved: ResolvedTime, scales: TimeScales) -> JSONObject:
    """The instant a chart was computed for, in every time scale involved."""
    return {
        "local": resolved.local.isoformat(),
        "timezone": resolved.zone,
        "local_time_kind": resolved.kind.value,
        "fold": resolved.fold,
        "utc": _utc_iso(resolved.utc),
        "utc_offset": format_offset(resolved.utc_offset),
        "utc_offset_seconds": int(resolved.utc_offset.total_seconds()),
        "julian_day_ut": scales.julian_day_ut,
        "julian_day_tt": scales.julian_day_tt,
        "delta_t_seconds": scales.delta_t_seconds,
    }


def body(placed: PlacedBody) -> JSONObject:
    """One body's position as read in the chart."""
    position = placed.position
    return {
        "longitude": position.longitude,
        "latitude": position.latitude,
        "distance": position.distance,
        "longitude_speed": position.longitude_speed,
        "sign": placed.sign,
        "sign_degree": placed.sign_degree,
        "retrograde": placed.retrograde,
        "house": placed.house,
    }


def angles(houses: Houses) -> JSONObject:
    """Ascendant and Midheaven."""
    return {"ascendant": _point(houses.ascendant), "mc": _point(houses.mc)}


def cusps(houses: Houses) -> list[JSONObject]:
    """The twelve house cusps, house 1 first."""
    return [
        {"house": number, **_point(longitude)}
        for number, longitude in enumerate(houses.cusps, start=1)
    ]


def aspect(found: Aspect) -> JSONObject:
    """One aspect between two bodies."""
    return {
        "first": found.first,
        "second": found.second,
        "aspect": found.kind.name,
        "angle": found.kind.angle,
        "separation": found.separation,
        "orb": found.orb,
        "orb_allowed": found.orb_allowed,
        "motion": "applying" if found.applying else "separating",
    }


def _point(longitude: float) -> JSONObject:
    sign, degree = sign_of(longitude)
    return {"longitude": longitude, "sign": sign, "sign_degree": degree}


def _utc_iso(instant: datetime) -> str:
    return instant.astimezone(UTC).replace(tzinfo=None).isoformat() + "Z"
