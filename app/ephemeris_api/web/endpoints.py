"""Chart endpoints beyond the natal chart: positions, houses, transits, synastry, composite,
returns, progressions and the Moon's phase, plus their variants at the server's clock.

Each handler validates with `schemas`, computes with `ephemeris_api.astro` and renders with
`presenters`; the astronomy conventions are documented in the astro modules.
"""

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Final

import swisseph as swe

from ephemeris_api.astro.aspects import find_aspects, find_cross_aspects
from ephemeris_api.astro.bodies import POINTS_BY_NAME
from ephemeris_api.astro.chart import (
    Cast,
    ChartOptions,
    NatalChartInput,
    TimeInput,
    cast,
    compute_natal_chart,
    place_body,
)
from ephemeris_api.astro.civil_time import (
    SUPPORTED_RANGE,
    Calendar,
    LocalTimeKind,
    ResolvedTime,
    TimeSource,
)
from ephemeris_api.astro.ephemeris import Ephemeris, TimeScales
from ephemeris_api.astro.events import aspect_targets, find_hits, moon_phase, next_return
from ephemeris_api.astro.frame import Observer
from ephemeris_api.astro.relations import (
    davison_observer,
    midpoint_composite,
    secondary_progression,
    solar_arc_directions,
)
from ephemeris_api.errors import FieldError, InvalidInput
from ephemeris_api.web import presenters
from ephemeris_api.web.schemas import (
    ASPECT_FIELDS,
    FRAME_FIELDS,
    NATAL_CHART_FIELDS,
    PLACE_FIELDS,
    TIME_FIELDS,
    Reader,
    Rejected,
    finish,
    point_names,
    read_aspects,
    read_observer,
    read_subject,
    read_time,
)

MAX_SEARCH_DAYS: Final = 366.0
DEFAULT_TRANSITING: Final = (
    "sun",
    "moon",
    "mercury",
    "venus",
    "mars",
    "jupiter",
    "saturn",
    "uranus",
    "neptune",
    "pluto",
)
SLOW_TRANSITING: Final = (DEFAULT_TRANSITING[0], *DEFAULT_TRANSITING[2:])
POSITIONS_FIELDS: Final = (*TIME_FIELDS, *PLACE_FIELDS, *FRAME_FIELDS, "points", *ASPECT_FIELDS)
HOUSES_FIELDS: Final = (*TIME_FIELDS, *PLACE_FIELDS, "house_system", "zodiac", "ayanamsa")
TRANSIT_FIELDS: Final = ("natal", "transit", "transiting_points", *ASPECT_FIELDS)
SEARCH_FIELDS: Final = ("natal", "start", "end", "transiting_points", "aspects")
PAIR_FIELDS: Final = ("first", "second", *ASPECT_FIELDS)
COMPOSITE_FIELDS: Final = ("first", "second", "method")
RETURN_FIELDS: Final = ("natal", "body", "after", "latitude", "longitude", "altitude")
PROGRESSION_FIELDS: Final = ("natal", "target", "method")
MOON_FIELDS: Final = TIME_FIELDS
ACCEPTED_BODY: Final = "sun, moon, mercury, venus, mars, jupiter, saturn, uranus, neptune, pluto"
ACCEPTED_COMPOSITE: Final = '"midpoint" (default) or "davison"'
ACCEPTED_PROGRESSION: Final = '"secondary" (default) or "solar_arc"'


def _now() -> TimeInput:
    now = datetime.now(UTC).replace(tzinfo=None)
    return TimeInput(local=now, offset=timedelta(0), source=TimeSource.UT)


def _scales(when: TimeInput, ephemeris: Ephemeris) -> tuple[ResolvedTime, TimeScales]:
    resolved = when.resolve()
    return resolved, ephemeris.time_scales(resolved.utc)


def _natal_cast(subject: NatalChartInput, ephemeris: Ephemeris) -> tuple[ResolvedTime, Cast]:
    chart = compute_natal_chart(subject, ephemeris)
    return chart.time, chart.cast


