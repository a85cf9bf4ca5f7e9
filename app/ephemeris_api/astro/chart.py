"""Charts: points, houses and aspects for one moment seen from one place.

`cast` is the one composition every chart kind shares (natal, transit, return, progressed,
Davison): it takes an instant already converted to Julian days, so the callers differ only in
how they find that instant. `compute_natal_chart` adds the civil-time handling in front.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import NamedTuple

from ephemeris_api.astro.aspects import DEFAULT_ASPECTS, Aspect, AspectSettings, find_aspects
from ephemeris_api.astro.bodies import (
    DEFAULT_POINTS,
    NOT_HELIOCENTRIC,
    ONLY_HELIOCENTRIC,
    POINTS_BY_NAME,
    Body,
    Source,
    resolve_point,
)
from ephemeris_api.astro.civil_time import (
    Calendar,
    ResolvedTime,
    TimeSource,
    resolve,
    resolve_fixed,
)
from ephemeris_api.astro.ephemeris import Ephemeris, Position, TimeScales
from ephemeris_api.astro.frame import DEFAULT_FRAME, Frame, Observer, Perspective
from ephemeris_api.astro.houses import (
    DEFAULT_HOUSE_SYSTEM,
    Houses,
    HouseSystem,
    compute_houses,
    fallback_warning,
    opposite,
)
from ephemeris_api.astro.zodiac import arc_forward, normalize, sign_of

# The Moon's range for an unknown birth time spans the local day around noon.
HALF_DAY = 0.5


@dataclass(frozen=True, slots=True)
class TimeInput:
    """A validated moment as the caller gave it, not yet pinned to UTC.

    Exactly one of `zone` (an IANA zone) or `offset` (fixed, zero for UT) is set. `local` is
    proleptic Gregorian; `calendar_date` keeps a Julian-calendar date as written.
    """

    local: datetime
    zone: object | None = None
    offset: timedelta | None = None
    source: TimeSource = TimeSource.TIMEZONE
    fold: int | None = None
    calendar: Calendar = Calendar.GREGORIAN
    calendar_date: str = ""

    def resolve(self) -> ResolvedTime:
        """The UTC instant; raises `InvalidInput` for DST gaps, folds and the range."""
        if self.offset is not None:
            resolved = resolve_fixed(self.local, self.offset, self.source)
        else:
            resolved = resolve(self.local, self.zone, self.fold)  # type: ignore[arg-type]
        return replace(resolved, calendar=self.calendar, calendar_date=self.calendar_date)

    def at_noon(self) -> "TimeInput":
        """The same day at 12:00 local time (for charts whose birth time is unknown)."""
        return replace(self, local=self.local.replace(hour=12, minute=0, second=0, microsecond=0))


@dataclass(frozen=True, slots=True)
class ChartOptions:
    """Everything about a chart except its moment and place."""

    house_system: HouseSystem = DEFAULT_HOUSE_SYSTEM
    frame: Frame = DEFAULT_FRAME
    points: tuple[str, ...] = DEFAULT_POINTS
    aspects: AspectSettings = DEFAULT_ASPECTS


@dataclass(frozen=True, slots=True)
class NatalChartInput:
    """A validated request for a natal chart."""

    when: TimeInput
    observer: Observer
    options: ChartOptions = field(default_factory=ChartOptions)
    time_unknown: bool = False

    @property
    def latitude(self) -> float:
        """Geographic latitude of the chart's place."""
        return self.observer.latitude

    @property
    def longitude(self) -> float:
        """Geographic longitude of the chart's place."""
        return self.observer.longitude


class PlacedBody(NamedTuple):
    """A point's position read in the chart: sign, degree in sign, motion and house.

    A named tuple rather than a frozen dataclass: it is as immutable, and a chart makes one
    per point (per aspect), where a frozen dataclass' `object.__setattr__` per field cost
    several times as much.
    """

    body: Body
    position: Position
    sign: str
    sign_degree: float
    retrograde: bool
    house: int | None


