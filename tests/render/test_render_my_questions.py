"""Render level: the My questions page and the sheets' QR codes, from the minimal fixture. No
browser: test_my_questions.py drives the built page, test_sheet_qr.py reads the codes back."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest
import tinyhtml5

from second_opinion import load, render
from second_opinion.settings import Settings
from support import TODAY

SITE = Settings(name="Test Guide", today=TODAY)


@pytest.fixture
def content(minimal_project: Path):
    return load.load(minimal_project / "data", today=TODAY, root=minimal_project)


def _html(page: str):
    return tinyhtml5.parse(page.split("---", 2)[2], namespace_html_elements=False)


def test_every_question_and_statement_can_be_ticked_by_its_label(content):
    page = _html(render.my_questions_page(content, SITE))
    labels = {label.get("for"): "".join(label.itertext()) for label in page.iter("label")}
    for question in content.questions.values():
        assert labels[f"mq-q-{question.id}"] == question.text
    for trigger in content.triggers.values():
        assert labels[f"mq-t-{trigger.id}"] == trigger.label


def test_the_script_gets_relations_and_limits_but_no_text(content):
    page = render.my_questions_page(content, SITE)
    data = json.loads(re.search(r"<template data-mq-data>(.*?)</template>", page).group(1).replace("&#34;", '"'))
    assert data["triggers"] == {t.id: list(t.questions) for t in content.triggers.values()}
    assert data["questions"] == list(content.questions)
    assert data["limits"] == render.MY_QUESTIONS_LIMITS
    assert f'maxlength="{render.MY_QUESTIONS_LIMITS["ownLength"]}"' in page


def test_text_from_yaml_is_escaped(content):
    question = next(iter(content.questions.values()))
    hostile = dataclasses.replace(question, text='<img src=x onerror="alert(1)">', hint="<script>alert(1)</script>")
    content = dataclasses.replace(content, questions={**content.questions, question.id: hostile})
    page = render.my_questions_page(content, SITE)
    assert "<img src=x" not in page and "<script>alert" not in page
    assert "&lt;img src=x onerror=" in page


def test_without_javascript_the_page_links_every_sheet(content):
    page = render.my_questions_page(content, SITE)
    no_js = page[page.index("data-sog-no-js") : page.index("</div>", page.index("data-sog-no-js"))]
    assert [f"questions/{sheet.id}.md" for sheet in content.sheets.values()] == re.findall(r"\]\(([^)]+)\)", no_js)


def test_a_sheet_has_a_code_of_its_own_address_only_when_the_copy_has_one(content):
    sheet = next(iter(content.sheets.values()))
    assert "sog-qr" not in render.sheet_page(content, sheet, SITE)
    hosted = dataclasses.replace(SITE, url="https://hospital.example/guide/")
    page = render.sheet_page(content, sheet, hosted)
    assert '<svg aria-hidden="true" viewBox=' in page
    assert f"https://hospital.example/guide/questions/{sheet.id}/" in page
