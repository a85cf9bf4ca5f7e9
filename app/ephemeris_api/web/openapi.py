"""The OpenAPI 3.1 description of the API, served at /v1/openapi.json.

Request bodies are assembled from the same field lists the validators read (`schemas`,
`endpoints`), so a field added to a request shows up here or fails the test that compares the
two. Ranges, enumerations and examples repeat the validators' rules in JSON Schema; the
validators stay the authority, and their 422 names the field and what it accepts.

Behind a reverse proxy that serves the API under a path prefix and strips it (Traefik's
StripPrefix), the app sees `/v1/...` while clients call `/<prefix>/v1/...`; the proxy names the
prefix in `X-Forwarded-Prefix`, and the document's `servers` entry carries it so that clients
built from the document call the public paths.
"""

import re
from functools import cache
from typing import Any, Final

from sanic import Request
from sanic.exceptions import ServerError

from ephemeris_api.astro.aspects import ALL_ASPECTS, MAX_ORB
from ephemeris_api.astro.bodies import ALL_POINTS, ASTEROID_NUMBER, STAR_NAME
from ephemeris_api.astro.distribution import COUNTED_POINTS, ELEMENTS, MODALITIES
from ephemeris_api.astro.frame import AYANAMSA_COUNT, Perspective
from ephemeris_api.astro.houses import HOUSE_SYSTEMS
from ephemeris_api.version import __version__
from ephemeris_api.web import endpoints, schemas

Schema = dict[str, Any]

_STAMP: Final = r"^\s*\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?\s*$"
_POINT_NAMES: Final = [body.name for body in ALL_POINTS]
_STAR_PATTERN: Final = f"^star:(?:{STAR_NAME})$"
_ASTEROID_PATTERN: Final = f"^asteroid:{ASTEROID_NUMBER}$"
_POINT: Final = {
    "oneOf": [
        {"type": "string", "enum": _POINT_NAMES},
        {
            "type": "string",
            "pattern": _STAR_PATTERN,
            "description": "A fixed star of sefstars.txt by name or, after a comma, Bayer "
            "designation; 422 when the catalogue is missing or does not list it.",
            "examples": ["star:Regulus", "star:Spica", "star:,alLeo"],
        },
        {
            "type": "string",
            "pattern": _ASTEROID_PATTERN,
            "description": "A numbered asteroid; 422 naming the file to install when its "
            "ephemeris file (e.g. ast0/se00433s.se1) is missing.",
            "examples": ["asteroid:433"],
        },
    ]
}
_ASPECT_NAMES: Final = [kind.name for kind in ALL_ASPECTS]
_HOUSE_VALUES: Final = sorted(
    {system.code for system in HOUSE_SYSTEMS}
    | {"E"}
    | {name for system in HOUSE_SYSTEMS for name in (system.name, *system.aliases)}
)

EXAMPLE_SUBJECT: Final = {
    "datetime": "1990-06-15T14:30:00",
    "timezone": "Europe/Berlin",
    "latitude": 52.52,
    "longitude": 13.405,
    "house_system": "placidus",
}
EXAMPLE_MOMENT: Final = {"datetime": "2024-03-20T12:00:00", "timezone": "UTC"}
# The ten planets with the Ascendant and MC make the element and modality distribution count
# twelve points; a fixed star shows the open-ended point names.
EXAMPLE_NATAL: Final = {
    **EXAMPLE_SUBJECT,
    "points": [*COUNTED_POINTS, "mean_node", "star:Regulus"],
}


def _orbs(names: list[str], description: str) -> Schema:
    return {
        "type": "object",
        "description": description,
        "properties": {
            name: {"type": "number", "minimum": 0, "maximum": MAX_ORB} for name in names
        },
        "additionalProperties": False,
    }


