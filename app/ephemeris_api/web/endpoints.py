"""Chart endpoints: natal chart, positions, houses, transits, synastry, composite, returns,
progressions and the Moon's phase, plus their variants at the server's clock.

Each endpoint is two steps: `parse_*` validates a body with `schemas` into a request (frozen
dataclasses, so equal requests compare and serialize equal whatever spelling the body used),
and the compute function computes it with `ephemeris_api.astro` and renders it with
`presenters`. The HTTP layer keys its cache on the parsed request between the two. The
astronomy conventions are documented in the astro modules.
"""

import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any, Final

import swisseph as swe

from ephemeris_api.astro.aspects import AspectSettings, find_aspects, find_cross_aspects
from ephemeris_api.astro.bodies import PLANETS, POINTS_BY_NAME, Source, resolve_point
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
    FIRST_JULIAN_DAY_UT,
    LAST_JULIAN_DAY_UT,
    SUPPORTED_RANGE,
    Calendar,
    LocalTimeKind,
    ResolvedTime,
    TimeSource,
)
from ephemeris_api.astro.ephemeris import Ephemeris, TimeScales
from ephemeris_api.astro.events import OutsideEphemeris, aspect_targets, find_hits, next_return
from ephemeris_api.astro.events import moon_phase as find_moon_phase
from ephemeris_api.astro.frame import Observer, Perspective
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
    parse_natal_chart_request,
    point_names,
    read_aspects,
    read_observer,
    read_subject,
    read_time,
)

MAX_SEARCH_DAYS: Final = 366.0
# A transit search costs about 0.35 us per (natal aspect point, transiting body, day) on one
# core: this caps a request near a second of a worker's time. The default search (natal points,
# major aspects, Sun and Mercury to Pluto, a year) uses about 0.4 million.
MAX_SEARCH_WORK: Final = 2_500_000
DEFAULT_TRANSITING: Final = PLANETS
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
# Points found by sampling and root finding in a transit search; the others are derived from
# houses or from another point.
_SEARCHABLE: Final = frozenset({Source.EPHEMERIS, Source.STAR, Source.ASTEROID})


@dataclass(frozen=True, slots=True)
class Endpoint:
    """An endpoint's two steps: body -> validated request, request -> answer."""

    parse: Callable[[object], Any]
    compute: Callable[[Any, Ephemeris], dict]


@contextmanager
def _fields_under(prefix: str, renamed: dict[str, str] | None = None) -> Iterator[None]:
    """Name the fields of errors found while computing a nested part as the caller sent them.

    The computation knows only its own field names (`points`, `datetime`); inside `natal` they
    are `natal.points`, and the points chosen by `transiting_points` are that field's.
    """
    try:
        yield
    except InvalidInput as exc:
        errors = [
            replace(error, field=prefix + (renamed or {}).get(error.field, error.field))
            for error in exc.errors
        ]
        raise InvalidInput(errors) from exc


def _now() -> TimeInput:
    now = datetime.now(UTC).replace(tzinfo=None)
    return TimeInput(local=now, offset=timedelta(0), source=TimeSource.UT)


def _scales(when: TimeInput, ephemeris: Ephemeris) -> tuple[ResolvedTime, TimeScales]:
    resolved = when.resolve()
    return resolved, ephemeris.time_scales(resolved.utc)


def _natal_cast(
    subject: NatalChartInput, ephemeris: Ephemeris, field: str
) -> tuple[ResolvedTime, Cast]:
    with _fields_under(field + "."):
        chart = compute_natal_chart(subject, ephemeris)
    return chart.time, chart.cast


# --- natal chart -------------------------------------------------------------------------


def natal_chart(subject: NatalChartInput, ephemeris: Ephemeris) -> dict:
    """Compute a natal chart for a local time, time zone and place."""
    return presenters.natal_chart(compute_natal_chart(subject, ephemeris))


def _moment_body(resolved: ResolvedTime, scales: TimeScales) -> dict:
    return presenters.time(resolved, scales)


# --- positions and houses ----------------------------------------------------------------


def parse_positions(payload: object) -> NatalChartInput:
    """A positions request: a subject whose place is optional and without houses."""
    errors: list[FieldError] = []
    subject = read_subject(
        Reader(payload, POSITIONS_FIELDS, errors), place_required=False, houses=False
    )
    finish(errors, subject)
    return subject


