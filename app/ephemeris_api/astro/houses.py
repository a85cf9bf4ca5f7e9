"""House systems, house cusps and the house a body falls in.

Clients may name a system by its one-letter Swiss Ephemeris code or by a readable name. The
Gauquelin sectors (code G) are left out: they divide the sky into 36 sectors, not 12 houses.
"""

from dataclasses import dataclass
from typing import Final

import swisseph as swe

from ephemeris_api.astro.zodiac import arc_forward
from ephemeris_api.errors import InvalidInput


@dataclass(frozen=True, slots=True)
class HouseSystem:
    """A house system: Swiss Ephemeris code, API name and the other names clients use."""

    code: str
    name: str
    aliases: tuple[str, ...] = ()


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
)
DEFAULT_HOUSE_SYSTEM: Final = HOUSE_SYSTEMS[0]

_BY_CODE: Final = {system.code: system for system in HOUSE_SYSTEMS} | {
    "E": HOUSE_SYSTEMS[3],  # Swiss Ephemeris treats E as a synonym of A (equal houses)
}
_BY_NAME: Final = {
    key: system for system in HOUSE_SYSTEMS for key in (system.name, *system.aliases)
}
# Systems whose cusps exist at every latitude, offered when a polar latitude defeats another.
_EVERYWHERE: Final = "whole_sign (W), equal (A), porphyry (O), regiomontanus (R), campanus (C)"


def accepted_house_systems() -> str:
    """Human-readable list of accepted values, used in validation errors."""
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
    """House cusps and the angles of one chart."""

    system: HouseSystem
    cusps: tuple[float, ...]
    ascendant: float
    mc: float
    armc: float

    def house_of(self, longitude: float) -> int:
        """The house (1-12) containing an ecliptic longitude, handling the wrap at 0 Aries.

        A house runs from its cusp up to, not including, the next cusp in zodiacal order.
        """
        cusps = self.cusps
        for index, cusp in enumerate(cusps):
            following = cusps[(index + 1) % 12]
            # Inline arithmetic (same as arc_forward): this runs for every body of every chart.
            if (longitude - cusp) % 360.0 < (following - cusp) % 360.0:
                return index + 1
        # Only reachable through rounding exactly on a cusp: take the house it opens.
        return 1 + min(range(12), key=lambda index: arc_forward(cusps[index], longitude))


def compute_houses(
    julian_day_ut: float, latitude: float, longitude: float, system: HouseSystem
) -> Houses:
    """Cusps and angles for a place and time (tropical zodiac).

    The Swiss Ephemeris reports an error when a system is undefined at the latitude, which is
    what Placidus and Koch are inside the polar circles, because some ecliptic degrees never
    rise there. That is the caller's choice to change, hence a validation error.
    """
    try:
        cusps, angles = swe.houses_ex(julian_day_ut, latitude, longitude, system.code.encode())
    except swe.Error as exc:
        raise InvalidInput.single(
            "house_system",
            f"{system.name} houses are undefined at latitude {latitude} "
            "(inside a polar circle, some ecliptic degrees never rise)",
            f"at this latitude a system defined everywhere: {_EVERYWHERE}",
        ) from exc
    return Houses(
        system=system,
        cusps=tuple(cusps[:12]),
        ascendant=angles[0],
        mc=angles[1],
        armc=angles[2],
    )
