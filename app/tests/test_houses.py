"""House lookup across the 0 Aries wrap, and house-system names."""

import pytest
import swisseph as swe

from ephemeris_api.astro.houses import HOUSE_SYSTEMS, Houses, resolve_house_system

# Cusps with house 11 spanning 0 Aries (350 -> 20).
CUSPS = (100.0, 130.0, 160.0, 190.0, 220.0, 250.0, 280.0, 300.0, 320.0, 340.0, 350.0, 20.0)
HOUSES = Houses(system=HOUSE_SYSTEMS[0], cusps=CUSPS, ascendant=100.0, mc=340.0, armc=338.0)


@pytest.mark.parametrize(
    ("longitude", "house"),
    [
        (100.0, 1),
        (129.999, 1),
        (130.0, 2),
        (339.9, 9),
        (340.0, 10),
        (355.0, 11),
        (0.0, 11),
        (19.999, 11),
        (20.0, 12),
        (99.999, 12),
    ],
)
def test_house_is_the_cusp_interval_holding_the_longitude(longitude: float, house: int) -> None:
    assert HOUSES.house_of(longitude) == house


def test_every_system_has_a_unique_code_and_name() -> None:
    codes = [system.code for system in HOUSE_SYSTEMS]
    names = [system.name for system in HOUSE_SYSTEMS]

    assert len(set(codes)) == len(codes)
    assert len(set(names)) == len(names)


def test_every_system_the_swiss_ephemeris_names_is_offered() -> None:
    codes = {system.code for system in HOUSE_SYSTEMS}
    # Letters the library recognises (it gives unknown letters an empty name).
    known = {letter for letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZ" if swe.house_name(letter.encode())}
    assert known - {"E"} == codes


@pytest.mark.parametrize("value", ["", "PP", "gauquelinn", "Z", "i"])
def test_unknown_house_systems_resolve_to_nothing(value: str) -> None:
    expected = None if value != "i" else resolve_house_system("I")
    assert resolve_house_system(value) == expected
