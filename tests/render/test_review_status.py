"""Honest review status: a page says who reviewed it clinically only when a record in
data/reviewers.yml covers it and is no older than its last update; otherwise it says that
clinical review is pending, on screen and on paper."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from second_opinion import pdf, pipeline
from second_opinion.problems import ContentError
from second_opinion.settings import Settings
from support import TODAY

PENDING = "Clinical review pending: no doctor or nurse has checked this yet."
RECORD = """reviewers:
  - name: Jane Example
    role: Oncology nurse navigator
    credentials: RN, OCN
    reviews:
      - covers: [{covers}]
        date: {date}
"""


def _build(project: Path, reviewers: str | None = None) -> pipeline.Build:
    if reviewers is not None:
        (project / "data" / "reviewers.yml").write_text(reviewers, encoding="utf-8")
    site = Settings(name="Test Guide", today=TODAY, data_dir=project / "data", docs_dir=project / "docs")
    return pipeline.build(site, pdfs=False)


def _pdf_text(build: pipeline.Build, project: Path) -> str:
    site = Settings(name="Test Guide", today=TODAY, data_dir=project / "data")
    rendered = pdf.sheet_pdfs(build.content, site)[0]
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(rendered.data)).pages)


def test_without_a_reviewer_record_every_page_and_sheet_says_review_is_pending(minimal_project):
    build = _build(minimal_project)
    for page in ("timing.md", "checklist.md", "questions/insurer.md"):
        assert PENDING in build.output.pages[page], page
        assert "Reviewed by" not in build.output.pages[page]
    assert "Last updated January 10, 2026" in build.output.pages["timing.md"]
    assert "Clinical review pending" in " ".join(_pdf_text(build, minimal_project).split())


def test_a_covering_record_names_the_reviewer_on_the_page_and_the_sheet(minimal_project):
    build = _build(minimal_project, RECORD.format(covers="guides/timing, questions, sheets", date="2026-02-01"))
    signed = "Reviewed by Jane Example, RN, OCN, Oncology nurse navigator on February 1, 2026."
    assert signed in build.output.pages["timing.md"]
    assert signed in build.output.pages["questions/insurer.md"]
    assert "Jane Example" in _pdf_text(build, minimal_project)
    # The checklist is its triggers too, which this review did not cover.
    assert PENDING in build.output.pages["checklist.md"]


def test_a_review_older_than_the_last_update_covers_nothing(minimal_project):
    build = _build(minimal_project, RECORD.format(covers="guides", date="2026-01-09"))
    assert PENDING in build.output.pages["timing.md"]


@pytest.mark.parametrize(
    ("covers", "date", "message"),
    [
        (
            "guides/no-such-guide",
            "2026-02-01",
            "data/reviewers.yml:6: reviewers[0].reviews[0].covers[0]: there is no guide 'no-such-guide' in data/guides/",
        ),
        (
            "guides",
            "2027-02-01",
            "data/reviewers.yml:7: reviewers[0].reviews[0].date: the review date 2027-02-01 is in the future",
        ),
        ("checklist", "2026-02-01", "data/reviewers.yml:6: reviewers[0].reviews[0].covers[0]: name what was reviewed"),
    ],
)
def test_a_wrong_record_is_refused_with_its_line(minimal_project, covers, date, message):
    with pytest.raises(ContentError) as error:
        _build(minimal_project, RECORD.format(covers=covers, date=date))
    assert any(str(problem).startswith(message) for problem in error.value.problems), error.value.report()
