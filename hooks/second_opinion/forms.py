"""The pages a person fills in: the letters (data/letters.yml), the worksheet for comparing
opinions (data/compare.yml) and the dated plan (data/plan.yml).

load.py reads and schema-checks the files; this module checks what no schema can see (a text
naming a field the letter does not have, a plan without the inputs its script reads) and builds
the model. Field names in {braces} are the one link between a letter's words and its form, so a
translation must keep the same ones: `placeholders` is what both checks use.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .model import Comparison, Field, Letter, Letters, Origin, Paragraph, Plan, PlanStep, Review
from .problems import Problem, field_path
from .yamlfile import Document

FILES = ("letters", "compare", "plan")
# The head of every letter: who sends it, and when. The letter template prints these.
SENDER = ("name", "address", "phone", "email", "date")
# The plan's script dates the steps from these inputs.
PLAN_INPUTS = {"start": "date", "wait": "weeks", "visit": "date"}
PLAN_WARNINGS = ("no-start", "start-past", "visit-past", "visit-late", "close", "late-steps")
_PLACEHOLDER = re.compile(r"\{([a-z0-9]+(?:-[a-z0-9]+)*)\}")


def placeholders(text: str) -> set[str]:
    """The field names a text uses, in {braces}."""
    return set(_PLACEHOLDER.findall(text))


def pieces(text: str) -> list[tuple[str, str | None]]:
    """A text in the order it reads: (words, None) as written, and ("", field) where a field's
    answer (or its blank) goes."""
    result: list[tuple[str, str | None]] = []
    for index, part in enumerate(_PLACEHOLDER.split(text)):
        if index % 2:
            result.append(("", part))
        elif part:
            result.append((part, None))
    return result


def letter_texts(letter: dict) -> list[tuple[tuple, str]]:
    """Every text of a letter that is printed in it, with its place in the letter's item."""
    texts: list[tuple[tuple, str]] = [(("subject",), letter["subject"]), (("greeting",), letter["greeting"])]
    texts += [(("reference", i), line) for i, line in enumerate(letter.get("reference", []))]
    for i, paragraph in enumerate(letter["body"]):
        if isinstance(paragraph, str):
            texts.append((("body", i), paragraph))
        elif "list" in paragraph:
            texts += [(("body", i, "list", j), point) for j, point in enumerate(paragraph["list"])]
        else:
            texts.append((("body", i, "text"), paragraph["text"]))
    return texts


def check(documents: dict[str, Document]) -> list[Problem]:
    """What the schemas cannot see in the three files."""
    problems: list[Problem] = []

    def problem(document: Document, path: tuple, message: str) -> None:
        problems.append(Problem(document.file, document.line(path), field_path(path), message))

    letters = documents["letters"]
    fields = {field["id"]: field for field in letters.data["fields"]}
    problems += _unique(letters, "fields", "field") + _unique(letters, "letters", "letter")
    for name in SENDER:
        if name not in fields:
            problem(letters, ("fields",), f"every letter starts with the field '{name}': add it to fields")
    used: set[str] = set(SENDER)
    for index, letter in enumerate(letters.data["letters"]):
        where = ("letters", index)
        found = len(problems)
        own = set(SENDER) | set(letter["fields"])
        used |= own
        for number, name in enumerate(letter["fields"]):
            if name not in fields:
                problem(letters, (*where, "fields", number), f"there is no field '{name}' in this file's fields")
            elif name in SENDER:
                problem(letters, (*where, "fields", number), f"'{name}' is in every letter already: remove it here")
        if letter["recipient"] not in letter["fields"]:
            problem(letters, (*where, "recipient"), "the recipient must be one of this letter's fields")
        elif fields.get(letter["recipient"], {}).get("kind") != "lines":
            problem(letters, (*where, "recipient"), "the recipient must be a field of kind lines (an address)")
        named = {letter["recipient"]}
        for path, text in letter_texts(letter):
            named |= placeholders(text)
            for name in sorted(placeholders(text) - own):
                problem(letters, (*where, *path), f"{{{name}}} is not a field of this letter: add it to its fields")
        named |= {p["when"] for p in letter["body"] if isinstance(p, dict) and "when" in p}
        for number, name in enumerate(letter["fields"]):
            # Only once the letter is otherwise right: a misspelt {name} is one mistake, not two.
            if len(problems) == found and name in fields and name not in named:
                fix = (
                    f"show a paragraph `when: {name}`"
                    if fields[name]["kind"] == "check"
                    else f"put {{{name}}} in its text"
                )
                problem(
                    letters,
                    (*where, "fields", number),
                    f"the letter asks for '{name}' but never prints it: {fix}, or remove it here",
                )
        for number, paragraph in enumerate(letter["body"]):
            when = paragraph.get("when") if isinstance(paragraph, dict) else None
            if when and (when not in own or fields.get(when, {}).get("kind") != "check"):
                problem(
                    letters, (*where, "body", number, "when"), f"'{when}' must be a field of kind check in this letter"
                )
    for index, field in enumerate(letters.data["fields"]):
        if field["id"] not in used:
            problem(letters, ("fields", index, "id"), f"the field '{field['id']}' is not used by any letter: remove it")
        if field.get("prefill") and field["kind"] != "lines":
            problem(letters, ("fields", index, "prefill"), "only a field of kind lines can start with an address")

    compare = documents["compare"]
    for key in ("columns", "rows", "values"):
        problems += _unique(compare, key, key.removesuffix("s"))

    plan = documents["plan"]
    problems += _unique(plan, "inputs", "input") + _unique(plan, "steps", "step") + _unique(plan, "warnings", "warning")
    inputs = {item["id"]: item for item in plan.data["inputs"]}
    for name, kind in PLAN_INPUTS.items():
        if inputs.get(name, {}).get("kind") != kind:
            problem(plan, ("inputs",), f"the plan needs an input '{name}' of kind {kind}")
    for index, item in enumerate(plan.data["inputs"]):
        if item["id"] not in PLAN_INPUTS and item["kind"] != "line":
            problem(
                plan,
                ("inputs", index, "kind"),
                f"only start, wait and visit are dates or weeks; '{item['id']}' is kind line",
            )
    for index, step in enumerate(plan.data["steps"]):
        for number, name in enumerate(step.get("show", [])):
            if inputs.get(name, {}).get("kind") != "line":
                problem(plan, ("steps", index, "show", number), f"'{name}' must be an input of kind line")
    given = {warning["id"] for warning in plan.data["warnings"]}
    for name in PLAN_WARNINGS:
        if name not in given:
            problem(plan, ("warnings",), f"the plan needs the warning '{name}'")
    return problems