def _moment_body(resolved: ResolvedTime, scales: TimeScales) -> dict:
    return presenters.time(resolved, scales)


# --- positions and houses ----------------------------------------------------------------


def positions_for(payload: object, ephemeris: Ephemeris) -> dict:
    """Points (no houses) at a moment; the place matters only to topocentric positions."""
    errors: list[FieldError] = []
    subject = read_subject(
        Reader(payload, POSITIONS_FIELDS, errors), place_required=False, houses=False
    )
    finish(errors, subject)
    return _positions(subject, ephemeris)


def _positions(subject: NatalChartInput, ephemeris: Ephemeris) -> dict:
    resolved, scales = _scales(subject.when, ephemeris)
    found = cast(scales, subject.observer, subject.options, ephemeris, with_houses=False)
    return {
        "time": _moment_body(resolved, scales),
        "meta": presenters.meta(found, resolved, found.warnings),
        **presenters.cast_body(found),
        "aspects": [
            presenters.aspect(aspect)
            for aspect in find_aspects(found.placed(), subject.options.aspects)
        ],
    }


def houses_for(payload: object, ephemeris: Ephemeris) -> dict:
    """House cusps and angles only."""
    errors: list[FieldError] = []
    reader = Reader(payload, HOUSES_FIELDS, errors)
    subject = read_subject(reader)
    finish(errors, subject)
    resolved, scales = _scales(subject.when, ephemeris)
    found = cast(scales, subject.observer, subject.options, ephemeris, points=())
    body = {
        "time": _moment_body(resolved, scales),
        "meta": presenters.meta(found, resolved, found.warnings),
        **presenters.cast_body(found),
    }
    del body["positions"], body["distribution"]
    return body


def positions_now(ephemeris: Ephemeris) -> dict:
    """Default points at the server's clock, geocentric apparent tropical."""
    return _positions(NatalChartInput(when=_now(), observer=Observer(0.0, 0.0)), ephemeris)


# --- transits ----------------------------------------------------------------------------


def transits_for(payload: object, ephemeris: Ephemeris, *, now: bool = False) -> dict:
    """Transiting bodies at a moment, in the natal houses, with aspects to natal points."""
    errors: list[FieldError] = []
    allowed = tuple(field for field in TRANSIT_FIELDS if not (now and field == "transit"))
    reader = Reader(payload, allowed, errors)
    natal = read_subject(reader.nested("natal", NATAL_CHART_FIELDS))
    when = _now() if now else read_time(reader.nested("transit", TIME_FIELDS))
    transiting = reader.optional("transiting_points", point_names, DEFAULT_TRANSITING)
    aspects = read_aspects(reader)
    finish(errors, natal, when, aspects)
    natal_time, natal_cast = _natal_cast(natal, ephemeris)
    resolved, scales = _scales(when, ephemeris)
    options = replace(natal.options, points=transiting)
    moving = cast(scales, natal.observer, options, ephemeris, with_houses=False)
    moving = _in_houses(moving, natal_cast)
    return {
        "time": _moment_body(resolved, scales),
        "natal_time": _moment_body(natal_time, natal_cast.scales),
        "meta": presenters.meta(moving, resolved, natal_cast.warnings + moving.warnings),
        "transits": presenters.cast_body(moving)["positions"],
        "natal": presenters.cast_body(natal_cast),
        "aspects": [
            presenters.aspect(aspect)
            for aspect in find_cross_aspects(moving.placed(), natal_cast.placed(), aspects)
        ],
    }


def _in_houses(moving: Cast, natal: Cast) -> Cast:
    """The moving points placed in another chart's houses."""
    bodies = tuple(
        place_body(placed.body, placed.position, natal.houses) for placed in moving.bodies
    )
    return replace(moving, bodies=bodies)