@dataclass(frozen=True, slots=True)
class Cast:
    """Points and houses at one instant and place, with what had to be said about them."""

    scales: TimeScales
    observer: Observer
    options: ChartOptions
    houses: Houses | None
    bodies: tuple[PlacedBody, ...]
    warnings: tuple[str, ...]
    ayanamsa: float | None

    def placed(self) -> list[tuple[Body, Position]]:
        """(body, position) pairs, the shape aspect searches take."""
        return [(placed.body, placed.position) for placed in self.bodies]

    def longitude_of(self, name: str) -> float:
        """Longitude of a point that is in the chart."""
        for placed in self.bodies:
            if placed.body.name == name:
                return placed.position.longitude
        raise KeyError(name)


@dataclass(frozen=True, slots=True)
class MoonRange:
    """Where the Moon was at the start and end of a day whose hour is unknown."""

    start: Position
    end: Position


@dataclass(frozen=True, slots=True)
class NatalChart:
    """Everything computed for one natal chart."""

    request: NatalChartInput
    time: ResolvedTime
    cast: Cast
    aspects: tuple[Aspect, ...]
    moon_range: MoonRange | None = None

    @property
    def time_scales(self) -> TimeScales:
        """Julian days UT and TT of the chart's instant."""
        return self.cast.scales

    @property
    def houses(self) -> Houses | None:
        """The chart's houses, None when the birth time is unknown."""
        return self.cast.houses

    @property
    def bodies(self) -> tuple[PlacedBody, ...]:
        """The chart's points in the order asked for."""
        return self.cast.bodies

    @property
    def warnings(self) -> tuple[str, ...]:
        """Everything the caller should know about how the chart was computed."""
        extra = ()
        if self.moon_range is not None:
            extra = (
                "birth time unknown: positions are for local noon, houses, angles and the Part "
                "of Fortune are left out, and moon_range gives the Moon 12 hours either side",
            )
        return self.cast.warnings + extra


def compute_natal_chart(request: NatalChartInput, ephemeris: Ephemeris) -> NatalChart:
    """Compute a natal chart.

    Raises `InvalidInput` for times the caller must clarify (DST gaps and folds, out of range)
    and `EphemerisUnavailable` when the files fail.
    """
    when = request.when.at_noon() if request.time_unknown else request.when
    time = when.resolve()
    scales = ephemeris.time_scales(time.utc)
    cast_ = cast(
        scales,
        request.observer,
        request.options,
        ephemeris,
        with_houses=not request.time_unknown,
    )
    moon_range = None
    if request.time_unknown:
        moon = POINTS_BY_NAME["moon"]
        frame = cast_.options.frame
        moon_range = MoonRange(
            start=ephemeris.position(scales.julian_day_ut - HALF_DAY, moon, frame),
            end=ephemeris.position(scales.julian_day_ut + HALF_DAY, moon, frame),
        )
    return NatalChart(
        request=request,
        time=time,
        cast=cast_,
        aspects=tuple(find_aspects(cast_.placed(), request.options.aspects)),
        moon_range=moon_range,
    )


def cast(
    scales: TimeScales,
    observer: Observer,
    options: ChartOptions,
    ephemeris: Ephemeris,
    *,
    with_houses: bool = True,
    points: Iterable[str] | None = None,
) -> Cast:
    """Compute the chosen points (and houses) for one instant and place.

    Points that have no meaning in the frame (the Sun seen from the Sun) or need houses that
    are left out are dropped with a warning rather than refused.
    """
    frame = replace(options.frame, observer=observer)
    ephemeris.activate()
    frame.activate()
    jd = scales.julian_day_ut
    warnings: list[str] = []
    houses = None
    if with_houses:
        houses = compute_houses(
            jd, observer.latitude, observer.longitude, options.house_system, frame.house_flags
        )
        if (warning := fallback_warning(houses, observer.latitude)) is not None:
            warnings.append(warning)

    wanted = tuple(points if points is not None else options.points)
    heliocentric = frame.perspective is Perspective.HELIOCENTRIC
    computed: dict[str, Position] = {}
    dropped: dict[str, list[str]] = {"heliocentric": [], "geocentric": [], "houses": []}

    def position_of(body: Body) -> Position:
        if body.name not in computed:
            computed[body.name] = _position(body, jd, frame, ephemeris, houses, position_of)
        return computed[body.name]

    bodies: list[PlacedBody] = []
    for name in wanted:
        body = resolve_point(name)
        if body is None:
            raise ValueError(f"{name} is no point (the validators let it through)")
        if heliocentric and name in NOT_HELIOCENTRIC:
            dropped["heliocentric"].append(name)
            continue
        if not heliocentric and name in ONLY_HELIOCENTRIC:
            dropped["geocentric"].append(name)
            continue
        needs_houses = body.source in (Source.ANGLE, Source.LOT)
        if needs_houses and (houses is None or (heliocentric and body.source is Source.LOT)):
            dropped["houses"].append(name)
            continue
        bodies.append(place_body(body, position_of(body), houses))
    warnings.extend(_dropped_warnings(dropped))

    ayanamsa = ephemeris.ayanamsa(jd) if frame.zodiac.sidereal else None
    return Cast(
        scales=scales,
        observer=observer,
        options=replace(options, frame=frame),
        houses=houses,
        bodies=tuple(bodies),
        warnings=tuple(warnings),
        ayanamsa=ayanamsa,
    )


