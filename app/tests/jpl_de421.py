"""Apparent geocentric ecliptic longitudes from JPL's DE421, reduced without the Swiss Ephemeris.

The `de421` package ships DE421 as arrays in jplephem's first format, not as a SPICE kernel,
so Skyfield cannot load it directly. jplephem's old API reads it: barycentric positions and
velocities in km and km/day, ICRF axes, for the Sun, the planets (Mars to Pluto as the
barycentres of their systems, as the Swiss Ephemeris gives them), the Earth-Moon barycentre and
the geocentric Moon. Each body is wrapped as a Skyfield vector function so that Skyfield does
the reduction: light-time iteration, deflection of light by the Sun, annual aberration, then
IAU 2006 precession and IAU 2000A nutation to the true ecliptic and equinox of date.
"""

from collections.abc import Callable
from functools import cache

import de421
import numpy as np
from jplephem import Ephemeris
from skyfield.api import load
from skyfield.constants import AU_KM
from skyfield.framelib import ecliptic_frame
from skyfield.vectorlib import VectorFunction

# NAIF codes, which Skyfield uses to name the centre and target of a vector.
SSB = 0
EARTH = 399
MOON = 301
SUN = 10
BARYCENTRIC_CODES = {
    "sun": SUN,
    "mercury": 1,
    "venus": 2,
    "mars": 4,
    "jupiter": 5,
    "saturn": 6,
    "uranus": 7,
    "neptune": 8,
    "pluto": 9,
}
# DE421 spans 1899-07-29 to 2053-10-09.
FIRST_JD = 2414992.5
LAST_JD = 2524624.5

PositionVelocity = Callable[[object, object], tuple[np.ndarray, np.ndarray]]


class _De421Vector(VectorFunction):
    """One body's barycentric position from DE421, in Skyfield's units (au, au/day)."""

    def __init__(self, target: int, compute: PositionVelocity, bodies: dict) -> None:
        self.center = SSB
        self.target = target
        self._compute = compute
        # Skyfield finds the deflecting Sun by code in the observer's `ephemeris`.
        self.ephemeris = bodies

    def _at(self, t):  # noqa: ANN001, ANN202 - Skyfield's private interface
        position, velocity = self._compute(t.whole, t.tdb_fraction)
        shape = (3, *np.shape(t.whole))
        return position.reshape(shape) / AU_KM, velocity.reshape(shape) / AU_KM, None, None


@cache
def _bodies() -> dict:
    jpl = Ephemeris(de421)

    def planet(name: str) -> PositionVelocity:
        return lambda whole, fraction: jpl.position_and_velocity(name, whole, fraction)

    def earth_moon_split(share: float) -> PositionVelocity:
        # The Earth and the Moon sit on either side of their barycentre in the ratio of their
        # masses: Earth = EMB - Moon * 1/(1+EMRAT), Moon = EMB + Moon * EMRAT/(1+EMRAT).
        def compute(whole: object, fraction: object) -> tuple[np.ndarray, np.ndarray]:
            emb, emb_velocity = jpl.position_and_velocity("earthmoon", whole, fraction)
            moon, moon_velocity = jpl.position_and_velocity("moon", whole, fraction)
            return emb + moon * share, emb_velocity + moon_velocity * share

        return compute

    bodies: dict = {}
    for name, code in BARYCENTRIC_CODES.items():
        bodies[name] = bodies[code] = _De421Vector(code, planet(name), bodies)
    bodies["earth"] = bodies[EARTH] = _De421Vector(
        EARTH, earth_moon_split(-jpl.earth_share), bodies
    )
    bodies["moon"] = bodies[MOON] = _De421Vector(MOON, earth_moon_split(jpl.moon_share), bodies)
    return bodies


def apparent_longitudes(julian_day_tt: float, names: list[str]) -> dict[str, float]:
    """Apparent geocentric longitude of each body on the true ecliptic of date, in degrees."""
    if not FIRST_JD <= julian_day_tt <= LAST_JD:
        message = f"JD {julian_day_tt} is outside DE421 ({FIRST_JD}..{LAST_JD})"
        raise ValueError(message)
    bodies = _bodies()
    t = load.timescale(builtin=True).tt_jd(julian_day_tt)
    earth = bodies["earth"].at(t)
    longitudes = {}
    for name in names:
        # The Swiss Ephemeris deflects light by the Sun only; Jupiter's and Saturn's
        # deflection (Skyfield's default) would add up to a few milliarcseconds.
        apparent = earth.observe(bodies[name]).apparent(deflectors=(SUN,))
        _, longitude, _ = apparent.frame_latlon(ecliptic_frame)
        longitudes[name] = float(longitude.degrees)
    return longitudes