def transit_search(payload: object, ephemeris: Ephemeris) -> dict:
    """Exact transit-to-natal aspects within a date range of at most 366 days."""
    errors: list[FieldError] = []
    reader = Reader(payload, SEARCH_FIELDS, errors)
    natal = read_subject(reader.nested("natal", NATAL_CHART_FIELDS))
    start = read_time(reader.nested("start", TIME_FIELDS))
    end = read_time(reader.nested("end", TIME_FIELDS))
    # The Moon would add some 1,600 events a year; it is searched only when asked for.
    transiting = reader.optional("transiting_points", point_names, SLOW_TRANSITING)
    settings = read_aspects(reader)
    finish(errors, natal, start, end, settings)
    start_time, start_scales = _scales(start, ephemeris)
    end_time, end_scales = _scales(end, ephemeris)
    span = end_scales.julian_day_ut - start_scales.julian_day_ut
    if not 0.0 < span <= MAX_SEARCH_DAYS:
        raise InvalidInput.single(
            "end",
            f"the range is {span:.2f} days",
            f"an end after the start, at most {MAX_SEARCH_DAYS:g} days later",
        )
    _, natal_cast = _natal_cast(natal, ephemeris)
    natal_points = [(placed.body.name, placed.position.longitude) for placed in natal_cast.bodies]
    targets = aspect_targets(natal_points, settings.kinds)
    frame = replace(natal_cast.options.frame, observer=natal.observer)
    ephemeris.activate()
    frame.activate()
    hits = []
    for name in transiting:
        body = POINTS_BY_NAME[name]
        if body.swe_id < 0 or name == "earth":
            continue
        hits.extend(
            find_hits(
                ephemeris,
                frame,
                body,
                targets,
                start_scales.julian_day_ut,
                end_scales.julian_day_ut,
            )
        )
    hits.sort(key=lambda hit: hit.julian_day_ut)
    return {
        "start": _moment_body(start_time, start_scales),
        "end": _moment_body(end_time, end_scales),
        "meta": presenters.meta(natal_cast, start_time, natal_cast.warnings),
        "events": [
            {
                "julian_day_ut": hit.julian_day_ut,
                "utc": presenters.utc_iso(_utc_of(hit.julian_day_ut)),
                "transiting": hit.body,
                "natal": hit.target.natal_point,
                "aspect": hit.target.kind.name,
                "angle": hit.target.kind.angle,
                "longitude": hit.target.longitude,
                "retrograde": hit.retrograde,
            }
            for hit in hits
        ],
    }


def _utc_of(julian_day_ut: float) -> datetime:
    year, month, day, hour, minute, seconds = swe.jdut1_to_utc(julian_day_ut, swe.GREG_CAL)
    whole = int(seconds)
    micro = round((seconds - whole) * 1e6)
    base = datetime(year, month, day, hour, minute, min(whole, 59), tzinfo=UTC)
    return base + timedelta(microseconds=micro)


# --- synastry and composite --------------------------------------------------------------


def synastry(payload: object, ephemeris: Ephemeris) -> dict:
    """Aspects between two charts and each chart's points in the other's houses."""
    errors: list[FieldError] = []
    reader = Reader(payload, PAIR_FIELDS, errors)
    first = read_subject(reader.nested("first", NATAL_CHART_FIELDS))
    second = read_subject(reader.nested("second", NATAL_CHART_FIELDS))
    settings = read_aspects(reader)
    finish(errors, first, second, settings)
    first_time, first_cast = _natal_cast(first, ephemeris)
    _, second_cast = _natal_cast(second, ephemeris)
    return {
        "meta": presenters.meta(first_cast, first_time, first_cast.warnings + second_cast.warnings),
        "first": presenters.cast_body(first_cast),
        "second": presenters.cast_body(second_cast),
        "aspects": [
            presenters.aspect(aspect)
            for aspect in find_cross_aspects(first_cast.placed(), second_cast.placed(), settings)
        ],
        "house_overlay": {
            "first_in_second": _overlay(first_cast, second_cast),
            "second_in_first": _overlay(second_cast, first_cast),
        },
    }


