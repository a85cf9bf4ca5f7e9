"""Local times are resolved with the IANA rules; DST gaps and folds need an explicit `fold`.

Expected offsets are facts of the time-zone database (e.g. British Summer Time in June 1990,
the US change on 14 March and 7 November 2021, Berlin's local mean time before 1893).
"""

import pytest

from tests.conftest import ApiClient

PLACE = {"latitude": 40.7128, "longitude": -74.006}


def _chart(client: ApiClient, local: str, zone: str, **extra: object) -> dict:
    return client.post(
        "/v1/natal-chart", json={"datetime": local, "timezone": zone, **PLACE, **extra}
    ).json


@pytest.mark.parametrize(
    ("local", "zone", "offset", "offset_seconds", "utc"),
    [
        ("1990-06-15T14:30:00", "Europe/London", "+01:00", 3600, "1990-06-15T13:30:00Z"),
        ("1990-01-15T14:30:00", "Europe/London", "+00:00", 0, "1990-01-15T14:30:00Z"),
        ("2000-01-01T00:00:00", "Asia/Kolkata", "+05:30", 19800, "1999-12-31T18:30:00Z"),
        ("2010-05-01T12:00:00", "Asia/Kathmandu", "+05:45", 20700, "2010-05-01T06:15:00Z"),
        ("2021-07-04T09:00:00", "America/New_York", "-04:00", -14400, "2021-07-04T13:00:00Z"),
        ("1850-06-01T12:00:00", "Europe/Berlin", "+00:53:28", 3208, "1850-06-01T11:06:32Z"),
        ("2024-02-29T23:59:30", "UTC", "+00:00", 0, "2024-02-29T23:59:30Z"),
    ],
)
def test_utc_offset_comes_from_the_time_zone_database(
    client: ApiClient, local: str, zone: str, offset: str, offset_seconds: int, utc: str
) -> None:
    time = _chart(client, local, zone)["time"]

    assert time["utc_offset"] == offset
    assert time["utc_offset_seconds"] == offset_seconds
    assert time["utc"] == utc
    assert time["local_time_kind"] == "unique"


def test_julian_day_and_delta_t_describe_the_utc_instant(client: ApiClient) -> None:
    # 2000-01-01T12:00:00Z is JD 2451545.0 UTC; UT1 differed from UTC by about +0.355 s then,
    # and delta T (TT - UT1) was about 63.8 s.
    time = _chart(client, "2000-01-01T12:00:00", "UTC")["time"]

    assert time["julian_day_ut"] == pytest.approx(2451545.0, abs=1.0 / 86400.0)
    assert time["delta_t_seconds"] == pytest.approx(63.8, abs=0.5)
    tt_minus_ut = (time["julian_day_tt"] - time["julian_day_ut"]) * 86400.0
    assert tt_minus_ut == pytest.approx(time["delta_t_seconds"], abs=1e-4)


def test_time_skipped_by_spring_forward_is_rejected_without_fold(client: ApiClient) -> None:
    # New York jumped from 02:00 EST to 03:00 EDT on 2021-03-14.
    response = client.post(
        "/v1/natal-chart",
        json={"datetime": "2021-03-14T02:30:00", "timezone": "America/New_York", **PLACE},
    )

    assert response.status_code == 422
    [error] = response.json["errors"]
    assert error["field"] == "datetime"
    assert "does not exist" in error["message"]
    assert "fold" in error["message"]
    assert "fold" in error["accepted"]


@pytest.mark.parametrize(
    ("fold", "offset", "utc"),
    [(0, "-05:00", "2021-03-14T07:30:00Z"), (1, "-04:00", "2021-03-14T06:30:00Z")],
)
def test_fold_chooses_the_offset_for_a_skipped_time(
    client: ApiClient, fold: int, offset: str, utc: str
) -> None:
    time = _chart(client, "2021-03-14T02:30:00", "America/New_York", fold=fold)["time"]

    assert time["local_time_kind"] == "nonexistent"
    assert time["fold"] == fold
    assert time["utc_offset"] == offset
    assert time["utc"] == utc


