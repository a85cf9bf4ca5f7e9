"""Runs Debian's swetest, the Swiss Ephemeris' own command-line program, as the reference.

swetest is an independent program built from the C library (not pyswisseph), reading the same
ephemeris files. Output is requested with extra precision (-ep: 11 decimals of a degree).
"""

import shutil
import subprocess
from dataclasses import dataclass

SWETEST = shutil.which("swetest") or "/usr/bin/swetest"
EPHEMERIS_PATH = "/usr/share/libswe/ephe"

# swetest's -p letters and the API's body names, in the order swetest prints them.
BODY_LETTERS = "0123456789mtDA"
SWETEST_LABELS = (
    "Sun",
    "Moon",
    "Mercury",
    "Venus",
    "Mars",
    "Jupiter",
    "Saturn",
    "Uranus",
    "Neptune",
    "Pluto",
    "mean Node",
    "true Node",
    "Chiron",
    "mean Apogee",
)
BODY_NAMES = (
    "sun",
    "moon",
    "mercury",
    "venus",
    "mars",
    "jupiter",
    "saturn",
    "uranus",
    "neptune",
    "pluto",
    "mean_node",
    "true_node",
    "chiron",
    "mean_lilith",
)


@dataclass(frozen=True)
class ReferenceBody:
    longitude: float
    latitude: float
    distance: float
    longitude_speed: float


@dataclass(frozen=True)
class ReferenceChart:
    bodies: dict[str, ReferenceBody]
    cusps: list[float]
    ascendant: float
    mc: float


def reference_chart(
    julian_day_ut: float, latitude: float, longitude: float, house_system: str
) -> ReferenceChart:
    """Bodies, cusps and angles as swetest computes them for the same UT instant and place."""
    command = [
        SWETEST,
        f"-bj{julian_day_ut!r}",
        "-ut",
        f"-p{BODY_LETTERS}",
        "-fPlbRs",
        "-g,",
        "-head",
        "-ep",
        f"-edir{EPHEMERIS_PATH}",
        f"-house{longitude!r},{latitude!r},{house_system}",
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True, timeout=30).stdout
    rows = [[cell.strip() for cell in line.split(",")] for line in output.splitlines() if line]
    body_rows = rows[: len(BODY_NAMES)]
    labels = tuple(row[0] for row in body_rows)
    if labels != SWETEST_LABELS:
        raise AssertionError(f"unexpected swetest rows {labels}:\n{output}")
    bodies = {
        name: ReferenceBody(*(float(value) for value in row[1:5]))
        for name, row in zip(BODY_NAMES, body_rows, strict=True)
    }
    by_label = {row[0]: float(row[1]) for row in rows[len(BODY_NAMES) :]}
    cusps = [by_label[f"house {number:2d}"] for number in range(1, 13)]
    return ReferenceChart(
        bodies=bodies, cusps=cusps, ascendant=by_label["Ascendant"], mc=by_label["MC"]
    )


@dataclass(frozen=True)
class RawOutput:
    """swetest's comma-separated rows, split into bodies and houses, and its fallback notice."""

    bodies: list[list[str]]
    houses: dict[str, float]
    fell_back: bool


HOUSE_LABELS = ("house", "Ascendant", "MC", "ARMC", "Vertex", "equat. Asc.", "co-Asc", "Polar")


def run_swetest(
    julian_day_ut: float,
    letters: str,
    columns: str,
    options: tuple[str, ...] = (),
    house: tuple[float, float, str] | None = None,
) -> RawOutput:
    """Run swetest for one UT instant with extra options (-sid1, -topo..., -hel, -true)."""
    command = [
        SWETEST,
        f"-bj{julian_day_ut!r}",
        "-ut",
        f"-p{letters}",
        f"-f{columns}",
        "-g,",
        "-head",
        "-ep",
        f"-edir{EPHEMERIS_PATH}",
    ]
    if house is not None:
        # Before the options: -house also sets the observer and would reset -topo's altitude.
        longitude, latitude, system = house
        command.append(f"-house{longitude!r},{latitude!r},{system}")
    command.extend(options)
    output = subprocess.run(command, capture_output=True, text=True, check=True, timeout=30).stdout
    bodies: list[list[str]] = []
    houses: dict[str, float] = {}
    fell_back = False
    for line in output.splitlines():
        if line.startswith("error: House method"):
            fell_back = "Porphyry calculated instead" in line
            continue
        cells = [cell.strip() for cell in line.split(",")]
        if not line.strip():
            continue
        if cells[0].startswith(HOUSE_LABELS):
            houses[cells[0]] = float(cells[1])
        else:
            bodies.append(cells)
    return RawOutput(bodies, houses, fell_back)


def arc_difference(a: float, b: float) -> float:
    """The shorter arc between two longitudes, in degrees, across 0/360."""
    return abs((a - b + 180.0) % 360.0 - 180.0)
