"""Content-quality gates that run once the content has loaded: reading level and review dates.

`check()` is the one function behind both `python -m second_opinion check` and the site build,
so an editor sees on their machine exactly what the build and the pull request will say. Each
finding names the item, the file and line to change (from the origins the loader recorded), and
what to do about it. The readings it computes are in its report, for the status page.

Reading level uses each language's own formula (readability.FORMULAS). A guide page, and a letter
page, is judged as a whole against the formula's guide limit. Triggers and questions (and the
fill-in pages' fields, rows, steps and warnings) are one to three short sentences, where the score swings with a single long word ("diagnosis", "radiation"), so they get
a looser item limit that still catches a truly hard item. To show what to change, a finding quotes
the sentences whose removal would make the text easiest. A translated edition grades only the
texts it has translated; the rest are the English, graded in English.
"""

from __future__ import annotations

import dataclasses
import datetime
import re

from . import readability
from .model import Content, Letter, Origin, Review
from .problems import Problem, field_path

DUE_SOON_DAYS = 60
SHOWN_SENTENCES = 3
# On fewer words the formulas measure the length of a name, not how hard a sentence is: the
# heading "NCI-designated cancer centers." scores grade 17, and a letter's greeting "Estimado
# Departamento de Patología." scores -7 on the Spanish scale (30 is the limit).
SHORTEST_GRADED_SENTENCE = 5
# Sources: what may carry a claim on its own, and how long a check of a page stays good.
AUTHORITATIVE = ("guideline", "organization", "government", "peer-reviewed")
SOURCE_CHECK_DAYS = 365

_BLOCK_BREAK = re.compile(r"\n\s*\n|\n\s*(?:[-+]|\d+[.)])\s+")
_LIST_MARKER = re.compile(r"^\s*(?:[-+]|\d+[.)])\s+")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')]*\s+")
_ENDED = re.compile(r"[.!?][\"')]*$")
_PLACEHOLDER = re.compile(r"\{[a-z0-9-]+\}")


@dataclasses.dataclass(frozen=True)
class Sentence:
    field: tuple  # where it was written, inside its item: ("sections", 2, "body")
    text: str
    counts: readability.Counts
    line: int = 0  # how many lines into its field's text it starts


@dataclasses.dataclass(frozen=True)
class Reading:
    """The reading level of one guide, trigger or question, as a reader meets its text."""

    kind: str  # "guide", "trigger" or "question"
    id: str
    sentences: tuple[Sentence, ...]
    formula: readability.Formula
    score: float
    limit: float

    @property
    def too_hard(self) -> bool:
        return self.formula.too_hard(self.score, self.limit)

    def hardest(self) -> list[tuple[float, Sentence]]:
        """The sentences whose removal makes the text easiest, and by how much (in score points)."""
        total = sum((s.counts for s in self.sentences), readability.Counts())
        if len(self.sentences) == 1:
            return [
                (
                    self.formula.harder_by(self.score, 0.0 if self.formula.easier == "lower" else 100.0),
                    self.sentences[0],
                )
            ]
        eased = [
            (self.formula.harder_by(self.score, self.formula.score(total - s.counts)), self.formula.score(s.counts), s)
            for s in self.sentences
        ]
        # Scores are rounded to 0.1, so a long page has ties; the harder sentence goes first.
        eased.sort(key=lambda row: (-row[0], -self.formula.harder_by(row[1], 0.0)))
        return [(row[0], row[2]) for row in eased[:SHOWN_SENTENCES] if row[0] > 0] or [(eased[0][0], eased[0][2])]


@dataclasses.dataclass(frozen=True)
class Report:
    errors: tuple[Problem, ...]  # must be fixed before the content is published
    overdue: tuple[Problem, ...]  # review date passed: an error for editors, a notice in a site build
    due_soon: tuple[Problem, ...]  # a review due within DUE_SOON_DAYS, or a source check due: a warning
    readings: tuple[Reading, ...] = ()  # every graded item, for the status page
    # Sentences far harder than their language's sentence limit, in items that pass: warnings.
    hard_sentences: tuple[Problem, ...] = ()


