"""The portainer driver's requests match Portainer's API reference (CE 2.33 LTS, unchanged since
2.19): paths, methods, query parameters and JSON field names are written out here from that
reference, not taken from the plugin under test."""

import json
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from driver_run import load_plugin

portainer_stack = load_plugin()

CONFIG_DIR = "/opt/ephemeris/releases/0.1.0-abc1234/0123456789ab"
# What roles/api_stack/templates/compose.yaml.j2 renders, with Redis on.
COMPOSE = """\
# Written by the api_stack role for one deploy; never edited in place.
name: ephemeris

services:
  api:
    image: "ephemeris-api:0.1.0-abc1234"
    env_file:
      - api.env
    restart: unless-stopped
    ports:
      - "127.0.0.1:8000:8000"
    read_only: true
    cap_drop:
      - ALL
    labels:
      org.ephemeris.release: "0.1.0-abc1234"
    depends_on:
      redis:
        condition: service_healthy

  redis:
    image: "redis:7-bookworm"
    command:
      - redis-server
      - --save
      - ""
      - --appendonly
      - "no"
"""
ENV_FILE = """\
# Written by the api_stack role for one deploy; never edited in place.
APP_RELEASE='0.1.0-abc1234'
LOG_LEVEL='info'
REDIS_URL='redis://redis:6379/0'
API_TOKEN='s3cr3t-$value-with-dollar'
"""
ENV = {
    "APP_RELEASE": "0.1.0-abc1234",
    "LOG_LEVEL": "info",
    "REDIS_URL": "redis://redis:6379/0",
    "API_TOKEN": "s3cr3t-$value-with-dollar",
}


def request(existing: dict | None = None, endpoint_id: int = 3) -> dict:
    return portainer_stack.portainer_stack_request(
        COMPOSE, "ephemeris", ENV, endpoint_id, existing, CONFIG_DIR
    )


def test_a_missing_stack_is_created_from_a_string_on_the_environment() -> None:
    created = request(existing=None, endpoint_id=3)
    assert created["method"] == "POST"
    assert created["path"] == "/stacks/create/standalone/string"
    assert created["query"] == {"endpointId": 3}
    assert urlsplit(created["url"]).path == "/stacks/create/standalone/string"
    assert parse_qs(urlsplit(created["url"]).query) == {"endpointId": ["3"]}
    assert set(created["body"]) == {"name", "stackFileContent", "env"}
    assert created["body"]["name"] == "ephemeris"


def test_an_existing_stack_is_updated_by_id_with_prune_and_without_pulling() -> None:
    updated = request(existing={"Id": 17, "Name": "ephemeris", "EndpointId": 3})
    assert updated["method"] == "PUT"
    assert updated["path"] == "/stacks/17"
    assert parse_qs(urlsplit(updated["url"]).query) == {"endpointId": ["3"]}
    assert set(updated["body"]) == {"stackFileContent", "env", "prune", "pullImage"}
    assert updated["body"]["prune"] is True
    assert updated["body"]["pullImage"] is False


@pytest.mark.parametrize("existing", [None, {"Id": 17}])
def test_the_env_list_carries_every_variable_as_name_value_pairs(
    existing: dict | None,
) -> None:
    pairs = request(existing)["body"]["env"]
    assert all(set(pair) == {"name", "value"} for pair in pairs)
    assert [pair["name"] for pair in pairs] == sorted(ENV)
    assert all(isinstance(pair["value"], str) for pair in pairs)


def test_plain_values_are_sent_as_they_are() -> None:
    pairs = {p["name"]: p["value"] for p in portainer_stack.portainer_env(ENV)}
    assert pairs["LOG_LEVEL"] == "info"
    assert pairs["REDIS_URL"] == "redis://redis:6379/0"


@pytest.mark.parametrize(
    "value",
    ["s3cr3t-$value", "a #comment", 'say "hi"', "back\\slash", " padded "],
)
def test_values_compose_would_interpret_are_single_quoted_to_stay_literal(
    value: str,
) -> None:
    # Compose's dotenv parser expands $, cuts " #" comments, strips quotes, backslashes and
    # outer blanks in unquoted values; single-quoted values are taken literally.
    assert portainer_stack.portainer_env_value(value) == f"'{value}'"


