"""Aspect detection: angles, documented orbs, wrap at 0 Aries and applying/separating."""

import pytest

from ephemeris_api.astro.aspects import find_aspects
from ephemeris_api.astro.bodies import NATAL_BODIES
from ephemeris_api.astro.ephemeris import Position

BODIES = {body.name: body for body in NATAL_BODIES}


def _at(longitude: float, speed: float = 0.0) -> Position:
    return Position(longitude=longitude, latitude=0.0, distance=1.0, longitude_speed=speed)


def _pair(first: str, first_pos: Position, second: str, second_pos: Position) -> list:
    return find_aspects([(BODIES[first], first_pos), (BODIES[second], second_pos)])


@pytest.mark.parametrize(
    ("separation", "aspect", "orb"),
    [
        (3.0, "conjunction", 3.0),
        (63.5, "sextile", 3.5),
        (84.0, "square", 6.0),
        (127.5, "trine", 7.5),
        (173.0, "opposition", 7.0),
    ],
)
def test_major_aspects_are_found_with_their_actual_orb(
    separation: float, aspect: str, orb: float
) -> None:
    [found] = _pair("mars", _at(10.0), "jupiter", _at(10.0 + separation))

    assert found.kind.name == aspect
    assert found.orb == pytest.approx(orb)


@pytest.mark.parametrize(
    ("separation", "allowed"),
    [(8.0, True), (8.01, False), (66.0, True), (66.01, False), (97.0, True), (97.01, False)],
)
def test_planet_orbs_are_8_6_7_for_conjunction_sextile_square(
    separation: float, allowed: bool
) -> None:
    found = _pair("venus", _at(100.0), "saturn", _at(100.0 + separation))

    assert bool(found) is allowed


def test_luminaries_get_wider_orbs_than_planets() -> None:
    # 9 degrees: beyond the planet conjunction orb (8), within the Sun-Moon orb (10).
    assert _pair("sun", _at(0.0), "moon", _at(9.0))
    assert not _pair("mars", _at(0.0), "venus", _at(9.0))
    # Sun (10) with Mars (8): the mean, 9.
    assert _pair("sun", _at(0.0), "mars", _at(8.9))
    assert not _pair("sun", _at(0.0), "mars", _at(9.1))


def test_conjunction_across_zero_aries_is_found() -> None:
    [found] = _pair("mercury", _at(358.0), "venus", _at(2.5))

    assert found.kind.name == "conjunction"
    assert found.orb == pytest.approx(4.5)


def test_the_two_lunar_nodes_are_not_an_aspect_of_each_other() -> None:
    assert not _pair("mean_node", _at(100.0), "true_node", _at(101.0))


def test_faster_body_closing_on_a_conjunction_is_applying() -> None:
    [closing] = _pair("moon", _at(95.0, speed=13.0), "jupiter", _at(100.0, speed=0.1))
    [leaving] = _pair("moon", _at(105.0, speed=13.0), "jupiter", _at(100.0, speed=0.1))

    assert closing.applying is True
    assert leaving.applying is False


def test_opposition_widening_towards_exact_is_applying() -> None:
    # 175 degrees apart and drifting apart: the separation grows towards 180.
    [found] = _pair("mars", _at(0.0, speed=-0.5), "saturn", _at(175.0, speed=0.1))

    assert found.kind.name == "opposition"
    assert found.applying is True


def test_retrograde_motion_counts_for_applying() -> None:
    # Mercury retrograde at 33 moves back towards a sextile with the Sun at 331 (62 apart).
    [found] = _pair("sun", _at(331.0, speed=1.0), "mercury", _at(33.0, speed=-1.0))

    assert found.kind.name == "sextile"
    assert found.orb == pytest.approx(2.0)
    assert found.applying is True
