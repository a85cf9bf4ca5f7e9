"""Behind a proxy that serves the API under a path prefix and strips it, the way Traefik's
StripPrefix middleware does, the OpenAPI document and the docs page point at the public paths.

The proxy removes the prefix before the request reaches the app and names it in
X-Forwarded-Prefix; the tests send exactly that. A header that is not a plain path is ignored,
so a client talking to the app directly cannot make the document point elsewhere.
"""

import json
import shutil
import subprocess
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from openapi_spec_validator import validate

from tests.api_process import free_port, running_server, server_environment
from tests.conftest import ApiClient

PREFIX = "/astro"


def stripped(public_path: str, prefix: str) -> str:
    """The path the app receives for `public_path` after the proxy strips `prefix`."""
    assert public_path.startswith(prefix + "/"), (public_path, prefix)
    return public_path[len(prefix) :]


def test_the_document_names_the_forwarded_prefix_as_its_server(client: ApiClient) -> None:
    response = client.get("/v1/openapi.json", headers={"X-Forwarded-Prefix": PREFIX})

    assert response.status_code == 200
    assert response.json["servers"] == [{"url": PREFIX}]
    validate(response.json)


def test_without_the_header_the_server_is_the_root(client: ApiClient) -> None:
    response = client.get("/v1/openapi.json")

    assert response.json["servers"] == [{"url": "/"}]


@pytest.mark.parametrize(
    ("header", "server"),
    [
        ("/astro/", "/astro"),
        ("/api/astro", "/api/astro"),
        (" /astro ", "/astro"),
        ("/", "/"),
    ],
)
def test_a_prefix_is_used_without_its_trailing_slash(
    client: ApiClient, header: str, server: str
) -> None:
    response = client.get("/v1/openapi.json", headers={"X-Forwarded-Prefix": header})

    assert response.json["servers"] == [{"url": server}]


@pytest.mark.parametrize(
    "header",
    [
        "https://elsewhere.example",
        "//elsewhere.example",
        "astro",
        "/astro,/other",
        "/../v1",
        "/astro/./v1",
        "/%2e%2e",
        "/astro/%2E/v1",
        "/.%2e/v1",
        "/as tro",
        '/astro"><script>',
        "",
    ],
)
def test_a_header_that_is_not_a_plain_path_is_ignored(client: ApiClient, header: str) -> None:
    response = client.get("/v1/openapi.json", headers={"X-Forwarded-Prefix": header})

    assert response.json["servers"] == [{"url": "/"}]


def test_one_request_s_prefix_does_not_leak_into_the_next(client: ApiClient) -> None:
    client.get("/v1/openapi.json", headers={"X-Forwarded-Prefix": PREFIX})

    response = client.get("/v1/openapi.json")

    assert response.json["servers"] == [{"url": "/"}]


@pytest.fixture(scope="module")
def server_port(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    directory = tmp_path_factory.mktemp("prefixed")
    port = free_port()
    environment = server_environment(
        HOST="127.0.0.1",
        PORT=str(port),
        WORKERS="1",
        LOG_FORMAT="json",
        LOG_LEVEL="warning",
        APP_RELEASE="prefix-test",
        PROMETHEUS_MULTIPROC_DIR=str(directory),
    )
    with running_server(environment, directory / "server.log") as running_port:
        yield running_port


def _get(port: int, path: str, headers: dict[str, str]) -> tuple[int, bytes]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_the_real_server_behind_a_stripping_proxy_serves_the_document_s_public_paths(
    server_port: int,
) -> None:
    forwarded = {"X-Forwarded-Prefix": PREFIX}
    status, body = _get(server_port, stripped(PREFIX + "/v1/openapi.json", PREFIX), forwarded)
    assert status == 200
    [server] = json.loads(body)["servers"]

    public_health = server["url"] + "/v1/health"
    status, body = _get(server_port, stripped(public_health, PREFIX), forwarded)

    assert public_health == "/astro/v1/health"
    assert status == 200
    assert json.loads(body)["status"] == "ok"


# The page's script, run by Node.js with the few browser objects it touches before the
# document arrives: it records the URLs it fetches and the link it shows.
_PAGE_HARNESS = """
const fs = require("fs");
const html = fs.readFileSync(0, "utf8");
const script = html.split("<script>")[1].split("</script>")[0];
const link = {attributes: {}, setAttribute(name, value) { this.attributes[name] = value; }};
const fetched = [];
const context = {
  location: {pathname: process.argv[1]},
  document: {getElementById: (id) => (id === "document" ? link : {})},
  fetch: (url) => { fetched.push(url); return new Promise(() => {}); },
};
new Function(...Object.keys(context), script)(...Object.values(context));
console.log(JSON.stringify({fetched, href: link.attributes.href}));
"""


@pytest.mark.skipif(
    shutil.which("node") is None, reason="Node.js runs the page (scripts/bootstrap.sh installs it)"
)
@pytest.mark.parametrize(
    ("page_path", "document_url"),
    [
        ("/astro/v1/docs", "/astro/v1/openapi.json"),
        ("/api/astro/v1/docs/", "/api/astro/v1/openapi.json"),
        ("/v1/docs", "/v1/openapi.json"),
        ("/v1/docs/", "/v1/openapi.json"),
    ],
)
def test_the_docs_page_loads_the_document_under_its_own_prefix(
    client: ApiClient, tmp_path: Path, page_path: str, document_url: str
) -> None:
    prefix = page_path.removesuffix("/").removesuffix("/v1/docs")
    page = client.get("/v1/docs", headers={"X-Forwarded-Prefix": prefix}).text

    run = subprocess.run(
        [str(shutil.which("node")), "-e", _PAGE_HARNESS, page_path],
        input=page,
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )

    assert json.loads(run.stdout) == {"fetched": [document_url], "href": document_url}