def sources(documents: dict[str, Document]) -> list[tuple[Document, tuple]]:
    """Where each file lists source ids: (document, path of the list)."""
    letters = documents["letters"]
    return [
        *((letters, ("letters", index, "sources")) for index, _ in enumerate(letters.data["letters"])),
        (documents["compare"], ("sources",)),
        (documents["plan"], ("sources",)),
    ]


def model(
    documents: dict[str, Document], review: Callable[[dict], Review]
) -> tuple[Letters, Comparison, Plan, dict[tuple[str, str], Origin]]:
    """The three models, and the origin of every item (by kind and id) and of each file's review
    (`review` reads a file's review fields, as for every data file)."""
    letters, compare, plan = (documents[name] for name in FILES)
    origins: dict[tuple[str, str], Origin] = {("review", name): Origin(documents[name]) for name in FILES}

    def items(document: Document, key: str, kind: str) -> list[dict]:
        for index, item in enumerate(document.data[key]):
            origins[(kind, item["id"])] = Origin(document, (key, index))
        return document.data[key]

    fields = {f["id"]: _field(f) for f in items(letters, "fields", "field")}
    result_letters = Letters(
        fields=fields,
        letters={
            item["id"]: Letter(
                id=item["id"],
                region=item.get("region"),
                title=_text(item["title"]),
                summary=_text(item["summary"]),
                intro=_text(item["intro"]),
                recipient=item["recipient"],
                fields=(*SENDER, *item["fields"]),
                subject=_text(item["subject"]),
                reference=tuple(_text(line) for line in item.get("reference", [])),
                greeting=_text(item["greeting"]),
                body=paragraphs(item["body"]),
                sign_off=_text(item["sign_off"]),
                send=_text(item["send"]),
                next=_text(item["next"]),
                sources=tuple(item["sources"]),
            )
            for item in items(letters, "letters", "letter")
        },
        review=review(letters.data),
    )
    comparison = Comparison(
        columns=tuple(_field(c, "line") for c in items(compare, "columns", "column")),
        rows=tuple(_field(r, "lines") for r in items(compare, "rows", "row")),
        values=tuple(_field(v, "lines") for v in items(compare, "values", "value")),
        sources=tuple(compare.data["sources"]),
        review=review(compare.data),
    )
    result_plan = Plan(
        inputs={i["id"]: _field(i) for i in items(plan, "inputs", "input")},
        steps=tuple(
            PlanStep(s["id"], _text(s["title"]), _text(s["text"]), s["from"], s["days"], tuple(s.get("show", [])))
            for s in items(plan, "steps", "step")
        ),
        warnings={w["id"]: _text(w["text"]) for w in items(plan, "warnings", "warning")},
        visit_before_start=plan.data["visit_before_start"],
        sources=tuple(plan.data["sources"]),
        review=review(plan.data),
    )
    return result_letters, comparison, result_plan, origins


def paragraphs(body: list) -> tuple[Paragraph, ...]:
    """A letter's body from its YAML (or a translation's)."""
    result = []
    for paragraph in body:
        if isinstance(paragraph, str):
            result.append(Paragraph(text=_text(paragraph)))
        elif "list" in paragraph:
            result.append(Paragraph(points=tuple(_text(point) for point in paragraph["list"])))
        else:
            result.append(Paragraph(text=_text(paragraph["text"]), when=paragraph["when"]))
    return tuple(result)


def _field(item: dict, kind: str | None = None) -> Field:
    hint = item.get("hint")
    return Field(item["id"], _text(item["label"]), hint and _text(hint), kind or item["kind"], item.get("prefill"))


def _unique(document: Document, key: str, kind: str) -> list[Problem]:
    seen: dict[str, int] = {}
    problems = []
    for index, item in enumerate(document.data[key]):
        line = document.line((key, index, "id"))
        if item["id"] in seen:
            problems.append(
                _problem(
                    document,
                    (key, index, "id"),
                    f"the {kind} id '{item['id']}' is used twice (first on line {seen[item['id']]})",
                )
            )
        seen.setdefault(item["id"], line)
    return problems


def _problem(document: Document, path: tuple, message: str) -> Problem:
    return Problem(document.file, document.line(path), field_path(path), message)


def _text(value: str) -> str:
    return value.strip()
