"""Translated editions: NAME.LANG.yml beside each data file (and SLUG.LANG.yml beside each guide)
translates it item by item, next to the English an editor compares it with.

Every translated item records the fingerprint of the English it was made from (`source`). When
the English changes, the fingerprint no longer matches: the item is reported as out of date and
the edition shows the current English instead, with a notice, until a translator catches up. A
missing item falls back to English the same way. Health information must never silently lag.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import json
from pathlib import Path
from typing import TypeVar

from . import forms, placeholders, schemas, yamlfile
from .model import Content, Guide, GuideSection, Letter, Origin, Paragraph
from .problems import ContentError, Problem, display_path, field_path

# Per data file and list: the fields a translation may give, in the English item's terms.
FIELDS: dict[str, dict[str, tuple[str, ...]]] = {
    "triggers": {"topics": ("title",), "triggers": ("label", "why", "advice")},
    "questions": {"audiences": ("title",), "questions": ("text", "hint")},
    "sheets": {"sheets": ("title", "intro", "sections")},
    "outcomes": {"outcomes": ("when", "verdict", "explanation", "summary")},
    "helplines": {"helplines": ("country", "name")},
    "letters": {
        "fields": ("label", "hint"),
        "letters": (
            "title",
            "summary",
            "intro",
            "subject",
            "reference",
            "greeting",
            "body",
            "sign_off",
            "send",
            "next",
        ),
    },
    "compare": {"columns": ("label",), "rows": ("label", "hint"), "values": ("label", "hint")},
    "plan": {"inputs": ("label", "hint"), "steps": ("title", "text"), "warnings": ("text",)},
}
KIND = {
    "topics": "topic",
    "triggers": "trigger",
    "audiences": "audience",
    "questions": "question",
    "sheets": "sheet",
    "outcomes": "outcome",
    "helplines": "helpline",
    "fields": "field",
    "letters": "letter",
    "columns": "column",
    "rows": "row",
    "values": "value",
    "inputs": "input",
    "steps": "step",
    "warnings": "warning",
}
_T = TypeVar("_T")


@dataclasses.dataclass(frozen=True)
class Gap:
    """One text of an edition still shown in English, and where its translation belongs."""

    file: str
    line: int
    item: str  # e.g. "triggers.rare-cancer"
    source: str  # the fingerprint of the current English
    outdated: bool  # True: translated once, but the English changed since

    def problem(self, language: str) -> Problem:
        if self.outdated:
            message = (
                f"the English of {self.item} changed after it was translated into {language}; update "
                f'the translation, then set source: "{self.source}"'
            )
        else:
            message = (
                f"{self.item} is not translated into {language} yet: add its translation to this file, "
                f'with source: "{self.source}"'
            )
        return Problem(self.file, self.line, "", message)


@dataclasses.dataclass(frozen=True)
class Edition:
    content: Content
    total: int  # texts (items) that can be translated
    gaps: tuple[Gap, ...]

    @property
    def translated(self) -> int:
        return self.total - len(self.gaps)


def fingerprint(texts: object) -> str:
    """A short code for an English text (or set of texts): it changes whenever the English does."""
    encoded = json.dumps(texts, sort_keys=True, ensure_ascii=False).encode("utf-8")
    return hashlib.sha256(encoded).hexdigest()[:8]


def languages(folder: Path) -> list[str]:
    """The languages with at least one translation file in a data folder (data/, or a hospital's local/)."""
    names = [*folder.glob("*.yml"), *(folder / "guides").glob("*.yml")]
    return sorted({path.stem.rsplit(".", 1)[1] for path in names if "." in path.stem})


def english(content: Content) -> dict[tuple[str, str, str], dict]:
    """Every translatable item's English texts, by (file, list, id); guides as ("guides", "", slug)
    and the interface words as ("ui", "", "strings")."""
    items: dict[tuple[str, str, str], dict] = {}
    for topic in content.topics.values():
        items["triggers", "topics", topic.id] = {"title": topic.title}
    for trigger in content.triggers.values():
        items["triggers", "triggers", trigger.id] = _present(
            label=trigger.label, why=trigger.why, advice=trigger.advice
        )
    for audience in content.audiences.values():
        items["questions", "audiences", audience.id] = {"title": audience.title}
    for question in content.questions.values():
        items["questions", "questions", question.id] = _present(text=question.text, hint=question.hint)
    for sheet in content.sheets.values():
        items["sheets", "sheets", sheet.id] = {
            "title": sheet.title,
            "intro": sheet.intro,
            "sections": [section.title for section in sheet.sections],
        }
    for outcome in content.outcomes.values():
        items["outcomes", "outcomes", outcome.id] = {
            "when": outcome.when,
            "verdict": outcome.verdict,
            "explanation": outcome.explanation,
            "summary": outcome.summary,
        }
    for helpline in content.helplines.values():
        items["helplines", "helplines", helpline.id] = {"country": helpline.country, "name": helpline.name}
    for guide in content.guides.values():
        items["guides", "", guide.slug] = {
            "title": guide.title,
            "description": guide.description,
            "summary": guide.summary,
            "sections": [_present(heading=s.heading, body=s.body) for s in guide.sections],
        }
    for field in content.letters.fields.values():
        items["letters", "fields", field.id] = _present(label=field.label, hint=field.hint)
    for letter in content.letters.letters.values():
        items["letters", "letters", letter.id] = _present(
            title=letter.title,
            summary=letter.summary,
            intro=letter.intro,
            subject=letter.subject,
            reference=list(letter.reference) or None,
            greeting=letter.greeting,
            body=[_paragraph(paragraph) for paragraph in letter.body],
            sign_off=letter.sign_off,
            send=letter.send,
            next=letter.next,
        )
    for key, fields in (
        ("columns", content.comparison.columns),
        ("rows", content.comparison.rows),
        ("values", content.comparison.values),
    ):
        for field in fields:
            items["compare", key, field.id] = _present(label=field.label, hint=field.hint)
    for field in content.plan.inputs.values():
        items["plan", "inputs", field.id] = _present(label=field.label, hint=field.hint)
    for step in content.plan.steps:
        items["plan", "steps", step.id] = {"title": step.title, "text": step.text}
    for name, text in content.plan.warnings.items():
        items["plan", "warnings", name] = {"text": text}
    items["ui", "", "strings"] = dict(content.ui)
    return items


def _paragraph(paragraph: Paragraph) -> object:
    """A letter's paragraph as letters.yml writes it."""
    if paragraph.points:
        return {"list": list(paragraph.points)}
    return {"when": paragraph.when, "text": paragraph.text} if paragraph.when else paragraph.text


def translate(
    content: Content, data_dir: Path, language: str, *, root: Path, today: datetime.date, local_dir: Path | None = None
) -> Edition:
    """`content` in `language`: every text with a current translation replaced, the rest in English.

    Each translation sits beside the English it translates: a hospital's own items (from
    `local_dir`) are translated in its own NAME.LANG.yml files, the core items in data/.
    Raises ContentError for translation files that are wrong in themselves (bad YAML, unknown ids
    or fields, a section too many, a review date in the future); missing and outdated
    translations are gaps, not errors."""
    problems: list[Problem] = []
    schema_dir = data_dir / "schemas"
    texts = english(content)
    found: dict[tuple[str, str, str], dict] = {}
    where: dict[tuple[str, str, str], Origin] = {}
    pending = False

    def read(path: Path) -> yamlfile.Document | None:
        nonlocal pending
        if not path.is_file():
            return None
        document, errors = yamlfile.read(path, display_path(path, root))
        if document:
            errors += schemas.check(document, schema_dir, "translation")
        if document and not errors and document.data["language"] != language:
            errors.append(
                Problem(
                    document.file,
                    document.line(("language",)),
                    "language",
                    f"this file translates into {language}, so its language is {language}",
                )
            )
        if document and not errors and datetime.date.fromisoformat(document.data["reviewed"]) > today:
            errors.append(
                Problem(
                    document.file,
                    document.line(("reviewed",)),
                    "reviewed",
                    f"the review date {document.data['reviewed']} is in the future",
                )
            )
        problems.extend(errors)
        if document and not errors:
            pending = pending or document.data["status"] != "reviewed"
            return document
        return None

    def written_in(address: tuple[str, str, str]) -> str:
        """The English file an item was written in, as problems name it."""
        name, key, item_id = address
        origin = content.origins.get((KIND.get(key, "guide"), item_id))
        # The checklist's outcomes have no recorded origin: they are always the core's.
        return origin.file if origin else display_path(data_dir / f"{name}.yml", root)

    for name, lists in FIELDS.items():
        for folder in filter(None, (data_dir, local_dir)):
            english_file = display_path(folder / f"{name}.yml", root)
            document = read(folder / f"{name}.{language}.yml")
            if not document:
                continue
            for key, fields in lists.items():
                own = {a[2] for a in texts if a[:2] == (name, key) and written_in(a) == english_file}
                for item_id, item in (document.data.get(key) or {}).items():
                    address = (name, key, item_id)
                    path = (key, item_id)
                    if item_id not in own:
                        elsewhere = written_in(address) if address in texts else None
                        message = _nothing_to_translate(
                            KIND[key], item_id, english_file, own, elsewhere, language, root
                        )
                        problems.append(Problem(document.file, document.line(path), field_path(path), message))
                        continue
                    for field in item:
                        if field != "source" and field not in fields:
                            problems.append(
                                Problem(
                                    document.file,
                                    document.line((*path, field)),
                                    field_path((*path, field)),
                                    f"a {KIND[key]} has no text called '{field}' to translate",
                                )
                            )
                    found[address] = item
                    where[address] = Origin(document, path)
    for slug in content.guides:
        document = read(_beside(root / written_in(("guides", "", slug)), language))
        if document:
            found["guides", "", slug] = document.data
            where["guides", "", slug] = Origin(document)
    ui = read(data_dir / f"ui.{language}.yml")
    if ui:
        problems.extend(placeholders.check(ui))
        found["ui", "", "strings"] = ui.data
        where["ui", "", "strings"] = Origin(ui)
        unknown = sorted(set(ui.data.get("strings", {})) - set(content.ui))
        problems.extend(
            Problem(ui.file, ui.line(("strings", key)), f"strings.{key}", "data/ui.yml has no text with this name")
            for key in unknown
        )
    for address, item in found.items():
        if address in texts and address[0] in forms.FILES:
            problems.extend(_shape_problems(texts[address], item, where[address]))
    for (name, _, slug), item in found.items():
        if name == "guides" and len(item.get("sections", [])) != len(texts[name, "", slug]["sections"]):
            problems.append(
                Problem(
                    where[name, "", slug].file,
                    1,
                    "sections",
                    f"the English guide has {len(texts[name, '', slug]['sections'])} sections; "
                    "translate each one, in the same order",
                )
            )
    if problems:
        raise ContentError(problems)

    gaps = []
    current: dict[tuple[str, str, str], dict] = {}
    for address, english_texts in texts.items():
        source = fingerprint(english_texts)
        item = found.get(address)
        # A text left empty ("") is one still to translate, as `translate LANG` starts them.
        filled = item is not None and _filled(item)
        if filled and item is not None and item.get("source") == source:
            current[address] = item
            continue
        if item and address[0] == "ui":
            # Interface words carry no medical facts: an older translation is still better than none.
            current[address] = item
        name, key, item_id = address
        origin = where.get(address)
        english_path = root / written_in(address) if name != "ui" else data_dir / "ui.yml"
        file = origin.file if origin else display_path(_beside(english_path, language), root)
        label = (
            f"guide {item_id}" if name == "guides" else "the interface words" if name == "ui" else f"{key}.{item_id}"
        )
        gaps.append(Gap(file, origin.line() if origin else 0, label, source, outdated=filled))
    translated_words = (found.get(("ui", "", "strings")) or {}).get("strings", {})
    missing_words = sorted(key for key in content.ui if not (translated_words.get(key) or "").strip())
    if found.get(("ui", "", "strings")) and missing_words:
        gaps.append(
            Gap(
                where["ui", "", "strings"].file,
                1,
                "interface words " + ", ".join(missing_words),
                fingerprint(texts["ui", "", "strings"]),
                outdated=False,
            )
        )
    edition = _apply(content, current, set(texts) - set(current), language, pending)
    # Checks of the edition point at the translation of each translated text.
    origins = {
        **content.origins,
        **{
            (KIND.get(key, "guide"), item_id): where[(name, key, item_id)]
            for (name, key, item_id) in current
            if name != "ui"
        },
    }
    return Edition(dataclasses.replace(edition, origins=origins), len(texts), tuple(gaps))


def _shape_problems(english_item: dict, item: dict, origin: Origin) -> list[Problem]:
    """A translated text must name the same fields in {braces} as the English, and a letter's
    body must have the same paragraphs: the page fills each field in where the text names it."""
    problems = []

    def compare(english_value: object, value: object, path: tuple) -> None:
        def problem(message: str) -> None:
            full = origin.field_path(path)
            problems.append(Problem(origin.file, origin.line(path), field_path(full), message))

        if value == "" or value is None:
            return  # still to translate: a gap, not an error
        if isinstance(english_value, str):
            if not isinstance(value, str):
                problem("this should be text, as in English")
            elif forms.placeholders(value) != forms.placeholders(english_value):
                names = ", ".join(sorted(f"{{{n}}}" for n in forms.placeholders(english_value))) or "none"
                problem(f"keep the fields in braces as they are in English ({names}): they are filled in there")
        elif isinstance(english_value, list):
            if not isinstance(value, list) or len(value) != len(english_value):
                problem(f"the English has {len(english_value)} of these; translate each one, in the same order")
            else:
                for index, (e, v) in enumerate(zip(english_value, value, strict=True)):
                    compare(e, v, (*path, index))
        elif isinstance(english_value, dict):
            if not isinstance(value, dict) or set(value) != set(english_value):
                keys = ", ".join(english_value)
                problem(f"this paragraph has {keys} in English; write it the same way")
            elif value.get("when", english_value.get("when")) != english_value.get("when"):
                problem(f"keep when: {english_value['when']} as it is in English")
            else:
                for key in english_value:
                    if key != "when":
                        compare(english_value[key], value[key], (*path, key))

    for field, english_value in english_item.items():
        if field in item:
            compare(english_value, item[field], (field,))
    return problems


def _filled(item: object) -> bool:
    """Whether every text of a translated item has been written (none left as "")."""
    if isinstance(item, dict):
        return all(_filled(value) for key, value in item.items() if key not in ("strings", "reviewer"))
    if isinstance(item, list):
        return all(_filled(value) for value in item)
    return not isinstance(item, str) or bool(item.strip())


def _nothing_to_translate(
    kind: str, item_id: str, english_file: str, own: set[str], elsewhere: str | None, language: str, root: Path
) -> str:
    """Why a translated id has nothing to translate in the English file beside it: a typo, or an
    item written in the other file (the core's, or a hospital's own), whose translation goes beside it."""
    message = f"there is no {kind} '{item_id}' in {english_file} to translate"
    if elsewhere:
        beside = display_path(_beside(root / elsewhere, language), root)
        return f"{message}: it is in {elsewhere}, so its translation goes in {beside}"
    meant = schemas.suggestion(item_id, own)
    return f"{message}. Did you mean '{meant}'?" if meant else message


def _beside(english_file: Path, language: str) -> Path:
    """The translation of an English data file: questions.yml -> questions.es.yml beside it."""
    return english_file.with_name(f"{english_file.stem}.{language}.yml")


def _present(**texts: str | list | None) -> dict:
    return {key: value for key, value in texts.items() if value is not None}


def _apply(content: Content, current: dict, missing: set, language: str, pending: bool) -> Content:
    def text(item: dict, field: str, fallback: _T) -> str | _T:
        value = item.get(field)
        return value.strip() if isinstance(value, str) else fallback

    def replaced(objects: dict, name: str, key: str, fields: tuple[str, ...]) -> dict:
        result = {}
        for item_id, value in objects.items():
            item = current.get((name, key, item_id))
            result[item_id] = (
                dataclasses.replace(value, **{f: text(item, f, getattr(value, f)) for f in fields}) if item else value
            )
        return result

    sheets = {}
    for sheet_id, sheet in content.sheets.items():
        item = current.get(("sheets", "sheets", sheet_id))
        if item:
            titles = item.get("sections") or [s.title for s in sheet.sections]
            sheet = dataclasses.replace(
                sheet,
                title=text(item, "title", sheet.title),
                intro=text(item, "intro", sheet.intro),
                sections=tuple(
                    dataclasses.replace(s, title=t.strip()) for s, t in zip(sheet.sections, titles, strict=False)
                ),
            )
        sheets[sheet_id] = sheet
    guides = {slug: _guide(guide, current.get(("guides", "", slug))) for slug, guide in content.guides.items()}
    ui = {
        **content.ui,
        **{k: v.strip() for k, v in (current.get(("ui", "", "strings")) or {}).get("strings", {}).items() if v.strip()},
    }
    untranslated = frozenset((KIND.get(key, "guide"), item_id) for (name, key, item_id) in missing if name != "ui")

    def fields(objects: tuple, name: str, key: str) -> tuple:
        return tuple(replaced({f.id: f for f in objects}, name, key, ("label", "hint")).values())

    steps = {step.id: step for step in content.plan.steps}
    letters = dataclasses.replace(
        content.letters,
        fields=replaced(content.letters.fields, "letters", "fields", ("label", "hint")),
        letters={
            letter_id: _letter(letter, current.get(("letters", "letters", letter_id)))
            for letter_id, letter in content.letters.letters.items()
        },
    )
    comparison = dataclasses.replace(
        content.comparison,
        columns=fields(content.comparison.columns, "compare", "columns"),
        rows=fields(content.comparison.rows, "compare", "rows"),
        values=fields(content.comparison.values, "compare", "values"),
    )
    plan = dataclasses.replace(
        content.plan,
        inputs=replaced(content.plan.inputs, "plan", "inputs", ("label", "hint")),
        steps=tuple(replaced(steps, "plan", "steps", ("title", "text")).values()),
        warnings={
            name: text(current.get(("plan", "warnings", name)) or {}, "text", english_text)
            for name, english_text in content.plan.warnings.items()
        },
    )
    return dataclasses.replace(
        content,
        letters=letters,
        comparison=comparison,
        plan=plan,
        sources={source_id: source.in_language(language) for source_id, source in content.sources.items()},
        topics=replaced(content.topics, "triggers", "topics", ("title",)),
        triggers=replaced(content.triggers, "triggers", "triggers", ("label", "why", "advice")),
        audiences=replaced(content.audiences, "questions", "audiences", ("title",)),
        questions=replaced(content.questions, "questions", "questions", ("text", "hint")),
        sheets=sheets,
        guides=guides,
        outcomes=replaced(content.outcomes, "outcomes", "outcomes", FIELDS["outcomes"]["outcomes"]),
        helplines=replaced(content.helplines, "helplines", "helplines", FIELDS["helplines"]["helplines"]),
        ui=ui,
        language=language,
        untranslated=untranslated,
        translation_pending=pending,
    )


def _letter(letter: Letter, item: dict | None) -> Letter:
    if not item:
        return letter
    texts = ("title", "summary", "intro", "subject", "greeting", "sign_off", "send", "next")
    return dataclasses.replace(
        letter,
        **{name: item[name].strip() for name in texts if item.get(name)},
        reference=tuple(line.strip() for line in item.get("reference", letter.reference)),
        body=forms.paragraphs(item["body"]) if item.get("body") else letter.body,
    )


def _guide(guide: Guide, item: dict | None) -> Guide:
    if not item:
        return guide
    sections = tuple(
        GuideSection(s.get("heading", e.heading).strip(), s["body"].strip() if s.get("body") else e.body, e.include)
        for e, s in zip(guide.sections, item["sections"], strict=True)
    )
    return dataclasses.replace(
        guide,
        title=item.get("title", guide.title).strip(),
        description=item.get("description", guide.description).strip(),
        summary=item.get("summary", guide.summary).strip(),
        sections=sections,
    )


def skeletons(content: Content, language: str, *, today: str) -> dict[str, str]:
    """Translation files to start a new language from, by path under data/: every item with its
    `source`, its English as a comment, and an empty "" to fill in (the check names each one)."""
    texts = english(content)
    header = (
        "# yaml-language-server: $schema={schema}\n"
        f'# The {language} translation of {{english}}. Replace each "" with the translation of the\n'
        "# English in the comment above it. Keep `source` as it is: it tells which English you translated.\n"
        f'language: {language}\nstatus: awaiting-clinical-review\nreviewed: {today}\nreviewer: ""\n'
    )
    files = {}
    for name, lists in FIELDS.items():
        lines = [header.format(schema="schemas/translation.schema.json", english=f"{name}.yml")]
        for key in lists:
            lines.append(f"{key}:\n")
            for (file, list_key, item_id), item in texts.items():
                if (file, list_key) == (name, key):
                    lines.append(f'  {item_id}:\n    source: "{fingerprint(item)}"\n')
                    lines.extend(_blank(field, value, "    ") for field, value in item.items())
        files[f"{name}.{language}.yml"] = "".join(lines)
    for (file, _, slug), item in texts.items():
        if file == "guides":
            lines = [
                header.format(schema="../schemas/translation.schema.json", english=f"guides/{slug}.yml"),
                f'source: "{fingerprint(item)}"\n',
            ]
            lines.extend(_blank(field, item[field], "") for field in ("title", "description", "summary"))
            lines.append("sections:\n")
            for section in item["sections"]:
                lines.append("  -" + "".join(_blank(f, v, "    ") for f, v in section.items())[3:])
            files[f"guides/{slug}.{language}.yml"] = "".join(lines)
    lines = [
        header.format(schema="schemas/translation.schema.json", english="ui.yml"),
        f'source: "{fingerprint(texts["ui", "", "strings"])}"\nstrings:\n',
    ]
    lines.extend(_blank(key, value, "  ") for key, value in texts["ui", "", "strings"].items())
    files[f"ui.{language}.yml"] = "".join(lines)
    return files


def _blank(field: str, english_text: object, indent: str) -> str:
    if isinstance(english_text, list) and not all(isinstance(line, str) for line in english_text):
        # A letter's body: the same paragraphs, each left empty.
        comment = "".join(f"{indent}#   - {json.dumps(part, ensure_ascii=False)}\n" for part in english_text)
        blanks = [
            '""'
            if isinstance(part, str)
            else "{list: [" + ", ".join('""' for _ in part["list"]) + "]}"
            if "list" in part
            else "{when: " + part["when"] + ', text: ""}'
            for part in english_text
        ]
        return f"{indent}# {field}:\n{comment}{indent}{field}: [{', '.join(blanks)}]\n"
    if isinstance(english_text, list):
        comment = "".join(f"{indent}#   - {line}\n" for line in english_text)
        return f"{indent}# {field}:\n{comment}{indent}{field}: [{', '.join(chr(34) * 2 for _ in english_text)}]\n"
    comment = "".join(f"{indent}#   {line}\n" if line else f"{indent}#\n" for line in str(english_text).splitlines())
    return f'{indent}# {field}:\n{comment}{indent}{field}: ""\n'
