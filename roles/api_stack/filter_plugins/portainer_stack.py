"""Requests of the `portainer` driver, built from plain values so they can be unit-tested.

The driver runs a release's compose.yaml as a Portainer stack. Portainer's API, as this file
targets it: Portainer CE 2.33 LTS (the `portainer` role's image), whose calls below exist
unchanged since 2.19 (api/http/handler/stacks and api/http/handler/endpoints):

- GET  /api/endpoints: the environments, each with `Id`, `Name`, `Type` (1: Docker reached
  through its socket or API) and `URL` (`unix:///var/run/docker.sock` for the local one).
- POST /api/endpoints, form fields `Name` and `EndpointCreationType` (1: local Docker): what
  the "Get started" button of a fresh Portainer does.
- GET  /api/stacks?filters={"EndpointID": N}: the compose stacks of environment N, each with
  `Id`, `Name`, `EndpointId` and `Env`.
- POST /api/stacks/create/standalone/string?endpointId=N, JSON `name`, `stackFileContent`,
  `env` (a list of `{"name", "value"}`): creates and deploys a compose stack.
- PUT  /api/stacks/{id}?endpointId=N, JSON `stackFileContent`, `env`, `prune`, `pullImage`:
  replaces the stack file and the whole env list, then deploys. `prune` removes services no
  longer in the file (honoured for compose stacks from 2.36 on, ignored before); `pullImage`
  stays false because release images are immutable tags, often loaded from an archive on a
  host without a registry.

Portainer's JSON decoder matches field names case-insensitively, so `stackFileContent` and
`StackFileContent` are the same field; the names here are the ones its API reference shows.

How the env file becomes Portainer's: for a standalone stack Portainer writes the env list to
`stack.env` beside the stack file, one `name=value` line each, unquoted, and compose reads it
with its dotenv parser. The stack file therefore names `stack.env` where the compose driver's
names `api.env`; nothing else in it changes but one label. A value that the dotenv parser would
alter unquoted (`$` expansion, ` #` comments, quotes, backslashes, outer blanks) is sent
single-quoted, which that parser takes literally: the value reaches the container exactly as
with the compose driver, whose api.env quotes every value the same way.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlencode

import yaml

# Docker environment reached through a socket or the Docker API (Portainer's EndpointType 1).
DOCKER_ENDPOINT_TYPE = 1
# EndpointCreationType of POST /api/endpoints for the local Docker socket.
LOCAL_DOCKER_CREATION_TYPE = 1
LOCAL_ENDPOINT_NAME = "local"
# Label on the API container naming the release configuration it was started from. The compose
# driver reads com.docker.compose.project.working_dir instead, which under Portainer names
# Portainer's own copy of the stack file.
CONFIG_DIR_LABEL = "org.ephemeris.config_dir"
API_SERVICE = "api"
COMPOSE_ENV_FILE = "api.env"
PORTAINER_ENV_FILE = "stack.env"

_ENV_LINE = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)='([^'\n]*)'$")
# Characters compose's dotenv parser interprets in an unquoted value.
_NEEDS_QUOTES = re.compile(r"[$#\"'\\`]")


class PortainerStackError(ValueError):
    """A value the driver cannot turn into a Portainer request; the message names it."""


def parse_env_file(text: str) -> dict[str, str]:
    """Read api.env as the role writes it: comments, blank lines and NAME='value' lines."""
    env: dict[str, str] = {}
    for number, line in enumerate(str(text).splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = _ENV_LINE.match(line)
        if match is None:
            raise PortainerStackError(
                f"api.env line {number} is not NAME='value' (the form the role writes); "
                "was the file edited by hand?"
            )
        env[match.group(1)] = match.group(2)
    return env


def portainer_env_value(value: str) -> str:
    """The value to send so that compose, reading Portainer's stack.env, gets `value` back."""
    if "'" in value or "\n" in value:
        raise PortainerStackError(
            "an env value holds a single quote or a newline, which stack.env cannot carry "
            "literally"
        )
    if _NEEDS_QUOTES.search(value) or value != value.strip():
        return f"'{value}'"
    return value


def portainer_env(env: dict[str, Any]) -> list[dict[str, str]]:
    """Portainer's env list: every variable, sorted by name, as {"name", "value"} pairs."""
    pairs = []
    for name in sorted(env):
        try:
            value = portainer_env_value(str(env[name]))
        except PortainerStackError as error:
            raise PortainerStackError(f"{name}: {error}") from None
        pairs.append({"name": str(name), "value": value})
    return pairs


