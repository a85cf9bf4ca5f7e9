"""Requests generated from the API's own OpenAPI document never produce a server error.

For every POST endpoint, hypothesis draws bodies that satisfy the documented request schema
(`schema_strategies`); a second property sends arbitrary JSON values and bytes. Every answer
must be below 500, and every 4xx must be JSON in the documented error shape: a 422 lists
fields, any other error names its code. The request count is asserted so a schema that
generates nothing cannot pass silently.
"""

import http.client
import json
from collections import Counter
from collections.abc import Iterator

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ephemeris_api.web.openapi import openapi_document
from tests.api_process import free_port, running_server, server_environment
from tests.schema_strategies import from_schema

SPEC = openapi_document()
POST_PATHS = tuple(path for path, item in SPEC["paths"].items() if "post" in item)
# The transit search and returns scan months to centuries per request; fewer of them keep the
# whole run well under a minute, and the other endpoints make up the count.
EXAMPLES = {"/v1/transits/search": 15, "/v1/returns": 30}
DEFAULT_EXAMPLES = int(__import__("os").environ.get("FUZZ_N", "110"))
ARBITRARY_EXAMPLES = 150
MINIMUM_REQUESTS = 1000
SENT: Counter[str] = Counter()

FUZZ_SETTINGS = settings(
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
        HealthCheck.function_scoped_fixture,
    ],
)


class Server:
    """`python -m ephemeris_api` on a random loopback port, asked over one kept-alive connection.

    A real server rather than the ASGI test client, which starts the app for every request and
    would alone take longer than the whole fuzz budget.
    """

    def __init__(self, port: int) -> None:
        self.port = port
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def post(self, path: str, data: bytes) -> tuple[int, str]:
        headers = {"Content-Type": "application/json"}
        try:
            self.connection.request("POST", path, body=data, headers=headers)
            response = self.connection.getresponse()
        except (http.client.HTTPException, OSError):
            # The server closes the connection after some errors (e.g. 413); open a new one.
            self.connection.close()
            self.connection.request("POST", path, body=data, headers=headers)
            response = self.connection.getresponse()
        return response.status, response.read().decode()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    port = free_port()
    log_path = tmp_path_factory.mktemp("fuzz") / "server.log"
    environment = server_environment(
        HOST="127.0.0.1", PORT=str(port), WORKERS="1", LOG_LEVEL="error", LOG_FORMAT="json"
    )
    with running_server(environment, log_path):
        yield Server(port)


def _with_components(schema: dict) -> dict:
    return {**schema, "components": SPEC["components"]}


def _request_schema(path: str) -> dict:
    return SPEC["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"]


def _assert_well_formed(path: str, status: int, text: str) -> None:
    assert status < 500, (path, status, text)
    if status >= 400:
        body = json.loads(text)
        name = "ValidationError" if status == 422 else "Error"
        jsonschema.validate(body, _with_components({"$ref": f"#/components/schemas/{name}"}))


@pytest.mark.parametrize("path", POST_PATHS)
def test_documented_bodies_never_cause_a_server_error(server: Server, path: str) -> None:
    @settings(FUZZ_SETTINGS, max_examples=EXAMPLES.get(path, DEFAULT_EXAMPLES))
    @given(body=from_schema(_request_schema(path), SPEC))
    def check(body: dict) -> None:
        status, text = server.post(path, json.dumps(body).encode())
        SENT[path] += 1
        _assert_well_formed(path, status, text)

    check()


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(["datetime", "timezone", "latitude", "natal", "first", "ut", "x"])
            | st.text(max_size=8),
            inner,
            max_size=6,
        )
    ),
    max_leaves=25,
)


@settings(FUZZ_SETTINGS, max_examples=ARBITRARY_EXAMPLES)
@given(path=st.sampled_from(POST_PATHS), body=json_values | st.binary(max_size=64))
def test_arbitrary_bodies_are_answered_with_a_json_4xx(
    server: Server, path: str, body: object
) -> None:
    data = body if isinstance(body, bytes) else json.dumps(body, allow_nan=True).encode()
    status, text = server.post(path, data)
    SENT["arbitrary"] += 1
    _assert_well_formed(path, status, text)


def test_the_fuzzing_sent_enough_requests() -> None:
    if len(SENT) < len(POST_PATHS) + 1:
        pytest.skip("runs only after the fuzz tests of this module")
    assert sum(SENT.values()) >= MINIMUM_REQUESTS, SENT