@dataclasses.dataclass(frozen=True)
class Finding:
    """A source gate's finding about one item; check() points it at the item's file and line."""

    kind: str  # "trigger", "question", "guide" or "source"
    id: str
    field: str  # the item's field to point at: "sources", "id" or "checked"
    message: str


def readings(content: Content) -> list[Reading]:
    """Every guide, trigger and question in the content's language, with its reading level, in the
    order of the data; for a translated edition, only the texts it has translated."""
    formula = readability.formula(content.language)
    if formula is None:
        return []
    result = []
    counter = readability.Counter(content.language)

    def add(kind: str, id: str, parts: list[tuple[tuple, str | None]], limit: float) -> None:
        if (kind, id) not in content.untranslated:
            result.append(_reading(kind, id, parts, formula, limit, counter))

    for guide in content.guides.values():
        parts: list[tuple[tuple, str | None]] = [(("title",), guide.title), (("summary",), guide.summary)]
        for index, section in enumerate(guide.sections):
            parts.append((("sections", index, "heading"), section.heading))
            if section.body:
                parts.append((("sections", index, "body"), section.body))
        add("guide", guide.slug, parts, formula.guide_limit)
    for trigger in content.triggers.values():
        add(
            "trigger",
            trigger.id,
            [(("label",), trigger.label), (("why",), trigger.why), (("advice",), trigger.advice)],
            formula.item_limit,
        )
    for question in content.questions.values():
        add("question", question.id, [(("text",), question.text), (("hint",), question.hint)], formula.item_limit)
    # The fill-in pages: a letter is read as a whole page, the rest item by item.
    for letter in content.letters.letters.values():
        add("letter", letter.id, _letter_parts(letter), formula.guide_limit)
    # Not the worksheet's columns: two-word names ("Second doctor"), which no formula can grade.
    fields = [
        *(("field", f) for f in content.letters.fields.values()),
        *(("row", f) for f in content.comparison.rows),
        *(("value", f) for f in content.comparison.values),
        *(("input", f) for f in content.plan.inputs.values()),
    ]
    for kind, field in fields:
        add(kind, field.id, [(("label",), field.label), (("hint",), field.hint)], formula.item_limit)
    for step in content.plan.steps:
        add("step", step.id, [(("title",), step.title), (("text",), step.text)], formula.item_limit)
    for name, text in content.plan.warnings.items():
        add("warning", name, [(("text",), text)], formula.item_limit)
    counter.save()
    return result


def _letter_parts(letter: Letter) -> list[tuple[tuple, str | None]]:
    """A letter page's texts as its reader meets them, a field's blank read as "it"."""

    def blanked(text: str) -> str:
        return _PLACEHOLDER.sub("it", text)

    parts: list[tuple[tuple, str | None]] = [
        (("title",), letter.title),
        (("summary",), letter.summary),
        (("intro",), letter.intro),
        (("subject",), blanked(letter.subject)),
        (("greeting",), letter.greeting),
    ]
    for index, paragraph in enumerate(letter.body):
        if paragraph.text:
            parts.append((("body", index), blanked(paragraph.text)))
        parts += [(("body", index, "list", n), blanked(point)) for n, point in enumerate(paragraph.points)]
    return [*parts, (("send",), letter.send), (("next",), letter.next)]


def review_state(review: Review, today: datetime.date) -> str:
    """ "overdue", "due soon" or "current": words, so a status never rests on colour alone."""
    if review.overdue(today):
        return "overdue"
    if (review.next_review - today).days <= DUE_SOON_DAYS:
        return "due soon"
    return "current"


