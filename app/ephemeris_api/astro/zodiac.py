"""Ecliptic longitude arithmetic and the tropical zodiac signs.

Longitudes wrap at 360 degrees; every comparison between two of them has to respect that wrap,
so the arithmetic lives here once instead of in each caller.
"""

from typing import Final

SIGNS: Final = (
    "aries",
    "taurus",
    "gemini",
    "cancer",
    "leo",
    "virgo",
    "libra",
    "scorpio",
    "sagittarius",
    "capricorn",
    "aquarius",
    "pisces",
)
SIGN_WIDTH: Final = 30.0


def normalize(degrees: float) -> float:
    """Map any angle into [0, 360).

    Float modulo can return exactly 360.0 for tiny negative inputs, which would name a
    thirteenth sign; that case is folded back to 0.
    """
    wrapped = degrees % 360.0
    return 0.0 if wrapped >= 360.0 else wrapped


def signed_difference(a: float, b: float) -> float:
    """The shortest signed arc from b to a, in (-180, 180]."""
    arc = normalize(a - b)
    return arc - 360.0 if arc > 180.0 else arc


def arc_forward(start: float, end: float) -> float:
    """The arc travelled in zodiacal order (increasing longitude) from start to end, [0, 360)."""
    return normalize(end - start)


def sign_of(longitude: float) -> tuple[str, float]:
    """The sign a longitude falls in and the degree within that sign, [0, 30)."""
    wrapped = longitude % 360.0
    if wrapped >= 360.0:  # normalize() inlined: called for every point, angle and cusp
        wrapped = 0.0
    # Exact for every wrapped < 360: floor division of floats is computed without rounding up.
    index = int(wrapped // SIGN_WIDTH)
    return SIGNS[index], wrapped - index * SIGN_WIDTH