# Every request field once; request bodies pick theirs by the validators' field lists.
FIELDS: Final[dict[str, Schema]] = {
    "datetime": {
        "type": "string",
        "pattern": _STAMP,
        "description": "Local wall-clock time without offset, YYYY-MM-DDTHH:MM[:SS[.ffffff]], "
        "dates 1800-01-01 to 2399-12-31.",
        "examples": ["1990-06-15T14:30:00"],
    },
    "timezone": {
        "type": "string",
        "description": "IANA time-zone name (from the pinned tzdata package).",
        "examples": ["Europe/Berlin", "America/New_York"],
    },
    "utc_offset": {
        "type": "string",
        "pattern": r"^\s*[+-]\d{2}:[0-5]\d(:[0-5]\d)?\s*$",
        "description": "Fixed offset from UTC, -18:00 to +18:00 (instead of timezone).",
        "examples": ["+05:30"],
    },
    "ut": {
        "type": "string",
        "pattern": _STAMP,
        "description": "A Universal Time, replacing datetime and timezone.",
        "examples": ["1990-06-15T12:30:00"],
    },
    "fold": {
        "type": ["integer", "null"],
        "enum": [0, 1, None],
        "description": "Only at daylight-saving changes: 0 the first occurrence or the offset "
        "before the change, 1 the second or the offset after.",
    },
    "calendar": {"type": "string", "enum": ["gregorian", "julian"], "default": "gregorian"},
    "latitude": {
        "type": "number",
        "exclusiveMinimum": -90,
        "exclusiveMaximum": 90,
        "description": "Degrees, north positive.",
    },
    "longitude": {
        "type": "number",
        "minimum": -180,
        "maximum": 180,
        "description": "Degrees, east positive.",
    },
    "altitude": {
        "type": "number",
        "minimum": -1000,
        "maximum": 20000,
        "default": 0,
        "description": "Metres above sea level (topocentric perspective).",
    },
    "house_system": {
        "type": "string",
        "enum": _HOUSE_VALUES,
        "default": "P",
        "description": "Swiss Ephemeris letter or name (letters in any case).",
    },
    "zodiac": {"type": "string", "enum": ["tropical", "sidereal"], "default": "tropical"},
    "ayanamsa": {
        "description": "Only with the sidereal zodiac: number, name (case and punctuation "
        "ignored), or a user-defined ayanamsa.",
        "oneOf": [
            {"type": "integer", "minimum": 0, "maximum": AYANAMSA_COUNT - 1},
            {"type": "string", "examples": ["lahiri", "fagan_bradley"]},
            {
                "type": "object",
                "properties": {
                    "t0": {"type": "number", "minimum": 2378496.5, "maximum": 2597641.5},
                    "ayanamsa_t0": {"type": "number", "minimum": -360, "maximum": 360},
                },
                "required": ["t0", "ayanamsa_t0"],
                "additionalProperties": False,
            },
        ],
    },
    "perspective": {
        "type": "string",
        "enum": [perspective.value for perspective in Perspective],
        "default": Perspective.APPARENT_GEOCENTRIC.value,
    },
    "coordinates": {"type": "string", "enum": ["ecliptic", "equatorial"], "default": "ecliptic"},
    "points": {
        "type": "array",
        "items": _POINT,
        "minItems": 1,
        "maxItems": 64,
        "description": "Points to compute; default sun to pluto, nodes, chiron, mean_lilith. "
        "Also star:<name> (fixed stars, from sefstars.txt) and asteroid:<number> (numbered "
        "asteroids whose file is installed).",
    },
    "aspects": {
        "oneOf": [
            {"type": "string", "enum": ["major", "all"]},
            {
                "type": "array",
                "items": {"type": "string", "enum": _ASPECT_NAMES},
                "minItems": 1,
                "maxItems": 64,
            },
        ],
        "default": "major",
    },
    "orbs": _orbs(_ASPECT_NAMES, "Orb for every pair, per aspect (degrees)."),
    "point_orbs": {
        **_orbs(_POINT_NAMES, "Allowance one point brings to every aspect (degrees)."),
        "patternProperties": {
            pattern: {"type": "number", "minimum": 0, "maximum": MAX_ORB}
            for pattern in (_STAR_PATTERN, _ASTEROID_PATTERN)
        },
    },
    "time_unknown": {"type": "boolean", "default": False},
    "transiting_points": {
        "type": "array",
        "items": _POINT,
        "minItems": 1,
        "maxItems": 64,
    },
    "body": {"type": "string", "enum": list(endpoints.DEFAULT_TRANSITING), "default": "sun"},
}
_REQUIRED_TIME: Final[set[str]] = set()
_REQUIRED_PLACE: Final = {"latitude", "longitude"}


