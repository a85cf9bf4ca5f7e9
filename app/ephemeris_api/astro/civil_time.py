"""From a local wall-clock time and an IANA time zone to one UTC instant.

Time-zone rules come from the `tzdata` package pinned with the application rather than from the
host, so a chart for a given input is the same on every machine and image, and the image needs
no system time-zone files.

Wall-clock times around daylight-saving changes are not always a single instant: when clocks go
back an hour repeats (a "fold"), when they go forward an hour is skipped (a "gap"). Guessing
would silently shift the chart by an hour, so the caller must choose with `fold` (PEP 495).
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from functools import cache, lru_cache
from importlib import resources
from typing import Final
from zoneinfo import ZoneInfo

from ephemeris_api.errors import InvalidInput

# The installed ephemeris files (sepl_18, semo_18, seas_18) cover 1800-01-01 to 2400-01-01 of
# Terrestrial Time. Usable UT instants are narrower at both ends: positions are corrected for
# light-time, so Pluto at about 40 AU needs the files from some six hours before the instant,
# and around 2400 TT runs some nine minutes ahead of UT. The limits keep a margin to both.
LOCAL_START: Final = datetime(1800, 1, 1)
LOCAL_END: Final = datetime(2399, 12, 31, 23, 59, 59, 999999)
UTC_START: Final = datetime(1800, 1, 1, 12, tzinfo=UTC)
UTC_END: Final = datetime(2399, 12, 31, 12, tzinfo=UTC)
# The same limits as Julian days UT, for searches that move away from a given instant.
FIRST_JULIAN_DAY_UT: Final = 2378497.0
LAST_JULIAN_DAY_UT: Final = 2597641.0
SUPPORTED_RANGE: Final = (
    "dates 1800-01-01 to 2399-12-31 whose UTC instant lies within 1800-01-01T12:00:00Z .. "
    "2399-12-31T12:00:00Z (the installed Swiss Ephemeris files)"
)
ACCEPTED_FOLD: Final = '"fold": 0 (first occurrence / offset before the change) or 1'


class LocalTimeKind(StrEnum):
    """How a wall-clock time maps to instants in its zone."""

    UNIQUE = "unique"
    AMBIGUOUS = "ambiguous"
    NONEXISTENT = "nonexistent"


class TimeSource(StrEnum):
    """Which input pinned the local time to UTC."""

    TIMEZONE = "timezone"
    UTC_OFFSET = "utc_offset"
    UT = "ut"


class Calendar(StrEnum):
    """The calendar a date is written in; Gregorian unless the caller says otherwise."""

    GREGORIAN = "gregorian"
    JULIAN = "julian"


@dataclass(frozen=True, slots=True)
class ResolvedTime:
    """A local time pinned to one UTC instant, with the offset and fold that were applied.

    `local` is always the proleptic Gregorian wall-clock time; a Julian-calendar input is
    converted first and kept in `calendar_date` as written.
    """

    local: datetime
    zone: str | None
    kind: LocalTimeKind
    fold: int | None
    utc: datetime
    utc_offset: timedelta
    source: TimeSource = TimeSource.TIMEZONE
    calendar: Calendar = Calendar.GREGORIAN
    calendar_date: str = ""


@cache
def _zone_names() -> frozenset[str]:
    """All IANA zone names the bundled tzdata package knows (including links like US/Eastern)."""
    listing = resources.files("tzdata").joinpath("zones").read_text(encoding="utf-8")
    # "Factory" is a placeholder zone for unconfigured systems, not a place.
    return frozenset(listing.split()) - {"Factory"}


@lru_cache(maxsize=1024)
def load_zone(name: str) -> ZoneInfo | None:
    """The bundled zone of that exact name, or None when no such zone exists."""
    if name not in _zone_names():
        return None
    resource = resources.files("tzdata").joinpath("zoneinfo")
    for part in name.split("/"):
        resource = resource.joinpath(part)
    with resource.open("rb") as handle:
        return ZoneInfo.from_file(handle, key=name)


def format_offset(offset: timedelta) -> str:
    """An offset as +HH:MM, or +HH:MM:SS for the odd local mean times before standard time."""
    total = int(offset.total_seconds())
    sign = "-" if total < 0 else "+"
    hours, remainder = divmod(abs(total), 3600)
    minutes, seconds = divmod(remainder, 60)
    text = f"{sign}{hours:02d}:{minutes:02d}"
    return f"{text}:{seconds:02d}" if seconds else text


def classify(local: datetime, zone: ZoneInfo) -> LocalTimeKind:
    """Whether a naive wall-clock time occurs once, twice or never in the zone."""
    first = local.replace(tzinfo=zone, fold=0)
    second = local.replace(tzinfo=zone, fold=1)
    if first.utcoffset() == second.utcoffset():
        return LocalTimeKind.UNIQUE
    # In a fold both readings map back to the same wall time; in a gap they land outside it.
    round_trip = first.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
    return LocalTimeKind.AMBIGUOUS if round_trip == local else LocalTimeKind.NONEXISTENT


def _check_local_range(local: datetime, field: str = "datetime") -> None:
    # Checked before any zone arithmetic, which would overflow near the years 1 and 9999.
    if not LOCAL_START <= local <= LOCAL_END:
        raise InvalidInput.single(
            field,
            f"{local.isoformat()} is outside the range of the installed ephemeris files",
            SUPPORTED_RANGE,
        )


def _check_utc_range(local: datetime, utc: datetime, where: str, field: str) -> None:
    if not UTC_START <= utc <= UTC_END:
        raise InvalidInput.single(
            field,
            f"{local.isoformat()} {where} is {utc.isoformat()}, outside the span the "
            "ephemeris files can serve for every body",
            SUPPORTED_RANGE,
        )


def resolve_fixed(local: datetime, offset: timedelta, source: TimeSource) -> ResolvedTime:
    """Pin a wall-clock time read with a fixed UTC offset (zero for UT) to a UTC instant."""
    field = "ut" if source is TimeSource.UT else "datetime"
    _check_local_range(local, field)
    utc = local.replace(tzinfo=UTC) - offset
    _check_utc_range(local, utc, f"at UTC offset {format_offset(offset)}", field)
    return ResolvedTime(
        local=local,
        zone=None,
        kind=LocalTimeKind.UNIQUE,
        fold=None,
        utc=utc,
        utc_offset=offset,
        source=source,
    )


def julian_to_gregorian(year: int, month: int, day: int) -> tuple[int, int, int]:
    """The proleptic Gregorian date of a Julian-calendar date, via the Julian day number.

    Raises ValueError for a day the Julian calendar does not have (it has 29 February in every
    fourth year, 1900 included).
    """
    leap = year % 4 == 0
    lengths = (31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
    if not 1 <= month <= 12 or not 1 <= day <= lengths[month - 1]:
        raise ValueError(f"day is out of range for month in the Julian calendar ({year}-{month})")
    shift = (14 - month) // 12
    years = year + 4800 - shift
    months = month + 12 * shift - 3
    day_number = day + (153 * months + 2) // 5 + 365 * years + years // 4 - 32083
    # 1721425 is the Julian day number of the day before 0001-01-01 (Gregorian ordinal 1).
    gregorian = datetime.fromordinal(day_number - 1721425)
    return gregorian.year, gregorian.month, gregorian.day


def resolve(local: datetime, zone: ZoneInfo, fold: int | None) -> ResolvedTime:
    """Pin a wall-clock time to a UTC instant, or explain why the caller must say more."""
    _check_local_range(local)
    kind = classify(local, zone)
    if kind is not LocalTimeKind.UNIQUE and fold is None:
        raise InvalidInput.single("datetime", _transition_message(local, zone, kind), ACCEPTED_FOLD)
    aware = local.replace(tzinfo=zone, fold=fold or 0)
    offset = aware.utcoffset() or timedelta(0)
    utc = aware.astimezone(UTC)
    _check_utc_range(local, utc, f"in {zone.key}", "datetime")
    return ResolvedTime(
        local=local,
        zone=str(zone.key),
        kind=kind,
        fold=fold if kind is not LocalTimeKind.UNIQUE else None,
        utc=utc,
        utc_offset=offset,
    )


def _transition_message(local: datetime, zone: ZoneInfo, kind: LocalTimeKind) -> str:
    before = format_offset(local.replace(tzinfo=zone, fold=0).utcoffset() or timedelta(0))
    after = format_offset(local.replace(tzinfo=zone, fold=1).utcoffset() or timedelta(0))
    stamp = f"{local.isoformat()} in {zone.key}"
    if kind is LocalTimeKind.AMBIGUOUS:
        return (
            f"{stamp} is ambiguous: the clocks were turned back and this time occurred twice, "
            f'first at UTC offset {before} and again at {after}; send "fold": 0 for the first '
            "or 1 for the second occurrence"
        )
    return (
        f"{stamp} does not exist: the clocks jumped from UTC offset {before} to {after} and "
        f'skipped it; send "fold": 0 to read it with the offset before the change ({before}) '
        f"or 1 to read it with the offset after ({after})"
    )
