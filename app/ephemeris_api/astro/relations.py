"""Charts derived from other charts: composite (midpoint, Davison) and progressions.

Conventions, chosen because they are the most widely used:

- Midpoint composite: each point at the midpoint of the shorter arc between the two charts'
  positions; houses from the midpoint of the two ARMCs at the mean latitude.
- Davison: an ordinary chart for the mean instant (Julian day UT) at the mean latitude and the
  midpoint of the shorter arc between the longitudes.
- Secondary progressions: one day after birth for each tropical year of life (365.24219 days);
  progressed angles by the solar arc added to the natal ARMC, at the birth latitude.
- Solar arc directions: every natal point moved by the progressed Sun's arc.
"""

from dataclasses import dataclass, replace
from typing import Final

import swisseph as swe

from ephemeris_api.astro.bodies import POINTS_BY_NAME
from ephemeris_api.astro.chart import Cast, ChartOptions, PlacedBody, cast, place_body
from ephemeris_api.astro.ephemeris import Ephemeris, Position
from ephemeris_api.astro.frame import Observer
from ephemeris_api.astro.houses import PORPHYRY, Houses
from ephemeris_api.astro.zodiac import normalize, signed_difference

TROPICAL_YEAR_DAYS: Final = 365.24219


def midpoint(first: float, second: float) -> float:
    """Midpoint of the shorter arc between two longitudes."""
    return normalize(second + signed_difference(first, second) / 2.0)


def midpoint_composite(first: Cast, second: Cast, options: ChartOptions) -> Cast:
    """The midpoint composite of two casts (which must hold the same points)."""
    by_name = {placed.body.name: placed.position for placed in second.bodies}
    houses = None
    if first.houses is not None and second.houses is not None:
        armc = midpoint(first.houses.armc, second.houses.armc)
        latitude = (first.observer.latitude + second.observer.latitude) / 2.0
        houses = houses_from_armc(armc, latitude, first.scales.julian_day_tt, options)
    bodies: list[PlacedBody] = []
    for placed in first.bodies:
        other = by_name.get(placed.body.name)
        if other is None:
            continue
        position = Position(
            longitude=midpoint(placed.position.longitude, other.longitude),
            latitude=(placed.position.latitude + other.latitude) / 2.0,
            distance=(placed.position.distance + other.distance) / 2.0,
            longitude_speed=(placed.position.longitude_speed + other.longitude_speed) / 2.0,
        )
        bodies.append(place_body(placed.body, position, houses))
    observer = Observer(
        (first.observer.latitude + second.observer.latitude) / 2.0,
        midpoint(first.observer.longitude, second.observer.longitude),
    )
    return replace(
        first,
        observer=observer,
        houses=houses,
        bodies=tuple(bodies),
        warnings=first.warnings + second.warnings,
    )


def davison_observer(first: Observer, second: Observer) -> Observer:
    """The Davison place: mean latitude, midpoint of the shorter arc of longitude."""
    longitude = signed_difference(midpoint(first.longitude, second.longitude), 0.0)
    return Observer((first.latitude + second.latitude) / 2.0, longitude)


