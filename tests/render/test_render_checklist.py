"""Render level: the checklist page's markup, from the minimal fixture, as assistive technology and
the checklist script read it. No browser: test_checklist.py drives the built page."""

from __future__ import annotations

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


def _form(page: str):
    """The checklist form of a rendered page, parsed as a browser would."""
    html = page[page.index("<form") : page.index("</form>") + len("</form>")]
    return tinyhtml5.parse(html, namespace_html_elements=False).find(".//form")


def _templates(form, name: str) -> dict[str, object]:
    return {t.get("data-sog-id"): t for t in form.iter("template") if t.get("data-sog-template") == name}


def _text(element) -> str:
    return " ".join("".join(element.itertext()).split())


def test_each_topic_is_a_fieldset_of_labelled_checkboxes(content):
    form = _form(render.checklist_page(content, SITE))
    fieldsets = form.findall("fieldset")
    assert [_text(f.find("legend")) for f in fieldsets] == [t.title for t in content.topics.values()]
    ids = {element.get("id"): element for element in form.iter() if element.get("id")}
    for fieldset, topic in zip(fieldsets, content.topics.values(), strict=False):
        inputs = fieldset.findall(".//input[@name='trigger']")
        assert [i.get("value") for i in inputs] == [t.id for t in content.triggers_in(topic.id)]
        for box, trigger in zip(inputs, content.triggers_in(topic.id), strict=False):
            assert box.get("type") == "checkbox"
            label = fieldset.find(f".//label[@for='{box.get('id')}']")
            assert _text(label) == trigger.label
            assert trigger.why in _text(ids[box.get("aria-describedby")])


def test_script_only_controls_are_marked_and_the_live_region_empty(content):
    form = _form(render.checklist_page(content, SITE))
    script_only = [e for e in form.iter() if e.get("data-sog-js") is not None or e.get("data-sog-print") is not None]
    assert {a for e in script_only for a in e.attrib} >= {"data-sog-device", "data-sog-result", "data-sog-print"}
    # data-sog-js: hidden without JavaScript by the page's no-js class; the print button waits for questions.
    assert all(e.get("data-sog-js") is not None or e.get("hidden") is not None for e in script_only)
    region = next(e for e in form.iter() if e.get("data-sog-announce") is not None)
    assert region.get("role") == "status" and region.get("aria-live") == "polite"
    assert _text(region) == ""


def test_every_text_the_script_shows_is_a_template(content):
    form = _form(render.checklist_page(content, SITE))
    # A ticked reason is shown with its statement and "why" taken from the form itself.
    for trigger in content.triggers.values():
        why = form.find(f".//*[@id='trigger-{trigger.id}-why']//span[@data-sog-why]")
        assert _text(why) == trigger.why
    assert {id: _text(t) for id, t in _templates(form, "trigger-advice").items()} == {
        t.id: t.advice for t in content.triggers.values() if t.advice
    }
    linked = {qid for t in content.triggers.values() for qid in t.questions}
    questions = _templates(form, "question")
    assert set(questions) == linked
    for qid, template in questions.items():
        question = content.questions[qid]
        assert template.find("li").get("class") == "sog-sheet-question"
        assert _text(template.find(".//span[@class='sog-sheet-question__text']")) == question.text
        hint = template.find(".//span[@class='sog-sheet-question__hint']")
        assert (_text(hint) if hint is not None else None) == question.hint
    assert {id: _text(t) for id, t in _templates(form, "audience").items()} == {
        a.id: a.title for a in content.audiences.values()
    }
    guides = _templates(form, "guide")
    assert {id: (t.find(".//a").get("href"), _text(t)) for id, t in guides.items()} == {
        slug: (f"../{slug}/", content.guides[slug].title) for t in content.triggers.values() for slug in t.guides
    }
    parts = {
        t.get("data-sog-template")
        for t in form.iter("template")
        if t.get("data-sog-template") and not t.get("data-sog-id")
    }
    assert parts == {
        "strong",
        "consider",
        "also",
        "none",
        "advice",
        "timing",
        "next",
        "summary-strong",
        "summary-consider",
        "summary-none",
        "summary-forgotten",
    }


def test_script_data_holds_relations_and_no_text(content):
    page = render.checklist_page(content, SITE)
    data = json.loads(_text(_form(page).find(".//template[@data-sog-data]")))
    assert data == {
        "triggers": {
            t.id: {"strength": t.strength, "questions": list(t.questions), "guides": list(t.guides)}
            for t in content.triggers.values()
        },
        "questions": {q.id: q.audience for q in content.questions.values()},
        "audiences": list(content.audiences),
    }


def test_markup_in_yaml_text_stays_text(minimal_project: Path):
    triggers = minimal_project / "data" / "triggers.yml"
    triggers.write_text(
        triggers.read_text(encoding="utf-8").replace(
            "label: My cancer is rare.", "label: '</template><script>alert(1)</script>'"
        ),
        encoding="utf-8",
    )
    content = load.load(minimal_project / "data", today=TODAY, root=minimal_project)
    page = render.checklist_page(content, SITE)
    assert "<script>alert" not in page and "</template><script>" not in page
    assert len(re.findall(r"&lt;/template&gt;&lt;script&gt;alert\(1\)", page)) == 1  # the label, escaped
