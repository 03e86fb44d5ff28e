"""Loads data/ into the content model, collecting every problem before giving up.

Order: read each file strictly (yamlfile), check it against its schema (schemas), then check
what no schema can see: ids that must exist, be unique or be used, and dates that must make
sense. Only content with no problem at all becomes a model.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
from pathlib import Path
from typing import Any, overload

from . import forms, outcomes, placeholders, schemas, yamlfile
from .model import (
    Audience,
    Content,
    Guide,
    GuideSection,
    Helpline,
    Origin,
    Question,
    Review,
    Sheet,
    SheetSection,
    Source,
    Topic,
    Trigger,
)
from .problems import ContentError, Problem, display_path, field_path

DATA_FILES = ("sources", "triggers", "questions", "sheets")
GUIDE_NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")  # as ids are (common.schema.json)
# Health information dates: a review planned further ahead than this is a typing mistake or a
# way of never reviewing.
MAX_REVIEW_YEARS = 3


def load(data_dir: Path, *, today: datetime.date, root: Path | None = None, local_dir: Path | None = None) -> Content:
    """The validated content of `data_dir`, or ContentError listing every problem.

    `local_dir` is a hosting organization's own content, laid out like data/ (every file
    optional). Its items are added to the core ones; they may use core ids but never redefine
    them, so the core content keeps updating from upstream untouched.
    """
    data_dir = Path(data_dir)
    root = Path(root) if root else data_dir.parent
    schema_dir = data_dir / "schemas"
    problems: list[Problem] = []

    def read(path: Path, schema: str) -> yamlfile.Document | None:
        document, found = yamlfile.read(path, display_path(path, root))
        if document:
            found += schemas.check(document, schema_dir, schema)
        problems.extend(found)
        return document if not found else None

    parts: dict[str, list[yamlfile.Document | None]] = {}
    for name in DATA_FILES:
        core = data_dir / f"{name}.yml"
        if not core.is_file():
            problems.append(Problem(display_path(core, root), 0, "", "this file is missing"))
        parts[name] = [
            read(folder / f"{name}.yml", name)
            for folder in (data_dir, local_dir)
            if folder and (folder / f"{name}.yml").is_file()
        ]
    ui = read(data_dir / "ui.yml", "ui") if (data_dir / "ui.yml").is_file() else None
    if ui:
        problems.extend(placeholders.check(ui))
    if not (data_dir / "ui.yml").is_file():
        problems.append(Problem(display_path(data_dir / "ui.yml", root), 0, "", "this file is missing"))
    outcome_file, helpline_file = data_dir / "outcomes.yml", data_dir / "helplines.yml"
    outcome_document = read(outcome_file, "outcomes") if outcome_file.is_file() else None
    helpline_document = read(helpline_file, "helplines") if helpline_file.is_file() else None
    for path in (outcome_file, helpline_file):
        if not path.is_file():
            problems.append(Problem(display_path(path, root), 0, "", "this file is missing"))
    # The fill-in pages (forms.py): core content only, not merged with a hospital's.
    fill_in: dict[str, yamlfile.Document | None] = {}
    for name in forms.FILES:
        path = data_dir / f"{name}.yml"
        if path.is_file():
            fill_in[name] = read(path, name)
        else:
            problems.append(Problem(display_path(path, root), 0, "", "this file is missing"))
    guides: dict[str, yamlfile.Document | None] = {}
    for folder in (data_dir, local_dir):
        for path in sorted(guide_files(Path(folder))) if folder else ():
            if not GUIDE_NAME.match(path.stem):
                # _headers.yml would be published as _headers/, where the build writes its own file.
                problems.append(
                    Problem(
                        display_path(path, root),
                        0,
                        "",
                        "a guide's file name is its address: use small letters, digits and single hyphens, "
                        "like timing.yml",
                    )
                )
                continue
            if existing := guides.get(path.stem):
                problems.append(
                    Problem(
                        display_path(path, root),
                        1,
                        "",
                        f"there is already a guide called '{path.stem}' ({existing.file}); rename this file",
                    )
                )
            guides[path.stem] = read(path, "guide")
    if not guides:
        problems.append(Problem(display_path(data_dir / "guides", root), 0, "", "there are no guides (*.yml)"))
    if problems:
        raise ContentError(problems)

    # Past this point every file was read: `read` gives None only with a problem, which raised.
    assert ui is not None and outcome_document is not None and helpline_document is not None
    documents = {name: Combined([d for d in found if d]) for name, found in parts.items()}
    fill_in_read = {name: document for name, document in fill_in.items() if document}
    guide_folders = [display_path(folder / "guides", root) + "/" for folder in (data_dir, local_dir) if folder]
    problems.extend(_check_references(documents, guides, guide_folders, fill_in_read, today))
    problems.extend(outcomes.check(outcome_document, documents["triggers"], set(guides)))
    problems.extend(forms.check(fill_in_read))
    if problems:
        raise ContentError(problems)
    local_files = {display_path(path, root) for path in Path(local_dir).rglob("*.yml")} if local_dir else set()
    checklist_outcomes, examples = outcomes.model(outcome_document.data)
    helplines = {
        h["id"]: Helpline(h["id"], _text(h["country"]), _text(h["name"]), h["phone"])
        for h in helpline_document.data["helplines"]
    }
    return dataclasses.replace(
        _model(documents, guides, fill_in_read, local_files, ui.data),
        outcomes=checklist_outcomes,
        examples=examples,
        helplines=helplines,
    )


class Combined:
    """One kind of data (say, questions) from the core file and a local one, read as one file.

    Lists are joined, core items first; `where` still names the file and line each item came from.
    """

    def __init__(self, documents: list[yamlfile.Document]):
        self.documents = documents
        self.data: dict = dict(documents[0].data)
        self._origins: dict[tuple, tuple[yamlfile.Document, int]] = {}
        for key in {key for d in documents for key, value in d.data.items() if isinstance(value, list)}:
            self.data[key] = []
            for document in documents:
                for index, item in enumerate(document.data.get(key, [])):
                    self._origins[(key, len(self.data[key]))] = (document, index)
                    self.data[key].append(item)
        if "reviewed" in self.data:
            # Printed sheets show one review date: the latest review, and the earliest next one.
            self.data["reviewed"] = max(d.data["reviewed"] for d in documents)
            self.data["next_review"] = min(d.data["next_review"] for d in documents)

    def origin(self, path: tuple) -> Origin:
        """Where the value at `path` of the joined data was written, in its own file's terms:
        ("questions", 63) of the joined list may be ("questions", 0) of a local file."""
        if path[:2] in self._origins:
            document, index = self._origins[path[:2]]
            return Origin(document, (path[0], index, *path[2:]))
        return Origin(self.documents[0], path)

    def where(self, path: tuple) -> tuple[str, int]:
        origin = self.origin(path)
        return origin.file, origin.line()

    def review_origin(self) -> Origin:
        """The file whose review falls due first: the date the joined data shows."""
        return Origin(next(d for d in self.documents if d.data["next_review"] == self.data["next_review"]))


def _check_references(
    documents: dict, guides: dict, guide_folders: list[str], fill_in: dict, today: datetime.date
) -> list[Problem]:
    problems: list[Problem] = []

    def problem(document: Combined | yamlfile.Document, path: tuple, message: str) -> None:
        origin = document.origin(path) if isinstance(document, Combined) else Origin(document, path)
        problems.append(Problem(origin.file, origin.line(), field_path(origin.path), message))

    def ids(document: Combined, key: str, kind: str) -> set[str]:
        seen: dict[str, tuple[str, int]] = {}
        for index, item in enumerate(document.data.get(key, [])):
            where = document.where((key, index, "id"))
            if item["id"] in seen:
                file, line = seen[item["id"]]
                message = (
                    f"the {kind} id '{item['id']}' is used twice (first on line {line})"
                    if file == where[0]
                    # A hospital's local item: the core one is not theirs to change.
                    else f"the {kind} id '{item['id']}' is already used in {file} (line {line}); "
                    f"give this {kind} an id of its own"
                )
                problem(document, (key, index, "id"), message)
            seen.setdefault(item["id"], where)
        return set(seen)

    sources, triggers, questions, sheets = (documents[name] for name in DATA_FILES)
    source_ids = ids(sources, "sources", "source")
    topic_ids = ids(triggers, "topics", "topic")
    ids(triggers, "triggers", "trigger")
    audience_ids = ids(questions, "audiences", "audience")
    question_ids = ids(questions, "questions", "question")
    ids(sheets, "sheets", "sheet")
    cited: set[str] = set()
    asked: set[str] = set()
    grouped: set[str] = set()
    addressed: set[str] = set()

    def refer(
        document: Combined | yamlfile.Document, path: tuple, known: set[str], kind: str, where: str, used: set[str]
    ) -> None:
        values = _at(document.data, path)
        for index, value in enumerate(values if isinstance(values, list) else [values]):
            item_path = (*path, index) if isinstance(values, list) else path
            used.add(value)
            if value not in known:
                meant = schemas.suggestion(value, known)
                # The item it was meant to name counts as used: one typo, one message.
                if meant:
                    used.add(meant)
                problem(document, item_path, _unknown_id(kind, value, where, meant))

    in_sources, in_questions = _files(sources), _files(questions)
    in_topics, in_audiences = f"the topics of {_files(triggers)}", f"the audiences of {in_questions}"
    in_guides = " or ".join(guide_folders)
    for index, _ in enumerate(triggers.data["triggers"]):
        refer(triggers, ("triggers", index, "topic"), topic_ids, "topic", in_topics, grouped)
        refer(triggers, ("triggers", index, "questions"), question_ids, "question", in_questions, asked)
        refer(triggers, ("triggers", index, "guides"), set(guides), "guide", in_guides, set())
        refer(triggers, ("triggers", index, "sources"), source_ids, "source", in_sources, cited)
    for index, _ in enumerate(questions.data["questions"]):
        refer(questions, ("questions", index, "audience"), audience_ids, "audience", in_audiences, addressed)
        refer(questions, ("questions", index, "sources"), source_ids, "source", in_sources, cited)
    for index, sheet in enumerate(sheets.data["sheets"]):
        for number, _ in enumerate(sheet["sections"]):
            refer(
                sheets,
                ("sheets", index, "sections", number, "questions"),
                question_ids,
                "question",
                in_questions,
                asked,
            )
    for guide in guides.values():
        refer(guide, ("sources",), source_ids, "source", in_sources, cited)
    for document, path in forms.sources(fill_in):
        refer(document, path, source_ids, "source", in_sources, cited)

    for document, key, used, kind, fix in (
        (sources, "sources", cited, "source", "cite it where its facts are used, or remove it"),
        (questions, "questions", asked, "question", "add it to a sheet in {sheets}, or remove it"),
        (triggers, "topics", grouped, "topic", "give it a trigger, or remove it"),
        (questions, "audiences", addressed, "audience", "give it a question, or remove it"),
    ):
        for index, item in enumerate(document.data.get(key, [])):
            if item["id"] not in used:
                # A hospital's own question goes on one of its own sheets: name the sheets file
                # beside the file the question was written in.
                sheets_file = document.origin((key, index)).file.rsplit("/", 1)[0] + "/sheets.yml"
                message = f"the {kind} '{item['id']}' is not used: {fix.format(sheets=sheets_file)}"
                problem(document, (key, index, "id"), message)

    for document in [*triggers.documents, *questions.documents, *sheets.documents, *guides.values(), *fill_in.values()]:
        reviewed = datetime.date.fromisoformat(document.data["reviewed"])
        next_review = datetime.date.fromisoformat(document.data["next_review"])
        if reviewed > today:
            problem(document, ("reviewed",), f"the review date {reviewed} is in the future")
        latest = _years_after(reviewed, MAX_REVIEW_YEARS)
        if next_review <= reviewed:
            problem(document, ("next_review",), f"the next review must come after the last review ({reviewed})")
        elif next_review > latest:
            problem(
                document,
                ("next_review",),
                f"the next review is more than {MAX_REVIEW_YEARS} years after the last review ({reviewed}); "
                f"health information must be checked sooner. Set it to {latest} or earlier: a year after the "
                "last review is usual",
            )
    return problems


def _unknown_id(kind: str, value: str, where: str, meant: str | None) -> str:
    """The message for a reference to an id that does not exist, with the id it most looks like."""
    message = f"there is no {kind} with the id '{value}' in {where}"
    return f"{message}. Did you mean '{meant}'?" if meant else message


def _files(document: Combined) -> str:
    """The files an id of this kind was looked for in: the core file, and a hospital's own."""
    return " or ".join(d.file for d in document.documents)


