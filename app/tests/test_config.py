"""Environment parsing: defaults per the contract, and errors that name the variable."""

import os

import pytest

from ephemeris_api.config import ConfigError, Settings


def test_defaults_follow_the_runtime_contract() -> None:
    settings = Settings.from_env({})

    assert settings.host == "0.0.0.0"  # noqa: S104
    assert settings.port == 8000
    assert settings.workers == (os.cpu_count() or 1)
    assert settings.log_format == "console"
    assert settings.log_level == "info"
    assert settings.ephemeris_path == "/usr/share/libswe/ephe"
    assert settings.release == "dev"
    assert settings.redis_url is None
    assert settings.cache_ttl_seconds == 86400


def test_values_are_read_from_the_environment() -> None:
    settings = Settings.from_env(
        {
            "HOST": "127.0.0.1",
            "PORT": "9000",
            "WORKERS": "3",
            "LOG_FORMAT": "JSON",
            "LOG_LEVEL": "Debug",
            "EPHEMERIS_PATH": "/srv/ephe",
            "APP_RELEASE": "2024.06.1",
        }
    )

    assert (settings.host, settings.port, settings.workers) == ("127.0.0.1", 9000, 3)
    assert (settings.log_format, settings.log_level) == ("json", "debug")
    assert (settings.ephemeris_path, settings.release) == ("/srv/ephe", "2024.06.1")


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("PORT", "http"),
        ("PORT", "0"),
        ("PORT", "70000"),
        ("WORKERS", "0"),
        ("WORKERS", "two"),
        ("LOG_FORMAT", "xml"),
        ("LOG_LEVEL", "verbose"),
        ("HOST", " "),
        ("EPHEMERIS_PATH", ""),
        ("APP_RELEASE", ""),
        ("CACHE_TTL_SECONDS", "0"),
        ("CACHE_TTL_SECONDS", "a day"),
        ("REDIS_URL", "localhost:6379"),
        ("REDIS_URL", "http://redis:6379/0"),
        ("REDIS_URL", "redis://redis:six/0"),
        ("REDIS_URL", "redis://redis:70000/0"),
    ],
)
def test_an_invalid_variable_is_named_in_the_error(variable: str, value: str) -> None:
    with pytest.raises(ConfigError) as raised:
        Settings.from_env({variable: value})

    assert len(raised.value.problems) == 1
    assert raised.value.problems[0].startswith(variable)


def test_every_invalid_variable_is_reported_at_once() -> None:
    with pytest.raises(ConfigError) as raised:
        Settings.from_env({"PORT": "x", "LOG_FORMAT": "xml"})

    assert [problem.split("=")[0] for problem in raised.value.problems] == ["PORT", "LOG_FORMAT"]


def test_the_cache_is_configured_by_its_url_and_time_to_live() -> None:
    settings = Settings.from_env({"REDIS_URL": "redis://redis:6379/0", "CACHE_TTL_SECONDS": "3600"})

    assert (settings.redis_url, settings.cache_ttl_seconds) == ("redis://redis:6379/0", 3600)


def test_a_redis_url_may_leave_out_the_port_or_use_a_unix_socket() -> None:
    assert Settings.from_env({"REDIS_URL": "redis://redis/0"}).redis_url == "redis://redis/0"
    assert Settings.from_env({"REDIS_URL": "unix:///run/redis.sock"}).redis_url


def test_an_empty_redis_url_means_no_cache() -> None:
    assert Settings.from_env({"REDIS_URL": ""}).redis_url is None


def test_a_bad_redis_url_is_reported_without_repeating_its_password() -> None:
    with pytest.raises(ConfigError) as raised:
        Settings.from_env({"REDIS_URL": "http://user:secret@redis:6379"})

    assert "secret" not in raised.value.problems[0]
