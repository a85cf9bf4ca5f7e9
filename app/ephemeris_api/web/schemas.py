"""Validation of request bodies into the computation layer's input types.

Every problem is collected before answering, so a client fixes all fields in one round trip,
and each message names the field (with its path inside nested objects, e.g. `natal.latitude`),
what was received and what is accepted. Common alternative spellings of field names (`lat`,
`lng`, `tz`, ...) are answered with the correct name rather than guessed at.
"""

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final, TypeVar

from ephemeris_api.astro.aspects import (
    ALL_ASPECTS,
    ASPECTS_BY_NAME,
    MAJOR_ASPECTS,
    MAX_ORB,
    AspectSettings,
)
from ephemeris_api.astro.bodies import DEFAULT_POINTS, accepted_points, resolve_point
from ephemeris_api.astro.chart import ChartOptions, NatalChartInput, TimeInput
from ephemeris_api.astro.civil_time import (
    Calendar,
    TimeSource,
    julian_to_gregorian,
    load_zone,
)
from ephemeris_api.astro.frame import (
    USER_AYANAMSA,
    Frame,
    Observer,
    Perspective,
    Zodiac,
    resolve_ayanamsa,
)
from ephemeris_api.astro.houses import (
    DEFAULT_HOUSE_SYSTEM,
    HouseSystem,
    accepted_house_systems,
    resolve_house_system,
)
from ephemeris_api.errors import FieldError, InvalidInput

# Local wall-clock time without offset: the zone comes from "timezone" or "utc_offset", and an
# offset here could contradict it. Seconds and up to six fractional digits are optional.
# ASCII digits only: `\d` alone would also read other scripts' digits (e.g. Arabic-Indic).
_LOCAL_DATETIME: Final = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?", re.ASCII
)
_UTC_OFFSET: Final = re.compile(r"([+-])(\d{2}):(\d{2})(?::(\d{2}))?", re.ASCII)
ACCEPTED_DATETIME: Final = (
    "local time as YYYY-MM-DDTHH:MM[:SS[.ffffff]] without UTC offset, e.g. 1990-06-15T14:30:00"
)
ACCEPTED_UT: Final = "Universal Time as YYYY-MM-DDTHH:MM[:SS[.ffffff]], e.g. 1990-06-15T12:30:00"
ACCEPTED_TIMEZONE: Final = "an IANA time-zone name, e.g. Europe/Berlin or America/New_York"
ACCEPTED_UTC_OFFSET: Final = "+HH:MM or -HH:MM[:SS] between -18:00 and +18:00, e.g. +05:30"
ACCEPTED_TIME_SOURCE: Final = (
    'exactly one of "timezone" (IANA name), "utc_offset" (+HH:MM) or "ut" (instead of '
    '"datetime", a Universal Time)'
)
ACCEPTED_LATITUDE: Final = "a number of degrees, north positive, -90 < latitude < 90"
ACCEPTED_LONGITUDE: Final = "a number of degrees, east positive, -180 <= longitude <= 180"
ACCEPTED_ALTITUDE: Final = "metres above sea level, -1000 <= altitude <= 20000"
ACCEPTED_FOLD: Final = "0 or 1 (or null); only consulted at daylight-saving changes"
ACCEPTED_CALENDAR: Final = '"gregorian" (default) or "julian"'
ACCEPTED_BOOLEAN: Final = "true or false"
ACCEPTED_ZODIAC: Final = '"tropical" (default) or "sidereal"'
ACCEPTED_PERSPECTIVE: Final = ", ".join(perspective.value for perspective in Perspective)
ACCEPTED_COORDINATES: Final = (
    '"ecliptic" (default) or "equatorial" (adds right_ascension and declination)'
)
ACCEPTED_AYANAMSA: Final = (
    "an ayanamsa number 0-46 or name (e.g. lahiri, fagan_bradley, raman), or "
    '{"t0": Julian day TT, "ayanamsa_t0": degrees} for a user-defined one'
)
ACCEPTED_ASPECTS: Final = "aspect names: " + ", ".join(kind.name for kind in ALL_ASPECTS)
ACCEPTED_ORB: Final = f"a number of degrees, 0 <= orb <= {MAX_ORB:g}"