def _years_after(day: datetime.date, years: int) -> datetime.date:
    """The same day `years` later (February 29 becomes March 1 in a year that has none)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, month=3, day=1)


def _at(data: Any, path: tuple) -> Any:
    for part in path:
        data = data[part]
    return data


def _review(data: dict) -> Review:
    return Review(
        datetime.date.fromisoformat(data["reviewed"]),
        datetime.date.fromisoformat(data["next_review"]),
        data["reviewer"].strip(),
    )


def _source(s: dict) -> Source:
    return Source(
        s["id"],
        _text(s["title"]),
        _text(s["publisher"]),
        s["url"],
        s["kind"],
        published=str(s["published"]) if "published" in s else None,
        updated=str(s["updated"]) if "updated" in s else None,
        checked=datetime.date.fromisoformat(s["checked"]) if "checked" in s else None,
        language=s.get("language"),
        translations={lang: (_text(t["title"]), t["url"]) for lang, t in (s.get("translations") or {}).items()},
    )


@overload
def _text(value: str) -> str: ...
@overload
def _text(value: str | None) -> str | None: ...
def _text(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else None


def guide_files(folder: Path) -> list[Path]:
    """The guides in folder/guides/, without their translations (SLUG.LANG.yml)."""
    return [path for path in (folder / "guides").glob("*.yml") if "." not in path.stem]


def _model(documents: dict[str, Combined], guides: dict, fill_in: dict, local_files: set[str], ui: dict) -> Content:
    sources, triggers, questions, sheets = (documents[name] for name in DATA_FILES)
    letters, comparison, plan, origins = forms.model(fill_in, _review)

    def items(document: Combined, key: str, kind: str) -> list[dict]:
        for index, item in enumerate(document.data[key]):
            origins[(kind, item["id"])] = document.origin((key, index))
        return document.data[key]

    content = Content(
        sources={s["id"]: _source(s) for s in items(sources, "sources", "source")},
        topics={t["id"]: Topic(t["id"], _text(t["title"])) for t in items(triggers, "topics", "topic")},
        triggers={
            t["id"]: Trigger(
                t["id"],
                t["topic"],
                _text(t["label"]),
                t["strength"],
                _text(t["why"]),
                _text(t.get("advice")),
                tuple(t["questions"]),
                tuple(t["guides"]),
                tuple(t["sources"]),
                t.get("outcome"),
            )
            for t in items(triggers, "triggers", "trigger")
        },
        audiences={a["id"]: Audience(a["id"], _text(a["title"])) for a in items(questions, "audiences", "audience")},
        questions={
            q["id"]: Question(q["id"], q["audience"], _text(q["text"]), _text(q.get("hint")), tuple(q["sources"]))
            for q in items(questions, "questions", "question")
        },
        sheets={
            s["id"]: Sheet(
                s["id"],
                _text(s["title"]),
                _text(s["intro"]),
                tuple(SheetSection(_text(sec["title"]), tuple(sec["questions"])) for sec in s["sections"]),
                local=origins[("sheet", s["id"])].file in local_files,
            )
            for s in items(sheets, "sheets", "sheet")
        },
        guides={
            slug: Guide(
                slug,
                _text(g.data["title"]),
                _text(g.data["description"]),
                _text(g.data["summary"]),
                _review(g.data),
                tuple(g.data["sources"]),
                tuple(
                    GuideSection(_text(sec["heading"]), _text(sec.get("body")), sec.get("include"))
                    for sec in g.data["sections"]
                ),
                local=g.file in local_files,
                order=g.data.get("order"),
            )
            for slug, g in guides.items()
        },
        trigger_review=_review(triggers.data),
        question_review=_review(questions.data),
        sheet_review=_review(sheets.data),
        letters=letters,
        comparison=comparison,
        plan=plan,
        ui={key: _text(value) for key, value in ui["strings"].items()},
    )
    origins.update({("guide", slug): Origin(g) for slug, g in guides.items()})
    origins.update({("review", name): documents[name].review_origin() for name in ("triggers", "questions", "sheets")})
    return dataclasses.replace(content, origins=origins)