def _without(*names: str) -> Schema:
    return {"not": {"anyOf": [{"required": [name]} for name in names]}}


# Exactly one time reference: datetime with timezone, datetime with utc_offset, or ut alone.
_TIME_REFERENCE: Final = {
    "oneOf": [
        {"required": ["datetime", "timezone"], **_without("utc_offset", "ut")},
        {"required": ["datetime", "utc_offset"], **_without("timezone", "ut")},
        {"required": ["ut"], **_without("datetime", "timezone", "utc_offset")},
    ]
}


def _object(fields: tuple[str, ...], required: set[str], **extra: Schema) -> Schema:
    properties = {name: extra.get(name) or FIELDS[name] for name in fields}
    schema: Schema = {
        "type": "object",
        "properties": properties,
        "required": sorted(required & set(fields)),
        "additionalProperties": False,
    }
    if "ut" in fields:
        schema |= _TIME_REFERENCE
    return schema


def _ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def _choice(values: tuple[str, ...]) -> Schema:
    return {"type": "string", "enum": list(values), "default": values[0]}


def _request_schemas() -> dict[str, Schema]:
    moment = _object(schemas.TIME_FIELDS, _REQUIRED_TIME)
    moment["description"] = (
        "A moment: datetime with exactly one of timezone or utc_offset, or ut instead of all three."
    )
    subject = _object(schemas.NATAL_CHART_FIELDS, _REQUIRED_TIME | _REQUIRED_PLACE)
    subject["description"] = "A moment, a place and the chart options."
    subject["examples"] = [EXAMPLE_SUBJECT, EXAMPLE_NATAL]
    return {
        "Moment": moment,
        "Subject": subject,
        "PositionsRequest": _object(endpoints.POSITIONS_FIELDS, _REQUIRED_TIME),
        "HousesRequest": _object(endpoints.HOUSES_FIELDS, _REQUIRED_TIME | _REQUIRED_PLACE),
        "TransitsRequest": _object(
            endpoints.TRANSIT_FIELDS,
            {"natal", "transit"},
            natal=_ref("Subject"),
            transit=_ref("Moment"),
        ),
        "TransitsNowRequest": _object(
            tuple(name for name in endpoints.TRANSIT_FIELDS if name != "transit"),
            {"natal"},
            natal=_ref("Subject"),
        ),
        "TransitSearchRequest": _object(
            endpoints.SEARCH_FIELDS,
            {"natal", "start", "end"},
            natal=_ref("Subject"),
            start=_ref("Moment"),
            end=_ref("Moment"),
        ),
        "SynastryRequest": _object(
            endpoints.PAIR_FIELDS,
            {"first", "second"},
            first=_ref("Subject"),
            second=_ref("Subject"),
        ),
        "CompositeRequest": _object(
            endpoints.COMPOSITE_FIELDS,
            {"first", "second"},
            first=_ref("Subject"),
            second=_ref("Subject"),
            method=_choice(("midpoint", "davison")),
        ),
        "ReturnRequest": _object(
            endpoints.RETURN_FIELDS, {"natal", "after"}, natal=_ref("Subject"), after=_ref("Moment")
        ),
        "ProgressionRequest": _object(
            endpoints.PROGRESSION_FIELDS,
            {"natal", "target"},
            natal=_ref("Subject"),
            target=_ref("Moment"),
            method=_choice(("secondary", "solar_arc")),
        ),
    }