def source_errors(content: Content) -> list[Finding]:
    """Claims that rest on weak ground: a strong trigger with no guideline, organization, government
    or peer-reviewed source, and any item whose only sources are news or personal pages."""
    found = []
    items = [
        *(("trigger", t.id, t.sources, t.strength == "strong") for t in content.triggers.values()),
        *(("question", q.id, q.sources, False) for q in content.questions.values()),
        *(("guide", g.slug, g.sources, False) for g in content.guides.values()),
    ]
    for kind, item_id, cited, strong in items:
        if {content.sources[source].kind for source in cited} & set(AUTHORITATIVE):
            continue
        listed = "; ".join(f"{source}: {content.sources[source].kind}" for source in cited)
        if strong:
            message = (
                f"the trigger '{item_id}' is strong, but none of its sources is a "
                f"{', '.join(AUTHORITATIVE[:-1])} or {AUTHORITATIVE[-1]} source ({listed}). "
                "Cite one that says this, or make the trigger consider"
            )
        else:
            message = (
                f"the {kind} '{item_id}' rests only on news or personal sources ({listed}). "
                "Cite a guideline, organization, government or peer-reviewed source that says this too"
            )
        found.append(Finding(kind, item_id, "sources", message))
    return found


def source_warnings(content: Content, today: datetime.date) -> list[Finding]:
    """Sources nobody has confirmed, or not within SOURCE_CHECK_DAYS: pages change and move."""
    found = []
    for source in content.sources.values():
        if source.checked is None:
            message = (
                f"no one has checked the source '{source.id}' yet. Open it, confirm it says what it is "
                "cited for, then add checked: YYYY-MM-DD"
            )
            found.append(Finding("source", source.id, "id", message))
        elif (today - source.checked).days > SOURCE_CHECK_DAYS:
            message = (
                f"the source '{source.id}' was last checked on {source.checked} "
                f"({_days((today - source.checked).days)} ago). Open it again, confirm it still says "
                "what it is cited for, then update checked"
            )
            found.append(Finding("source", source.id, "checked", message))
    return found


def check(content: Content, *, today: datetime.date) -> Report:
    """Every quality finding for loaded (or translated) content."""
    graded = readings(content)
    errors = [_too_hard(reading, content.origins[(reading.kind, reading.id)]) for reading in graded if reading.too_hard]
    # An item that fails already names its hardest sentences: one finding per mistake.
    hard = [
        _hard_sentence(reading, sentence, content.origins[(reading.kind, reading.id)])
        for reading in graded
        if not reading.too_hard
        for sentence in reading.sentences
        if sentence.counts.words >= SHORTEST_GRADED_SENTENCE
        and reading.formula.too_hard(reading.formula.score(sentence.counts), reading.formula.sentence_limit)
    ]
    errors += [_located(finding, content) for finding in source_errors(content)]
    overdue, due_soon = [], [_located(finding, content) for finding in source_warnings(content, today)]
    reviews = [
        ("triggers", "the triggers", content.trigger_review),
        ("questions", "the questions", content.question_review),
        ("sheets", "the question sheets", content.sheet_review),
        ("letters", "the letters", content.letters.review),
        ("compare", "the worksheet for comparing opinions", content.comparison.review),
        ("plan", "the dated plan", content.plan.review),
        *((f"guide:{slug}", f"the guide '{guide.title}'", guide.review) for slug, guide in content.guides.items()),
    ]
    for name, what, review in reviews:
        state = review_state(review, today)
        if state == "current":
            continue
        kind, _, slug = name.partition(":")
        origin = content.origins[("guide", slug)] if slug else content.origins[("review", name)]
        line = origin.line(("next_review",))
        if state == "overdue":
            overdue.append(
                Problem(
                    origin.file,
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
                    origin.file,
                    line,
                    "next_review",
                    (
                        f"the review of {what} is due on {review.next_review}, in "
                        f"{_days((review.next_review - today).days)}. Plan it with a reviewer now"
                    ),
                )
            )
    return Report(tuple(sorted(errors)), tuple(sorted(overdue)), tuple(sorted(due_soon)), tuple(graded), tuple(hard))


def _located(finding: Finding, content: Content) -> Problem:
    origin = content.origins[(finding.kind, finding.id)]
    field = (finding.field,)
    return Problem(origin.file, origin.line(field), field_path(origin.field_path(field)), finding.message)