def positions(subject: NatalChartInput, ephemeris: Ephemeris) -> dict:
    """Points (no houses) at a moment; the place matters only to topocentric positions."""
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


def parse_houses(payload: object) -> NatalChartInput:
    """A houses request: moment, place, house system and zodiac."""
    errors: list[FieldError] = []
    subject = read_subject(Reader(payload, HOUSES_FIELDS, errors))
    finish(errors, subject)
    return subject


def houses(subject: NatalChartInput, ephemeris: Ephemeris) -> dict:
    """House cusps and angles only."""
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
    return positions(NatalChartInput(when=_now(), observer=Observer(0.0, 0.0)), ephemeris)


# --- transits ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TransitsRequest:
    """A natal subject, the transit moment, the transiting points and aspect settings."""

    natal: NatalChartInput
    when: TimeInput
    transiting: tuple[str, ...]
    aspects: AspectSettings


def parse_transits(payload: object, *, now: bool = False) -> TransitsRequest:
    """A transits request; at the server clock (`now`) it has no `transit` moment."""
    errors: list[FieldError] = []
    allowed = tuple(field for field in TRANSIT_FIELDS if not (now and field == "transit"))
    reader = Reader(payload, allowed, errors)
    natal = read_subject(reader.nested("natal", NATAL_CHART_FIELDS))
    when = _now() if now else read_time(reader.nested("transit", TIME_FIELDS))
    transiting = reader.optional("transiting_points", point_names, DEFAULT_TRANSITING)
    aspects = read_aspects(reader)
    finish(errors, natal, when, aspects)
    return TransitsRequest(natal, when, transiting, aspects)


def transits(request: TransitsRequest, ephemeris: Ephemeris) -> dict:
    """Transiting bodies at a moment, in the natal houses, with aspects to natal points."""
    natal, aspects = request.natal, request.aspects
    natal_time, natal_cast = _natal_cast(natal, ephemeris, "natal")
    with _fields_under("transit."):
        resolved, scales = _scales(request.when, ephemeris)
    options = replace(natal.options, points=request.transiting)
    with _fields_under("", {"points": "transiting_points"}):
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


@dataclass(frozen=True, slots=True)
class SearchRequest:
    """A natal subject, the range searched, the transiting points and aspect settings."""

    natal: NatalChartInput
    start: TimeInput
    end: TimeInput
    transiting: tuple[str, ...]
    aspects: AspectSettings


def parse_transit_search(payload: object) -> SearchRequest:
    """A transit search request."""
    errors: list[FieldError] = []
    reader = Reader(payload, SEARCH_FIELDS, errors)
    natal = read_subject(reader.nested("natal", NATAL_CHART_FIELDS))
    start = read_time(reader.nested("start", TIME_FIELDS))
    end = read_time(reader.nested("end", TIME_FIELDS))
    # The Moon would add some 1,600 events a year; it is searched only when asked for.
    transiting = reader.optional("transiting_points", point_names, SLOW_TRANSITING)
    settings = read_aspects(reader)
    finish(errors, natal, start, end, settings)
    return SearchRequest(natal, start, end, transiting, settings)


