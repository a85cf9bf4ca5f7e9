"""The portainer driver's `up`, run for real by ansible-playbook against a stand-in of Portainer's
API on 127.0.0.1 (portainer_api_stand_in.py). This checks the requests the tasks send, not a
deployment: Portainer's image cannot be pulled here, so whether a real Portainer runs the stack
is checked by the portainer role's online scenario where it can."""

import json
import subprocess
from pathlib import Path

import pytest
from driver_run import run_playbook
from portainer_api_stand_in import PortainerStandIn

HERE = Path(__file__).parent
PLAYBOOK = HERE / "up.yml"
API_KEY = "ptr_StandInKeyThatMustNeverBePrinted="
SECRET = "s3cr3t-$value-never-printed"
LOCAL = {"Id": 3, "Name": "primary", "Type": 1, "URL": "unix:///var/run/docker.sock"}

COMPOSE = """\
# Written by the api_stack role for one deploy; never edited in place.
name: ephemeris

services:
  api:
    image: "ephemeris-api:{release}"
    env_file:
      - api.env
    restart: unless-stopped
    ports:
      - "127.0.0.1:8000:8000"
    labels:
      org.ephemeris.release: "{release}"
"""


def write_release(root: Path, release: str, env: dict[str, str]) -> Path:
    """A release configuration directory as tasks/config.yml writes it."""
    config_dir = root / "releases" / release / "0123456789ab"
    config_dir.mkdir(parents=True)
    (config_dir / "compose.yaml").write_text(COMPOSE.format(release=release))
    lines = ["# Written by the api_stack role for one deploy; never edited in place."]
    lines += [f"{name}='{value}'" for name, value in sorted(env.items())]
    (config_dir / "api.env").write_text("\n".join(lines) + "\n")
    return config_dir


def run_up(
    tmp_path: Path, portainer: PortainerStandIn, release: str, env: dict[str, str]
) -> subprocess.CompletedProcess:
    key_file = tmp_path / "portainer-api-key"
    key_file.write_text(API_KEY + "\n")
    config_dir = write_release(tmp_path, release, env)
    variables = {
        "api_stack_portainer_url": portainer.url,
        "api_stack_portainer_api_key_path": str(key_file),
        "api_stack_project_name": "ephemeris",
        "api_stack_health_timeout": 30,
        "api_stack_target": {"release": release, "config_dir": str(config_dir)},
    }
    return run_playbook(PLAYBOOK, variables, tmp_path / f"vars-{release}.json", "-v")


def stack_calls(portainer: PortainerStandIn) -> list[dict]:
    return [r for r in portainer.requests if r["path"].startswith("/api/stacks/")]


def env_of(request: dict) -> dict[str, str]:
    return {pair["name"]: pair["value"] for pair in json.loads(request["raw"])["env"]}


class TwoDeploys:
    """Release A then release B (with a secret) handed to the same Portainer."""

    def __init__(self, tmp_path: Path) -> None:
        with PortainerStandIn(API_KEY, endpoints=[LOCAL]) as portainer:
            self.first = run_up(
                tmp_path, portainer, "0.1.0-aaaaaaa", {"APP_RELEASE": "0.1.0-aaaaaaa"}
            )
            self.second = run_up(tmp_path, portainer, "0.1.0-bbbbbbb", SECOND_ENV)
        self.portainer = portainer


SECOND_ENV = {"APP_RELEASE": "0.1.0-bbbbbbb", "LOG_LEVEL": "debug", "API_TOKEN": SECRET}


@pytest.fixture(scope="module")
def two_deploys(tmp_path_factory: pytest.TempPathFactory) -> TwoDeploys:
    deploys = TwoDeploys(tmp_path_factory.mktemp("two-deploys"))
    for result in (deploys.first, deploys.second):
        assert result.returncode == 0, result.stdout + result.stderr
    return deploys


def test_portainer_refuses_none_of_the_requests(two_deploys: TwoDeploys) -> None:
    assert two_deploys.portainer.refusals == []
    assert all(r["authenticated"] for r in two_deploys.portainer.requests)


def test_the_first_deploy_creates_the_stack_on_the_local_environment(
    two_deploys: TwoDeploys,
) -> None:
    create = stack_calls(two_deploys.portainer)[0]
    assert (create["method"], create["path"]) == (
        "POST",
        "/api/stacks/create/standalone/string",
    )
    assert create["query"] == {"endpointId": "3"}
    assert set(json.loads(create["raw"])) == {"name", "stackFileContent", "env"}
    assert json.loads(create["raw"])["name"] == "ephemeris"


def test_the_second_deploy_updates_it_with_the_full_env_list(
    two_deploys: TwoDeploys,
) -> None:
    calls = stack_calls(two_deploys.portainer)
    assert [c["method"] for c in calls] == ["POST", "PUT"]
    update = calls[1]
    assert update["path"] == "/api/stacks/1"
    assert update["query"] == {"endpointId": "3"}
    body = json.loads(update["raw"])
    assert set(body) == {"stackFileContent", "env", "prune", "pullImage"}
    # The whole list, not the changes: Portainer replaces the stack's env with what it gets.
    assert env_of(update) == {**SECOND_ENV, "API_TOKEN": f"'{SECRET}'"}
    assert "ephemeris-api:0.1.0-bbbbbbb" in body["stackFileContent"]
    assert two_deploys.portainer.stacks[0]["Env"] == body["env"]


def test_each_deploy_looks_the_stack_up_on_the_chosen_environment(
    two_deploys: TwoDeploys,
) -> None:
    listings = [r for r in two_deploys.portainer.requests if r["path"] == "/api/stacks"]
    assert len(listings) == 2
    for listing in listings:
        assert listing["method"] == "GET"
        assert json.loads(listing["query"]["filters"]) == {"EndpointID": 3}


def test_secrets_and_the_api_key_appear_in_no_output(two_deploys: TwoDeploys) -> None:
    for result in (two_deploys.first, two_deploys.second):
        output = result.stdout + result.stderr
        assert "s3cr3t" not in output
        assert "StandInKey" not in output


def test_a_portainer_without_environments_gets_the_local_one_registered(
    tmp_path: Path,
) -> None:
    with PortainerStandIn(API_KEY, endpoints=[]) as portainer:
        result = run_up(
            tmp_path, portainer, "0.1.0-aaaaaaa", {"APP_RELEASE": "0.1.0-aaaaaaa"}
        )
    assert result.returncode == 0, result.stdout + result.stderr
    register = next(
        r
        for r in portainer.requests
        if r["path"] == "/api/endpoints" and r["method"] == "POST"
    )
    assert register["content_type"].startswith("application/x-www-form-urlencoded")
    assert portainer.endpoints[0]["Name"] == "local"
    (create,) = stack_calls(portainer)
    assert create["query"] == {"endpointId": str(portainer.endpoints[0]["Id"])}


def test_a_refused_key_fails_naming_what_to_fix_without_showing_the_key(
    tmp_path: Path,
) -> None:
    with PortainerStandIn("ptr_another-key", endpoints=[LOCAL]) as portainer:
        result = run_up(tmp_path, portainer, "0.1.0-aaaaaaa", {"API_TOKEN": SECRET})
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "HTTP 401" in output
    assert "api_stack_portainer_api_key_path" in output
    assert "StandInKey" not in output
    assert "s3cr3t" not in output
