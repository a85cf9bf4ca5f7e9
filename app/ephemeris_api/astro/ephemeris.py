"""Access to the Swiss Ephemeris files, refusing to degrade silently.

pyswisseph keeps its state (file handles, the ephemeris path) per thread, and the Swiss
Ephemeris quietly falls back to its built-in Moshier theory when a file is missing. So every
computation makes sure the path is set on the thread that computes, and every result's return
flags are checked: a position not taken from the files raises `EphemerisUnavailable` instead of
being served at lower precision.

Setting the path closes the open files, and the next position reopens them and reads their
headers again, which used to cost more than the whole chart's positions. The path each thread
was last given is therefore remembered, and set again only when it differs.
"""

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Final, NamedTuple

import swisseph as swe

from ephemeris_api.astro.bodies import Body, Source, accepted_points, asteroid_files
from ephemeris_api.astro.frame import DEFAULT_FRAME, Frame
from ephemeris_api.errors import EphemerisUnavailable, FieldError, InvalidInput

EPHEMERIS_NAME: Final = "swiss_ephemeris"
# The ephemeris path the Swiss Ephemeris of each thread was last pointed at.
_THREAD_STATE: Final = threading.local()
SECONDS_PER_DAY: Final = 86400.0
J2000_UT: Final = 2451545.0
STAR_CATALOGUE: Final = "sefstars.txt"


class PointUnavailable(InvalidInput):
    """An optional point the installed files cannot serve: an asteroid without its file, a star
    the catalogue does not list, or any star without the catalogue.

    It is the caller's choice of point that cannot be answered, so it is a 422 on the field
    that chose it; the field is `points` until the HTTP layer names the one it came from.
    """

    def __init__(self, point: str, message: str) -> None:
        super().__init__([FieldError("points", f"{point}: {message}", accepted_points())])
        self.point = point


class Position(NamedTuple):
    """Ecliptic position of date in the chart's frame, as the ephemeris returns it.

    Right ascension and declination are filled only when the frame asks for equatorial
    coordinates too.
    A named tuple rather than a frozen dataclass: it is as immutable, and a chart makes one
    per point (per aspect), where a frozen dataclass' `object.__setattr__` per field cost
    several times as much.
    """

    longitude: float
    latitude: float
    distance: float
    longitude_speed: float
    right_ascension: float | None = None
    declination: float | None = None


@dataclass(frozen=True, slots=True)
class TimeScales:
    """One instant in the time scales the ephemeris needs.

    Positions are computed from Universal Time (UT1); Terrestrial Time differs from it by
    delta T, which the Swiss Ephemeris models (about a minute today, seconds around 1900).
    """

    julian_day_ut: float
    julian_day_tt: float
    delta_t_seconds: float