def test_time_repeated_by_fall_back_is_rejected_without_fold(client: ApiClient) -> None:
    # New York turned 02:00 EDT back to 01:00 EST on 2021-11-07, so 01:30 happened twice.
    response = client.post(
        "/v1/natal-chart",
        json={"datetime": "2021-11-07T01:30:00", "timezone": "America/New_York", **PLACE},
    )

    assert response.status_code == 422
    [error] = response.json["errors"]
    assert error["field"] == "datetime"
    assert "ambiguous" in error["message"]
    assert "-04:00" in error["message"]
    assert "-05:00" in error["message"]


@pytest.mark.parametrize(
    ("fold", "offset", "utc"),
    [(0, "-04:00", "2021-11-07T05:30:00Z"), (1, "-05:00", "2021-11-07T06:30:00Z")],
)
def test_fold_chooses_between_the_two_occurrences(
    client: ApiClient, fold: int, offset: str, utc: str
) -> None:
    time = _chart(client, "2021-11-07T01:30:00", "America/New_York", fold=fold)["time"]

    assert time["local_time_kind"] == "ambiguous"
    assert time["utc_offset"] == offset
    assert time["utc"] == utc


def test_fold_is_ignored_for_an_unambiguous_time(client: ApiClient) -> None:
    time = _chart(client, "2021-07-04T09:00:00", "America/New_York", fold=1)["time"]

    assert time["utc"] == "2021-07-04T13:00:00Z"
    assert time["fold"] is None


def test_european_fold_in_october(client: ApiClient) -> None:
    # Central Europe set 03:00 CEST back to 02:00 CET on 1990-09-30.
    response = client.post(
        "/v1/natal-chart",
        json={"datetime": "1990-09-30T02:30:00", "timezone": "Europe/Berlin", **PLACE},
    )

    assert response.status_code == 422
    assert response.json["errors"][0]["field"] == "datetime"


@pytest.mark.parametrize(
    ("local", "zone"),
    [
        ("1799-12-31T23:59:59", "UTC"),
        ("2400-01-01T00:00:00", "UTC"),
        ("0001-01-01T00:00:00", "UTC"),
        ("9999-12-31T23:59:59", "UTC"),
        # Inside the local range, but Tokyo's local mean time (+09:18:59) puts the instant on
        # 1799-12-31 UTC, before the ephemeris files begin.
        ("1800-01-01T00:00:00", "Asia/Tokyo"),
        # Inside the local range, but Pago Pago (-11:00) puts the instant on 2400-01-01 UTC.
        ("2399-12-31T23:59:59", "Pacific/Pago_Pago"),
        ("2399-12-31T12:00:01", "UTC"),
    ],
)
def test_dates_outside_the_ephemeris_files_are_rejected_naming_the_range(
    client: ApiClient, local: str, zone: str
) -> None:
    response = client.post("/v1/natal-chart", json={"datetime": local, "timezone": zone, **PLACE})

    assert response.status_code == 422
    [error] = response.json["errors"]
    assert error["field"] == "datetime"
    assert "1800-01-01" in error["accepted"]
    assert "2399-12-31" in error["accepted"]


@pytest.mark.parametrize(
    ("local", "zone"),
    [
        ("1800-01-01T18:00:00", "Europe/London"),
        ("2399-12-31T12:00:00", "UTC"),
        ("2399-12-31T23:59:59", "Pacific/Kiritimati"),
    ],
)
def test_the_edges_of_the_supported_range_are_served(
    client: ApiClient, local: str, zone: str
) -> None:
    response = client.post("/v1/natal-chart", json={"datetime": local, "timezone": zone, **PLACE})

    assert response.status_code == 200, response.text
    assert response.json["ephemeris"] == "swiss_ephemeris"


@pytest.mark.parametrize("zone", ["US/Eastern", "Etc/GMT-14", "America/Argentina/Buenos_Aires"])
def test_links_and_nested_zone_names_are_accepted(client: ApiClient, zone: str) -> None:
    response = client.post(
        "/v1/natal-chart", json={"datetime": "2000-06-01T12:00:00", "timezone": zone, **PLACE}
    )

    assert response.status_code == 200, response.text
    assert response.json["time"]["timezone"] == zone
