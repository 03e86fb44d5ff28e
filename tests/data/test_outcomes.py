"""Data level: the checklist's outcomes (data/outcomes.yml) and its named examples.

The browser tests run the same examples on the built page (tests/browser/test_checklist.py)."""

from __future__ import annotations

import datetime

import pytest

from second_opinion import load, outcomes
from support import ROOT

# The results issue 11 asks for; each one defined in data/outcomes.yml, with its texts.
OUTCOMES = {"urgent-review", "third-opinion", "required-by-plan", "strong", "consider", "none"}


@pytest.fixture(scope="module")
def content():
    return load.load(ROOT / "data", today=datetime.date.today(), root=ROOT)


def test_every_outcome_is_defined_and_none_comes_last(content):
    assert set(content.outcomes) == OUTCOMES
    assert list(content.outcomes)[-1] == "none"
    for outcome in content.outcomes.values():
        assert outcome.verdict and outcome.explanation and outcome.when
        assert "{count}" in outcome.summary or outcome.id == "none"


def test_every_outcome_is_reached_by_an_example(content):
    assert {example.expect for example in content.examples} == set(content.outcomes)


def test_each_example_gives_what_it_expects(content):
    order = list(content.outcomes)
    results = {
        example.name: outcomes.result(
            (outcomes.brings(t.strength, t.outcome, order) for t in map(content.triggers.get, example.given)), order
        )
        for example in content.examples
    }
    assert results == {example.name: example.expect for example in content.examples}


def test_urgent_review_is_never_strongly_advised(content):
    urgent = content.outcomes["urgent-review"]
    assert "strongly" not in f"{urgent.verdict} {urgent.explanation} {urgent.summary}".lower()
    assert any(t.outcome == "urgent-review" for t in content.triggers.values())


def test_the_earliest_outcome_any_ticked_trigger_brings_wins():
    order = ["urgent-review", "third-opinion", "strong", "consider", "none"]
    assert outcomes.brings("strong", None, order) == "strong"
    assert outcomes.brings("strong", "third-opinion", order) == "third-opinion"
    # A trigger's own outcome never lowers what its strength brings.
    assert outcomes.brings("strong", "consider", order) == "strong"
    assert outcomes.result([], order) == "none"
    assert outcomes.result(["consider", "strong", "consider"], order) == "strong"
    assert outcomes.result(["strong", "urgent-review", "third-opinion"], order) == "urgent-review"


def test_the_spanish_edition_translates_every_outcome(content):
    from second_opinion import translations

    edition = translations.translate(content, ROOT / "data", "es", root=ROOT, today=datetime.date.today())
    assert not [gap for gap in edition.gaps if gap.item.startswith("outcomes.")]
    for outcome_id, outcome in edition.content.outcomes.items():
        assert outcome.verdict != content.outcomes[outcome_id].verdict
        assert ("{count}" in outcome.summary) == ("{count}" in content.outcomes[outcome_id].summary)
