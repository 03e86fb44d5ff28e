"""Data level: the shipped content loads, and each kind of bad input gives its exact message."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
import yaml

from second_opinion import load
from second_opinion.problems import ContentError
from support import FIXTURES, ROOT, TODAY

BAD_INPUT = yaml.safe_load((FIXTURES / "bad-input.yml").read_text(encoding="utf-8"))


def test_shipped_content_loads_with_enough_of_everything():
    content = load.load(ROOT / "data", today=datetime.date.today(), root=ROOT)
    assert len(content.triggers) >= 15
    assert {t.strength for t in content.triggers.values()} == {"strong", "consider"}
    assert len(content.questions) >= 40
    assert {q.audience for q in content.questions.values()} == {
        "current-doctor",
        "second-opinion-doctor",
        "insurer",
        "yourself",
    }
    assert len(content.guides) >= 8
    assert any(s.include == "triggers" for g in content.guides.values() for s in g.sections)


def test_minimal_fixture_loads(minimal_project: Path):
    content = load.load(minimal_project / "data", today=TODAY, root=minimal_project)
    assert list(content.triggers) == ["rare-cancer", "peace-of-mind"]
    assert content.questions["covered"].hint == "Ask for the answer in writing."
    assert content.guides["timing"].review.next_review == datetime.date(2027, 1, 10)


@pytest.mark.parametrize("case", BAD_INPUT, ids=[case["name"] for case in BAD_INPUT])
def test_bad_input_gives_one_clear_message(minimal_project: Path, case: dict):
    path = minimal_project / "data" / case["file"]
    text = path.read_text(encoding="utf-8")
    assert case["find"] in text, "the fixture no longer has the text this case edits"
    path.write_text(text.replace(case["find"], case["replace"], 1), encoding="utf-8")

    with pytest.raises(ContentError) as raised:
        load.load(minimal_project / "data", today=TODAY, root=minimal_project)

    assert [str(problem) for problem in raised.value.problems] == [case["expect"]]


def test_every_problem_is_reported_in_one_run(minimal_project: Path):
    data = minimal_project / "data"
    for name, find, replace in [
        ("triggers.yml", "strength: strong", "strength: stronk"),
        ("questions.yml", "audience: insurer", "audience: 7"),
        ("guides/timing.yml", "title: Is it safe to wait?", "title:"),
    ]:
        path = data / name
        path.write_text(path.read_text(encoding="utf-8").replace(find, replace), encoding="utf-8")
    with pytest.raises(ContentError) as raised:
        load.load(data, today=TODAY, root=minimal_project)
    assert {p.file for p in raised.value.problems} == {
        "data/triggers.yml",
        "data/questions.yml",
        "data/guides/timing.yml",
    }


def test_a_missing_file_is_named(minimal_project: Path):
    (minimal_project / "data" / "sheets.yml").unlink()
    with pytest.raises(ContentError, match=r"data/sheets.yml: this file is missing"):
        load.load(minimal_project / "data", today=TODAY, root=minimal_project)


def test_a_review_date_in_the_future_is_refused(minimal_project: Path):
    with pytest.raises(
        ContentError, match=r"data/triggers.yml:1: reviewed: the review date 2026-01-10 is in the future"
    ):
        load.load(minimal_project / "data", today=datetime.date(2025, 12, 31), root=minimal_project)