_LONGITUDE: Final = {"type": "number", "minimum": 0, "exclusiveMaximum": 360}
_SIGN: Final = {"type": "string", "enum": ["aries", "taurus", "gemini", "cancer", "leo", "virgo",
                                           "libra", "scorpio", "sagittarius", "capricorn",
                                           "aquarius", "pisces"]}  # fmt: skip


def _distribution_schema() -> Schema:
    counted = {"type": "array", "items": {"type": "string", "enum": list(COUNTED_POINTS)}}
    group = {
        "type": "object",
        "properties": {"count": {"type": "integer", "minimum": 0}, "points": counted},
        "required": ["count", "points"],
        "additionalProperties": False,
    }

    def groups(names: tuple[str, ...]) -> Schema:
        return {
            "type": "object",
            "properties": dict.fromkeys(names, group),
            "required": list(names),
            "additionalProperties": False,
        }

    return {
        "type": "object",
        "description": "The chart's points by the element and modality of their sign. Only "
        "the ten planets (sun to pluto), ascendant and mc are counted, and only those among "
        "the chart's points (add ascendant and mc to points to count them); nodes, Liliths, "
        "asteroids, fixed stars, the Part of Fortune, descendant, ic and vertex never are.",
        "properties": {
            "counted_points": counted,
            "elements": groups(ELEMENTS),
            "modalities": groups(MODALITIES),
        },
        "required": ["counted_points", "elements", "modalities"],
        "additionalProperties": False,
    }


def _response_schemas() -> dict[str, Schema]:
    error_item = {
        "type": "object",
        "properties": {
            "field": {"type": "string", "examples": ["latitude"]},
            "message": {"type": "string", "examples": ["95.0 is out of range"]},
            "accepted": {"type": "string"},
        },
        "required": ["field", "message", "accepted"],
    }
    return {
        "Error": {
            "type": "object",
            "properties": {
                "error": {"type": "string", "examples": ["malformed_json", "not_found"]},
                "message": {"type": "string"},
                "request_id": {"type": "string"},
            },
            "required": ["error", "message", "request_id"],
        },
        "ValidationError": {
            "type": "object",
            "properties": {
                "error": {"const": "validation_error"},
                "errors": {"type": "array", "items": error_item, "minItems": 1},
                "request_id": {"type": "string"},
            },
            "required": ["error", "errors", "request_id"],
        },
        "Point": {
            "type": "object",
            "properties": {
                "longitude": _LONGITUDE,
                "latitude": {"type": "number"},
                "distance": {"type": "number"},
                "longitude_speed": {"type": "number"},
                "sign": _SIGN,
                "sign_degree": {"type": "number", "minimum": 0, "exclusiveMaximum": 30},
                "retrograde": {"type": "boolean"},
                "house": {"type": ["integer", "null"], "minimum": 1, "maximum": 36},
                "right_ascension": {"type": "number"},
                "declination": {"type": "number"},
            },
            "required": ["longitude", "sign", "sign_degree", "retrograde", "house"],
        },
        "Aspect": {
            "type": "object",
            "properties": {
                "first": {"type": "string"},
                "second": {"type": "string"},
                "aspect": {"type": "string", "enum": _ASPECT_NAMES},
                "angle": {"type": "number"},
                "separation": {"type": "number"},
                "orb": {"type": "number"},
                "orb_allowed": {"type": "number"},
                "motion": {"type": "string", "enum": ["applying", "separating"]},
            },
            "required": ["first", "second", "aspect", "orb", "motion"],
        },
        "Distribution": _distribution_schema(),
        "Chart": {
            "type": "object",
            "description": "A computed chart; the endpoint's description lists its own fields.",
            "properties": {
                "meta": {"type": "object"},
                "time": {"type": "object"},
                "positions": {"type": "object", "additionalProperties": _ref("Point")},
                "distribution": _ref("Distribution"),
                "angles": {"type": "object"},
                "cusps": {"type": "array", "items": {"type": "object"}},
                "aspects": {"type": "array", "items": _ref("Aspect")},
            },
        },
    }


