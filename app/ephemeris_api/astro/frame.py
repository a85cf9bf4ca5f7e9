"""The reference frame a chart is computed in: zodiac, point of view and coordinate system.

The Swiss Ephemeris takes these as bit flags plus two pieces of per-thread state (the sidereal
mode and the topocentric observer). Both are set by `Frame.activate` on the computing thread
before every chart, so a request can never inherit the previous request's ayanamsa or place.
"""

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Final

import swisseph as swe

BASE_FLAGS: Final = swe.FLG_SWIEPH | swe.FLG_SPEED
# Ayanamsa numbers pyswisseph knows; the list ends where the library returns empty names.
AYANAMSA_COUNT: Final = 47
USER_AYANAMSA: Final = -1


class Perspective(StrEnum):
    """Where the positions are seen from."""

    APPARENT_GEOCENTRIC = "apparent_geocentric"
    TRUE_GEOCENTRIC = "true_geocentric"
    TOPOCENTRIC = "topocentric"
    HELIOCENTRIC = "heliocentric"


_PERSPECTIVE_FLAGS: Final = {
    Perspective.APPARENT_GEOCENTRIC: 0,
    # Geometric position: no light-time, aberration or deflection (swetest -true).
    Perspective.TRUE_GEOCENTRIC: swe.FLG_TRUEPOS,
    Perspective.TOPOCENTRIC: swe.FLG_TOPOCTR,
    Perspective.HELIOCENTRIC: swe.FLG_HELCTR,
}


def ayanamsa_names() -> dict[int, str]:
    """Every predefined ayanamsa: Swiss Ephemeris number -> its name in the library."""
    return {number: swe.get_ayanamsa_name(number) for number in range(AYANAMSA_COUNT)}


def _key(text: str) -> str:
    return "".join(character for character in text.lower() if character.isalnum())


_AYANAMSA_KEYS: Final = {_key(name): number for number, name in ayanamsa_names().items()}


def resolve_ayanamsa(value: str | int) -> int | None:
    """Find an ayanamsa by number or by name, ignoring case, spaces and punctuation.

    "lahiri", "Lahiri" and 1 are the same; "fagan_bradley" matches "Fagan/Bradley".
    """
    if isinstance(value, int):
        return value if 0 <= value < AYANAMSA_COUNT else None
    return _AYANAMSA_KEYS.get(_key(value))


@dataclass(frozen=True, slots=True)
class Zodiac:
    """Tropical, or sidereal with a predefined or user-defined ayanamsa.

    A user-defined ayanamsa is `ayanamsa_t0` degrees at Julian day `t0` (TT), moving with the
    precession from there, as the Swiss Ephemeris' SE_SIDM_USER defines it.
    """

    sidereal: bool = False
    ayanamsa: int = 0
    t0: float = 0.0
    ayanamsa_t0: float = 0.0

    @property
    def name(self) -> str:
        """The zodiac's name: tropical, or the ayanamsa's library name."""
        if not self.sidereal:
            return "tropical"
        if self.ayanamsa == USER_AYANAMSA:
            return "user"
        return swe.get_ayanamsa_name(self.ayanamsa)


TROPICAL: Final = Zodiac()


@dataclass(frozen=True, slots=True)
class Observer:
    """A place on Earth: geographic latitude and longitude (degrees), altitude (metres)."""

    latitude: float
    longitude: float
    altitude: float = 0.0


@dataclass(frozen=True, slots=True)
class Frame:
    """Zodiac, perspective and whether equatorial coordinates are wanted too."""

    zodiac: Zodiac = TROPICAL
    perspective: Perspective = Perspective.APPARENT_GEOCENTRIC
    equatorial: bool = False
    observer: Observer | None = field(default=None)

    @property
    def flags(self) -> int:
        """Flags for ecliptic positions in this frame."""
        flags = BASE_FLAGS | _PERSPECTIVE_FLAGS[self.perspective]
        if self.zodiac.sidereal:
            flags |= swe.FLG_SIDEREAL
        return flags

    @property
    def equatorial_flags(self) -> int:
        """Flags for right ascension and declination (never sidereal: those are equatorial)."""
        return BASE_FLAGS | _PERSPECTIVE_FLAGS[self.perspective] | swe.FLG_EQUATORIAL

    @property
    def house_flags(self) -> int:
        """Flags for `swe.houses_ex`: only the zodiac matters to house cusps."""
        return swe.FLG_SIDEREAL if self.zodiac.sidereal else 0

    def activate(self) -> None:
        """Set the sidereal mode and topocentric observer on the calling thread."""
        zodiac = self.zodiac
        if zodiac.sidereal and zodiac.ayanamsa == USER_AYANAMSA:
            swe.set_sid_mode(swe.SIDM_USER, zodiac.t0, zodiac.ayanamsa_t0)
        else:
            swe.set_sid_mode(zodiac.ayanamsa if zodiac.sidereal else 0, 0.0, 0.0)
        if self.perspective is Perspective.TOPOCENTRIC and self.observer is not None:
            observer = self.observer
            swe.set_topo(observer.longitude, observer.latitude, observer.altitude)


DEFAULT_FRAME: Final = Frame()