class Ephemeris:
    """The Swiss Ephemeris bound to one directory of ephemeris files."""

    def __init__(self, path: str) -> None:
        self.path = path

    def activate(self, *, reopen: bool = False) -> None:
        """Point the calling thread's ephemeris at our files.

        Called before every computation because the setting is per thread; it is passed to
        the library only when this thread's path differs, or with `reopen` (the readiness probe
        uses it so that files replaced or removed on disk are noticed).
        """
        if reopen or getattr(_THREAD_STATE, "path", None) != self.path:
            swe.set_ephe_path(self.path)
            _THREAD_STATE.path = self.path

    def time_scales_of(self, julian_day_ut: float) -> TimeScales:
        """Time scales of an instant already given as a Julian day UT."""
        delta_t = swe.deltat_ex(julian_day_ut, swe.FLG_SWIEPH)
        return TimeScales(
            julian_day_ut=julian_day_ut,
            julian_day_tt=julian_day_ut + delta_t,
            delta_t_seconds=delta_t * SECONDS_PER_DAY,
        )

    def time_scales(self, utc: datetime) -> TimeScales:
        """Convert a UTC instant to Julian days UT1 and TT.

        `utc_to_jd` applies leap seconds for instants since 1972; earlier UTC is taken as UT1.
        TT is derived with the same delta T that `calc_ut` applies internally, so the reported
        values describe exactly the computation made.
        """
        instant = utc.astimezone(UTC)
        seconds = instant.second + instant.microsecond / 1e6
        try:
            _, jd_ut = swe.utc_to_jd(
                instant.year,
                instant.month,
                instant.day,
                instant.hour,
                instant.minute,
                seconds,
                swe.GREG_CAL,
            )
            delta_t = swe.deltat_ex(jd_ut, swe.FLG_SWIEPH)
        except swe.Error as exc:
            raise EphemerisUnavailable(f"time conversion failed: {exc}") from exc
        return TimeScales(
            julian_day_ut=jd_ut,
            julian_day_tt=jd_ut + delta_t,
            delta_t_seconds=delta_t * SECONDS_PER_DAY,
        )

    def position(self, julian_day_ut: float, body: Body, frame: Frame = DEFAULT_FRAME) -> Position:
        """Compute one body in a frame, insisting the result came from the ephemeris files.

        The frame must have been activated on this thread (sidereal mode, observer).
        """
        values = self._calc(julian_day_ut, body, frame.flags)
        if not frame.equatorial:
            return Position(values[0], values[1], values[2], values[3])
        equatorial = self._calc(julian_day_ut, body, frame.equatorial_flags)
        return Position(
            longitude=values[0],
            latitude=values[1],
            distance=values[2],
            longitude_speed=values[3],
            right_ascension=equatorial[0],
            declination=equatorial[1],
        )

    def _calc(self, julian_day_ut: float, body: Body, flags: int) -> tuple[float, ...]:
        if body.source is Source.STAR:
            return self._star(julian_day_ut, body, flags)
        try:
            values, return_flags = swe.calc_ut(julian_day_ut, body.swe_id, flags)
        except swe.Error as exc:
            if body.source is Source.ASTEROID:
                raise self._asteroid_missing(body, exc) from exc
            raise EphemerisUnavailable(f"{body.name}: {exc}") from exc
        if not return_flags & swe.FLG_SWIEPH:
            raise EphemerisUnavailable(
                f"{body.name} was not computed from the Swiss Ephemeris files in {self.path} "
                "(the library fell back to the Moshier theory: files missing or out of range)"
            )
        return tuple(values)

    def _asteroid_missing(self, body: Body, exc: swe.Error) -> PointUnavailable:
        short, long = asteroid_files(int(body.catalogue_name))
        if "not found" in str(exc):
            message = (
                f"needs the asteroid file {short} (or {long}) in {self.path}, which is not "
                "installed"
            )
        else:
            message = f"the asteroid file {short} in {self.path} cannot serve this date: {exc}"
        return PointUnavailable(body.name, message)

    def _star(self, julian_day_ut: float, body: Body, flags: int) -> tuple[float, ...]:
        # The library reports a missing catalogue and an unknown name alike ("could not find"),
        # so the file is looked for first to tell the caller which of the two to fix.
        if not (Path(self.path) / STAR_CATALOGUE).is_file():
            message = f"fixed stars need the catalogue {STAR_CATALOGUE} in {self.path}"
            raise PointUnavailable(body.name, message)
        try:
            values, _, return_flags = swe.fixstar2_ut(body.catalogue_name, julian_day_ut, flags)
        except swe.Error as exc:
            message = f"{body.catalogue_name!r} is not a star of {STAR_CATALOGUE}: {exc}"
            raise PointUnavailable(body.name, message) from exc
        if not return_flags & swe.FLG_SWIEPH:
            raise EphemerisUnavailable(
                f"{body.name} was not computed with the Swiss Ephemeris files in {self.path}"
            )
        return tuple(values)

    def longitude(self, julian_day_ut: float, body: Body, frame: Frame = DEFAULT_FRAME) -> float:
        """Only the ecliptic longitude: the quantity root finders iterate on."""
        return self._calc(julian_day_ut, body, frame.flags)[0]

    def ayanamsa(self, julian_day_ut: float) -> float:
        """The active sidereal mode's ayanamsa at an instant (degrees)."""
        try:
            _, value = swe.get_ayanamsa_ex_ut(julian_day_ut, swe.FLG_SWIEPH)
        except swe.Error as exc:
            raise EphemerisUnavailable(f"ayanamsa: {exc}") from exc
        return value


@dataclass(frozen=True, slots=True)
class ReadinessCheck:
    """Outcome of one readiness probe; `detail` tells an operator what to fix."""

    name: str
    ok: bool
    detail: str


def probe_readiness(ephemeris: Ephemeris, probes: Mapping[str, Body]) -> list[ReadinessCheck]:
    """Check the files exist and serve real Swiss Ephemeris positions for the given bodies.

    Each probe is a check name and a body computed at J2000 from the file family it stands for
    (the Sun for the planet file, the Moon for the moon file, Chiron for the asteroid file).
    """
    directory = Path(ephemeris.path)
    if not directory.is_dir():
        return [ReadinessCheck("ephemeris_path", ok=False, detail=f"{directory} is no directory")]
    checks = [ReadinessCheck("ephemeris_path", ok=True, detail=str(directory))]
    ephemeris.activate(reopen=True)
    for name, body in probes.items():
        try:
            position = ephemeris.position(J2000_UT, body)
        except EphemerisUnavailable as exc:
            checks.append(ReadinessCheck(name, ok=False, detail=str(exc)))
        else:
            detail = f"{body.name} from the files: longitude {position.longitude:.6f} at J2000"
            checks.append(ReadinessCheck(name, ok=True, detail=detail))
    return checks
