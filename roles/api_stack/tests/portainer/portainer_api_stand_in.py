"""A stand-in for the part of Portainer's API the portainer driver calls, on 127.0.0.1.

Portainer's image cannot be pulled where these tests run, so the driver's requests are checked
against this server instead. It answers as Portainer CE 2.33 LTS documents these endpoints (and
as its handlers in api/http/handler/endpoints and api/http/handler/stacks behave), refuses what
Portainer would refuse, and records every request for the test to inspect:

- every call needs the X-API-Key header (401 otherwise);
- GET  /api/endpoints; POST /api/endpoints with form fields Name and EndpointCreationType;
- GET  /api/stacks?filters={"EndpointID": N}: the compose stacks (Type 2) of environment N;
- POST /api/stacks/create/standalone/string?endpointId=N, JSON Name, StackFileContent, Env;
  409 when the environment already has a stack of that name;
- PUT  /api/stacks/{id}?endpointId=N, JSON StackFileContent, Env (replacing the whole list),
  Prune, PullImage.

JSON field names are matched case-insensitively, as Go's decoder does; Env must be a list of
objects with exactly the string fields `name` and `value` (Portainer's Pair). Errors are JSON
objects with `message` and `details`, as Portainer's. This checks requests only: whether a real
Portainer then deploys the stack is the online scenario's part.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import parse_qs, urlsplit

COMPOSE_STACK = 2
DOCKER_ENDPOINT = 1


class PortainerStandIn:
    """The server, its state (environments, stacks) and the requests it received."""

    def __init__(
        self, api_key: str, endpoints: list[dict[str, Any]] | None = None
    ) -> None:
        self.api_key = api_key
        self.endpoints = list(endpoints or [])
        self.stacks: list[dict[str, Any]] = []
        self.requests: list[dict[str, Any]] = []
        self.refusals: list[str] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/api"

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_: object) -> None:  # the records replace the log
                pass

            def do_GET(self) -> None:
                stand_in.handle(self, "GET")

            def do_POST(self) -> None:
                stand_in.handle(self, "POST")

            def do_PUT(self) -> None:
                stand_in.handle(self, "PUT")

        return Handler

    def handle(self, http: BaseHTTPRequestHandler, method: str) -> None:
        url = urlsplit(http.path)
        length = int(http.headers.get("Content-Length", 0))
        raw = http.rfile.read(length).decode() if length else ""
        record = {
            "method": method,
            "path": url.path,
            "query": {k: v[0] for k, v in parse_qs(url.query).items()},
            "content_type": http.headers.get("Content-Type", ""),
            "authenticated": http.headers.get("X-API-Key") == self.api_key,
            "raw": raw,
        }
        self.requests.append(record)
        status, body = self.answer(record)
        if status >= 400:
            self.refusals.append(f"{method} {url.path}: {status} {body['message']}")
        data = json.dumps(body).encode()
        http.send_response(status)
        http.send_header("Content-Type", "application/json")
        http.send_header("Content-Length", str(len(data)))
        http.end_headers()
        http.wfile.write(data)

    def answer(self, request: dict[str, Any]) -> tuple[int, Any]:
        if not request["authenticated"]:
            return error(401, "Unauthorized", "A valid authorisation token is missing")
        route = (request["method"], request["path"])
        if route == ("GET", "/api/endpoints"):
            return 200, self.endpoints
        if route == ("POST", "/api/endpoints"):
            return self.create_endpoint(request)
        if route == ("GET", "/api/stacks"):
            return self.list_stacks(request)
        if route == ("POST", "/api/stacks/create/standalone/string"):
            return self.create_stack(request)
        if request["method"] == "PUT" and request["path"].startswith("/api/stacks/"):
            return self.update_stack(request)
        return error(
            404, "Not found", f"no route {request['method']} {request['path']}"
        )

    def create_endpoint(self, request: dict[str, Any]) -> tuple[int, Any]:
        if not request["content_type"].startswith("application/x-www-form-urlencoded"):
            return error(400, "Invalid request payload", "expected form fields")
        form = {k: v[0] for k, v in parse_qs(request["raw"]).items()}
        if not form.get("Name"):
            return error(400, "Invalid request payload", "Invalid environment name")
        if form.get("EndpointCreationType") != "1":
            return error(
                400, "Invalid request payload", "Invalid environment type value"
            )
        endpoint = {
            "Id": max((e["Id"] for e in self.endpoints), default=0) + 1,
            "Name": form["Name"],
            "Type": DOCKER_ENDPOINT,
            "URL": "unix:///var/run/docker.sock",
        }
        self.endpoints.append(endpoint)
        return 200, endpoint

    def list_stacks(self, request: dict[str, Any]) -> tuple[int, Any]:
        try:
            filters = json.loads(request["query"].get("filters", "{}"))
        except json.JSONDecodeError:
            return error(400, "Invalid query parameter: filters", "not JSON")
        endpoint_id = filters.get("EndpointID", 0)
        return 200, [
            s
            for s in self.stacks
            if not endpoint_id
            or (s["Type"] == COMPOSE_STACK and s["EndpointId"] == endpoint_id)
        ]

    def create_stack(self, request: dict[str, Any]) -> tuple[int, Any]:
        endpoint, problem = self.endpoint_of(request)
        if problem:
            return problem
        body, problem = json_body(request, required=("Name", "StackFileContent"))
        if problem:
            return problem
        name = body["name"]
        if any(
            s["Name"] == name.lower() and s["EndpointId"] == endpoint["Id"]
            for s in self.stacks
        ):
            return error(
                409, f"A stack with the normalized name '{name}' already exists"
            )
        stack = {
            "Id": len(self.stacks) + 1,
            "Name": name.lower(),
            "Type": COMPOSE_STACK,
            "EndpointId": endpoint["Id"],
            "EntryPoint": "docker-compose.yml",
            "ProjectPath": f"/data/compose/{len(self.stacks) + 1}",
            "Env": body.get("env") or [],
            "Status": 1,
            "StackFileContent": body["stackfilecontent"],
        }
        self.stacks.append(stack)
        return 200, stack

    def update_stack(self, request: dict[str, Any]) -> tuple[int, Any]:
        try:
            stack_id = int(request["path"].removeprefix("/api/stacks/"))
        except ValueError:
            return error(400, "Invalid stack identifier route variable")
        stack = next((s for s in self.stacks if s["Id"] == stack_id), None)
        if stack is None:
            return error(404, "Unable to find a stack with the specified identifier")
        endpoint, problem = self.endpoint_of(request)
        if problem:
            return problem
        body, problem = json_body(request, required=("StackFileContent",))
        if problem:
            return problem
        stack.update(
            EndpointId=endpoint["Id"],
            Env=body.get("env") or [],
            StackFileContent=body["stackfilecontent"],
        )
        return 200, stack

    def endpoint_of(self, request: dict[str, Any]) -> tuple[dict[str, Any], Any]:
        try:
            endpoint_id = int(request["query"]["endpointId"])
        except (KeyError, ValueError):
            return {}, error(400, "Invalid query parameter: endpointId")
        endpoint = next((e for e in self.endpoints if e["Id"] == endpoint_id), None)
        if endpoint is None:
            return {}, error(404, "Unable to find an environment with the specified id")
        return endpoint, None


def json_body(
    request: dict[str, Any], required: tuple[str, ...]
) -> tuple[dict[str, Any], Any]:
    """The JSON body with lower-cased keys (Go matches them so), checked as Portainer does."""
    if not request["content_type"].startswith("application/json"):
        return {}, error(400, "Invalid request payload", "expected JSON")
    try:
        body = {key.lower(): value for key, value in json.loads(request["raw"]).items()}
    except (json.JSONDecodeError, AttributeError):
        return {}, error(400, "Invalid request payload", "not a JSON object")
    for field in required:
        if not isinstance(body.get(field.lower()), str) or not body[field.lower()]:
            return {}, error(400, "Invalid request payload", f"Invalid {field}")
    env = body.get("env", [])
    if not isinstance(env, list) or not all(
        isinstance(pair, dict)
        and set(pair) == {"name", "value"}
        and all(isinstance(v, str) for v in pair.values())
        for pair in env
    ):
        return {}, error(400, "Invalid request payload", "Env: list of {name, value}")
    return body, None


def error(status: int, message: str, details: str = "") -> tuple[int, dict[str, str]]:
    return status, {"message": message, "details": details or message}
