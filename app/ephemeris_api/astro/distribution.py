"""How a chart's points spread over the elements and modalities of the signs they occupy.

Only the ten planets and the Ascendant and MC are counted, and only those the caller asked
for: nodes, Lilith, asteroids, fixed stars and the other angles are derived points that
tradition leaves out of the balance, and counting the Descendant and IC would count each axis
twice. A chart without houses therefore counts the planets alone.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from ephemeris_api.astro.bodies import PLANETS
from ephemeris_api.astro.chart import PlacedBody
from ephemeris_api.astro.zodiac import SIGNS

COUNTED_POINTS: Final = (*PLANETS, "ascendant", "mc")
ELEMENTS: Final = ("fire", "earth", "air", "water")
MODALITIES: Final = ("cardinal", "fixed", "mutable")
# Aries is cardinal fire; from there the elements repeat every four signs, the modalities
# every three.
ELEMENT_OF_SIGN: Final = {sign: ELEMENTS[index % 4] for index, sign in enumerate(SIGNS)}
MODALITY_OF_SIGN: Final = {sign: MODALITIES[index % 3] for index, sign in enumerate(SIGNS)}
_COUNTED: Final = frozenset(COUNTED_POINTS)


@dataclass(frozen=True, slots=True)
class Distribution:
    """The counted points grouped by element and by modality, in the chart's point order."""

    counted: tuple[str, ...]
    elements: dict[str, tuple[str, ...]]
    modalities: dict[str, tuple[str, ...]]


def distribution(bodies: Iterable[PlacedBody]) -> Distribution:
    """Group the counted points among `bodies` by the element and modality of their sign."""
    elements: dict[str, list[str]] = {element: [] for element in ELEMENTS}
    modalities: dict[str, list[str]] = {modality: [] for modality in MODALITIES}
    counted: list[str] = []
    for placed in bodies:
        name = placed.body.name
        if name not in _COUNTED:
            continue
        counted.append(name)
        elements[ELEMENT_OF_SIGN[placed.sign]].append(name)
        modalities[MODALITY_OF_SIGN[placed.sign]].append(name)
    return Distribution(
        counted=tuple(counted),
        elements={element: tuple(names) for element, names in elements.items()},
        modalities={modality: tuple(names) for modality, names in modalities.items()},
    )