def _overlay(points: Cast, houses: Cast) -> dict[str, int | None]:
    placed = _in_houses(points, houses)
    return {item.body.name: item.house for item in placed.bodies}


def composite(payload: object, ephemeris: Ephemeris) -> dict:
    """Midpoint composite or Davison relationship chart."""
    errors: list[FieldError] = []
    reader = Reader(payload, COMPOSITE_FIELDS, errors)
    first = read_subject(reader.nested("first", NATAL_CHART_FIELDS))
    second = read_subject(reader.nested("second", NATAL_CHART_FIELDS))
    method = reader.optional(
        "method", _choice(("midpoint", "davison"), ACCEPTED_COMPOSITE), "midpoint"
    )
    finish(errors, first, second)
    first_time, first_cast = _natal_cast(first, ephemeris)
    _, second_cast = _natal_cast(second, ephemeris)
    options = first.options
    if method == "midpoint":
        result = midpoint_composite(first_cast, second_cast, options)
        extra: dict = {}
    else:
        mean_jd = (first_cast.scales.julian_day_ut + second_cast.scales.julian_day_ut) / 2.0
        observer = davison_observer(first.observer, second.observer)
        result = cast(ephemeris.time_scales_of(mean_jd), observer, options, ephemeris)
        extra = {
            "julian_day_ut": mean_jd,
            "utc": presenters.utc_iso(_utc_of(mean_jd)),
            "latitude": observer.latitude,
            "longitude": observer.longitude,
        }
    return {
        "method": method,
        "davison": extra or None,
        "meta": presenters.meta(result, first_time, result.warnings),
        **presenters.cast_body(result),
        "aspects": [
            presenters.aspect(aspect) for aspect in find_aspects(result.placed(), options.aspects)
        ],
    }


def _choice(choices: tuple[str, ...], accepted: str):  # noqa: ANN202 - parser factory
    def parse(value: object) -> str:
        if value not in choices:
            raise Rejected(f"{value!r:.60} is not one of {', '.join(choices)}", accepted)
        return str(value)

    return parse


# --- returns and progressions ------------------------------------------------------------


def planet_return(payload: object, ephemeris: Ephemeris) -> dict:
    """The next return of a body to its natal longitude after a moment, as a full chart."""
    errors: list[FieldError] = []
    reader = Reader(payload, RETURN_FIELDS, errors)
    natal = read_subject(reader.nested("natal", NATAL_CHART_FIELDS))
    body_name = reader.optional("body", _choice(DEFAULT_TRANSITING, ACCEPTED_BODY), "sun")
    after = read_time(reader.nested("after", TIME_FIELDS))
    relocated = None
    if reader.has("latitude") or reader.has("longitude"):
        relocated = read_observer(reader)
    finish(errors, natal, after)
    _, natal_cast = _natal_cast(natal, ephemeris)
    _, after_scales = _scales(after, ephemeris)
    body = POINTS_BY_NAME[body_name]
    longitude = natal_cast.longitude_of(body_name) if _has(natal_cast, body_name) else None
    frame = replace(natal_cast.options.frame, observer=natal.observer)
    ephemeris.activate()
    frame.activate()
    if longitude is None:
        longitude = ephemeris.longitude(natal_cast.scales.julian_day_ut, body, frame)
    try:
        found_jd = next_return(ephemeris, frame, body, longitude, after_scales.julian_day_ut)
    except ValueError as exc:
        raise InvalidInput.single("after", str(exc), SUPPORTED_RANGE) from exc
    observer = relocated or natal.observer
    scales = ephemeris.time_scales_of(found_jd)
    _check_range(scales, "after")
    result = cast(scales, observer, natal.options, ephemeris)
    resolved = _ut_time(found_jd)
    return {
        "body": body_name,
        "natal_longitude": longitude,
        "time": _moment_body(resolved, scales),
        "meta": presenters.meta(result, resolved, result.warnings),
        **presenters.cast_body(result),
        "aspects": [
            presenters.aspect(aspect)
            for aspect in find_aspects(result.placed(), natal.options.aspects)
        ],
    }


