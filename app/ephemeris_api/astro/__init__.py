"""Astronomy and chart computation, independent of HTTP.

Every function here takes plain values and returns frozen dataclasses, so new endpoints (or a
cache in front of them) reuse the same computations without going through request objects.
"""
