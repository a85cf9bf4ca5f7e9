"""The package version, read from installed metadata so the image and the code cannot disagree.

A source checkout that was never pip-installed (tests run straight from the work tree) has no
metadata, so the version is then read from the pyproject.toml next to the package.
"""

import tomllib
from importlib import metadata
from pathlib import Path

_DISTRIBUTION = "ephemeris_api"


def _read_version() -> str:
    try:
        return metadata.version(_DISTRIBUTION)
    except metadata.PackageNotFoundError:
        pyproject = Path(__file__).resolve().parent.parent / "pyproject.toml"
        try:
            with pyproject.open("rb") as handle:
                return str(tomllib.load(handle)["project"]["version"])
        except (OSError, KeyError, tomllib.TOMLDecodeError):
            return "0+unknown"


__version__ = _read_version()