def _has(found: Cast, name: str) -> bool:
    return any(placed.body.name == name for placed in found.bodies)


def _check_range(scales: TimeScales, field: str) -> None:
    # 2378496.5 and 2597641.0 are the first and last supported UT instants.
    if not 2378497.0 <= scales.julian_day_ut <= 2597641.0:
        raise InvalidInput.single(
            field, "the result falls outside the ephemeris files", SUPPORTED_RANGE
        )


def _ut_time(julian_day_ut: float) -> ResolvedTime:
    utc = _utc_of(julian_day_ut)
    return ResolvedTime(
        local=utc.replace(tzinfo=None),
        zone=None,
        kind=LocalTimeKind.UNIQUE,
        fold=None,
        utc=utc,
        utc_offset=timedelta(0),
        source=TimeSource.UT,
        calendar=Calendar.GREGORIAN,
    )


def progressions(payload: object, ephemeris: Ephemeris) -> dict:
    """Secondary progressions or solar arc directions for a target moment."""
    errors: list[FieldError] = []
    reader = Reader(payload, PROGRESSION_FIELDS, errors)
    natal = read_subject(reader.nested("natal", NATAL_CHART_FIELDS))
    target = read_time(reader.nested("target", TIME_FIELDS))
    method = reader.optional(
        "method", _choice(("secondary", "solar_arc"), ACCEPTED_PROGRESSION), "secondary"
    )
    finish(errors, natal, target)
    natal_time, natal_cast = _natal_cast(natal, ephemeris)
    target_time, target_scales = _scales(target, ephemeris)
    compute = secondary_progression if method == "secondary" else solar_arc_directions
    progressed = compute(natal_cast, target_scales.julian_day_ut, natal.options, ephemeris)
    return {
        "method": method,
        "target": _moment_body(target_time, target_scales),
        "progressed_julian_day_ut": progressed.progressed_julian_day_ut,
        "solar_arc": progressed.solar_arc,
        "meta": presenters.meta(progressed.cast, natal_time, progressed.cast.warnings),
        **presenters.cast_body(progressed.cast),
        "aspects_to_natal": [
            presenters.aspect(aspect)
            for aspect in find_cross_aspects(
                progressed.cast.placed(), natal_cast.placed(), natal.options.aspects
            )
        ],
    }


# --- moon phase --------------------------------------------------------------------------


def moon_phase_for(payload: object, ephemeris: Ephemeris) -> dict:
    """The Moon's phase at a moment."""
    errors: list[FieldError] = []
    when = read_time(Reader(payload, MOON_FIELDS, errors))
    finish(errors, when)
    return _moon_phase(when, ephemeris)


def moon_phase_now(ephemeris: Ephemeris) -> dict:
    """The Moon's phase at the server's clock."""
    return _moon_phase(_now(), ephemeris)


def _moon_phase(when: TimeInput, ephemeris: Ephemeris) -> dict:
    resolved, scales = _scales(when, ephemeris)
    options = ChartOptions(points=("sun", "moon"))
    found = cast(scales, Observer(0.0, 0.0), options, ephemeris, with_houses=False)
    phase = moon_phase(ephemeris, found.options.frame, scales.julian_day_ut)

    def event(jd: float) -> dict:
        return {"julian_day_ut": jd, "utc": presenters.utc_iso(_utc_of(jd))}

    return {
        "time": _moment_body(resolved, scales),
        "meta": presenters.meta(found, resolved, found.warnings),
        "phase": phase.name,
        "elongation": phase.elongation,
        "phase_angle": phase.phase_angle,
        "illumination": phase.illumination,
        "waxing": phase.elongation < 180.0,
        "previous_new_moon": event(phase.previous_new_moon),
        "next_new_moon": event(phase.next_new_moon),
        "previous_full_moon": event(phase.previous_full_moon),
        "next_full_moon": event(phase.next_full_moon),
    }
