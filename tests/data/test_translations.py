"""Translated editions: translations beside the English, fallback to English with a notice, and
the check's report of what is missing or out of date."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from second_opinion import load, quality, render, translations
from second_opinion.problems import ContentError
from second_opinion.settings import Settings
from support import FIXTURES, ROOT, TODAY

MISTAKES = yaml.safe_load((FIXTURES / "translation-input.yml").read_text(encoding="utf-8"))


def _spanish(project: Path, content) -> None:
    """A Spanish translation of the minimal data: one trigger current, one guide out of date, and
    the rest missing."""
    texts = translations.english(content)
    rare = translations.fingerprint(texts["triggers", "triggers", "rare-cancer"])
    (project / "data" / "triggers.es.yml").write_text(
        f"""\
language: es
status: awaiting-clinical-review
reviewed: 2026-11-01
reviewer: Traductora de prueba
triggers:
  rare-cancer:
    source: "{rare}"
    label: Mi cáncer es raro.
    why: Pocos médicos ven muchos cánceres raros.
""",
        encoding="utf-8",
    )
    (project / "data" / "guides" / "timing.es.yml").write_text(
        """\
language: es
status: reviewed
reviewed: 2026-11-01
reviewer: Traductora de prueba
source: "00000000"
title: ¿Es seguro esperar?
description: Cuánto tiempo puede tomarse.
summary: Para la mayoría de los cánceres hay tiempo.
sections:
  - heading: Razones
  - heading: Pregunte a su médico
    body: Pregunte cuánto tiempo es seguro esperar.
""",
        encoding="utf-8",
    )


def test_current_translations_replace_the_english_and_the_rest_falls_back(minimal_project: Path):
    data = minimal_project / "data"
    content = load.load(data, today=TODAY, root=minimal_project)
    _spanish(minimal_project, content)

    edition = translations.translate(content, data, "es", root=minimal_project, today=TODAY)

    spanish = edition.content
    assert spanish.language == "es" and spanish.translation_pending
    assert spanish.triggers["rare-cancer"].label == "Mi cáncer es raro."
    assert spanish.triggers["peace-of-mind"].label == "I want to feel sure."  # missing: English
    assert spanish.guides["timing"].title == "Is it safe to wait?"  # out of date: English
    assert ("trigger", "peace-of-mind") in spanish.untranslated
    assert ("guide", "timing") in spanish.untranslated
    assert ("trigger", "rare-cancer") not in spanish.untranslated
    gaps = {gap.item: gap for gap in edition.gaps}
    assert gaps["guide timing"].outdated and not gaps["triggers.peace-of-mind"].outdated
    assert edition.translated == 1 and edition.total == len(translations.english(content))


def test_the_check_reports_completeness_and_names_what_is_missing_or_out_of_date(minimal_project: Path):
    data = minimal_project / "data"
    content = load.load(data, today=TODAY, root=minimal_project)
    _spanish(minimal_project, content)
    english = translations.english(content)
    current = translations.fingerprint(english["guides", "", "timing"])
    missing = translations.fingerprint(english["triggers", "triggers", "peace-of-mind"])

    result = subprocess.run(
        [sys.executable, "-m", "second_opinion", "--data", "data", "check", "--today", str(TODAY)],
        cwd=minimal_project,
        env={"PYTHONPATH": str(ROOT / "hooks")},
        capture_output=True,
        text=True,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    total = len(translations.english(content))
    assert f"es: 1 of {total} texts translated" in result.stdout
    assert (
        "data/guides/timing.es.yml:1: warning: the English of guide timing changed after it was translated into "
        f'es; update the translation, then set source: "{current}"'
    ) in result.stdout
    # A text with no translation yet has no line to point at: the message names the file it belongs in.
    assert (
        f'data/triggers.es.yml: warning: triggers.peace-of-mind is not translated into es yet: add its translation to this file, with source: "{missing}"\n'
    ) in result.stdout


@pytest.mark.parametrize("case", MISTAKES, ids=[case["name"] for case in MISTAKES])
def test_each_translation_mistake_gives_its_message(minimal_project: Path, case: dict):
    data = minimal_project / "data"
    content = load.load(data, today=TODAY, root=minimal_project)
    english = translations.english(content)
    slug = case["file"].removeprefix("guides/").split(".")[0]
    source = translations.fingerprint(english["guides", "", slug]) if case["file"].startswith("guides/") else ""
    (data / case["file"]).write_text(case["text"].replace("SOURCE", source), encoding="utf-8")
    if case.get("warning"):
        edition = translations.translate(content, data, "es", root=minimal_project, today=TODAY)
        report = quality.check(edition.content, today=TODAY)
        assert report.errors == ()
        assert [str(p) for p in report.hard_sentences] == [case["expect"]]
        return
    with pytest.raises(ContentError) as raised:
        translations.translate(content, data, "es", root=minimal_project, today=TODAY)
    assert [str(p) for p in raised.value.problems] == [case["expect"]]


def test_pages_say_when_a_translation_is_pending_or_partly_english(minimal_project: Path):
    data = minimal_project / "data"
    content = load.load(data, today=TODAY, root=minimal_project)
    _spanish(minimal_project, content)
    spanish = translations.translate(content, data, "es", root=minimal_project, today=TODAY).content
    site = Settings(name="Guía", today=TODAY)

    checklist = render.checklist_page(spanish, site)
    assert "Mi cáncer es raro." in checklist
    assert content.ui["translation_pending"] in checklist and content.ui["translation_missing"] in checklist
    assert content.ui["translation_missing"] not in render.checklist_page(content, site)
    # Dates as Spanish readers write them, even on a page whose text is still in English.
    assert "10 de enero de 2026" in render.guide_page(spanish, spanish.guides["timing"], site)


def test_skeletons_start_a_new_language_with_every_text_to_fill(minimal_project: Path):
    content = load.load(minimal_project / "data", today=TODAY, root=minimal_project)
    files = translations.skeletons(content, "fr", today="2026-11-21")
    assert set(files) == {
        *(
            f"{name}.fr.yml"
            for name in ("triggers", "questions", "sheets", "outcomes", "helplines", "letters", "compare", "plan", "ui")
        ),
        "guides/timing.fr.yml",
    }
    assert '#   My cancer is rare.\n    label: ""' in files["triggers.fr.yml"]