TIME_FIELDS: Final = ("datetime", "timezone", "utc_offset", "ut", "fold", "calendar")
PLACE_FIELDS: Final = ("latitude", "longitude", "altitude")
FRAME_FIELDS: Final = ("zodiac", "ayanamsa", "perspective", "coordinates")
ASPECT_FIELDS: Final = ("aspects", "orbs", "point_orbs")
NATAL_CHART_FIELDS: Final = (
    *TIME_FIELDS,
    *PLACE_FIELDS,
    "house_system",
    *FRAME_FIELDS,
    "points",
    *ASPECT_FIELDS,
    "time_unknown",
)
# Spellings other APIs use, answered with ours.
ALIASES: Final = {
    "lat": "latitude",
    "lng": "longitude",
    "lon": "longitude",
    "long": "longitude",
    "tz": "timezone",
    "time_zone": "timezone",
    "zone": "timezone",
    "offset": "utc_offset",
    "date": "datetime",
    "date_time": "datetime",
    "hsys": "house_system",
    "houses": "house_system",
    "house": "house_system",
    "elevation": "altitude",
    "sidereal_mode": "ayanamsa",
    "ayanamsha": "ayanamsa",
    "bodies": "points",
    "planets": "points",
}
# Echoed values are cut so an oversized field cannot inflate the error body.
_SHOWN_CHARACTERS: Final = 60
_MAX_LIST: Final = 64

T = TypeVar("T")


class Rejected(Exception):  # noqa: N818 - internal signal carrying the error text
    """A field's value is unusable; carries the message and what would be accepted."""

    def __init__(self, message: str, accepted: str) -> None:
        super().__init__(message)
        self.message = message
        self.accepted = accepted


class Reader:
    """Reads the fields of one JSON object, collecting every problem under a path prefix."""

    def __init__(
        self,
        payload: object,
        allowed: Iterable[str],
        errors: list[FieldError],
        prefix: str = "",
    ) -> None:
        self.errors = errors
        self.prefix = prefix
        self.allowed = tuple(allowed)
        if not isinstance(payload, dict):
            where = prefix.rstrip(".") or "body"
            errors.append(
                FieldError(where, f"expected a JSON object, got {_json_type(payload)}", "an object")
            )
            payload = {}
        self.payload: dict[str, object] = payload
        for name in payload:
            if name not in self.allowed:
                errors.append(self._unknown(name))

    def _unknown(self, name: str) -> FieldError:
        hint = ALIASES.get(str(name).lower())
        message = f'unknown field; did you mean "{hint}"?' if hint else "unknown field"
        return FieldError(self.prefix + str(name), message, f"fields: {', '.join(self.allowed)}")

    def has(self, name: str) -> bool:
        """Whether the field is present and not null."""
        return self.payload.get(name) is not None

    def required(self, name: str, parse: Callable[[object], T], accepted: str) -> T | None:
        """A field that must be present; None (with an error listed) when it is not usable."""
        if not self.has(name):
            self.fail(name, "required field is missing", accepted)
            return None
        return self.optional(name, parse, None)

    def optional(self, name: str, parse: Callable[[object], T], default: T) -> T:
        """A field that may be absent or null, read with `parse` when present."""
        if not self.has(name):
            return default
        try:
            return parse(self.payload[name])
        except Rejected as rejected:
            self.fail(name, rejected.message, rejected.accepted)
            return default

    def fail(self, name: str, message: str, accepted: str) -> None:
        """List a problem with one field."""
        self.errors.append(FieldError(self.prefix + name, message, accepted))

    def nested(self, name: str, allowed: Iterable[str]) -> "Reader":
        """A reader for an object-valued field (an empty one when the field is missing)."""
        value = self.payload.get(name)
        if value is None:
            self.fail(name, "required field is missing", "an object")
            value = {}
        return Reader(value, allowed, self.errors, f"{self.prefix}{name}.")


