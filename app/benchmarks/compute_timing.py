"""Time one natal chart in the computation layer against the bare pyswisseph calls it makes.

The difference is this package's own overhead (validation excluded): dataclasses, house
placement, aspects. Run by scripts/benchmark.sh; prints one line per measurement.
"""

import sys
import timeit
from datetime import datetime

import swisseph as swe

from ephemeris_api.astro.bodies import NATAL_BODIES
from ephemeris_api.astro.chart import NatalChartInput, TimeInput, compute_natal_chart
from ephemeris_api.astro.civil_time import load_zone
from ephemeris_api.astro.ephemeris import Ephemeris
from ephemeris_api.astro.frame import Observer

EPHEMERIS_PATH = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/libswe/ephe"
REPEAT = 2000


def main() -> None:
    """Measure and print microseconds per chart for both variants."""
    ephemeris = Ephemeris(EPHEMERIS_PATH)
    request = NatalChartInput(
        when=TimeInput(local=datetime(1990, 6, 15, 14, 30), zone=load_zone("Europe/Berlin")),
        observer=Observer(52.52, 13.405),
    )
    jd = compute_natal_chart(request, ephemeris).time_scales.julian_day_ut
    flags = swe.FLG_SWIEPH | swe.FLG_SPEED

    # The service sets the path once per thread (setting it reopens the files), so this does too.
    swe.set_ephe_path(EPHEMERIS_PATH)

    def raw() -> None:
        swe.houses_ex(jd, 52.52, 13.405, b"P")
        for body in NATAL_BODIES:
            swe.calc_ut(jd, body.swe_id, flags)

    def chart() -> None:
        compute_natal_chart(request, ephemeris)

    for name, function in (("raw_pyswisseph", raw), ("natal_chart", chart)):
        seconds = min(timeit.repeat(function, number=REPEAT, repeat=3)) / REPEAT
        sys.stdout.write(f"{name:16s} {seconds * 1e6:8.1f} us per chart\n")


if __name__ == "__main__":
    main()
