"""Ephemeris API: natal charts computed with the Swiss Ephemeris behind a small HTTP service.

The computation layer (`ephemeris_api.astro`) knows nothing about HTTP so that further endpoints
(transits, synastry, progressions, ...) can reuse it; `ephemeris_api.web` only translates JSON.
"""

from ephemeris_api.version import __version__

__all__ = ["__version__"]
