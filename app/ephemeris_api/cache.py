"""The optional Redis cache of computed answers, one client per worker process.

An answer is a pure function of its request and of the code computing it, so it can be kept
under a key made of the endpoint, the version and release, and the validated request written
as canonical JSON (`canonical`): every spelling the validators accept for one request, such
as "placidus" and "P" or an omitted default and the default written out, gives one key.
The cache must never make the API slower or less available than it is without one: every
command has a short socket timeout, and after a failure Redis is not asked again for a few
seconds, so a dead Redis costs one failed command per worker per back-off period, not one per
request.
"""

import asyncio
import dataclasses
import hashlib
import json
from collections.abc import Awaitable, Callable, Mapping
from datetime import date, datetime, time, timedelta
from enum import Enum, StrEnum
from time import monotonic
from typing import Final, TypeVar
from zoneinfo import ZoneInfo

from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError

from ephemeris_api.logs import get_logger
from ephemeris_api.metrics import CACHE_BYPASSES, CACHE_ERRORS, CACHE_HITS, CACHE_MISSES

log = get_logger(__name__)

# Redis on the same host or network answers in well under a millisecond; a command that has
# not answered in this time is treated as failed rather than waited for.
SOCKET_TIMEOUT_SECONDS: Final = 0.1
# Bounds what the socket timeouts do not cover, such as resolving the host name.
COMMAND_DEADLINE_SECONDS: Final = 0.25
BACKOFF_SECONDS: Final = 5.0
KEY_PREFIX: Final = "ephemeris_api"

T = TypeVar("T")


class CacheState(StrEnum):
    """What /v1/ready reports for the cache."""

    OK = "ok"
    DEGRADED = "degraded"
    DISABLED = "disabled"


class Lookup(StrEnum):
    """How an answer was found, as sent in the X-Cache header."""

    HIT = "hit"
    MISS = "miss"
    # Redis failed, or failed moments before and is being left alone: computed, not stored.
    BYPASS = "bypass"


def canonical(value: object) -> object:  # noqa: PLR0911 - one return per kind of value
    """A validated request as plain JSON values, the same for equal requests.

    Dataclasses become objects of their fields, tuples lists, enumerations their values,
    times ISO strings, time zones their IANA names and durations seconds. Anything else is
    refused rather than written in a form that might make two different requests equal.
    """
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Enum):
        return value.value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            field.name: canonical(getattr(value, field.name)) for field in dataclasses.fields(value)
        }
    if isinstance(value, tuple | list):
        return [canonical(item) for item in value]
    if isinstance(value, Mapping):
        return {str(key): canonical(item) for key, item in value.items()}
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, ZoneInfo):
        return value.key
    raise TypeError(f"no canonical form for {type(value).__name__}")


class CacheError(Exception):
    """A Redis command failed or timed out; the failure is already counted and logged."""


class ResponseCache:
    """Answers by key in Redis, with failures turned into a few seconds of not asking."""

    def __init__(
        self,
        url: str,
        ttl_seconds: int,
        namespace: str,
        backoff_seconds: float = BACKOFF_SECONDS,
        clock: Callable[[], float] = monotonic,
    ) -> None:
        self._ttl_seconds = ttl_seconds
        self._namespace = namespace
        self._backoff_seconds = backoff_seconds
        self._clock = clock
        self._retry_at = 0.0
        self._last_error = ""
        # redis-py retries failed commands with growing pauses by default; here a failure is
        # final, and the back-off below decides when Redis is asked again.
        self._client = Redis.from_url(
            url,
            socket_timeout=SOCKET_TIMEOUT_SECONDS,
            socket_connect_timeout=SOCKET_TIMEOUT_SECONDS,
            retry=Retry(NoBackoff(), 0),
            health_check_interval=0,
        )

    async def close(self) -> None:
        """Close the worker's connections."""
        await self._client.aclose()

    def key(self, endpoint: str, payload: object) -> str | None:
        """The key of a request in JSON values: equal values give an equal key.

        Keys are sorted and spacing removed, and the JSON is hashed so that a 64 KB request
        does not make a 64 KB key. None when the value cannot be written as JSON: nesting
        deep enough to exhaust the encoder's recursion is no chart request anyway.
        """
        try:
            canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"))
        except (ValueError, RecursionError):
            return None
        digest = hashlib.sha256(canonical.encode()).hexdigest()
        return f"{KEY_PREFIX}:{self._namespace}:{endpoint}:{digest}"

    async def get(self, key: str) -> tuple[Lookup, bytes | None]:
        """The stored answer, or how it came to be missing."""
        if self._backing_off():
            CACHE_BYPASSES.inc()
            return Lookup.BYPASS, None
        try:
            stored = await self._command("get", lambda: self._client.get(key))
        except CacheError:
            return Lookup.BYPASS, None
        if stored is None:
            CACHE_MISSES.inc()
            return Lookup.MISS, None
        CACHE_HITS.inc()
        return Lookup.HIT, stored

    async def put(self, key: str, body: bytes) -> None:
        """Store an answer for the configured time; a failure only starts the back-off."""
        if self._backing_off():
            return
        try:
            await self._command("set", lambda: self._client.set(key, body, ex=self._ttl_seconds))
        except CacheError:
            return

    async def state(self) -> tuple[CacheState, str]:
        """For readiness: a PING, unless Redis failed moments ago."""
        if self._backing_off():
            wait = self._retry_at - self._clock()
            return CacheState.DEGRADED, f"{self._last_error}; next attempt in {wait:.1f} s"
        try:
            await self._command("ping", self._client.ping)
        except CacheError:
            return CacheState.DEGRADED, f"{self._last_error}; answers are computed uncached"
        return CacheState.OK, "Redis answers PING"

    def _backing_off(self) -> bool:
        return self._clock() < self._retry_at

    async def _command(self, operation: str, command: Callable[[], Awaitable[T]]) -> T:
        try:
            async with asyncio.timeout(COMMAND_DEADLINE_SECONDS):
                result = await command()
        except (RedisError, OSError, TimeoutError) as exc:
            self._fail(operation, exc)
            raise CacheError(operation) from exc
        if self._last_error:
            log.info("cache_recovered", operation=operation)
            self._last_error = ""
        return result

    def _fail(self, operation: str, exc: BaseException) -> None:
        self._retry_at = self._clock() + self._backoff_seconds
        self._last_error = f"Redis {operation} failed: {type(exc).__name__}: {exc}".rstrip(": ")
        CACHE_ERRORS.labels(operation=operation).inc()
        log.warning(
            "cache_unavailable",
            operation=operation,
            error=self._last_error,
            backoff_seconds=self._backoff_seconds,
        )
