"""The content model: typed, immutable, already validated. Render functions read only this.

Every text is a plain string in one language; a translated edition is a second Content built
from the same ids, so templates and checks never need to know about languages.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
from collections.abc import Mapping

from .yamlfile import Document


@dataclasses.dataclass(frozen=True)
class Origin:
    """Where an item was written: its file, and the place of the item inside it. Loading records
    one for every item, so later checks can point an editor at a line without reading files."""

    document: Document
    path: tuple = ()  # ("triggers", 3) in a data file, ("triggers", "rare-cancer") in a translation

    @property
    def file(self) -> str:
        return self.document.file

    def line(self, field: tuple = ()) -> int:
        """The line of one of the item's fields (("sections", 2, "body")), or of the item."""
        return self.document.line((*self.path, *field))

    def text_line(self, field: tuple, offset: int) -> int:
        """The line `offset` lines into the text of one of the item's fields."""
        return self.document.text_line((*self.path, *field), offset)

    def field_path(self, field: tuple = ()) -> tuple:
        return (*self.path, *field)


@dataclasses.dataclass(frozen=True)
class ClinicalReview:
    """A clinician's sign-off of some content (data/reviewers.yml)."""

    name: str
    role: str
    credentials: str | None
    date: datetime.date

    @property
    def signature(self) -> str:
        """How a page names them: "Jane Example, RN, OCN, Oncology nurse navigator"."""
        return ", ".join(part for part in (self.name, self.credentials, self.role) if part)


@dataclasses.dataclass(frozen=True)
class Review:
    """When content was last updated and must be checked again, by the content team (`reviewed`,
    `reviewer`), and the clinical review that covers it, if any."""

    reviewed: datetime.date
    next_review: datetime.date
    reviewer: str
    clinical: ClinicalReview | None = None

    def overdue(self, today: datetime.date) -> bool:
        return self.next_review < today


@dataclasses.dataclass(frozen=True)
class Source:
    id: str
    title: str
    publisher: str
    url: str
    kind: str  # guideline, organization, government, peer-reviewed, news or personal
    published: str | None = None  # "2021", "2021-03" or "2021-03-15"
    updated: str | None = None
    checked: datetime.date | None = None  # when someone confirmed it says what it is cited for
    language: str | None = None  # the page's language, if not English
    # The publisher's own page in another language, by code: {"es": (title, url)}.
    translations: dict[str, tuple[str, str]] = dataclasses.field(default_factory=dict)

    def in_language(self, language: str) -> Source:
        """This source as a reader of `language` should see it: their language's page if there is one."""
        if language not in self.translations:
            return self
        title, url = self.translations[language]
        return dataclasses.replace(self, title=title, url=url, language=language)


@dataclasses.dataclass(frozen=True)
class Topic:
    id: str
    title: str


@dataclasses.dataclass(frozen=True)
class Trigger:
    id: str
    topic: str
    label: str
    strength: str  # "strong" or "consider"
    why: str
    advice: str | None
    questions: tuple[str, ...]
    guides: tuple[str, ...]
    sources: tuple[str, ...]
    outcome: str | None = None  # a checklist outcome that replaces the one its strength gives


@dataclasses.dataclass(frozen=True)
class Audience:
    id: str
    title: str


@dataclasses.dataclass(frozen=True)
class Question:
    id: str
    audience: str  # `for` in questions.yml
    text: str
    hint: str | None
    sources: tuple[str, ...]


@dataclasses.dataclass(frozen=True)
class SheetSection:
    title: str
    questions: tuple[str, ...]


@dataclasses.dataclass(frozen=True)
class Sheet:
    id: str
    title: str
    intro: str
    sections: tuple[SheetSection, ...]
    local: bool = False  # from a hosting organization's local content

    @property
    def question_ids(self) -> tuple[str, ...]:
        return tuple(qid for section in self.sections for qid in section.questions)


@dataclasses.dataclass(frozen=True)
class GuideSection:
    heading: str
    body: str | None
    include: str | None  # "triggers": the trigger list is rendered here


@dataclasses.dataclass(frozen=True)
class Guide:
    slug: str
    title: str
    description: str
    summary: str
    review: Review
    sources: tuple[str, ...]
    sections: tuple[GuideSection, ...]
    local: bool = False  # from a hosting organization's local content
    order: int | None = None  # its place in the menu and the home page's list; None: after, by title


@dataclasses.dataclass(frozen=True)
class Outcome:
    """One result the checklist can give (data/outcomes.yml)."""

    id: str
    when: str  # when this is the result, for readers without JavaScript
    verdict: str
    explanation: str
    summary: str  # kept in view and read out as the reader ticks; {count}: statements ticked
    guides: tuple[str, ...] = ()  # read first with this result


@dataclasses.dataclass(frozen=True)
class Example:
    """A named answer set and the outcome it must give: run by `make check` and the browser tests."""

    name: str
    given: tuple[str, ...]  # trigger ids
    expect: str  # an outcome id


@dataclasses.dataclass(frozen=True)
class Helpline:
    """A cancer helpline, for "Need to talk to someone now?" where no hospital hosts the copy."""

    id: str
    country: str  # where it can be called: "US"
    name: str
    phone: str

    @property
    def phone_link(self) -> str:
        return tel_link(self.phone)


