"""The request path's shortcuts keep the answers they replaced.

The ephemeris path is set once per thread (setting it reopens the files), JSON is written by
ujson with the standard library's exact floats, and log lines stay JSON objects with the
logger's name.
"""

import json
import math

import pytest
import swisseph as swe
from hypothesis import given, settings
from hypothesis import strategies as st

from ephemeris_api.astro import ephemeris as ephemeris_module
from ephemeris_api.astro.ephemeris import Ephemeris, probe_readiness
from ephemeris_api.logs import configure_logging, get_logger
from ephemeris_api.web.app import _dumps
from ephemeris_api.web.routes import READINESS_PROBES
from tests.conftest import EPHEMERIS_PATH

finite = st.floats(allow_nan=False, allow_infinity=False)


@pytest.fixture
def set_path_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    original = swe.set_ephe_path

    def counting(path: str) -> None:
        calls.append(path)
        original(path)

    monkeypatch.setattr(ephemeris_module.swe, "set_ephe_path", counting)
    monkeypatch.setattr(ephemeris_module, "_THREAD_STATE", type(ephemeris_module._THREAD_STATE)())
    return calls


def test_the_ephemeris_path_is_set_only_when_the_thread_points_elsewhere(
    set_path_calls: list[str],
) -> None:
    first = Ephemeris(EPHEMERIS_PATH)
    other = Ephemeris("/nonexistent/ephemeris")

    for _ in range(3):
        first.activate()
    other.activate()
    first.activate()

    assert set_path_calls == [EPHEMERIS_PATH, "/nonexistent/ephemeris", EPHEMERIS_PATH]


def test_the_readiness_probe_reopens_the_files_every_time(set_path_calls: list[str]) -> None:
    ephemeris = Ephemeris(EPHEMERIS_PATH)
    ephemeris.activate()

    probe_readiness(ephemeris, READINESS_PROBES)
    probe_readiness(ephemeris, READINESS_PROBES)

    assert set_path_calls == [EPHEMERIS_PATH] * 3


@settings(database=None)
@given(st.recursive(finite | st.text(), lambda inner: st.lists(inner, max_size=4), max_leaves=20))
def test_response_json_keeps_every_float_exactly(value: object) -> None:
    assert json.loads(_dumps(value)) == value


def test_response_json_refuses_nan_and_leaves_slashes_alone() -> None:
    assert _dumps({"timezone": "Europe/Berlin"}) == '{"timezone":"Europe/Berlin"}'
    with pytest.raises(OverflowError):
        _dumps({"longitude": math.nan})


def test_a_json_log_line_names_event_level_and_logger(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("json", "info")
    try:
        get_logger("ephemeris_api.test").info("chart_computed", kind="natal")
        get_logger("ephemeris_api.test").debug("not_shown")
        line = capsys.readouterr().out.strip()
    finally:
        configure_logging("console", "warning")

    event = json.loads(line)
    assert event["event"] == "chart_computed"
    assert event["kind"] == "natal"
    assert event["level"] == "info"
    assert event["logger"] == "ephemeris_api.test"
    assert event["timestamp"].endswith("Z")
