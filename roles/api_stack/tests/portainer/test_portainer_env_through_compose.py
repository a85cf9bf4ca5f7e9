"""Env values sent to Portainer reach the container literally: checked with the real Docker
Compose parser, not with Portainer (whose image cannot be pulled here).

For a standalone stack Portainer writes the env list to `stack.env` beside the stack file, one
unquoted `name=value` line per pair (createEnvFile in its compose stack manager), and compose
reads that file through the stack file's `env_file`. This test writes both files the same way
from what the driver sends and asks `docker compose config` (Compose v2, from the offline
docker-host image that scripts/offline-images.sh builds) what environment the API service gets.
"""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from driver_run import load_plugin

portainer_stack = load_plugin()

COMPOSE_IMAGE = "ephemeris-offline/docker-host:trixie"
CONFIG_DIR = "/opt/ephemeris/releases/0.1.0-abc1234/0123456789ab"
COMPOSE = """\
name: ephemeris
services:
  api:
    image: "ephemeris-api:0.1.0-abc1234"
    env_file:
      - api.env
    labels:
      org.ephemeris.release: "0.1.0-abc1234"
"""
# The kinds of value api.env carries literally (the role refuses only ' and newlines).
ENV = {
    "PLAIN": "info",
    "URL": "redis://redis:6379/0",
    "DOLLAR": "s3cr3t-$value-${HOME}",
    "HASH": "before #after",
    "DOUBLE_QUOTES": 'say "hi"',
    "BACKSLASH": "back\\slash\\n",
    "PADDED": "  padded  ",
    "EMPTY": "",
}


def compose_available() -> bool:
    if shutil.which("docker") is None:
        return False
    found = subprocess.run(
        ["docker", "image", "inspect", COMPOSE_IMAGE],
        capture_output=True,
        check=False,
    )
    return found.returncode == 0


pytestmark = pytest.mark.skipif(
    not compose_available(),
    reason=f"needs docker and the image {COMPOSE_IMAGE} (scripts/offline-images.sh)",
)


def compose_config(project: Path) -> dict:
    result = subprocess.run(
        ["docker", "run", "--rm", "-v", f"{project}:/stack:ro", "-w", "/stack"]
        + [COMPOSE_IMAGE, "docker", "compose", "-p", "ephemeris", "-f", "stack.yml"]
        + ["config", "--format", "json"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def write_like_portainer(project: Path, pairs: list[dict[str, str]]) -> None:
    content = portainer_stack.portainer_stack_file(COMPOSE, CONFIG_DIR)
    (project / "stack.yml").write_text(content)
    (project / "stack.env").write_text(
        "".join(f"{pair['name']}={pair['value']}\n" for pair in pairs)
    )


def test_every_value_reaches_the_service_environment_unchanged(tmp_path: Path) -> None:
    write_like_portainer(tmp_path, portainer_stack.portainer_env(ENV))
    api = compose_config(tmp_path)["services"]["api"]
    # `config` prints a literal `$` as `$$`, ready for interpolation.
    environment = {k: v.replace("$$", "$") for k, v in api["environment"].items()}
    assert environment == ENV
    assert api["labels"]["org.ephemeris.config_dir"] == CONFIG_DIR


def test_unquoted_values_would_be_altered_by_compose(tmp_path: Path) -> None:
    # Why the driver quotes: the same values, sent as they are, do not survive.
    raw = [{"name": name, "value": value} for name, value in ENV.items()]
    write_like_portainer(tmp_path, raw)
    environment = compose_config(tmp_path)["services"]["api"]["environment"]
    changed = {k for k, v in environment.items() if v.replace("$$", "$") != ENV[k]}
    assert {"DOLLAR", "HASH", "PADDED"} <= changed
