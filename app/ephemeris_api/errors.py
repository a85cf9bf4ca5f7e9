"""Errors shared by the computation and HTTP layers.

Input problems are raised by whichever layer discovers them (the schema for shapes and ranges,
the time module for DST gaps, the house module for polar latitudes) but all must reach the
client in one format that names the field, so they share these types.
"""

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FieldError:
    """One problem with one input field, phrased so the caller knows what to send instead."""

    field: str
    message: str
    accepted: str

    def as_dict(self) -> dict[str, str]:
        """Render in the documented error-body shape."""
        return {"field": self.field, "message": self.message, "accepted": self.accepted}


class InvalidInput(Exception):  # noqa: N818 - reads as the condition, like ValueError
    """The request cannot be answered as asked; the HTTP layer turns this into a 422."""

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("; ".join(f"{error.field}: {error.message}" for error in errors))
        self.errors = errors

    @classmethod
    def single(cls, field: str, message: str, accepted: str) -> "InvalidInput":
        """Shortcut for the common case of one failing field."""
        return cls([FieldError(field=field, message=message, accepted=accepted)])


class EphemerisUnavailable(Exception):  # noqa: N818 - reads as the condition
    """The Swiss Ephemeris files could not serve a computation.

    This is a server fault (missing or truncated files), never the client's: the HTTP layer
    answers 503 rather than falling back to the less precise built-in Moshier theory.
    """