def transit_search(request: SearchRequest, ephemeris: Ephemeris) -> dict:
    """Exact transit-to-natal aspects within a date range of at most 366 days."""
    natal, transiting, settings = request.natal, request.transiting, request.aspects
    with _fields_under("start."):
        start_time, start_scales = _scales(request.start, ephemeris)
    with _fields_under("end."):
        end_time, end_scales = _scales(request.end, ephemeris)
    # Measured in UTC, as the caller wrote it: Julian days UT1 drift from UTC by up to a second,
    # which would refuse a whole leap year as "366.00 days".
    span = end_time.utc - start_time.utc
    if not timedelta(0) < span <= timedelta(days=MAX_SEARCH_DAYS):
        found = (
            f"the end is {span} after the start"
            if span > timedelta(0)
            else "the end is not after the start"
        )
        raise InvalidInput.single(
            "end", found, f"an end after the start, at most {MAX_SEARCH_DAYS:g} days later"
        )
    _, natal_cast = _natal_cast(natal, ephemeris, "natal")
    natal_points = [(placed.body.name, placed.position.longitude) for placed in natal_cast.bodies]
    targets = aspect_targets(natal_points, settings.kinds)
    bodies = [
        body
        for body in map(resolve_point, transiting)
        if body is not None and body.source in _SEARCHABLE and body.name != "earth"
    ]
    work = len(targets) * len(bodies) * math.ceil(span / timedelta(days=1))
    if work > MAX_SEARCH_WORK:
        raise InvalidInput.single(
            "transiting_points",
            f"{len(targets)} natal aspect points (natal points x aspects) x {len(bodies)}"
            f" transiting bodies x {math.ceil(span / timedelta(days=1))} days = {work:,}",
            f"a search of at most {MAX_SEARCH_WORK:,}: fewer natal points, transiting points"
            " or aspects, or a shorter range",
        )
    frame = replace(natal_cast.options.frame, observer=natal.observer)
    ephemeris.activate()
    frame.activate()
    hits = []
    for body in bodies:
        with _fields_under("", {"points": "transiting_points"}):
            found = find_hits(
                ephemeris,
                frame,
                body,
                targets,
                start_scales.julian_day_ut,
                end_scales.julian_day_ut,
            )
        hits.extend(found)
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


@dataclass(frozen=True, slots=True)
class PairRequest:
    """Two subjects and what to do with them: aspect settings (synastry) or a method."""

    first: NatalChartInput
    second: NatalChartInput
    aspects: AspectSettings | None = None
    method: str = ""


def parse_synastry(payload: object) -> PairRequest:
    """A synastry request: two subjects and aspect settings."""
    errors: list[FieldError] = []
    reader = Reader(payload, PAIR_FIELDS, errors)
    first = read_subject(reader.nested("first", NATAL_CHART_FIELDS))
    second = read_subject(reader.nested("second", NATAL_CHART_FIELDS))
    settings = read_aspects(reader)
    finish(errors, first, second, settings)
    return PairRequest(first, second, aspects=settings)


def synastry(request: PairRequest, ephemeris: Ephemeris) -> dict:
    """Aspects between two charts and each chart's points in the other's houses."""
    settings = request.aspects
    first_time, first_cast = _natal_cast(request.first, ephemeris, "first")
    _, second_cast = _natal_cast(request.second, ephemeris, "second")
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


def parse_composite(payload: object) -> PairRequest:
    """A composite request: two subjects and the method."""
    errors: list[FieldError] = []
    reader = Reader(payload, COMPOSITE_FIELDS, errors)
    first = read_subject(reader.nested("first", NATAL_CHART_FIELDS))
    second = read_subject(reader.nested("second", NATAL_CHART_FIELDS))
    method = reader.optional(
        "method", _choice(("midpoint", "davison"), ACCEPTED_COMPOSITE), "midpoint"
    )
    finish(errors, first, second)
    return PairRequest(first, second, method=method)


def composite(request: PairRequest, ephemeris: Ephemeris) -> dict:
    """Midpoint composite or Davison relationship chart."""
    first, second, method = request.first, request.second, request.method
    first_time, first_cast = _natal_cast(first, ephemeris, "first")
    _, second_cast = _natal_cast(second, ephemeris, "second")
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


def _choice(choices: tuple[str, ...], accepted: str) -> Callable[[object], str]:
    def parse(value: object) -> str:
        if value not in choices:
            raise Rejected(f"{value!r:.60} is not one of {', '.join(choices)}", accepted)
        return str(value)

    return parse


# --- returns and progressions ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReturnRequest:
    """A natal subject, the returning body, the moment after which, and an optional place."""

    natal: NatalChartInput
    body: str
    after: TimeInput
    relocated: Observer | None


def parse_return(payload: object) -> ReturnRequest:
    """A return request."""
    errors: list[FieldError] = []
    reader = Reader(payload, RETURN_FIELDS, errors)
    natal = read_subject(reader.nested("natal", NATAL_CHART_FIELDS))
    body_name = reader.optional("body", _choice(DEFAULT_TRANSITING, ACCEPTED_BODY), "sun")
    if natal is not None and body_name == "sun" and _heliocentric(natal):
        reader.fail(
            "body",
            "the Sun has no heliocentric position, so it has no heliocentric return",
            f'{ACCEPTED_BODY} other than sun, or a natal "perspective" other than heliocentric',
        )
    after = read_time(reader.nested("after", TIME_FIELDS))
    relocated = None
    if reader.has("latitude") or reader.has("longitude"):
        relocated = read_observer(reader)
    finish(errors, natal, after)
    return ReturnRequest(natal, body_name, after, relocated)


