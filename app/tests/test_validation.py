"""Every bad input is answered 422 naming the field (400 for unparseable JSON), never 500."""

import json

import pytest

from tests.conftest import ApiClient

VALID = {
    "datetime": "1990-06-15T14:30:00",
    "timezone": "Europe/Berlin",
    "latitude": 52.52,
    "longitude": 13.405,
}


def _errors_for(client: ApiClient, body: object) -> list[dict[str, str]]:
    response = client.post("/v1/natal-chart", content=json.dumps(body))
    assert response.status_code == 422, response.text
    assert response.json["error"] == "validation_error"
    return response.json["errors"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("datetime", "1990-06-15"),
        ("datetime", "15.06.1990 14:30"),
        ("datetime", "1990-13-01T00:00:00"),
        ("datetime", "1990-02-30T12:00:00"),
        ("datetime", "1990-06-15T24:00:00"),
        ("datetime", "1990-06-15T14:30:00+02:00"),
        ("datetime", "1990-06-15T14:30:00Z"),
        ("datetime", 645460200),
        ("datetime", ""),
        ("datetime", "x" * 10000),
        ("timezone", "Mars/Olympus_Mons"),
        ("timezone", "europe/berlin"),
        ("timezone", "Factory"),
        ("timezone", "../../../etc/passwd"),
        ("timezone", "Europe"),
        ("timezone", 2),
        ("timezone", ""),
        ("latitude", 90),
        ("latitude", -90),
        ("latitude", 90.0001),
        ("latitude", "52.52"),
        ("latitude", True),
        ("latitude", [52.52]),
        ("longitude", 180.5),
        ("longitude", -181),
        ("longitude", "13.4"),
        ("longitude", {"deg": 13}),
        ("house_system", "Z"),
        ("house_system", "placidos"),
        ("house_system", ""),
        ("house_system", 1),
        ("fold", 2),
        ("fold", -1),
        ("fold", True),
        ("fold", "1"),
        ("fold", 0.5),
        # Digits of other scripts are not the YYYY-MM-DD the field documents.
        ("datetime", "\u0661\u0669\u0669\u0660-06-15T14:30:00"),
        ("datetime", "1990-06-15T\uff11\uff14:30:00"),
    ],
)
def test_a_bad_value_is_rejected_naming_its_field(
    client: ApiClient, field: str, value: object
) -> None:
    errors = _errors_for(client, {**VALID, field: value})

    assert [error["field"] for error in errors] == [field]
    assert errors[0]["message"]
    assert errors[0]["accepted"]
    assert len(errors[0]["message"]) < 400


@pytest.mark.parametrize("field", ["datetime", "timezone", "latitude", "longitude"])
@pytest.mark.parametrize("absent", ["missing", "null"])
def test_a_missing_required_field_is_named(client: ApiClient, field: str, absent: str) -> None:
    body = {key: value for key, value in VALID.items() if key != field}
    if absent == "null":
        body[field] = None

    errors = _errors_for(client, body)

    assert [error["field"] for error in errors] == [field]
    assert "missing" in errors[0]["message"]


def test_all_bad_fields_are_reported_at_once(client: ApiClient) -> None:
    errors = _errors_for(
        client,
        {"datetime": "yesterday", "timezone": "Nowhere", "latitude": 100, "longitude": 200},
    )

    assert sorted(error["field"] for error in errors) == [
        "datetime",
        "latitude",
        "longitude",
        "timezone",
    ]


def test_an_unknown_field_is_named_with_the_accepted_fields(client: ApiClient) -> None:
    errors = _errors_for(client, {**VALID, "lat": 52.5})

    assert errors[0]["field"] == "lat"
    assert "latitude" in errors[0]["accepted"]


@pytest.mark.parametrize(
    ("alias", "meant"),
    [
        ("lat", "latitude"),
        ("lng", "longitude"),
        ("lon", "longitude"),
        ("tz", "timezone"),
        ("hsys", "house_system"),
    ],
)
def test_common_aliases_are_answered_with_the_field_name_to_use(
    client: ApiClient, alias: str, meant: str
) -> None:
    errors = _errors_for(client, {**VALID, alias: 1})

    assert errors[0]["field"] == alias
    assert f'did you mean "{meant}"' in errors[0]["message"]


@pytest.mark.parametrize("body", [[], "1990-06-15T14:30:00", 42, None])
def test_a_body_that_is_not_an_object_is_rejected(client: ApiClient, body: object) -> None:
    errors = _errors_for(client, body)

    assert errors[0]["field"] == "body"


