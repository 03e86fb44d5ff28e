"""Data level: the hosting organization's contacts as pages link them."""

from __future__ import annotations

import pytest

from second_opinion.model import Organization


@pytest.mark.parametrize(
    ("phone", "link"),
    [
        ("555-0100", "tel:5550100"),
        ("+1 (555) 010-0100", "tel:+15550100100"),
        # The extension is not dialled as part of the number: 555-0100 ext. 12 is not 555-010012.
        ("555-0100 ext. 12", "tel:5550100"),
        ("555-0100 ext 12", "tel:5550100"),
        ("+44 20 7946 0000 x 345", "tel:+442079460000"),
    ],
)
def test_phone_link_dials_the_number_without_its_extension(phone: str, link: str):
    assert Organization(name="Northfield", phone=phone).phone_link == link


def test_no_phone_no_link():
    assert Organization(name="Northfield").phone_link is None