_ERRORS: Final = {
    "400": {
        "description": "The body is empty or not JSON (`malformed_json`).",
        "content": {"application/json": {"schema": _ref("Error")}},
    },
    "413": {
        "description": "The body is larger than 64 KiB.",
        "content": {"application/json": {"schema": _ref("Error")}},
    },
    "422": {
        "description": "Invalid input: every bad field with what it accepts.",
        "content": {"application/json": {"schema": _ref("ValidationError")}},
    },
    "503": {
        "description": "The ephemeris files cannot serve the computation.",
        "content": {"application/json": {"schema": _ref("Error")}},
    },
}

# path, operation id, request schema (None for GET), summary, example body
_CHART_ROUTES: Final = (
    ("/v1/natal-chart", "natal_chart", "Subject", "Natal chart: positions, houses, angles, "
     "aspects, element and modality distribution.", EXAMPLE_NATAL),
    ("/v1/positions", "positions", "PositionsRequest", "Positions and aspects; the place is "
     "needed only for the topocentric perspective.", {"ut": "2024-03-20T12:00:00"}),
    ("/v1/houses", "houses", "HousesRequest", "House cusps and angles.", EXAMPLE_SUBJECT),
    ("/v1/transits", "transits", "TransitsRequest", "Transiting points in the natal houses "
     "and their aspects to natal points.",
     {"natal": EXAMPLE_SUBJECT, "transit": EXAMPLE_MOMENT}),
    ("/v1/transits/now", "transits_now", "TransitsNowRequest", "Transits at the server clock.",
     {"natal": EXAMPLE_SUBJECT}),
    ("/v1/transits/search", "transit_search", "TransitSearchRequest", "Every exact "
     "transit-to-natal aspect between start and end (at most 366 days; natal aspect "
     "points x transiting bodies x days at most 2,500,000, else a 422 on transiting_points).",
     {"natal": EXAMPLE_SUBJECT, "start": EXAMPLE_MOMENT,
      "end": {"datetime": "2024-06-20T12:00:00", "timezone": "UTC"}}),
    ("/v1/synastry", "synastry", "SynastryRequest", "Aspects between two charts and house "
     "overlays.", {"first": EXAMPLE_SUBJECT, "second": EXAMPLE_SUBJECT}),
    ("/v1/composite", "composite", "CompositeRequest", "Midpoint composite or Davison chart.",
     {"first": EXAMPLE_SUBJECT, "second": EXAMPLE_SUBJECT, "method": "midpoint"}),
    ("/v1/returns", "returns", "ReturnRequest", "Chart at the first return of a body after a "
     "moment.", {"natal": EXAMPLE_SUBJECT, "body": "sun", "after": EXAMPLE_MOMENT}),
    ("/v1/progressions", "progressions", "ProgressionRequest", "Secondary progressions or "
     "solar arc directions.", {"natal": EXAMPLE_SUBJECT, "target": EXAMPLE_MOMENT}),
    ("/v1/moon-phase", "moon_phase", "Moment", "The Moon's phase, illumination and the "
     "neighbouring new and full moons.", EXAMPLE_MOMENT),
)  # fmt: skip
_GET_ROUTES: Final = (
    ("/v1/health", "health", "Liveness: the process answers.", "application/json"),
    ("/v1/ready", "ready", "Readiness: the ephemeris files serve Swiss Ephemeris positions "
     "(503 naming the failed check otherwise); checks.cache.state is ok, degraded (Redis "
     "failing: answers computed uncached, still 200) or disabled.", "application/json"),
    ("/v1/positions/now", "positions_now", "Default points at the server clock.",
     "application/json"),
    ("/v1/moon-phase/now", "moon_phase_now", "The Moon's phase at the server clock.",
     "application/json"),
    ("/metrics", "metrics", "Prometheus text, summed over all workers.", "text/plain"),
    ("/v1/openapi.json", "openapi", "This document.", "application/json"),
    ("/v1/docs", "docs", "A page rendering this document.", "text/html"),
)  # fmt: skip

