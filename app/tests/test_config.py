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
        # Found by the client only when each worker connects: a 500 for every chart.
        ("REDIS_URL", "redis://redis:6379/0?foo=bar"),
        ("REDIS_URL", "redis://redis:6379/0?socket_timeout=abc"),
        ("REDIS_URL", "redis://redis:6379/0?protocol=9"),
        ("REDIS_URL", "redis://redis:6379/cache"),
        ("REDIS_URL", "redis://:secret@[::1"),
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


def test_an_unusable_redis_url_option_is_named_without_repeating_the_url() -> None:
    with pytest.raises(ConfigError) as raised:
        Settings.from_env({"REDIS_URL": "redis://:secret@redis:6379/0?socket_timeot=1"})

    [problem] = raised.value.problems
    assert problem.startswith("REDIS_URL is not usable by the Redis client")
    assert "socket_timeot" in problem
    assert "secret" not in problem


def test_redis_url_options_the_client_knows_are_accepted() -> None:
    url = "rediss://redis:6379/1?ssl_cert_reqs=none&socket_keepalive=true"

    assert Settings.from_env({"REDIS_URL": url}).redis_url == url
