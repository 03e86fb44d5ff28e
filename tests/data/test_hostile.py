"""The hostile corpus (tests/fixtures/hostile.yml): each attempt to put markup or script into the
site, or to crash the build, through each channel, is refused with its exact file:line message,
or accepted with nothing of it left that could run: it shows as text."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
import yaml

from second_opinion import headers, markup, pdf, pipeline, schemas, settings
from second_opinion.problems import ContentError
from support import FIXTURES, ROOT, TODAY, apply_edits, hostile_project

HOSTILE = yaml.safe_load((FIXTURES / "hostile.yml").read_text(encoding="utf-8"))


def build(project: Path, case: dict) -> tuple[pipeline.Build, settings.Settings]:
    config = project / case.get("config", "mkdocs.yml")
    site = settings.from_config(settings.load_config(config), config, project=project)
    site = dataclasses.replace(site, today=TODAY, language=case.get("language", site.language))
    return pipeline.build(site, pdfs=False), site


def test_the_corpus_covers_every_channel_with_at_least_30_cases():
    assert len(HOSTILE) >= 30
    assert {case["channel"] for case in HOSTILE} == {
        "core data",
        "translation",
        "ui strings",
        "PDFs",
        "hospital config",
        "local content",
        "hand-written page",
    }
    assert all(("expect" in case) != ("inert" in case) for case in HOSTILE)


@pytest.mark.parametrize("case", HOSTILE, ids=[case["name"] for case in HOSTILE])
def test_hostile_input_is_refused_or_inert(minimal_project: Path, case: dict):
    project = hostile_project(minimal_project)
    apply_edits(project, case["edits"])
    if "expect" in case:
        with pytest.raises(ContentError) as raised:
            build(project, case)
        expect = case["expect"] if isinstance(case["expect"], list) else [case["expect"]]
        assert [str(problem) for problem in raised.value.problems] == expect
        return
    result, site = build(project, case)
    made = [markup.render(text.split("\n---\n", 1)[-1]) for text in result.output.pages.values()]
    made += [result.output.footer]
    made += [
        pdf.sheet_html(result.content, sheet, site, large_print=False, stylesheet="")
        for sheet in result.content.sheets.values()
    ]
    for html in made:
        assert not headers.page_problems(html, set())
        for payload in case["inert"]:
            assert payload not in html


def _string_fields(node: object, where: str):
    """Every schema of text in a schema file, with where it is."""
    if isinstance(node, dict):
        if node.get("type") == "string" or (isinstance(node.get("type"), list) and "string" in node["type"]):
            yield where, node
        for key, value in node.items():
            yield from _string_fields(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _string_fields(value, f"{where}/{index}")


def test_every_text_field_of_every_schema_declares_its_kind():
    # What a field may hold is checked by its kind (markup.py): a field that declares none, or a
    # kind the checker does not know (JSON Schema ignores unknown formats), would be checked by
    # nothing. A fixed form (an enum, or a whole-text pattern) is a kind of its own.
    known = {*schemas.TEXT_FORMATS, "date"}
    undeclared = []
    for path in sorted((ROOT / "data" / "schemas").glob("*.schema.json")):
        for where, field in _string_fields(json.loads(path.read_text(encoding="utf-8")), path.name):
            pattern = field.get("pattern", "")
            fixed = "enum" in field or "const" in field or (pattern.startswith("^") and pattern.endswith("$"))
            if field.get("format") not in known and not fixed:
                undeclared.append(where)
    assert known == {"date", "plain-text", "markdown", "https-url"}
    assert not undeclared
