"""The portainer driver's `status`, run by ansible-playbook against a real container on this
machine's Docker engine, labelled the way Portainer's compose labels the API container of a
stack: compose's working_dir points into Portainer's data volume, so the configuration must come
from the org.ephemeris.config_dir label the stack file adds."""

import json
import shutil
import subprocess
import threading
import time
import uuid
from pathlib import Path

import pytest
from driver_run import run_playbook

HERE = Path(__file__).parent
IMAGE = "ephemeris-offline/debian:trixie"
CONFIG_DIR = "/opt/ephemeris/releases/0.1.0-bbbbbbb/0123456789ab"


def docker(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["docker", *args], capture_output=True, text=True, check=False, timeout=120
    )


def docker_ready() -> bool:
    if shutil.which("docker") is None:
        return False
    return docker("image", "inspect", IMAGE).returncode == 0


pytestmark = pytest.mark.skipif(
    not docker_ready(), reason=f"needs docker and the image {IMAGE} (offline images)"
)


@pytest.fixture
def project() -> str:
    """A compose project name of this test only; its API container is removed afterwards."""
    name = f"ptstatus{uuid.uuid4().hex[:8]}"
    yield name
    docker("rm", "--force", f"{name}-api-1")


def start_api_container(project: str, config_dir: str) -> None:
    started = docker(
        "run",
        "--detach",
        "--name",
        f"{project}-api-1",
        "--label",
        f"com.docker.compose.project={project}",
        "--label",
        "com.docker.compose.project.working_dir=/data/compose/7",
        "--label",
        "org.ephemeris.release=0.1.0-bbbbbbb",
        "--label",
        f"org.ephemeris.config_dir={config_dir}",
        "--health-cmd",
        "true",
        "--health-interval",
        "1s",
        "--health-start-period",
        "0s",
        IMAGE,
        "sleep",
        "300",
    )
    assert started.returncode == 0, started.stderr


def run_status(tmp_path: Path, project: str, wait: bool, timeout: int = 30) -> dict:
    answer = tmp_path / "status.json"
    variables = {
        "api_stack_project_name": project,
        "api_stack_status_wait": wait,
        "api_stack_health_timeout": timeout,
        "api_stack_target": {"release": "0.1.0-bbbbbbb", "config_dir": CONFIG_DIR},
        "api_stack_test_status_file": str(answer),
    }
    result = run_playbook(HERE / "status.yml", variables, tmp_path / "vars.json")
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(answer.read_text())


def test_the_configuration_comes_from_the_label_not_portainers_working_dir(
    tmp_path: Path, project: str
) -> None:
    start_api_container(project, CONFIG_DIR)
    status = run_status(tmp_path, project, wait=True)
    assert status["release"] == "0.1.0-bbbbbbb"
    assert status["config_dir"] == CONFIG_DIR
    assert status["health"] == "healthy"


def test_a_stack_without_an_api_container_is_reported_missing(
    tmp_path: Path, project: str
) -> None:
    status = run_status(tmp_path, project, wait=False)
    assert status == {"release": "", "config_dir": "", "health": "missing", "log": []}


def test_the_wait_covers_portainer_starting_the_container_after_answering(
    tmp_path: Path, project: str
) -> None:
    # Portainer 2.36 and later deploy after answering the update: the container comes later.
    late = threading.Timer(6, start_api_container, args=(project, CONFIG_DIR))
    late.start()
    started = time.monotonic()
    try:
        status = run_status(tmp_path, project, wait=True, timeout=120)
    finally:
        late.join()
    assert status["config_dir"] == CONFIG_DIR
    assert status["health"] == "healthy"
    assert time.monotonic() - started >= 6
