"""Render level: the checklist page's markup, from the minimal fixture, as assistive technology and
the checklist script read it. No browser: tests/browser/test_checklist.py drives the built page."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import tinyhtml5

from second_opinion import load, outcomes, render
from second_opinion.model import Organization
from second_opinion.settings import Settings
from support import TODAY

SITE = Settings(name="Test Guide", today=TODAY)
HOSPITAL = Settings(
    name="Test Guide", today=TODAY, organization=Organization(name="Northfield", phone="555-0100 ext. 12")
)


@pytest.fixture
def content(minimal_project: Path):
    return load.load(minimal_project / "data", today=TODAY, root=minimal_project)


def _page(content, site=SITE):
    """The rendered page (Markdown with HTML blocks), parsed as a browser would."""
    return tinyhtml5.parse(render.checklist_page(content, site), namespace_html_elements=False)


def _by(tree, attribute: str, value: str | None = None):
    return [e for e in tree.iter() if e.get(attribute) is not None and value in (None, e.get(attribute))]


def _templates(tree, name: str) -> dict[str, object]:
    return {t.get("data-sog-id"): t for t in tree.iter("template") if t.get("data-sog-template") == name}


def _text(element) -> str:
    return " ".join("".join(element.itertext()).split())


def test_the_page_says_how_many_statements_and_how_long_first(content):
    page = render.checklist_page(content, SITE)
    minutes = max(1, round(len(content.triggers) * render.SECONDS_PER_STATEMENT / 60))
    intro = content.ui["checklist_intro"].format(count=len(content.triggers), minutes=minutes)
    assert intro in page
    assert page.index(intro) < page.index("<form")


def test_each_topic_is_a_fieldset_with_its_name_as_a_heading_in_the_legend(content):
    form = _page(content).find(".//form")
    fieldsets = form.findall(".//fieldset")
    assert [_text(f.find("legend/h2")) for f in fieldsets] == [t.title for t in content.topics.values()]
    for fieldset, topic in zip(fieldsets, content.topics.values(), strict=True):
        inputs = fieldset.findall(".//input[@type='checkbox']")
        assert [i.get("data-sog-trigger") for i in inputs] == [t.id for t in content.triggers_in(topic.id)]
        for box, trigger in zip(inputs, content.triggers_in(topic.id), strict=True):
            assert _text(fieldset.find(f".//label[@for='{box.get('id')}']")) == trigger.label


def test_checkboxes_have_distinct_names(content):
    names = [i.get("name") for i in _page(content).find(".//form").iter("input")]
    assert len(names) == len(content.triggers) == len(set(names))


def test_each_why_and_its_sources_wait_behind_a_disclosure(content):
    form = _page(content).find(".//form")
    for trigger in content.triggers.values():
        box = form.find(f".//input[@data-sog-trigger='{trigger.id}']")
        statement = next(div for div in form.iter("div") if box in list(div))
        details = statement.find("details")
        assert _text(details.find("summary")) == content.ui["checklist_why"]
        # The strength is a sentence of its own, then the why, then the sources.
        strength = content.ui[f"strength_{trigger.strength}"]
        assert _text(details.find("p")) == f"{strength}. {trigger.why}"
        assert [a.get("href") for a in details.iter("a")] == [content.sources[s].url for s in trigger.sources]
        assert box.get("aria-describedby") is None


def test_the_form_keeps_nothing_the_browser_could_bring_back(content):
    form = _page(content).find(".//form")
    assert form.get("autocomplete") == "off" and form.get("data-sog-private") is not None
    # What the script keeps on request lives outside the form: "Remember" and large print.
    assert not [i for i in form.iter("input") if i.get("data-sog-trigger") is None]


def test_see_my_result_ends_the_list_and_the_result_has_a_heading(content):
    tree = _page(content)
    summary = _by(tree, "data-sog-summary")[0]
    link = summary.find("a")
    assert link.get("href") == "#sog-result" and _text(link) == content.ui["checklist_see_result"]
    assert _by(summary, "data-sog-summary-text")[0].get("data-sog-js") is not None
    heading = tree.find(".//h2[@id='sog-result']")
    assert _text(heading) == content.ui["checklist_result_title"]


def test_without_javascript_the_result_lists_every_outcome_in_precedence_order(content):
    result = _by(_page(content), "data-sog-result")[0]
    rules = [_text(item) for item in result.findall(".//ul/li")]
    assert rules == [f"{o.when}: {o.verdict} {o.explanation}" for o in content.outcomes.values()]


def test_script_only_controls_are_hidden_and_the_live_region_empty(content):
    tree = _page(content)
    for selector in ("data-sog-device", "data-sog-summary-text"):
        assert _by(tree, selector)[0].get("data-sog-js") is not None, selector
    # Shown by the script only when there is something to print or forget.
    assert _by(tree, "data-sog-print-controls")[0].get("hidden") is not None
    assert _by(tree, "data-sog-forget")[0].get("hidden") is not None
    region = _by(tree, "data-sog-announce")[0]
    assert region.get("role") == "status" and region.get("aria-live") == "polite" and _text(region) == ""


def test_every_text_the_script_shows_is_a_template(content):
    tree = _page(content)
    assert {id: _text(t) for id, t in _templates(tree, "outcome").items()} == {
        o.id: f"{o.verdict} {o.explanation}" for o in content.outcomes.values()
    }
    assert {id: _text(t) for id, t in _templates(tree, "summary").items()} == {
        o.id: o.summary.replace("{count}", "") for o in content.outcomes.values()
    }
    assert {id: _text(t) for id, t in _templates(tree, "reasons").items()} == {
        s: content.ui[f"checklist_reasons_{s}"] for s in ("strong", "consider")
    }
    assert {id: _text(t) for id, t in _templates(tree, "trigger-advice").items()} == {
        t.id: t.advice for t in content.triggers.values() if t.advice
    }
    linked = {qid for t in content.triggers.values() for qid in t.questions}
    questions = _templates(tree, "question")
    assert set(questions) == linked
    for qid, template in questions.items():
        question = content.questions[qid]
        assert _text(template.find(".//span[@class='sog-sheet-question__text']")) == question.text
        assert template.get("data-sog-audience") == question.audience
    assert {id: _text(t) for id, t in _templates(tree, "audience").items()} == {
        a.id: a.title for a in content.audiences.values()
    }
    guides = _templates(tree, "guide")
    named = {slug for item in [*content.triggers.values(), *content.outcomes.values()] for slug in item.guides}
    assert {id: (t.find(".//a").get("href"), _text(t)) for id, t in guides.items()} == {
        slug: (f"../{slug}/", content.guides[slug].title) for slug in named
    }
    assert {"advice", "timing", "next", "summary-forgotten"} <= {
        t.get("data-sog-template") for t in tree.iter("template") if not t.get("data-sog-id")
    }


def test_script_data_holds_relations_and_no_text(content):
    data = json.loads(_text(_page(content).find(".//template[@data-sog-data]")))
    order = list(content.outcomes)
    assert data == {
        "outcomes": order,
        "outcomeGuides": {o.id: list(o.guides) for o in content.outcomes.values() if o.guides},
        "triggers": {
            t.id: {
                "strength": t.strength,
                "outcome": outcomes.brings(t.strength, t.outcome, order),
                "questions": list(t.questions),
                "guides": list(t.guides),
            }
            for t in content.triggers.values()
        },
        "audiences": list(content.audiences),
        "readNext": 3,
    }


def test_the_public_edition_lists_the_helplines_by_country(content):
    line = _by(_page(content), "data-sog-result")[0].find(".//p[@class='sog-help-line']")
    assert _text(line).startswith(content.ui["help_title"])
    assert [(a.get("href"), _text(a)) for a in line.iter("a")] == [
        (h.phone_link, h.phone) for h in content.helplines.values()
    ]
    for helpline in content.helplines.values():
        assert f"{helpline.country}:" in _text(line)


def test_a_hospital_copy_sets_its_offer_apart_from_the_result_and_says_it_offers_second_opinions(content):
    tree = _page(content, HOSPITAL)
    result = _by(tree, "data-sog-result")[0]
    host = tree.find(".//aside[@class='sog-host']")
    assert host is not None and host not in list(result.iter())
    assert _text(host.find("h2")) == content.ui["checklist_host_title"].replace("{organization}", "Northfield")
    assert content.ui["checklist_host_disclosure"].replace("{organization}", "Northfield") in _text(host)
    # Who to call now is the hospital; its link dials the main line, not the extension run in.
    assert [(a.get("href"), _text(a)) for a in result.find(".//p[@class='sog-help-line']").iter("a")] == [
        ("tel:5550100", "555-0100 ext. 12")
    ]
    assert tree.find(".//aside") is not None and _page(content).find(".//aside") is None


def test_the_guide_pages_trigger_list_gives_the_strength_as_a_sentence(content):
    page = render.guide_page(content, content.guides["timing"], SITE)
    for trigger in content.triggers.values():
        strength = content.ui[f"strength_{trigger.strength}"]
        assert re.search(rf">{re.escape(strength)}\.</span>\s+{re.escape(trigger.why.split()[0])}", page), trigger.id


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