def finish(errors: list[FieldError], *values: object) -> None:
    """Raise the collected errors; a None among `values` means an error was listed for it."""
    if errors:
        raise InvalidInput(errors)
    if any(value is None for value in values):  # pragma: no cover - guarded by the errors
        raise InvalidInput([FieldError("body", "incomplete request", "see the API description")])


# --- whole requests ----------------------------------------------------------------------


def parse_natal_chart_request(payload: object) -> NatalChartInput:
    """Validate a natal-chart request body; raise `InvalidInput` listing every bad field."""
    errors: list[FieldError] = []
    request = read_subject(Reader(payload, NATAL_CHART_FIELDS, errors))
    finish(errors, request)
    return request


def read_subject(
    reader: Reader, *, place_required: bool = True, houses: bool = True
) -> NatalChartInput | None:
    """A chart subject: moment, place and chart options, all fields at one level."""
    when = read_time(reader)
    observer = read_observer(reader, required=place_required)
    options = read_options(reader, observer, houses=houses)
    time_unknown = reader.optional("time_unknown", _boolean, False)
    if when is None or observer is None or options is None:
        return None
    return NatalChartInput(when=when, observer=observer, options=options, time_unknown=time_unknown)


def read_time(reader: Reader) -> TimeInput | None:
    """A moment: local datetime with timezone or utc_offset, or a UT datetime."""
    sources = [name for name in ("timezone", "utc_offset", "ut") if reader.has(name)]
    calendar = reader.optional("calendar", _calendar, Calendar.GREGORIAN)
    fold = reader.optional("fold", _fold, None)
    if len(sources) != 1:
        message = (
            f"give exactly one time reference, got {', '.join(sources)}"
            if sources
            else "required field is missing (or utc_offset, or ut)"
        )
        reader.fail("timezone", message, ACCEPTED_TIME_SOURCE)
        return None
    source = TimeSource(sources[0])
    zone: object | None = None
    offset: timedelta | None = timedelta(0)
    if source is TimeSource.UT:
        field, accepted = "ut", ACCEPTED_UT
        if reader.has("datetime"):
            reader.fail("datetime", '"ut" replaces "datetime"; send only one', ACCEPTED_UT)
        stamp = reader.optional("ut", _stamp(ACCEPTED_UT), None)
    else:
        field, accepted = "datetime", ACCEPTED_DATETIME
        stamp = reader.required("datetime", _stamp(ACCEPTED_DATETIME), ACCEPTED_DATETIME)
        if source is TimeSource.TIMEZONE:
            offset = None
            zone = reader.optional("timezone", _timezone, None)
        else:
            offset = reader.optional("utc_offset", _utc_offset, None)
    local = _calendar_datetime(reader, field, stamp, calendar, accepted)
    if local is None or (zone is None and offset is None):
        return None
    return TimeInput(
        local=local,
        zone=zone,
        offset=offset,
        source=source,
        fold=fold if source is TimeSource.TIMEZONE else None,
        calendar=calendar,
        calendar_date=_written(stamp, calendar),
    )


def read_observer(reader: Reader, *, required: bool = True) -> Observer | None:
    """Latitude, longitude and optional altitude; (0, 0, 0) when optional and absent."""
    if not required and not reader.has("latitude") and not reader.has("longitude"):
        altitude = reader.optional("altitude", _altitude, 0.0)
        return Observer(0.0, 0.0, altitude)
    latitude = reader.required("latitude", _latitude, ACCEPTED_LATITUDE)
    longitude = reader.required("longitude", _longitude, ACCEPTED_LONGITUDE)
    altitude = reader.optional("altitude", _altitude, 0.0)
    if latitude is None or longitude is None:
        return None
    return Observer(latitude, longitude, altitude)