def planet_return(request: ReturnRequest, ephemeris: Ephemeris) -> dict:
    """The next return of a body to its natal longitude after a moment, as a full chart."""
    natal, body_name, relocated = request.natal, request.body, request.relocated
    _, natal_cast = _natal_cast(natal, ephemeris, "natal")
    with _fields_under("after."):
        _, after_scales = _scales(request.after, ephemeris)
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


def _heliocentric(subject: NatalChartInput) -> bool:
    """Whether a subject's chart is seen from the Sun."""
    return subject.options.frame.perspective is Perspective.HELIOCENTRIC


def _has(found: Cast, name: str) -> bool:
    return any(placed.body.name == name for placed in found.bodies)


def _check_range(scales: TimeScales, field: str) -> None:
    if not FIRST_JULIAN_DAY_UT <= scales.julian_day_ut <= LAST_JULIAN_DAY_UT:
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


@dataclass(frozen=True, slots=True)
class ProgressionRequest:
    """A natal subject, the target moment and the method."""

    natal: NatalChartInput
    target: TimeInput
    method: str


def parse_progressions(payload: object) -> ProgressionRequest:
    """A progressions request."""
    errors: list[FieldError] = []
    reader = Reader(payload, PROGRESSION_FIELDS, errors)
    natal = read_subject(reader.nested("natal", NATAL_CHART_FIELDS))
    target = read_time(reader.nested("target", TIME_FIELDS))
    method = reader.optional(
        "method", _choice(("secondary", "solar_arc"), ACCEPTED_PROGRESSION), "secondary"
    )
    finish(errors, natal, target)
    return ProgressionRequest(natal, target, method)


def progressions(request: ProgressionRequest, ephemeris: Ephemeris) -> dict:
    """Secondary progressions or solar arc directions for a target moment."""
    natal, method = request.natal, request.method
    natal_time, natal_cast = _natal_cast(natal, ephemeris, "natal")
    with _fields_under("target."):
        target_time, target_scales = _scales(request.target, ephemeris)
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


def parse_moment(payload: object) -> TimeInput:
    """A moment alone (the Moon's phase)."""
    errors: list[FieldError] = []
    when = read_time(Reader(payload, MOON_FIELDS, errors))
    finish(errors, when)
    return when


def moon_phase_now(ephemeris: Ephemeris) -> dict:
    """The Moon's phase at the server's clock."""
    return moon_phase(_now(), ephemeris)


def moon_phase(when: TimeInput, ephemeris: Ephemeris) -> dict:
    """The Moon's phase at a moment."""
    resolved, scales = _scales(when, ephemeris)
    options = ChartOptions(points=("sun", "moon"))
    found = cast(scales, Observer(0.0, 0.0), options, ephemeris, with_houses=False)
    try:
        phase = find_moon_phase(ephemeris, found.options.frame, scales.julian_day_ut)
    except OutsideEphemeris as exc:
        field = "ut" if when.source is TimeSource.UT else "datetime"
        raise InvalidInput.single(
            field, f"{exc}; choose a moment at least a lunation inside the range", SUPPORTED_RANGE
        ) from exc

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


NATAL_CHART: Final = Endpoint(parse_natal_chart_request, natal_chart)
POSITIONS: Final = Endpoint(parse_positions, positions)
HOUSES: Final = Endpoint(parse_houses, houses)
TRANSITS: Final = Endpoint(parse_transits, transits)
TRANSITS_NOW: Final = Endpoint(lambda payload: parse_transits(payload, now=True), transits)
TRANSIT_SEARCH: Final = Endpoint(parse_transit_search, transit_search)
SYNASTRY: Final = Endpoint(parse_synastry, synastry)
COMPOSITE: Final = Endpoint(parse_composite, composite)
RETURNS: Final = Endpoint(parse_return, planet_return)
PROGRESSIONS: Final = Endpoint(parse_progressions, progressions)
MOON_PHASE: Final = Endpoint(parse_moment, moon_phase)
