"""JSON shapes of computed results.

Kept apart from the routes so that every endpoint that returns points, houses or aspects
renders them identically, and every answer carries the same `meta` block.
"""

from datetime import UTC, datetime
from typing import Any

import swisseph as swe

from ephemeris_api.astro.aspects import Aspect
from ephemeris_api.astro.chart import Cast, MoonRange, NatalChart, PlacedBody
from ephemeris_api.astro.civil_time import ResolvedTime, format_offset
from ephemeris_api.astro.distribution import Distribution, distribution
from ephemeris_api.astro.ephemeris import EPHEMERIS_NAME, Position, TimeScales
from ephemeris_api.astro.frame import Frame
from ephemeris_api.astro.houses import Houses
from ephemeris_api.astro.zodiac import sign_of

JSONObject = dict[str, Any]


def natal_chart(chart: NatalChart) -> JSONObject:
    """The natal-chart response body."""
    request = chart.request
    when = request.when
    cast = chart.cast
    body: JSONObject = {
        "input": {
            "datetime": chart.time.calendar_date or when.local.isoformat(),
            "timezone": chart.time.zone,
            "utc_offset": format_offset(when.offset) if when.offset is not None else None,
            "calendar": when.calendar.value,
            "latitude": request.latitude,
            "longitude": request.longitude,
            "altitude": request.observer.altitude,
            "house_system": request.options.house_system.code,
            "fold": when.fold,
            "time_unknown": request.time_unknown,
        },
        "time": time(chart.time, cast.scales),
        "ephemeris": EPHEMERIS_NAME,
        "meta": meta(cast, chart.time, chart.warnings),
    }
    body |= cast_body(cast)
    body["aspects"] = [aspect(found) for found in chart.aspects]
    if chart.moon_range is not None:
        body["moon_range"] = moon_range(chart.moon_range)
    return body


def cast_body(cast: Cast) -> JSONObject:
    """Points and their element and modality distribution, and houses when the chart has them."""
    body: JSONObject = {
        "positions": {
            placed.body.name: point(placed, cast.options.frame) for placed in cast.bodies
        },
        "distribution": spread(distribution(cast.bodies)),
    }
    if cast.houses is not None:
        body["house_system"] = {"code": cast.houses.system.code, "name": cast.houses.system.name}
        body["angles"] = angles(cast.houses)
        body["cusps"] = cusps(cast.houses)
    return body


def meta(cast: Cast, resolved: ResolvedTime | None, warnings: tuple[str, ...]) -> JSONObject:
    """How an answer was computed: time scales, ephemeris, frame, houses and warnings."""
    scales = cast.scales
    frame = cast.options.frame
    houses = cast.houses
    result: JSONObject = {
        "julian_day_ut": scales.julian_day_ut,
        "julian_day_tt": scales.julian_day_tt,
        "delta_t_seconds": scales.delta_t_seconds,
        "ephemeris": EPHEMERIS_NAME,
        "utc_offset": format_offset(resolved.utc_offset) if resolved else "+00:00",
        "time_source": resolved.source.value if resolved else "ut",
        "calendar": resolved.calendar.value if resolved else "gregorian",
        "house_system": (
            {
                "requested": houses.requested.code if houses.requested else houses.system.code,
                "used": houses.system.code,
                "name": houses.system.name,
            }
            if houses is not None
            else None
        ),
        "zodiac": zodiac(frame, cast.ayanamsa),
        "perspective": frame.perspective.value,
        "coordinates": "equatorial" if frame.equatorial else "ecliptic",
        "warnings": list(warnings),
    }
    return result


def zodiac(frame: Frame, ayanamsa: float | None) -> JSONObject:
    """The zodiac, with the ayanamsa's number, name and value when sidereal."""
    zodiac_ = frame.zodiac
    if not zodiac_.sidereal:
        return {"type": "tropical"}
    return {
        "type": "sidereal",
        "ayanamsa": {
            "number": zodiac_.ayanamsa if zodiac_.ayanamsa >= 0 else swe.SIDM_USER,
            "name": zodiac_.name,
            "value": ayanamsa,
        },
    }


def time(resolved: ResolvedTime, scales: TimeScales) -> JSONObject:
    """The instant a chart was computed for, in every time scale involved."""
    return {
        "local": resolved.local.isoformat(),
        "timezone": resolved.zone,
        "local_time_kind": resolved.kind.value,
        "fold": resolved.fold,
        "utc": utc_iso(resolved.utc),
        "utc_offset": format_offset(resolved.utc_offset),
        "utc_offset_seconds": int(resolved.utc_offset.total_seconds()),
        "julian_day_ut": scales.julian_day_ut,
        "julian_day_tt": scales.julian_day_tt,
        "delta_t_seconds": scales.delta_t_seconds,
    }


def point(placed: PlacedBody, frame: Frame | None = None) -> JSONObject:
    """One point's position as read in the chart."""
    position = placed.position
    result: JSONObject = {
        "longitude": position.longitude,
        "latitude": position.latitude,
        "distance": position.distance,
        "longitude_speed": position.longitude_speed,
        "sign": placed.sign,
        "sign_degree": placed.sign_degree,
        "retrograde": placed.retrograde,
        "house": placed.house,
    }
    if frame is not None and frame.equatorial:
        result["right_ascension"] = position.right_ascension
        result["declination"] = position.declination
    return result


def spread(found: Distribution) -> JSONObject:
    """Counts and point names per element and per modality."""
    return {
        "counted_points": list(found.counted),
        "elements": {
            element: {"count": len(names), "points": list(names)}
            for element, names in found.elements.items()
        },
        "modalities": {
            modality: {"count": len(names), "points": list(names)}
            for modality, names in found.modalities.items()
        },
    }


def angles(houses: Houses) -> JSONObject:
    """Ascendant, Midheaven, their opposites and the Vertex."""
    return {
        "ascendant": _longitude(houses.ascendant),
        "mc": _longitude(houses.mc),
        "descendant": _longitude((houses.ascendant + 180.0) % 360.0),
        "ic": _longitude((houses.mc + 180.0) % 360.0),
        "vertex": _longitude(houses.vertex),
    }


def cusps(houses: Houses) -> list[JSONObject]:
    """The house cusps (12, or 36 Gauquelin sectors), house 1 first."""
    return [
        {"house": number, **_longitude(longitude)}
        for number, longitude in enumerate(houses.cusps, start=1)
    ]


def aspect(found: Aspect) -> JSONObject:
    """One aspect between two points."""
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


def moon_range(found: MoonRange) -> JSONObject:
    """The Moon at the start and end of a day whose hour is unknown."""
    return {
        "start": _position(found.start),
        "end": _position(found.end),
        "arc": (found.end.longitude - found.start.longitude) % 360.0,
    }


def _position(position: Position) -> JSONObject:
    return {**_longitude(position.longitude), "latitude": position.latitude}


def _longitude(longitude: float) -> JSONObject:
    sign, degree = sign_of(longitude)
    return {"longitude": longitude, "sign": sign, "sign_degree": degree}


def utc_iso(instant: datetime) -> str:
    """An instant as ISO 8601 UTC with a Z."""
    return instant.astimezone(UTC).replace(tzinfo=None).isoformat() + "Z"