def read_options(
    reader: Reader, observer: Observer | None, *, houses: bool = True
) -> ChartOptions | None:
    """House system, frame, points and aspect settings."""
    house_system = DEFAULT_HOUSE_SYSTEM
    if houses:
        house_system = reader.optional("house_system", _house_system, DEFAULT_HOUSE_SYSTEM)
    frame = read_frame(reader)
    points = reader.optional("points", _points, DEFAULT_POINTS)
    aspects = read_aspects(reader)
    if frame is None or aspects is None:
        return None
    if frame.perspective is Perspective.TOPOCENTRIC and observer is not None:
        frame = Frame(frame.zodiac, frame.perspective, frame.equatorial, observer)
    return ChartOptions(house_system=house_system, frame=frame, points=points, aspects=aspects)


def read_frame(reader: Reader) -> Frame | None:
    """Zodiac (with ayanamsa), perspective and coordinate system."""
    sidereal = reader.optional("zodiac", _zodiac, False)
    zodiac = Zodiac()
    if sidereal:
        if not reader.has("ayanamsa"):
            reader.fail("ayanamsa", "required for the sidereal zodiac", ACCEPTED_AYANAMSA)
            return None
        zodiac = reader.optional("ayanamsa", _ayanamsa, None) or zodiac
        if not zodiac.sidereal:
            return None
    elif reader.has("ayanamsa"):
        reader.fail("ayanamsa", 'only used with "zodiac": "sidereal"', ACCEPTED_ZODIAC)
        return None
    perspective = reader.optional("perspective", _perspective, Perspective.APPARENT_GEOCENTRIC)
    equatorial = reader.optional("coordinates", _coordinates, False)
    return Frame(zodiac=zodiac, perspective=perspective, equatorial=equatorial)


def read_aspects(reader: Reader) -> AspectSettings | None:
    """Aspect kinds (majors by default) and orb overrides per aspect and per point."""
    kinds = reader.optional("aspects", _aspect_kinds, MAJOR_ASPECTS)
    aspect_orbs = reader.optional("orbs", _orb_mapping(_is_aspect, ACCEPTED_ASPECTS), {})
    point_orbs = reader.optional("point_orbs", _orb_mapping(_is_point, accepted_points()), {})
    return AspectSettings(kinds=kinds, aspect_orbs=aspect_orbs, point_orbs=point_orbs)


# --- single values -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Stamp:
    """A date and time as written, before any calendar is applied."""

    text: str
    parts: tuple[int, int, int, int, int, int, int]


def _stamp(accepted: str) -> Callable[[object], Stamp]:
    def parse(value: object) -> Stamp:
        if not isinstance(value, str):
            raise Rejected(f"expected a string, got {_json_type(value)}", accepted)
        match = _LOCAL_DATETIME.fullmatch(value.strip())
        if match is None:
            raise Rejected(f"{_show(value)} is not a date and time", accepted)
        year, month, day, hour, minute, second, fraction = match.groups()
        parts = (
            int(year),
            int(month),
            int(day),
            int(hour),
            int(minute),
            int(second or 0),
            int((fraction or "0").ljust(6, "0")),
        )
        return Stamp(value.strip(), parts)

    return parse


def _calendar_datetime(
    reader: Reader, name: str, stamp: Stamp | None, calendar: Calendar, accepted: str
) -> datetime | None:
    if stamp is None:
        return None
    year, month, day, *clock = stamp.parts
    try:
        if calendar is Calendar.JULIAN:
            year, month, day = julian_to_gregorian(year, month, day)
        return datetime(year, month, day, *clock)
    except ValueError as exc:
        reader.fail(name, f"{_show(stamp.text)} is not a valid date and time: {exc}", accepted)
        return None


def _written(stamp: Stamp | None, calendar: Calendar) -> str:
    return stamp.text if stamp is not None and calendar is Calendar.JULIAN else ""


