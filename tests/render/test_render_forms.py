"""Render: the fill-in pages' markup, from the minimal fixture and the shipped content. What matters
to users and assistive technology (labels, hints, fieldsets, names of controls), what a hospital's
copy starts the letters with, and that no text from the data or the config can become markup."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
import yaml
from markupsafe import escape

from second_opinion import forms, load, render
from second_opinion.model import Organization
from second_opinion.settings import Settings
from support import ROOT, TODAY

HOSTILE = '<script>alert(1)</script><img src=x onerror="alert(2)">'


def _content(project: Path | None = None):
    data = project / "data" if project else ROOT / "data"
    return load.load(data, today=TODAY if project else datetime.date.today(), root=data.parent)


def _front_matter(page: str) -> dict:
    return yaml.safe_load(page.split("---\n")[1])


def test_every_form_control_has_a_label_and_its_hint(minimal_project: Path):
    content = _content(minimal_project)
    page = render.letter_page(content, content.letters.letters["medical-records"], Settings(name="Guide", today=TODAY))
    controls = re.findall(r'<(?:input|textarea)[^>]*\bid="(letter-[a-z-]+)"[^>]*>', page)
    assert [control.removeprefix("letter-") for control in controls] == list(forms.SENDER) + [
        "birth-date",
        "records-office",
    ]
    for control in controls:
        assert f'<label class="sog-field__label" for="{control}">' in page
    assert 'aria-describedby="letter-records-office-hint"' in page
    assert '<p class="sog-field__hint" id="letter-records-office-hint">The medical records office.</p>' in page
    assert page.count("<fieldset") == 2 and page.count("<legend>") == 2
    # Controls are named "field-ID", so no field can shadow a property of the form (form.reset).
    assert 'name="field-name"' in page and 'name="name"' not in page


def test_each_fill_in_page_loads_its_own_scripts_and_styles_only(minimal_project: Path):
    """Each page names its page template (overrides/), which loads the page's styles and scripts,
    as the checklist's and My questions' do; every file a template names exists."""
    content = _content(minimal_project)
    site = Settings(name="Guide", today=TODAY)
    pages = {
        "fill-in.html": render.letter_page(content, content.letters.letters["medical-records"], site),
        "compare.html": render.compare_page(content, site),
        "plan.html": render.plan_page(content, site),
    }
    loads = {}
    for template, page in pages.items():
        assert _front_matter(page)["template"] == template
        text = (ROOT / "overrides" / template).read_text(encoding="utf-8")
        loads[template] = re.findall(r"'(assets/[^']+)' \| url", text)
        for path in loads[template]:
            assert (ROOT / "docs" / path).is_file(), path
    assert "assets/stylesheets/forms.css" in loads["fill-in.html"]
    assert "assets/javascripts/form-memory.js" in loads["fill-in.html"]
    assert (
        "assets/javascripts/plan.js" in loads["plan.html"] and "assets/javascripts/plan.js" not in loads["compare.html"]
    )
    # The calendar file's maker before the plan, which uses it.
    assert loads["plan.html"].index("assets/javascripts/calendar.js") < loads["plan.html"].index(
        "assets/javascripts/plan.js"
    )


def test_a_hospital_copy_starts_the_letter_with_its_records_address(minimal_project: Path):
    content = _content(minimal_project)
    letter = content.letters.letters["medical-records"]
    hospital = Organization(name="Northfield", records_address="Records Office\n1 Main St")
    page = render.letter_page(content, letter, Settings(name="Guide", today=TODAY, organization=hospital))
    assert '<textarea class="sog-field__input" id="letter-records-office"' in page
    assert ">Records Office\n1 Main St</textarea>" in page
    recipient = re.search(r'<p class="sog-letter__recipient">(.*?)</p>', page, re.S).group(1)
    assert "Records Office\n1 Main St" in recipient and "sog-fill--blank" not in recipient
    public = render.letter_page(content, letter, Settings(name="Guide", today=TODAY))
    assert "Records Office" not in public and 'data-sog-fill="field-records-office" data-sog-rules="2"' in public


def test_hostile_addresses_in_a_hospital_config_stay_text(minimal_project: Path):
    content = _content(minimal_project)
    hospital = Organization(name=HOSTILE, records_address=HOSTILE + "\n</textarea><script>alert(3)</script>")
    page = render.letter_page(
        content, content.letters.letters["medical-records"], Settings(name="Guide", today=TODAY, organization=hospital)
    )
    assert "<script>" not in page and "<img" not in page and "</textarea><script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_hostile_words_in_the_letters_data_stay_text(minimal_project: Path):
    path = minimal_project / "data" / "letters.yml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("greeting: Dear records team,", f"greeting: '{HOSTILE}'")
    text = text.replace("label: Who the letter goes to", f"label: '{HOSTILE}'")
    path.write_text(text, encoding="utf-8")
    content = _content(minimal_project)
    page = render.letter_page(content, content.letters.letters["medical-records"], Settings(name="Guide", today=TODAY))
    assert "<script>" not in page and "<img" not in page
    assert page.count("&lt;script&gt;alert(1)&lt;/script&gt;") == 2


def test_the_plan_page_holds_every_word_its_script_shows():
    content = _content()
    page = render.plan_page(content, Settings(name="Guide", today=datetime.date.today()))
    for name, text in content.plan.warnings.items():
        assert f'<template data-sog-template="warning-{name}">' in page and str(escape(text)) in page
    assert '<template data-sog-template="on">On <span data-sog-slot="date"></span>:</template>' in page
    steps = re.findall(r'data-sog-step="([a-z-]+)" data-sog-from="([a-z]+)" data-sog-days="(-?\d+)"', page)
    assert steps == [(s.id, s.anchor, str(s.days)) for s in content.plan.steps]


def test_the_worksheet_names_every_box_by_row_and_doctor():
    content = _content()
    page = render.compare_page(content, Settings(name="Guide", today=datetime.date.today()))
    worksheet = content.comparison
    boxes = re.findall(r'<textarea class="sog-field__input" id="compare-([a-z-]+)"', page)
    assert len(boxes) == len(worksheet.rows) * len(worksheet.columns) + len(worksheet.values)
    row, column = worksheet.rows[0], worksheet.columns[0]
    assert (
        f'<label class="sog-compare__cell-label" for="compare-{row.id}-{column.id}">'
        f'<span class="sog-visually-hidden">{row.label}, </span>{column.label}</label>'
    ) in page
    assert page.count(" hidden>") >= 1 + len(worksheet.rows)  # the third doctor's column starts hidden


def test_hostile_words_in_the_worksheet_and_plan_data_stay_text(minimal_project: Path):
    data = minimal_project / "data"
    for name, find in [
        ("compare.yml", "label: Diagnosis and stage"),
        ("compare.yml", "label: What matters most to me"),
        ("plan.yml", "title: Your second-opinion visit"),
        ("plan.yml", "text: The visit is after the start."),
        ("plan.yml", "label: The date of your visit"),
    ]:
        path = data / name
        key = find.split(":")[0]
        path.write_text(path.read_text(encoding="utf-8").replace(find, f"{key}: '{HOSTILE}'"), encoding="utf-8")
    content = _content(minimal_project)
    site = Settings(name="Guide", today=TODAY)
    for page in (render.compare_page(content, site), render.plan_page(content, site)):
        assert "<script>" not in page and "<img" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_hostile_translation_of_a_letter_stays_text(minimal_project: Path):
    from second_opinion import translations

    data = minimal_project / "data"
    content = _content(minimal_project)
    english = translations.english(content)[("letters", "letters", "medical-records")]
    body = [HOSTILE, {"list": [HOSTILE, "b"]}, "Gracias."]
    (data / "letters.es.yml").write_text(
        yaml.safe_dump(
            {
                "language": "es",
                "status": "awaiting-clinical-review",
                "reviewed": "2026-11-01",
                "reviewer": "Traductora de prueba",
                "letters": {
                    "medical-records": {
                        "source": translations.fingerprint(english),
                        **{field: HOSTILE for field in english if field not in ("reference", "body")},
                        "reference": ["Fecha de nacimiento: {birth-date}"],
                        "body": body,
                    }
                },
            },
            allow_unicode=True,
        ),
        encoding="utf-8",
    )
    spanish = translations.translate(content, data, "es", root=minimal_project, today=TODAY).content
    assert spanish.letters.letters["medical-records"].greeting == HOSTILE
    page = render.letter_page(spanish, spanish.letters.letters["medical-records"], Settings(name="Guía", today=TODAY))
    assert "<script>" not in page and "<img" not in page


def test_a_translation_must_keep_the_fields_in_braces(minimal_project: Path):
    from second_opinion import translations
    from second_opinion.problems import ContentError

    data = minimal_project / "data"
    content = _content(minimal_project)
    english = translations.english(content)[("letters", "letters", "medical-records")]
    (data / "letters.es.yml").write_text(
        "language: es\nstatus: awaiting-clinical-review\nreviewed: 2026-11-01\nreviewer: Traductora\n"
        "letters:\n  medical-records:\n"
        f'    source: "{translations.fingerprint(english)}"\n'
        '    reference: ["Fecha de nacimiento: {fecha}"]\n'
        '    body: ["Por favor", "Gracias."]\n',
        encoding="utf-8",
    )
    with pytest.raises(ContentError) as raised:
        translations.translate(content, data, "es", root=minimal_project, today=TODAY)
    assert [str(p) for p in raised.value.problems] == [
        "data/letters.es.yml:8: letters.medical-records.reference[0]: keep the fields in braces as they are in "
        "English ({birth-date}): they are filled in there",
        "data/letters.es.yml:9: letters.medical-records.body: the English has 3 of these; translate each one, in the "
        "same order",
    ]
