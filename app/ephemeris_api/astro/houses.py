"""House systems, house cusps and the house a point falls in.

Clients may name a system by its one-letter Swiss Ephemeris code or by a readable name. The
Gauquelin sectors (code G) are 36 sectors numbered clockwise, in the direction of the daily
motion, where every other system has 12 houses numbered counter-clockwise.

Placidus, Koch and the Gauquelin sectors are undefined inside the polar circles whenever some
ecliptic degrees never rise. The Swiss Ephemeris (and swetest) then serve Porphyry cusps; this
module does the same, and says so, rather than refusing the chart or clamping the latitude.
"""

from dataclasses import dataclass
from functools import cache
from typing import Final

import swisseph as swe

from ephemeris_api.astro.zodiac import arc_forward, normalize


@dataclass(frozen=True, slots=True)
class HouseSystem:
    """A house system: Swiss Ephemeris code, API name and the other names clients use."""

    code: str
    name: str
    aliases: tuple[str, ...] = ()

    @property
    def library_name(self) -> str:
        """The name the Swiss Ephemeris itself gives the system."""
        return swe.house_name(self.code.encode())


HOUSE_SYSTEMS: Final = (
    HouseSystem("P", "placidus"),
    HouseSystem("K", "koch"),
    HouseSystem("W", "whole_sign"),
    HouseSystem("A", "equal", ("equal_ascendant",)),
    HouseSystem("R", "regiomontanus"),
    HouseSystem("C", "campanus"),
    HouseSystem("O", "porphyry"),
    HouseSystem("B", "alcabitius"),
    HouseSystem("M", "morinus"),
    HouseSystem("T", "polich_page", ("topocentric",)),
    HouseSystem("D", "equal_mc"),
    HouseSystem("N", "equal_aries"),
    HouseSystem("V", "vehlow", ("equal_vehlow",)),
    HouseSystem("X", "meridian", ("axial_rotation",)),
    HouseSystem("H", "horizon", ("azimuthal",)),
    HouseSystem("F", "carter", ("carter_poli_equatorial",)),
    HouseSystem("S", "sripati"),
    HouseSystem("U", "krusinski", ("krusinski_pisa_goelzer",)),
    HouseSystem("L", "pullen_sd"),
    HouseSystem("Q", "pullen_sr"),
    HouseSystem("I", "sunshine"),
    HouseSystem("Y", "apc"),
    HouseSystem("J", "savard_a"),
    HouseSystem("G", "gauquelin", ("gauquelin_sectors",)),
)
DEFAULT_HOUSE_SYSTEM: Final = HOUSE_SYSTEMS[0]
PORPHYRY: Final = HOUSE_SYSTEMS[6]
GAUQUELIN: Final = HOUSE_SYSTEMS[-1]

_BY_CODE: Final = {system.code: system for system in HOUSE_SYSTEMS} | {
    "E": HOUSE_SYSTEMS[3],  # Swiss Ephemeris treats E as a synonym of A (equal houses)
}
_BY_NAME: Final = {
    key: system for system in HOUSE_SYSTEMS for key in (system.name, *system.aliases)
}


@cache
def accepted_house_systems() -> str:
    """Human-readable list of accepted values, used in validation errors (built once)."""
    names = ", ".join(f"{system.name} ({system.code})" for system in HOUSE_SYSTEMS)
    return f"one-letter Swiss Ephemeris code or name: {names}"


def resolve_house_system(value: str) -> HouseSystem | None:
    """Find a house system by code ("P", case-insensitive) or name ("whole-sign", "Placidus")."""
    text = value.strip()
    if len(text) == 1:
        return _BY_CODE.get(text.upper())
    key = text.lower().replace("-", "_").replace(" ", "_")
    return _BY_NAME.get(key)


@dataclass(frozen=True, slots=True)
class Houses:
    """House cusps and the angles of one chart.

    `requested` is the system asked for; `system` the one whose cusps these are (Porphyry when
    the requested one is undefined at the latitude).
    """

    system: HouseSystem
    cusps: tuple[float, ...]
    ascendant: float
    mc: float
    armc: float
    vertex: float = 0.0
    requested: HouseSystem | None = None

    @property
    def fell_back(self) -> bool:
        """Whether the cusps are Porphyry's instead of the requested system's."""
        return self.requested is not None and self.requested != self.system

    def house_of(self, longitude: float) -> int:
        """The house (1-12, or sector 1-36) containing an ecliptic longitude.

        A house runs from its cusp up to, not including, the next cusp in the order the
        houses are numbered: zodiacal order, or the reverse for the Gauquelin sectors.
        """
        cusps = self.cusps
        count = len(cusps)
        descending = self.system is GAUQUELIN
        for index, cusp in enumerate(cusps):
            following = cusps[(index + 1) % count]
            # Inline arithmetic (same as arc_forward): this runs for every body of every chart.
            if descending:
                if (cusp - longitude) % 360.0 < (cusp - following) % 360.0:
                    return index + 1
            elif (longitude - cusp) % 360.0 < (following - cusp) % 360.0:
                return index + 1
        # Only reachable through rounding exactly on a cusp: take the house it opens.
        return 1 + min(range(count), key=lambda index: arc_forward(cusps[index], longitude))


def compute_houses(
    julian_day_ut: float,
    latitude: float,
    longitude: float,
    system: HouseSystem,
    flags: int = 0,
) -> Houses:
    """Cusps and angles for a place and time; `flags` may select the sidereal zodiac.

    When the system is undefined at the latitude the Swiss Ephemeris raises an error; the
    cusps are then Porphyry's, exactly as the library and swetest fall back.
    """
    used = system
    try:
        cusps, angles = swe.houses_ex(
            julian_day_ut, latitude, longitude, system.code.encode(), flags
        )
    except swe.Error:
        used = PORPHYRY
        cusps, angles = swe.houses_ex(julian_day_ut, latitude, longitude, b"O", flags)
    return Houses(
        system=used,
        cusps=tuple(cusps),
        ascendant=angles[0],
        mc=angles[1],
        armc=angles[2],
        vertex=angles[3],
        requested=system,
    )


def fallback_warning(houses: Houses, latitude: float) -> str | None:
    """The warning a chart carries when its houses are not the requested system's."""
    if not houses.fell_back or houses.requested is None:
        return None
    return (
        f"{houses.requested.name} houses are undefined at latitude {latitude} at this time "
        "(inside a polar circle some ecliptic degrees never rise); porphyry cusps are given "
        "instead, as the Swiss Ephemeris does"
    )


def opposite(longitude: float) -> float:
    """The point 180 degrees away (descendant from ascendant, IC from MC)."""
    return normalize(longitude + 180.0)
