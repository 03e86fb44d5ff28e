"""Content-quality gates that run once the content has loaded: reading level and review dates.

`check()` is the one function behind both `python -m second_opinion check` and the site build,
so an editor sees on their machine exactly what the build and the pull request will say. Each
finding names the item, the file and line to change, and what to do about it.

Reading level is textstat's Flesch-Kincaid grade. A guide page is judged as a whole against
GUIDE_GRADE_LIMIT. Triggers and questions are one to three short sentences, where the grade
swings by several points with a single long word ("diagnosis", "radiation"), so they get a
looser ITEM_GRADE_LIMIT that still catches a truly hard item. To show what to change, a finding
quotes the sentences whose removal would lower the grade most.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
from collections.abc import Sequence
from pathlib import Path

from . import readability, yamlfile
from .model import Content, Review
from .problems import Problem, display_path, field_path

GUIDE_GRADE_LIMIT = 8.0
ITEM_GRADE_LIMIT = 10.0
DUE_SOON_DAYS = 60
SHOWN_SENTENCES = 3

_BLOCK_BREAK = re.compile(r"\n\s*\n|\n\s*(?:[-+]|\d+[.)])\s+")
_LIST_MARKER = re.compile(r"^\s*(?:[-+]|\d+[.)])\s+")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')]*\s+")
_ENDED = re.compile(r"[.!?][\"')]*$")


@dataclasses.dataclass(frozen=True)
class Sentence:
    field: tuple  # where it was written, inside its item: ("sections", 2, "body")
    text: str


@dataclasses.dataclass(frozen=True)
class Reading:
    """The reading level of one guide, trigger or question, as a reader meets its text."""

    kind: str  # "guide", "trigger" or "question"
    id: str
    sentences: tuple[Sentence, ...]
    grade: float
    limit: float

    @property
    def too_hard(self) -> bool:
        return self.grade > self.limit

    def hardest(self) -> list[tuple[float, Sentence]]:
        """The sentences that raise the grade most: how much lower it would be without each."""
        if len(self.sentences) == 1:
            return [(self.grade, self.sentences[0])]
        raised = []
        for index, sentence in enumerate(self.sentences):
            rest = self.sentences[:index] + self.sentences[index + 1 :]
            raised.append((round(self.grade - _grade(rest), 1), _grade((sentence,)), sentence))
        # Grades are rounded to 0.1, so a long page has ties; the harder sentence goes first.
        raised.sort(key=lambda row: (-row[0], -row[1]))
        return [(row[0], row[2]) for row in raised[:SHOWN_SENTENCES] if row[0] > 0] or [(raised[0][0], raised[0][2])]


@dataclasses.dataclass(frozen=True)
class Report:
    errors: tuple[Problem, ...]  # must be fixed before the content is published
    overdue: tuple[Problem, ...]  # review date passed: an error for editors, a notice in a site build
    due_soon: tuple[Problem, ...]  # review due within DUE_SOON_DAYS: a warning


def readings(content: Content) -> list[Reading]:
    """Every guide, trigger and question with its reading grade, in the order of the data."""
    result = []
    for guide in content.guides.values():
        parts: list[tuple[tuple, str | None]] = [(("title",), guide.title), (("summary",), guide.summary)]
        for index, section in enumerate(guide.sections):
            parts.append((("sections", index, "heading"), section.heading))
            if section.body:
                parts.append((("sections", index, "body"), section.body))
        result.append(_reading("guide", guide.slug, parts, GUIDE_GRADE_LIMIT))
    for trigger in content.triggers.values():
        parts = [(("label",), trigger.label), (("why",), trigger.why), (("advice",), trigger.advice)]
        result.append(_reading("trigger", trigger.id, parts, ITEM_GRADE_LIMIT))
    for question in content.questions.values():
        parts = [(("text",), question.text), (("hint",), question.hint)]
        result.append(_reading("question", question.id, parts, ITEM_GRADE_LIMIT))
    return result


def review_state(review: Review, today: datetime.date) -> str:
    """ "overdue", "due soon" or "current": words, so a status never rests on colour alone."""
    if review.overdue(today):
        return "overdue"
    if (review.next_review - today).days <= DUE_SOON_DAYS:
        return "due soon"
    return "current"


def check(content: Content, folders: Sequence[Path], *, today: datetime.date, root: Path) -> Report:
    """Every quality finding for content already loaded from `folders` (data/, then any local one)."""
    locate = _Locator([Path(folder) for folder in folders], Path(root))
    errors = [_too_hard(reading, locate) for reading in readings(content) if reading.too_hard]
    overdue, due_soon = [], []
    reviews = [
        ("triggers", "", "the triggers", content.trigger_review),
        ("questions", "", "the questions", content.question_review),
        ("sheets", "", "the question sheets", content.sheet_review),
        *(("guides", slug, f"the guide '{guide.title}'", guide.review) for slug, guide in content.guides.items()),
    ]
    for file, slug, what, review in reviews:
        state = review_state(review, today)
        if state == "current":
            continue
        document = locate.review(file, slug, review)
        line = document.line(("next_review",))
        if state == "overdue":
            overdue.append(
                Problem(
                    document.file,
                    line,
                    "next_review",
                    (
                        f"the review of {what} was due on {review.next_review} "
                        f"({_days((today - review.next_review).days)} ago). Ask a reviewer to check it against "
                        "its sources, then update reviewed, next_review and reviewer"
                    ),
                )
            )
        else:
            due_soon.append(
                Problem(
                    document.file,
                    line,
                    "next_review",
                    (
                        f"the review of {what} is due on {review.next_review}, in "
                        f"{_days((review.next_review - today).days)}. Plan it with a reviewer now"
                    ),
                )
            )
    return Report(tuple(sorted(errors)), tuple(sorted(overdue)), tuple(sorted(due_soon)))


def _too_hard(reading: Reading, locate: _Locator) -> Problem:
    document, prefix = locate.item(reading.kind, reading.id)
    hardest = reading.hardest()
    first = hardest[0][1]
    what = f"the guide '{reading.id}'" if reading.kind == "guide" else f"the {reading.kind} '{reading.id}'"
    lines = [
        f"{what} reads at grade {reading.grade:g}; the limit for a {reading.kind} is grade "
        f"{reading.limit:g}. Use shorter sentences and everyday words. "
        + (
            "The sentences that raise the grade most (and by how much):"
            if len(hardest) > 1
            else "The sentence that raises the grade most (and by how much):"
        )
    ]
    for raised, sentence in hardest:
        path = (*prefix, *sentence.field)
        lines.append(f'    {field_path(path)} (from line {document.line(path)}), +{raised:g}: "{sentence.text}"')
    return Problem(
        document.file, document.line((*prefix, *first.field)), field_path((*prefix, *first.field)), "\n".join(lines)
    )


class _Locator:
    """Finds where an item was written, to point an editor at the right file and line."""

    def __init__(self, folders: list[Path], root: Path):
        self._folders = folders
        self._root = root
        self._documents: dict[Path, yamlfile.Document | None] = {}

    def documents(self, file: str, slug: str = "") -> list[yamlfile.Document]:
        """The files an item of this kind may come from, core first."""
        name = f"guides/{slug}.yml" if slug else f"{file}.yml"
        for path in (folder / name for folder in self._folders):
            if path not in self._documents and path.is_file():
                self._documents[path], _ = yamlfile.read(path, display_path(path, self._root))
        return [
            document for path in (folder / name for folder in self._folders) if (document := self._documents.get(path))
        ]

    def review(self, file: str, slug: str, review: Review) -> yamlfile.Document:
        """The file whose next_review is the one due first (content from two files shows that one)."""
        documents = self.documents(file, slug)
        return next((d for d in documents if d.data["next_review"] == review.next_review.isoformat()), documents[0])

    def item(self, kind: str, id: str) -> tuple[yamlfile.Document, tuple]:
        if kind == "guide":
            return self.documents("guides", id)[0], ()
        key = f"{kind}s"
        for document in self.documents(key):
            for index, item in enumerate(document.data.get(key, [])):
                if item["id"] == id:
                    return document, (key, index)
        raise LookupError(f"the {kind} '{id}' is in no data file")


def _reading(kind: str, id: str, parts: list[tuple[tuple, str | None]], limit: float) -> Reading:
    sentences = tuple(Sentence(field, text) for field, value in parts if value for text in _sentences(value))
    return Reading(kind, id, sentences, _grade(sentences), limit)


def _sentences(text: str) -> list[str]:
    """A field's text as a reader hears it, one sentence each, every one ending in a full stop.

    Headings and list items often have no full stop; without one, textstat would run them into
    the next sentence and count one very long sentence.
    """
    result = []
    for block in _BLOCK_BREAK.split(readability.plain(text)):
        block = " ".join(_LIST_MARKER.sub("", block).split())
        for sentence in _SENTENCE_END.split(block):
            sentence = sentence.strip()
            if sentence:
                result.append(sentence if _ENDED.search(sentence) else sentence.rstrip(":;,") + ".")
    return result


def _grade(sentences: tuple[Sentence, ...]) -> float:
    return readability.grade(" ".join(sentence.text for sentence in sentences))


def _days(count: int) -> str:
    return f"{count} day{'s' if count != 1 else ''}"