def _too_hard(reading: Reading, origin: Origin) -> Problem:
    hardest = reading.hardest()
    first = hardest[0][1]
    formula = reading.formula
    what = f"the {reading.kind} '{reading.id}'"
    if formula.easier == "lower":
        level = f"reads at grade {reading.score:g}; the limit for a {reading.kind} is grade {reading.limit:g}"
    else:
        level = (
            f"scores {reading.score:g} on the {formula.name} scale, where higher is easier; "
            f"a {reading.kind} needs at least {reading.limit:g}"
        )
    effect = "raise the grade" if formula.easier == "lower" else "lower the score"
    lines = [
        f"{what} {level}. Use shorter sentences and everyday words. "
        + (
            f"The sentences that {effect} most (and by how much):"
            if len(hardest) > 1
            else f"The sentence that {effect.replace('raise', 'raises').replace('lower', 'lowers')} most (and by how much):"
        )
    ]
    for harder, sentence in hardest:
        lines.append(
            f"    {field_path(origin.field_path(sentence.field))} (from line {origin.text_line(sentence.field, sentence.line)}), "
            f'+{harder:g}: "{sentence.text}"'
        )
    return Problem(origin.file, origin.line(first.field), field_path(origin.field_path(first.field)), "\n".join(lines))


def _hard_sentence(reading: Reading, sentence: Sentence, origin: Origin) -> Problem:
    formula, score = reading.formula, reading.formula.score(sentence.counts)
    if formula.easier == "lower":
        level = (
            f"this sentence reads at grade {score:g}; a single sentence should not go above grade "
            f"{formula.sentence_limit:g}, even when the {reading.kind} as a whole passes (it reads at grade "
            f"{reading.score:g})"
        )
    else:
        level = (
            f"this sentence scores {score:g} on the {formula.name} scale, where higher is easier; a single "
            f"sentence should not score below {formula.sentence_limit:g}, even when the {reading.kind} as a "
            f"whole passes (it scores {reading.score:g})"
        )
    return Problem(
        origin.file,
        origin.text_line(sentence.field, sentence.line),
        field_path(origin.field_path(sentence.field)),
        f'{level}. Split it, or use shorter, everyday words:\n    "{sentence.text}"',
    )


def _reading(
    kind: str,
    id: str,
    parts: list[tuple[tuple, str | None]],
    formula: readability.Formula,
    limit: float,
    counter: readability.Counter,
) -> Reading:
    sentences = tuple(
        Sentence(field, text, counter.counts(text), line)
        for field, value in parts
        if value
        for text, line in _placed(value, _sentences(value))
    )
    total = sum((s.counts for s in sentences), readability.Counts())
    return Reading(kind, id, sentences, formula, formula.score(total), limit)


def _sentences(text: str) -> list[str]:
    """A field's text as a reader hears it, one sentence each, every one ending in a full stop.

    Headings and list items often have no full stop; without one, they would run into the next
    sentence and count as one very long sentence.
    """
    result = []
    for block in _BLOCK_BREAK.split(readability.plain(text)):
        block = " ".join(_LIST_MARKER.sub("", block).split())
        for sentence in _SENTENCE_END.split(block):
            sentence = sentence.strip()
            if sentence:
                result.append(sentence if _ENDED.search(sentence) else sentence.rstrip(":;,") + ".")
    return result


def _placed(value: str, sentences: list[str]) -> list[tuple[str, int]]:
    """Each sentence with the number of lines into `value` it starts on, found by its first words
    (a sentence's words may be split over lines; markup never is between them once plain)."""
    text, start, result = readability.plain(value), 0, []
    for sentence in sentences:
        words = sentence.rstrip(".").split()[:4]
        found = re.compile(r"\s+".join(map(re.escape, words))).search(text, start) if words else None
        if found:
            start = found.end()
        result.append((sentence, text.count("\n", 0, found.start() if found else start)))
    return result


def _days(count: int) -> str:
    return f"{count} day{'s' if count != 1 else ''}"
