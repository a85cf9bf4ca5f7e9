"""Shared fixtures: an in-process API client and access to Debian's swetest as the reference."""

import asyncio
import itertools
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

import pytest
from sanic_testing.testing import SanicASGITestClient, TestingResponse

from ephemeris_api.config import Settings
from ephemeris_api.web.app import create_app

EPHEMERIS_PATH = "/usr/share/libswe/ephe"
_app_numbers = itertools.count()


class ApiClient:
    """Synchronous wrapper around Sanic's ASGI test client, so tests read top to bottom."""

    def __init__(self, settings: Settings, loop: asyncio.AbstractEventLoop) -> None:
        # Sanic refuses two apps of the same name in one process.
        app = create_app(settings, name=f"ephemeris_api_test_{next(_app_numbers)}")
        # The ASGI test client starts the app for every request; Sanic's start-up code rewriting
        # ("touchup") would then dominate each test's time without changing behaviour.
        app.config.TOUCHUP = False
        self.app = app
        self._client = SanicASGITestClient(app)
        self._loop = loop

    def get(self, path: str, **kwargs: Any) -> TestingResponse:  # noqa: ANN401
        return self._request("get", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> TestingResponse:  # noqa: ANN401
        return self._request("post", path, **kwargs)

    def _request(self, method: str, path: str, **kwargs: Any) -> TestingResponse:  # noqa: ANN401
        call = getattr(self._client, method)(path, **kwargs)
        _, response = self._loop.run_until_complete(call)
        return response


@pytest.fixture(scope="session")
def event_loop_for_client() -> Iterator[asyncio.AbstractEventLoop]:
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings(ephemeris_path=EPHEMERIS_PATH, release="test-release", log_level="warning")


@pytest.fixture(scope="session")
def client(settings: Settings, event_loop_for_client: asyncio.AbstractEventLoop) -> ApiClient:
    return ApiClient(settings, event_loop_for_client)


MakeClient = Callable[..., ApiClient]


@pytest.fixture
def make_client(settings: Settings, event_loop_for_client: asyncio.AbstractEventLoop) -> MakeClient:
    """A client for an app with some settings changed, e.g. another ephemeris path."""

    def make(**overrides: Any) -> ApiClient:  # noqa: ANN401
        return ApiClient(replace(settings, **overrides), event_loop_for_client)

    return make