def _position(
    body: Body,
    jd: float,
    frame: Frame,
    ephemeris: Ephemeris,
    houses: Houses | None,
    position_of: Callable[[Body], Position],
) -> Position:
    if body.source in (Source.EPHEMERIS, Source.STAR, Source.ASTEROID):
        return ephemeris.position(jd, body, frame)
    if body.source is Source.OPPOSITE:
        north = position_of(POINTS_BY_NAME[body.opposite_of])
        return Position(
            longitude=opposite(north.longitude),
            latitude=-north.latitude,
            distance=north.distance,
            longitude_speed=north.longitude_speed,
        )
    if houses is None:
        raise ValueError(f"{body.name} needs houses")
    if body.source is Source.ANGLE:
        return _angle(body.name, houses)
    return part_of_fortune(
        houses.ascendant,
        position_of(POINTS_BY_NAME["sun"]).longitude,
        position_of(POINTS_BY_NAME["moon"]).longitude,
    )


def _angle(name: str, houses: Houses) -> Position:
    longitude = {
        "ascendant": houses.ascendant,
        "mc": houses.mc,
        "descendant": opposite(houses.ascendant),
        "ic": opposite(houses.mc),
        "vertex": houses.vertex,
    }[name]
    # The angles turn with the Earth, about 361 degrees a day; their speed is left at zero so
    # that aspects to them count as applying or separating by the other point's motion alone.
    return Position(longitude=longitude, latitude=0.0, distance=0.0, longitude_speed=0.0)


def is_day_chart(ascendant: float, sun: float) -> bool:
    """Whether the Sun is above the horizon: in the half of the ecliptic from the Descendant
    through the MC to the Ascendant (houses 7 to 12 in quadrant systems)."""
    return arc_forward(ascendant, sun) >= 180.0


def part_of_fortune(ascendant: float, sun: float, moon: float) -> Position:
    """The Part of Fortune: Asc + Moon - Sun by day, Asc + Sun - Moon by night."""
    if is_day_chart(ascendant, sun):
        longitude = normalize(ascendant + moon - sun)
    else:
        longitude = normalize(ascendant + sun - moon)
    return Position(longitude=longitude, latitude=0.0, distance=0.0, longitude_speed=0.0)


def _dropped_warnings(dropped: dict[str, list[str]]) -> list[str]:
    reasons = {
        "heliocentric": "have no heliocentric position",
        "geocentric": "is only defined heliocentrically",
        "houses": "need the houses (known birth time and a geocentric chart)",
    }
    return [
        f"{', '.join(names)} left out: {reasons[kind]}" for kind, names in dropped.items() if names
    ]


def place_body(body: Body, position: Position, houses: Houses | None) -> PlacedBody:
    """A position read in a chart: sign, degree in sign, retrograde and house (if any)."""
    sign, degree = sign_of(position.longitude)
    return PlacedBody(
        body=body,
        position=position,
        sign=sign,
        sign_degree=degree,
        retrograde=position.longitude_speed < 0.0,
        house=houses.house_of(position.longitude) if houses is not None else None,
    )