def houses_from_armc(
    armc: float, latitude: float, julian_day_tt: float, options: ChartOptions
) -> Houses:
    """House cusps for a sidereal time (ARMC) and latitude, with the usual polar fallback.

    The library computes cusps from an ARMC only in the tropical zodiac. In the sidereal one
    every cusp and angle is moved back by the ayanamsa at `julian_day_tt`, which is what
    `swe.houses_ex` does for a natal chart; whole-sign and equal-from-Aries cusps are then
    put back on the (sidereal) sign boundaries, as the library puts them. The Sunshine system
    needs the Sun's declination, taken at the same instant.
    """
    system = options.house_system
    zodiac = options.frame.zodiac
    obliquity = swe.calc(julian_day_tt, swe.ECL_NUT)[0][0]
    sun_declination = 0.0
    if system.code == "I":
        flags = swe.FLG_SWIEPH | swe.FLG_EQUATORIAL
        sun_declination = swe.calc(julian_day_tt, swe.SUN, flags)[0][1]
    used = system
    try:
        cusps, angles, *_ = swe.houses_armc_ex2(
            armc, latitude, obliquity, system.code.encode(), sun_declination
        )
    except swe.Error:
        used = PORPHYRY
        cusps, angles, *_ = swe.houses_armc_ex2(armc, latitude, obliquity, b"O")
    ascendant, mc, vertex = angles[0], angles[1], angles[3]
    if zodiac.sidereal:
        options.frame.activate()
        ayanamsa = swe.get_ayanamsa_ex(julian_day_tt, swe.FLG_SWIEPH | swe.FLG_SIDEREAL)[1]
        ascendant, mc, vertex = (normalize(angle - ayanamsa) for angle in (ascendant, mc, vertex))
        cusps = tuple(normalize(cusp - ayanamsa) for cusp in cusps)
        if used.code == "W":
            first = ascendant - ascendant % 30.0
            cusps = tuple(normalize(first + 30.0 * house) for house in range(12))
        elif used.code == "N":
            cusps = tuple(30.0 * house for house in range(12))
    return Houses(
        system=used,
        cusps=tuple(cusps),
        ascendant=ascendant,
        mc=mc,
        armc=angles[2],
        vertex=vertex,
        requested=system,
    )


@dataclass(frozen=True, slots=True)
class Progressed:
    """A progressed or directed chart and the arc it was moved by."""

    cast: Cast
    progressed_julian_day_ut: float
    solar_arc: float


def secondary_progression(
    natal: Cast, target_jd: float, options: ChartOptions, ephemeris: Ephemeris
) -> Progressed:
    """Positions a day per year after birth; angles by solar arc on the natal ARMC."""
    progressed_jd = (
        natal.scales.julian_day_ut + (target_jd - natal.scales.julian_day_ut) / TROPICAL_YEAR_DAYS
    )
    scales = ephemeris.time_scales_of(progressed_jd)
    progressed = cast(scales, natal.observer, options, ephemeris, with_houses=False)
    arc = _solar_arc(natal, progressed_jd, options, ephemeris)
    houses = None
    if natal.houses is not None:
        houses = houses_from_armc(
            normalize(natal.houses.armc + arc),
            natal.observer.latitude,
            scales.julian_day_tt,
            options,
        )
    bodies = tuple(place_body(placed.body, placed.position, houses) for placed in progressed.bodies)
    return Progressed(replace(progressed, houses=houses, bodies=bodies), progressed_jd, arc)


def solar_arc_directions(
    natal: Cast, target_jd: float, options: ChartOptions, ephemeris: Ephemeris
) -> Progressed:
    """Every natal point (and the angles) moved forward by the solar arc."""
    progressed_jd = (
        natal.scales.julian_day_ut + (target_jd - natal.scales.julian_day_ut) / TROPICAL_YEAR_DAYS
    )
    arc = _solar_arc(natal, progressed_jd, options, ephemeris)
    houses = None
    if natal.houses is not None:
        houses = replace(
            natal.houses,
            cusps=tuple(normalize(cusp + arc) for cusp in natal.houses.cusps),
            ascendant=normalize(natal.houses.ascendant + arc),
            mc=normalize(natal.houses.mc + arc),
            armc=normalize(natal.houses.armc + arc),
            vertex=normalize(natal.houses.vertex + arc),
        )
    bodies = tuple(
        place_body(
            placed.body,
            placed.position._replace(longitude=normalize(placed.position.longitude + arc)),
            houses,
        )
        for placed in natal.bodies
    )
    return Progressed(replace(natal, houses=houses, bodies=bodies), progressed_jd, arc)


def _solar_arc(
    natal: Cast, progressed_jd: float, options: ChartOptions, ephemeris: Ephemeris
) -> float:
    sun = POINTS_BY_NAME["sun"]
    frame = replace(options.frame, observer=natal.observer)
    ephemeris.activate()
    frame.activate()
    natal_sun = ephemeris.longitude(natal.scales.julian_day_ut, sun, frame)
    progressed_sun = ephemeris.longitude(progressed_jd, sun, frame)
    return normalize(progressed_sun - natal_sun)