_CACHE_HEADERS: Final = {
    "X-Cache": {
        "description": "Only when REDIS_URL is set, never for answers at the server clock: "
        "hit (from the cache), miss (computed and stored) or bypass (computed, Redis failing).",
        "schema": {"type": "string", "enum": ["hit", "miss", "bypass"]},
    }
}


def _post(operation: str, schema: str, summary: str, example: object) -> Schema:
    return {
        "post": {
            "operationId": operation,
            "summary": summary,
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {"schema": _ref(schema), "example": example},
                },
            },
            "responses": {
                "200": {
                    "description": "The computed answer.",
                    "headers": _CACHE_HEADERS,
                    "content": {"application/json": {"schema": _ref("Chart")}},
                },
                **_ERRORS,
            },
        }
    }


def _get(operation: str, summary: str, media_type: str) -> Schema:
    responses: Schema = {
        "200": {"description": "OK", "content": {media_type: {"schema": {"type": "string"}}}}
    }
    if media_type == "application/json":
        responses["200"]["content"][media_type]["schema"] = {"type": "object"}
    if operation == "ready":
        responses["503"] = {
            "description": "Not ready; the failed check says why.",
            "content": {"application/json": {"schema": {"type": "object"}}},
        }
    if operation.endswith("_now"):
        responses["503"] = _ERRORS["503"]
    return {"get": {"operationId": operation, "summary": summary, "responses": responses}}


FORWARDED_PREFIX_HEADER: Final = "X-Forwarded-Prefix"
# One or more path segments of URL-safe characters, no `.` or `..` segment (nor `%2e`, which
# clients normalize to `.`), no comma (a list of prefixes from chained proxies is not a path):
# anything else is not used.
_PREFIX: Final = re.compile(r"(/(?!(?:\.|%2[eE]){1,2}(?:/|$))[A-Za-z0-9._~%!$&'()*+=:@-]+)+/?")


def forwarded_prefix(header: str | None) -> str:
    """The path prefix named by an X-Forwarded-Prefix value, without a trailing slash; "" when
    there is none or the value is not a plain path (so a forged value cannot point elsewhere)."""
    value = (header or "").strip()
    if not _PREFIX.fullmatch(value):
        return ""
    return value.rstrip("/")


def openapi_document() -> Schema:
    """The document as served to the current request: its `servers` entry is the prefix named
    by X-Forwarded-Prefix, or `/`. Outside a request (tests, tools) the server is `/`."""
    try:
        header = Request.get_current().headers.get(FORWARDED_PREFIX_HEADER)
    except ServerError:  # no request is being handled
        header = None
    return openapi_document_for(forwarded_prefix(header))


def openapi_document_for(prefix: str) -> Schema:
    """The document for clients reaching the API under `prefix` ("" for none)."""
    return {**_document_without_servers(), "servers": [{"url": prefix or "/"}]}


@cache
def _document_without_servers() -> Schema:
    """Everything but `servers`, which depends on the request (built once per process)."""
    paths: dict[str, Schema] = {}
    for path, operation, schema, summary, example in _CHART_ROUTES:
        paths[path] = _post(operation, schema, summary, example)
    for path, operation, summary, media_type in _GET_ROUTES:
        paths[path] = _get(operation, summary, media_type)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "ephemeris_api",
            "version": __version__,
            "description": "Astrological charts computed with the Swiss Ephemeris. Every "
            "error is JSON; invalid input is a 422 listing every bad field.",
        },
        "paths": paths,
        "components": {"schemas": {**_request_schemas(), **_response_schemas()}},
    }