@dataclasses.dataclass(frozen=True)
class Field:
    """One thing a fill-in page asks: a box to type in (or tick), its label and its help line."""

    id: str
    label: str
    hint: str | None
    kind: str  # letters: line, lines, check; the plan: date, weeks, line; the comparison: lines
    prefill: str | None = None  # the Organization address a hospital's copy starts the box with


@dataclasses.dataclass(frozen=True)
class Paragraph:
    """One paragraph of a letter: text, or a list of points; shown only when the `when` box is
    ticked, if it has one. Texts name fields in {braces}."""

    text: str | None = None
    points: tuple[str, ...] = ()
    when: str | None = None


@dataclasses.dataclass(frozen=True)
class Letter:
    id: str
    region: str | None  # "us" or "uk": where the rights it relies on apply; None: anywhere
    title: str
    summary: str
    intro: str
    recipient: str  # the field with who it goes to
    fields: tuple[str, ...]  # every field of its form, in order: the sender's first
    subject: str
    reference: tuple[str, ...]
    greeting: str
    body: tuple[Paragraph, ...]
    sign_off: str
    send: str  # where to send it
    next: str  # what happens next
    sources: tuple[str, ...]


@dataclasses.dataclass(frozen=True)
class Letters:
    """data/letters.yml: the letters, and every field their forms ask."""

    fields: dict[str, Field]
    letters: dict[str, Letter]
    review: Review


@dataclasses.dataclass(frozen=True)
class Comparison:
    """data/compare.yml: the worksheet for comparing opinions, a column per doctor."""

    columns: tuple[Field, ...]
    rows: tuple[Field, ...]
    values: tuple[Field, ...]  # the questions of the values step, after the table
    sources: tuple[str, ...]
    review: Review


@dataclasses.dataclass(frozen=True)
class PlanStep:
    id: str
    title: str
    text: str
    anchor: str  # what it is dated from: "today", "visit" or "start" (`from` in plan.yml)
    days: int  # after the anchor; negative: before it
    show: tuple[str, ...]  # inputs shown with it


@dataclasses.dataclass(frozen=True)
class Plan:
    """data/plan.yml: the dated plan's inputs, steps and warnings."""

    inputs: dict[str, Field]
    steps: tuple[PlanStep, ...]
    warnings: dict[str, str]
    visit_before_start: int  # days
    sources: tuple[str, ...]
    review: Review


@dataclasses.dataclass(frozen=True)
class Content:
    sources: dict[str, Source]
    topics: dict[str, Topic]
    triggers: dict[str, Trigger]
    audiences: dict[str, Audience]
    questions: dict[str, Question]
    sheets: dict[str, Sheet]
    guides: dict[str, Guide]
    trigger_review: Review
    question_review: Review
    sheet_review: Review
    letters: Letters
    comparison: Comparison
    plan: Plan
    ui: dict[str, str]  # the interface words (data/ui.yml) by name
    language: str = "en"
    # Texts still in English in a translated edition, as (kind, id): ("trigger", "rare-cancer").
    untranslated: frozenset[tuple[str, str]] = frozenset()
    translation_pending: bool = False  # a translation not yet signed off by a clinician
    # Where each item was written, by (kind, id): ("trigger", "rare-cancer"), ("guide", "timing"),
    # and ("review", "triggers") for the file whose review of a kind falls due first.
    origins: Mapping[tuple[str, str], Origin] = dataclasses.field(default_factory=dict, compare=False, repr=False)
    # The checklist's results in precedence order (data/outcomes.yml), and its named examples.
    outcomes: dict[str, Outcome] = dataclasses.field(default_factory=dict)
    examples: tuple[Example, ...] = ()
    helplines: dict[str, Helpline] = dataclasses.field(default_factory=dict)  # data/helplines.yml

    def triggers_in(self, topic: str) -> list[Trigger]:
        return [trigger for trigger in self.triggers.values() if trigger.topic == topic]


@dataclasses.dataclass(frozen=True)
class Organization:
    """The hospital or cancer center hosting a copy; absent in the neutral public edition."""

    name: str
    phone: str | None = None
    email: str | None = None
    website: str | None = None
    address: str | None = None
    records_address: str | None = None  # its medical records department, for the records request letters
    pathology_address: str | None = None  # its pathology department, for the slides request letter

    @property
    def phone_link(self) -> str | None:
        return tel_link(self.phone) if self.phone else None


@dataclasses.dataclass(frozen=True)
class Download:
    """A generated file a sheet page links to, with the facts a reader wants before downloading."""

    sheet: str  # the id of the sheet it prints
    path: str  # under docs/, e.g. "questions/insurer.pdf"
    paper: str  # "Letter" or "A4"
    large_print: bool
    pages: int
    size: int  # bytes

    @property
    def name(self) -> str:
        """The file's name, which is also its link from any page in the same folder."""
        return self.path.rsplit("/", 1)[-1]


# "555-0100 ext. 12", "555-0100 x12": the forms of extension organization.schema.json allows.
_EXTENSION = re.compile(r"\s+(?:ext\.?|x)\s*[0-9]+$")


def tel_link(phone: str) -> str:
    """A phone number as a tel: address, which phones dial with one tap.

    An extension is left out of the link: phone dialers handle RFC 3966's `;ext=` badly (Android
    turns its letters into tones), and the digits run together would dial another number. The link
    dials the main line; the number shown beside it keeps the extension for the caller to key in.
    """
    return "tel:" + "".join(c for c in _EXTENSION.sub("", phone) if c.isdigit() or c == "+")
