"""Service configuration from environment variables, validated before anything starts.

A container that starts with a typo in its environment should stop at once with a message
naming the variable, not run with a silently substituted default.
"""

import os
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from redis.asyncio import ConnectionPool

LOG_FORMATS = ("json", "console")
LOG_LEVELS = ("debug", "info", "warning", "error", "critical")
DEFAULT_HOST = "0.0.0.0"  # noqa: S104 - a container must listen on all its interfaces
DEFAULT_PORT = 8000
DEFAULT_LOG_FORMAT = "console"
DEFAULT_LOG_LEVEL = "info"
DEFAULT_EPHEMERIS_PATH = "/usr/share/libswe/ephe"
DEFAULT_RELEASE = "dev"
DEFAULT_CACHE_TTL_SECONDS = 86400
MAX_CACHE_TTL_SECONDS = 365 * 86400
REDIS_SCHEMES = ("redis://", "rediss://", "unix://")


class ConfigError(Exception):
    """One or more environment variables are unusable; each problem names its variable."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything the service reads from its environment, already validated."""

    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    workers: int = 1
    log_format: str = DEFAULT_LOG_FORMAT
    log_level: str = DEFAULT_LOG_LEVEL
    ephemeris_path: str = DEFAULT_EPHEMERIS_PATH
    release: str = DEFAULT_RELEASE
    redis_url: str | None = None
    cache_ttl_seconds: int = DEFAULT_CACHE_TTL_SECONDS

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> "Settings":
        """Parse and validate; raise ConfigError listing every bad variable at once."""
        problems: list[str] = []
        host = _text(environ, "HOST", DEFAULT_HOST, problems)
        port = _integer(environ, "PORT", DEFAULT_PORT, 1, 65535, problems)
        # One Sanic worker process per core unless told otherwise.
        workers = _integer(environ, "WORKERS", os.cpu_count() or 1, 1, 256, problems)
        log_format = _choice(environ, "LOG_FORMAT", DEFAULT_LOG_FORMAT, LOG_FORMATS, problems)
        log_level = _choice(environ, "LOG_LEVEL", DEFAULT_LOG_LEVEL, LOG_LEVELS, problems)
        ephemeris_path = _text(environ, "EPHEMERIS_PATH", DEFAULT_EPHEMERIS_PATH, problems)
        release = _text(environ, "APP_RELEASE", DEFAULT_RELEASE, problems)
        redis_url = _redis_url(environ, problems)
        cache_ttl_seconds = _integer(
            environ,
            "CACHE_TTL_SECONDS",
            DEFAULT_CACHE_TTL_SECONDS,
            1,
            MAX_CACHE_TTL_SECONDS,
            problems,
        )
        if problems:
            raise ConfigError(problems)
        return cls(
            host=host,
            port=port,
            workers=workers,
            log_format=log_format,
            log_level=log_level,
            ephemeris_path=ephemeris_path,
            release=release,
            redis_url=redis_url,
            cache_ttl_seconds=cache_ttl_seconds,
        )


def _redis_url(environ: Mapping[str, str], problems: list[str]) -> str | None:
    # Empty counts as unset: the cache is optional, and `REDIS_URL=` reads as "no cache".
    value = environ.get("REDIS_URL", "").strip()
    if not value:
        return None
    if not value.startswith(REDIS_SCHEMES):
        # The URL may hold a password, so only its scheme is repeated in the message.
        scheme = value.split("://", 1)[0] if "://" in value else "(none)"
        problems.append(
            f"REDIS_URL has scheme {scheme!r}; expected a URL starting with "
            f"{', '.join(REDIS_SCHEMES)}, or unset it to run without a cache"
        )
        return value
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError as exc:
        problems.append(f"REDIS_URL is not a URL: {_hidden(str(exc), value)}")
        return value
    if port == 0:
        problems.append("REDIS_URL has a port that is not a number in 1..65535")
        return value
    database = parts.path.strip("/")
    if not value.startswith("unix://") and database and not database.isdecimal():
        problems.append("REDIS_URL has a path that is not a database number, e.g. /0")
        return value
    # The client reads the query string (timeouts, protocol, ...) only when it connects, in
    # every worker: a bad option there would fail each request. Building one connection object
    # (no network involved) finds it now.
    try:
        ConnectionPool.from_url(value).make_connection()
    except Exception as exc:  # noqa: BLE001 - redis-py raises several types for a bad option
        problems.append(f"REDIS_URL is not usable by the Redis client: {_hidden(str(exc), value)}")
    return value


def _hidden(message: str, url: str) -> str:
    """A message about the URL without the URL itself, which may hold a password."""
    return message.replace(url, "(the URL)")


def _text(environ: Mapping[str, str], name: str, default: str, problems: list[str]) -> str:
    raw = environ.get(name)
    if raw is None:
        return default
    value = raw.strip()
    if not value:
        problems.append(f"{name} is set but empty; unset it to use the default {default!r}")
    return value


def _integer(
    environ: Mapping[str, str],
    name: str,
    default: int,
    minimum: int,
    maximum: int,
    problems: list[str],
) -> int:
    raw = environ.get(name)
    if raw is None:
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        problems.append(f"{name}={raw!r} is not an integer; expected {minimum}..{maximum}")
        return default
    if not minimum <= value <= maximum:
        problems.append(f"{name}={value} is out of range; expected {minimum}..{maximum}")
    return value


def _choice(
    environ: Mapping[str, str],
    name: str,
    default: str,
    choices: tuple[str, ...],
    problems: list[str],
) -> str:
    raw = environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value not in choices:
        problems.append(f"{name}={raw!r} is not one of: {', '.join(choices)}")
    return value