def _timezone(value: object) -> object:
    if not isinstance(value, str):
        raise Rejected(f"expected a string, got {_json_type(value)}", ACCEPTED_TIMEZONE)
    zone = load_zone(value.strip())
    if zone is None:
        raise Rejected(f"{_show(value)} is not a known IANA time zone", ACCEPTED_TIMEZONE)
    return zone


def _utc_offset(value: object) -> timedelta:
    if not isinstance(value, str):
        raise Rejected(f"expected a string, got {_json_type(value)}", ACCEPTED_UTC_OFFSET)
    match = _UTC_OFFSET.fullmatch(value.strip())
    if match is None:
        raise Rejected(f"{_show(value)} is not a UTC offset", ACCEPTED_UTC_OFFSET)
    sign, hours, minutes, seconds = match.groups()
    if int(minutes) > 59 or int(seconds or 0) > 59:
        raise Rejected(f"{_show(value)} is not a UTC offset", ACCEPTED_UTC_OFFSET)
    offset = timedelta(hours=int(hours), minutes=int(minutes), seconds=int(seconds or 0))
    if offset > timedelta(hours=18):
        raise Rejected(f"{_show(value)} is out of range", ACCEPTED_UTC_OFFSET)
    return -offset if sign == "-" else offset


def _calendar(value: object) -> Calendar:
    if value not in ("gregorian", "julian"):
        raise Rejected(f"{_show(value)} is not a calendar", ACCEPTED_CALENDAR)
    return Calendar(value)


def number(value: object, accepted: str) -> float:
    """A finite JSON number (booleans are not numbers here)."""
    # JSON true/false arrive as bool, which Python treats as an int; they are not coordinates.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise Rejected(f"expected a number, got {_json_type(value)}", accepted)
    result = float(value)
    if not math.isfinite(result):
        raise Rejected("expected a finite number", accepted)
    return result


def _latitude(value: object) -> float:
    latitude = number(value, ACCEPTED_LATITUDE)
    # The poles have no horizon that ecliptic degrees rise over, so no house system works there.
    if not -90.0 < latitude < 90.0:
        raise Rejected(f"{latitude} is out of range", ACCEPTED_LATITUDE)
    return latitude


def _longitude(value: object) -> float:
    longitude = number(value, ACCEPTED_LONGITUDE)
    if not -180.0 <= longitude <= 180.0:
        raise Rejected(f"{longitude} is out of range", ACCEPTED_LONGITUDE)
    return longitude


def _altitude(value: object) -> float:
    altitude = number(value, ACCEPTED_ALTITUDE)
    if not -1000.0 <= altitude <= 20000.0:
        raise Rejected(f"{altitude} is out of range", ACCEPTED_ALTITUDE)
    return altitude


def _house_system(value: object) -> HouseSystem:
    accepted = accepted_house_systems()
    if not isinstance(value, str):
        raise Rejected(f"expected a string, got {_json_type(value)}", accepted)
    system = resolve_house_system(value)
    if system is None:
        raise Rejected(f"{_show(value)} is not a supported house system", accepted)
    return system


