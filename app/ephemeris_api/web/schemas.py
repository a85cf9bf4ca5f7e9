"""Validation of request bodies into the computation layer's input types.

Every problem is collected before answering, so a client fixes all fields in one round trip,
and each message names the field, what was received and what is accepted.
"""

import math
import re
from collections.abc import Callable
from datetime import datetime
from typing import Final, TypeVar
from zoneinfo import ZoneInfo

from ephemeris_api.astro.chart import NatalChartInput
from ephemeris_api.astro.civil_time import load_zone
from ephemeris_api.astro.houses import (
    DEFAULT_HOUSE_SYSTEM,
    HouseSystem,
    accepted_house_systems,
    resolve_house_system,
)
from ephemeris_api.errors import FieldError, InvalidInput

# Local wall-clock time without offset: the zone comes from "timezone", and an offset here could
# contradict it. Seconds and up to six fractional digits are optional.
_LOCAL_DATETIME: Final = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?"
)
ACCEPTED_DATETIME: Final = (
    "local time as YYYY-MM-DDTHH:MM[:SS[.ffffff]] without UTC offset, e.g. 1990-06-15T14:30:00"
)
ACCEPTED_TIMEZONE: Final = "an IANA time-zone name, e.g. Europe/Berlin or America/New_York"
ACCEPTED_LATITUDE: Final = "a number of degrees, north positive, -90 < latitude < 90"
ACCEPTED_LONGITUDE: Final = "a number of degrees, east positive, -180 <= longitude <= 180"
ACCEPTED_FOLD: Final = "0 or 1 (or null); only consulted at daylight-saving changes"
NATAL_CHART_FIELDS: Final = (
    "datetime",
    "timezone",
    "latitude",
    "longitude",
    "house_system",
    "fold",
)
# Echoed values are cut so an oversized field cannot inflate the error body.
_SHOWN_CHARACTERS: Final = 60

T = TypeVar("T")


def parse_natal_chart_request(payload: object) -> NatalChartInput:
    """Validate a natal-chart request body; raise `InvalidInput` listing every bad field."""
    if not isinstance(payload, dict):
        raise InvalidInput.single(
            "body", f"expected a JSON object, got {_json_type(payload)}", "a JSON object"
        )
    errors: list[FieldError] = [
        FieldError(name, "unknown field", f"fields: {', '.join(NATAL_CHART_FIELDS)}")
        for name in payload
        if name not in NATAL_CHART_FIELDS
    ]

    local_datetime = _required(payload, "datetime", _local_datetime, errors)
    zone = _required(payload, "timezone", _timezone, errors)
    latitude = _required(payload, "latitude", _latitude, errors)
    longitude = _required(payload, "longitude", _longitude, errors)
    house_system = DEFAULT_HOUSE_SYSTEM
    if payload.get("house_system") is not None:
        house_system = _checked(payload, "house_system", _house_system, errors)
    fold = None
    if payload.get("fold") is not None:
        fold = _checked(payload, "fold", _fold, errors)

    # Each None below already has its error listed; naming them narrows the types.
    if (
        errors
        or local_datetime is None
        or zone is None
        or latitude is None
        or longitude is None
        or house_system is None
    ):
        raise InvalidInput(errors)
    return NatalChartInput(
        local_datetime=local_datetime,
        zone=zone,
        latitude=latitude,
        longitude=longitude,
        house_system=house_system,
        fold=fold,
    )


class _Rejected(Exception):  # noqa: N818 - internal signal carrying the error text
    def __init__(self, message: str, accepted: str) -> None:
        super().__init__(message)
        self.message = message
        self.accepted = accepted


def _required(
    payload: dict[str, object],
    name: str,
    parse: Callable[[object], T],
    errors: list[FieldError],
) -> T | None:
    if payload.get(name) is None:
        errors.append(FieldError(name, "required field is missing", _accepted_for(name)))
        return None
    return _checked(payload, name, parse, errors)


def _checked(
    payload: dict[str, object],
    name: str,
    parse: Callable[[object], T],
    errors: list[FieldError],
) -> T | None:
    try:
        return parse(payload[name])
    except _Rejected as rejected:
        errors.append(FieldError(name, rejected.message, rejected.accepted))
        return None


def _accepted_for(name: str) -> str:
    return {
        "datetime": ACCEPTED_DATETIME,
        "timezone": ACCEPTED_TIMEZONE,
        "latitude": ACCEPTED_LATITUDE,
        "longitude": ACCEPTED_LONGITUDE,
    }[name]


def _local_datetime(value: object) -> datetime:
    if not isinstance(value, str):
        raise _Rejected(f"expected a string, got {_json_type(value)}", ACCEPTED_DATETIME)
    match = _LOCAL_DATETIME.fullmatch(value.strip())
    if match is None:
        raise _Rejected(f"{_show(value)} is not a local date and time", ACCEPTED_DATETIME)
    year, month, day, hour, minute, second, fraction = match.groups()
    try:
        return datetime(
            int(year),
            int(month),
            int(day),
            int(hour),
            int(minute),
            int(second or 0),
            int((fraction or "0").ljust(6, "0")),
        )
    except ValueError as exc:
        raise _Rejected(
            f"{_show(value)} is not a valid date and time: {exc}", ACCEPTED_DATETIME
        ) from exc


def _timezone(value: object) -> ZoneInfo:
    if not isinstance(value, str):
        raise _Rejected(f"expected a string, got {_json_type(value)}", ACCEPTED_TIMEZONE)
    zone = load_zone(value.strip())
    if zone is None:
        raise _Rejected(f"{_show(value)} is not a known IANA time zone", ACCEPTED_TIMEZONE)
    return zone


def _number(value: object, accepted: str) -> float:
    # JSON true/false arrive as bool, which Python treats as an int; they are not coordinates.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _Rejected(f"expected a number, got {_json_type(value)}", accepted)
    number = float(value)
    if not math.isfinite(number):
        raise _Rejected("expected a finite number", accepted)
    return number


def _latitude(value: object) -> float:
    latitude = _number(value, ACCEPTED_LATITUDE)
    # The poles have no horizon that ecliptic degrees rise over, so no house system works there.
    if not -90.0 < latitude < 90.0:
        raise _Rejected(f"{latitude} is out of range", ACCEPTED_LATITUDE)
    return latitude


def _longitude(value: object) -> float:
    longitude = _number(value, ACCEPTED_LONGITUDE)
    if not -180.0 <= longitude <= 180.0:
        raise _Rejected(f"{longitude} is out of range", ACCEPTED_LONGITUDE)
    return longitude


def _house_system(value: object) -> HouseSystem:
    accepted = accepted_house_systems()
    if not isinstance(value, str):
        raise _Rejected(f"expected a string, got {_json_type(value)}", accepted)
    system = resolve_house_system(value)
    if system is None:
        raise _Rejected(f"{_show(value)} is not a supported house system", accepted)
    return system


def _fold(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value not in (0, 1):
        raise _Rejected(f"expected 0 or 1, got {_show(value)}", ACCEPTED_FOLD)
    return value


def _show(value: object) -> str:
    text = repr(value)
    if len(text) <= _SHOWN_CHARACTERS:
        return text
    return text[: _SHOWN_CHARACTERS - 3] + "..."


def _json_type(value: object) -> str:
    names = {bool: "a boolean", str: "a string", int: "a number", float: "a number"}
    names |= {list: "an array", dict: "an object", type(None): "null"}
    return names.get(type(value), type(value).__name__)