def portainer_stack_file(compose_text: str, config_dir: str) -> str:
    """The stack file: the release's compose.yaml reading stack.env instead of api.env."""
    # Ansible hands over its own str subclasses, which yaml.safe_dump refuses.
    config_dir = str(config_dir)
    compose = yaml.safe_load(str(compose_text))
    try:
        api = compose["services"][API_SERVICE]
    except (KeyError, TypeError):
        raise PortainerStackError(
            f"compose.yaml in {config_dir} has no services.{API_SERVICE}"
        ) from None
    env_files = api.get("env_file", [])
    if isinstance(env_files, str):
        env_files = [env_files]
    if COMPOSE_ENV_FILE not in env_files:
        raise PortainerStackError(
            f"services.{API_SERVICE}.env_file of compose.yaml in {config_dir} does not list "
            f"{COMPOSE_ENV_FILE}; the driver replaces exactly that entry"
        )
    api["env_file"] = [
        PORTAINER_ENV_FILE if name == COMPOSE_ENV_FILE else name for name in env_files
    ]
    labels = api.get("labels") or {}
    if isinstance(labels, list):
        labels = dict(item.split("=", 1) for item in labels)
    api["labels"] = {**labels, CONFIG_DIR_LABEL: config_dir}
    header = (
        f"# Deployed by the api_stack role from {config_dir}/compose.yaml; the next deploy\n"
        f"# or rollback replaces this file and the environment variables.\n"
    )
    return header + yaml.safe_dump(
        compose, sort_keys=False, default_flow_style=False, width=4096
    )


def portainer_endpoint(
    endpoints: list[dict[str, Any]], name: str = ""
) -> dict[str, Any]:
    """The environment to deploy to: the one called `name`, or the local Docker socket one.

    Returns {} when there is none, so the caller can create the local one or name the problem.
    """
    if name:
        return next((e for e in endpoints if e.get("Name") == name), {})
    local = [
        e
        for e in endpoints
        if e.get("Type") == DOCKER_ENDPOINT_TYPE
        and str(e.get("URL", "")).startswith("unix://")
    ]
    return min(local, key=lambda e: e["Id"]) if local else {}


def portainer_endpoint_create(name: str = "") -> dict[str, Any]:
    """The request creating the local Docker environment, as Portainer's first start does."""
    return {
        "method": "POST",
        "path": "/endpoints",
        "query": {},
        "url": "/endpoints",
        "form": {
            "Name": name or LOCAL_ENDPOINT_NAME,
            "EndpointCreationType": str(LOCAL_DOCKER_CREATION_TYPE),
        },
    }


def portainer_stacks_query(endpoint_id: int) -> dict[str, Any]:
    """The request listing the compose stacks of one environment."""
    query = {
        "filters": json.dumps({"EndpointID": int(endpoint_id)}, separators=(",", ":"))
    }
    return {
        "method": "GET",
        "path": "/stacks",
        "query": query,
        "url": _url("/stacks", query),
    }


def portainer_find_stack(
    stacks: list[dict[str, Any]], name: str, endpoint_id: int
) -> dict[str, Any]:
    """The stack called `name` on the environment, or {}. Portainer lower-cases stack names."""
    return next(
        (
            s
            for s in stacks
            if str(s.get("Name", "")).lower() == name.lower()
            and int(s.get("EndpointId", 0)) == int(endpoint_id)
        ),
        {},
    )


def portainer_stack_request(
    compose_text: str,
    name: str,
    env: dict[str, Any],
    endpoint_id: int,
    existing: dict[str, Any] | None = None,
    config_dir: str = "",
) -> dict[str, Any]:
    """Create the stack when `existing` is empty, otherwise update it with the full env list.

    Returns method, path, query, url (path and query) and the JSON body.
    """
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", name):
        raise PortainerStackError(
            f"stack name '{name}' (api_stack_project_name) needs lower-case letters, digits, "
            "'-' or '_', starting with a letter or digit: Portainer and compose would "
            "otherwise rename it"
        )
    query = {"endpointId": int(endpoint_id)}
    content = portainer_stack_file(compose_text, config_dir)
    pairs = portainer_env(env)
    if existing:
        path = f"/stacks/{int(existing['Id'])}"
        body: dict[str, Any] = {
            "stackFileContent": content,
            "env": pairs,
            "prune": True,
            "pullImage": False,
        }
        method = "PUT"
    else:
        path = "/stacks/create/standalone/string"
        body = {"name": str(name), "stackFileContent": content, "env": pairs}
        method = "POST"
    return {
        "method": method,
        "path": path,
        "query": query,
        "url": _url(path, query),
        "body": body,
    }


def _url(path: str, query: dict[str, Any]) -> str:
    return f"{path}?{urlencode(query)}" if query else path


class FilterModule:
    """Ansible entry point: the functions above as filters."""

    def filters(self) -> dict[str, Any]:
        return {
            "portainer_parse_env_file": parse_env_file,
            "portainer_env": portainer_env,
            "portainer_stack_file": portainer_stack_file,
            "portainer_endpoint": portainer_endpoint,
            "portainer_endpoint_create": portainer_endpoint_create,
            "portainer_stacks_query": portainer_stacks_query,
            "portainer_find_stack": portainer_find_stack,
            "portainer_stack_request": portainer_stack_request,
        }