def _fold(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value not in (0, 1):
        raise Rejected(f"expected 0 or 1, got {_show(value)}", ACCEPTED_FOLD)
    return value


def _boolean(value: object) -> bool:
    if not isinstance(value, bool):
        raise Rejected(f"expected true or false, got {_show(value)}", ACCEPTED_BOOLEAN)
    return value


def _zodiac(value: object) -> bool:
    if value not in ("tropical", "sidereal"):
        raise Rejected(f"{_show(value)} is not a zodiac", ACCEPTED_ZODIAC)
    return value == "sidereal"


def _ayanamsa(value: object) -> Zodiac:
    if isinstance(value, dict):
        if set(value) != {"t0", "ayanamsa_t0"}:
            raise Rejected(
                "a user-defined ayanamsa needs exactly t0 and ayanamsa_t0", ACCEPTED_AYANAMSA
            )
        t0 = number(value["t0"], ACCEPTED_AYANAMSA)
        degrees = number(value["ayanamsa_t0"], ACCEPTED_AYANAMSA)
        if not 2378496.5 <= t0 <= 2597641.5 or not -360.0 <= degrees <= 360.0:
            raise Rejected(
                "t0 must lie within 1800-2399 (Julian day 2378496.5-2597641.5) and "
                "ayanamsa_t0 within -360..360",
                ACCEPTED_AYANAMSA,
            )
        return Zodiac(sidereal=True, ayanamsa=USER_AYANAMSA, t0=t0, ayanamsa_t0=degrees)
    if isinstance(value, float):
        raise Rejected(f"{_show(value)} is not a whole ayanamsa number", ACCEPTED_AYANAMSA)
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise Rejected(
            f"expected a number, name or object, got {_json_type(value)}", ACCEPTED_AYANAMSA
        )
    found = resolve_ayanamsa(value)
    if found is None:
        raise Rejected(f"{_show(value)} is not a known ayanamsa", ACCEPTED_AYANAMSA)
    return Zodiac(sidereal=True, ayanamsa=found)


def _perspective(value: object) -> Perspective:
    if value not in tuple(Perspective):
        raise Rejected(f"{_show(value)} is not a perspective", ACCEPTED_PERSPECTIVE)
    return Perspective(value)


def _coordinates(value: object) -> bool:
    if value not in ("ecliptic", "equatorial"):
        raise Rejected(f"{_show(value)} is not a coordinate system", ACCEPTED_COORDINATES)
    return value == "equatorial"


def _is_point(name: object) -> bool:
    return isinstance(name, str) and resolve_point(name) is not None


def _is_aspect(name: object) -> bool:
    return isinstance(name, str) and name in ASPECTS_BY_NAME


def _names(value: object, known: Callable[[object], bool], accepted: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise Rejected(f"expected a non-empty array, got {_show(value)}", accepted)
    if len(value) > _MAX_LIST:
        raise Rejected(f"at most {_MAX_LIST} names", accepted)
    unknown = [item for item in value if not known(item)]
    if unknown:
        raise Rejected(f"unknown: {_show(unknown)}", accepted)
    return tuple(dict.fromkeys(value))


def _points(value: object) -> tuple[str, ...]:
    return _names(value, _is_point, accepted_points())


def point_names(value: object) -> tuple[str, ...]:
    """A list of point names (for fields other than `points`)."""
    return _points(value)


def _aspect_kinds(value: object) -> tuple:
    if value == "all":
        return ALL_ASPECTS
    if value == "major":
        return MAJOR_ASPECTS
    names = _names(value, _is_aspect, ACCEPTED_ASPECTS + ', or "major" or "all"')
    return tuple(ASPECTS_BY_NAME[name] for name in names)


def _orb_mapping(
    known: Callable[[object], bool], accepted: str
) -> Callable[[object], dict[str, float]]:
    def parse(value: object) -> dict[str, float]:
        if not isinstance(value, dict):
            raise Rejected(f"expected an object, got {_json_type(value)}", accepted)
        orbs: dict[str, float] = {}
        for name, orb in value.items():
            if not known(name):
                raise Rejected(f"unknown: {_show(name)}", accepted)
            degrees = number(orb, ACCEPTED_ORB)
            if not 0.0 <= degrees <= MAX_ORB:
                raise Rejected(f"orb {degrees} for {name} is out of range", ACCEPTED_ORB)
            orbs[name] = degrees
        return orbs

    return parse


def _show(value: object) -> str:
    text = repr(value)
    if len(text) <= _SHOWN_CHARACTERS:
        return text
    return text[: _SHOWN_CHARACTERS - 3] + "..."


def _json_type(value: object) -> str:
    names = {bool: "a boolean", str: "a string", int: "a number", float: "a number"}
    names |= {list: "an array", dict: "an object", type(None): "null"}
    return names.get(type(value), type(value).__name__)
