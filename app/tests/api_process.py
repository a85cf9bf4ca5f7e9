"""Runs a real `python -m ephemeris_api` on 127.0.0.1 for tests that need the whole server.

Several suites need the real process (multiple workers, the real size limits, a real Redis), so
starting it, waiting until it is ready and stopping it cleanly lives here once.
"""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

APP_DIR = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_environment(**settings: str) -> dict[str, str]:
    """This process's environment without inherited metrics settings, plus the given ones."""
    environment = {
        key: value for key, value in os.environ.items() if "MULTIPROC" not in key.upper()
    }
    environment["PYTHONPATH"] = str(APP_DIR)
    environment.update(settings)
    return environment


def _is_ready(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/v1/ready", timeout=1) as answer:
            return answer.status == 200
    except (OSError, urllib.error.URLError):
        return False


@contextmanager
def running_server(environment: dict[str, str], log_path: Path) -> Iterator[int]:
    """Starts the server on environment["PORT"], yields the port once /v1/ready answers 200."""
    port = int(environment["PORT"])
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(
            [sys.executable, "-m", "ephemeris_api"],
            env=environment,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 30
        while not _is_ready(port):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"server did not become ready:\n{log_path.read_text()}")
            time.sleep(0.2)
        yield port
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
