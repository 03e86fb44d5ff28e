"""The Spanish edition, built as `make site` builds it (English into site/, Spanish into site/es/),
read in a real browser as a Spanish-speaking patient would use it."""

from __future__ import annotations

import datetime
import json
import subprocess
from pathlib import Path

import icalendar
import pytest
from pypdf import PdfReader

from second_opinion import load, translations
from support import ROOT, axe_violations, printed

EDITION = "es"


@pytest.fixture(scope="module")
def spanish():
    """The Spanish content, as the build translates it."""
    today = datetime.date.today()
    english = load.load(ROOT / "data", today=today, root=ROOT)
    return translations.translate(english, ROOT / "data", EDITION, root=ROOT, today=today).content


@pytest.fixture(scope="module")
def editions(site: Path) -> Path:
    """Both editions side by side, as `make site` leaves them: English, with the Spanish in es/."""
    return site


@pytest.fixture(scope="module")
def url(site_url: str) -> str:
    return site_url


def test_every_page_is_in_spanish_and_says_the_translation_awaits_review(editions: Path, spanish):
    pages = sorted((editions / EDITION).rglob("index.html"))
    assert len(pages) >= 20
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert '<html lang="es"' in html, page
    checklist = (editions / EDITION / "checklist" / "index.html").read_text(encoding="utf-8")
    assert spanish.ui["translation_pending"].split(".")[0] in checklist
    assert spanish.ui["checklist_title"] in checklist
    assert "Buscar" in checklist  # Material's own words in Spanish
    assert spanish.ui["nav_guides"] in checklist and spanish.ui["nav_guides"] != "Guides"


def test_spanish_search_uses_spanish_stemming(editions: Path, spanish):
    index = json.loads((editions / EDITION / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert index["config"]["lang"] == ["es"]
    text = " ".join(doc["text"] for doc in index["docs"])
    assert next(iter(spanish.triggers.values())).label.split()[1] in text


def test_the_language_switcher_links_each_page_to_its_counterpart(url: str, browser):
    context = browser.new_context()
    tab = context.new_page()
    for english, spanish_page in [("timing/", "es/timing/"), ("questions/insurer/", "es/questions/insurer/")]:
        tab.goto(url + english)
        tab.hover(".md-header__option .md-select")  # the language menu opens on hover or focus
        tab.click(".md-select__inner a[hreflang=es]")
        assert tab.url == url + spanish_page
        assert tab.evaluate("document.documentElement.lang") == "es"
        tab.hover(".md-header__option .md-select")
        tab.click(".md-select__inner a[hreflang=en]")
        assert tab.url == url + english
    context.close()


def test_the_checklist_works_in_spanish_and_prints_spanish_questions(url: str, browser, spanish, tmp_path: Path):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    tab = context.new_page()
    tab.goto(url + "es/checklist/")
    strong = next(t for t in spanish.triggers.values() if t.strength == "strong" and not t.outcome)
    tab.check(f"#trigger-{strong.id}")
    assert spanish.outcomes["strong"].verdict in tab.inner_text("[data-sog-result]")
    announced = tab.inner_text("[data-sog-announce]")
    assert announced == spanish.outcomes["strong"].summary.replace("{count}", "1")
    tab.evaluate("window.print = () => {}")
    tab.click("[data-sog-print]")
    tab.emulate_media(media="print")
    pdf = tmp_path / "mis-preguntas.pdf"
    tab.pdf(path=str(pdf), format="Letter")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert spanish.ui["personal_sheet_title"] in text
    first = spanish.questions[strong.questions[0]].text
    assert " ".join(first.split()[:4]) in " ".join(text.split())
    context.close()


def test_the_spanish_pdfs_are_in_spanish(editions: Path, spanish):
    sheet = spanish.sheets["insurer"]
    reader = PdfReader(editions / EDITION / "questions" / "insurer.pdf")
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert " ".join(sheet.title.split()) in text
    assert " ".join(spanish.questions[sheet.question_ids[0]].text.split()[:4]) in text
    assert "Página 1 de" in text  # the page numbers too
    assert reader.metadata.title == sheet.title
    assert reader.trailer["/Root"].get("/Lang") == "es"


@pytest.mark.parametrize("width", [320, 1280])
def test_spanish_pages_pass_axe(url: str, browser, width: int):
    context = browser.new_context(viewport={"width": width, "height": 900})
    tab = context.new_page()
    found = {}
    for page in ["es/", "es/checklist/", "es/timing/", "es/questions/insurer/", "es/about/"]:
        tab.goto(url + page)
        if problems := axe_violations(tab):
            found[page] = problems
    context.close()
    assert not found


@pytest.mark.parametrize("letter", ["medical-records", "pathology-slides", "insurance-appeal"])
def test_a_spanish_letter_fills_in_and_prints_on_one_page_in_spanish(url: str, page, spanish, letter):

    words = spanish.letters.letters[letter]
    page.goto(url + f"{EDITION}/letters/{letter}/")
    page.locator('form [name="field-name"]').fill("Ana María López")
    assert page.get_by_role("heading", name=words.title, level=1).is_visible()
    for paper in ("Letter", "A4"):
        pages, text = printed(page, paper)
        flat = " ".join(text.split())
        assert pages == 1 and words.subject.split("{")[0].strip() in flat and "Ana María López" in flat
    assert page.evaluate("localStorage.length") == 0


def test_the_spanish_plan_dates_steps_in_spanish_and_its_calendar_file_is_spanish(url: str, browser, spanish):

    context = browser.new_context(accept_downloads=True)
    context.clock.set_fixed_time(datetime.datetime(2026, 12, 1, 12, tzinfo=datetime.UTC))
    tab = context.new_page()
    try:
        tab.goto(url + f"{EDITION}/plan/")
        tab.locator('form [name="field-start"]').fill("2026-12-31")
        visit = tab.locator('[data-sog-step="visit"] [data-sog-step-date]')
        assert " ".join(visit.text_content().split()) == "Antes del jueves, 24 de diciembre de 2026:"
        with tab.expect_download() as download:
            tab.get_by_role("link", name=spanish.ui["plan_calendar"]).click()
        assert download.value.suggested_filename == spanish.ui["plan_calendar_file"]
        events = icalendar.Calendar.from_ical(Path(download.value.path()).read_bytes()).walk("VEVENT")
        assert [str(event["SUMMARY"]) for event in events] == [step.title for step in spanish.plan.steps]
        assert str(events[0]["DESCRIPTION"]) == spanish.plan.steps[0].text
    finally:
        context.close()


def test_the_spanish_worksheet_prints_on_two_pages_at_most(url: str, page, spanish):

    page.goto(url + f"{EDITION}/compare/")
    pages, text = printed(page, "Letter")
    assert pages <= 2 and all(row.label in " ".join(text.split()) for row in spanish.comparison.rows)
