"""What the portainer driver's tests share: the filter plugin loaded as a module, and one
ansible-playbook run of a test playbook in this directory with the role on its path."""

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).parent
ROLES = HERE.parents[2]
PLUGIN = HERE.parents[1] / "filter_plugins" / "portainer_stack.py"


def load_plugin() -> ModuleType:
    """roles/api_stack/filter_plugins/portainer_stack.py, which is no package."""
    spec = importlib.util.spec_from_file_location("portainer_stack", PLUGIN)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_playbook(
    playbook: Path, variables: dict, vars_file: Path, *options: str
) -> subprocess.CompletedProcess:
    """Run a playbook on localhost with the variables (as a JSON file), never raising."""
    vars_file.write_text(
        json.dumps({"ansible_python_interpreter": sys.executable, **variables})
    )
    command = shutil.which("ansible-playbook", path=str(Path(sys.executable).parent))
    return subprocess.run(
        [command or "ansible-playbook", *options, "-i", "localhost,", str(playbook)]
        + ["-e", f"@{vars_file}"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=HERE,
        env={
            **os.environ,
            "ANSIBLE_ROLES_PATH": str(ROLES),
            "ANSIBLE_NOCOLOR": "1",
            "ANSIBLE_RETRY_FILES_ENABLED": "false",
        },
    )