def test_an_infinite_number_is_rejected(client: ApiClient) -> None:
    # Python's JSON parser reads 1e999 as infinity.
    raw = json.dumps(VALID).replace("52.52", "1e999")
    response = client.post("/v1/natal-chart", content=raw)

    assert response.status_code == 422
    assert response.json["errors"][0]["field"] == "latitude"


@pytest.mark.parametrize(
    ("system", "latitude"),
    [("P", 70.0), ("placidus", -75.0), ("koch", 67.0), ("gauquelin", 80.0)],
)
def test_house_systems_undefined_at_polar_latitudes_fall_back_to_porphyry_with_a_warning(
    client: ApiClient, system: str, latitude: float
) -> None:
    response = client.post(
        "/v1/natal-chart", json={**VALID, "latitude": latitude, "house_system": system}
    )

    assert response.status_code == 200, response.text
    meta = response.json["meta"]
    assert meta["house_system"]["used"] == "O"
    assert response.json["house_system"] == {"code": "O", "name": "porphyry"}
    assert any("porphyry" in warning for warning in meta["warnings"])
    assert response.json["input"]["latitude"] == latitude


@pytest.mark.parametrize(
    ("given", "code", "name"),
    [
        ("P", "P", "placidus"),
        ("p", "P", "placidus"),
        ("Placidus", "P", "placidus"),
        ("koch", "K", "koch"),
        ("whole_sign", "W", "whole_sign"),
        ("whole-sign", "W", "whole_sign"),
        ("equal", "A", "equal"),
        ("E", "A", "equal"),
        ("regiomontanus", "R", "regiomontanus"),
        ("campanus", "C", "campanus"),
        ("porphyry", "O", "porphyry"),
        ("topocentric", "T", "polich_page"),
    ],
)
def test_house_systems_are_accepted_by_code_or_name(
    client: ApiClient, given: str, code: str, name: str
) -> None:
    response = client.post("/v1/natal-chart", json={**VALID, "house_system": given})

    assert response.status_code == 200, response.text
    assert response.json["house_system"] == {"code": code, "name": name}


def test_placidus_is_the_default_house_system(client: ApiClient) -> None:
    response = client.post("/v1/natal-chart", json=VALID)

    assert response.json["house_system"] == {"code": "P", "name": "placidus"}
    assert response.json["input"]["house_system"] == "P"


@pytest.mark.parametrize(
    "raw",
    [
        b"{",
        b'{"datetime": "1990-06-15T14:30:00",}',
        b"not json",
        b"\xff\xfe\x00garbage",
        b"[" * 50000 + b"]" * 50000,
        b'{"latitude": ' + b"9" * 5000 + b"}",
    ],
    ids=["truncated", "trailing-comma", "text", "bad-encoding", "deep-nesting", "huge-integer"],
)
def test_unparseable_json_is_a_400_with_a_message(client: ApiClient, raw: bytes) -> None:
    response = client.post("/v1/natal-chart", content=raw)

    assert response.status_code == 400
    assert response.json["error"] == "malformed_json"
    assert "JSON" in response.json["message"]


def test_an_empty_body_is_a_400(client: ApiClient) -> None:
    response = client.post("/v1/natal-chart", content=b"")

    assert response.status_code == 400
    assert "empty" in response.json["message"]


def test_seconds_and_fractions_of_a_second_are_accepted(client: ApiClient) -> None:
    minutes_only = client.post("/v1/natal-chart", json={**VALID, "datetime": "1990-06-15T14:30"})
    fraction = client.post("/v1/natal-chart", json={**VALID, "datetime": "1990-06-15T14:30:00.5"})

    assert minutes_only.status_code == 200
    assert minutes_only.json["time"]["utc"] == "1990-06-15T12:30:00Z"
    assert fraction.json["time"]["utc"] == "1990-06-15T12:30:00.500000Z"


def test_a_fractional_ayanamsa_number_is_named_as_not_whole(client: ApiClient) -> None:
    errors = _errors_for(client, {**VALID, "zodiac": "sidereal", "ayanamsa": 1.5})

    assert [error["field"] for error in errors] == ["ayanamsa"]
    assert errors[0]["message"] == "1.5 is not a whole ayanamsa number"


def test_a_utc_offset_in_other_digits_is_rejected(client: ApiClient) -> None:
    body = {**VALID, "timezone": None, "utc_offset": "+\u0660\u0662:00"}

    assert [error["field"] for error in _errors_for(client, body)] == ["utc_offset"]