def test_a_value_with_a_single_quote_is_refused_naming_the_key_not_the_value() -> None:
    with pytest.raises(ValueError, match="API_TOKEN") as raised:
        portainer_stack.portainer_env({"API_TOKEN": "it's-secret"})
    assert "it's-secret" not in str(raised.value)


def test_the_stack_file_is_the_release_compose_file_reading_stack_env() -> None:
    sent = yaml.safe_load(request()["body"]["stackFileContent"])
    original = yaml.safe_load(COMPOSE)
    assert sent["services"]["api"]["env_file"] == ["stack.env"]
    assert sent["services"]["api"]["labels"] == {
        "org.ephemeris.release": "0.1.0-abc1234",
        "org.ephemeris.config_dir": CONFIG_DIR,
    }
    for changed in ("env_file", "labels"):
        del sent["services"]["api"][changed], original["services"]["api"][changed]
    assert sent == original


def test_the_stack_file_names_no_secret() -> None:
    content = request()["body"]["stackFileContent"]
    assert "s3cr3t" not in content
    assert "api.env" not in content


def test_a_compose_file_without_the_api_env_file_is_refused() -> None:
    without = COMPOSE.replace("      - api.env\n", "      - other.env\n")
    with pytest.raises(ValueError, match=r"api\.env"):
        portainer_stack.portainer_stack_file(without, CONFIG_DIR)


def test_the_env_file_the_role_writes_is_read_back_exactly() -> None:
    assert portainer_stack.parse_env_file(ENV_FILE) == ENV


def test_a_malformed_env_line_is_refused_without_showing_it() -> None:
    with pytest.raises(ValueError, match="line 2") as raised:
        portainer_stack.parse_env_file("# header\nAPI_TOKEN=unquoted-secret\n")
    assert "unquoted-secret" not in str(raised.value)


def test_a_stack_name_portainer_would_rename_is_refused() -> None:
    with pytest.raises(ValueError, match="api_stack_project_name"):
        portainer_stack.portainer_stack_request(
            COMPOSE, "Ephemeris", ENV, 1, None, CONFIG_DIR
        )


ENDPOINTS = [
    {"Id": 2, "Name": "remote", "Type": 2, "URL": "tcp://10.0.0.5:9001"},
    {"Id": 5, "Name": "primary", "Type": 1, "URL": "unix:///var/run/docker.sock"},
]


def test_the_local_environment_is_the_docker_socket_one() -> None:
    assert portainer_stack.portainer_endpoint(ENDPOINTS)["Id"] == 5


def test_a_named_environment_is_found_by_name() -> None:
    assert portainer_stack.portainer_endpoint(ENDPOINTS, "remote")["Id"] == 2


def test_no_matching_environment_gives_an_empty_answer() -> None:
    assert portainer_stack.portainer_endpoint(ENDPOINTS, "staging") == {}
    assert portainer_stack.portainer_endpoint(ENDPOINTS[:1]) == {}


def test_the_local_environment_is_created_like_portainers_get_started_button() -> None:
    create = portainer_stack.portainer_endpoint_create()
    assert (create["method"], create["path"]) == ("POST", "/endpoints")
    assert create["form"] == {"Name": "local", "EndpointCreationType": "1"}


def test_stacks_are_listed_with_the_environment_filter() -> None:
    listing = portainer_stack.portainer_stacks_query(5)
    assert (listing["method"], listing["path"]) == ("GET", "/stacks")
    filters = parse_qs(urlsplit(listing["url"]).query)["filters"]
    assert json.loads(filters[0]) == {"EndpointID": 5}


def test_the_stack_is_found_by_name_on_its_environment_only() -> None:
    stacks = [
        {"Id": 1, "Name": "ephemeris", "EndpointId": 9},
        {"Id": 4, "Name": "ephemeris", "EndpointId": 5},
    ]
    assert portainer_stack.portainer_find_stack(stacks, "ephemeris", 5)["Id"] == 4
    assert portainer_stack.portainer_find_stack(stacks, "ephemeris", 7) == {}
