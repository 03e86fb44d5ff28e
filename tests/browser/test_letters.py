"""Browser: the letters (/letters/ID/), filled in as a person would, printed to PDF on Letter and
A4 paper and read back; a hospital's copy starting them addressed to its own departments; what
is typed shown as text, never run; and nothing sent or kept without the person's say-so."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from second_opinion import load
from support import ROOT, other_hosts, printed, printed_text_sizes, serve

CONTENT = load.load(ROOT / "data", today=datetime.date.today(), root=ROOT)
LETTERS = list(CONTENT.letters.letters.values())
# Answers a person might give, long enough to be realistic. Left empty on purpose: the date and
# the visit date, which must print as lines to fill in by hand.
ANSWERS = {
    "name": "Ana María López",
    "address": "1234 Elm Street, Apt 5\nSpringfield, IL 62701",
    "phone": "555-0199",
    "email": "ana.lopez@example.org",
    "birth-date": "March 3, 1961",
    "record-number": "MRN 00123456",
    "nhs-number": "485 777 3456",
    "records-office": "Health Information Management\nSpringfield General Hospital\n800 Main Street, Springfield, IL 62702",
    "uk-records-office": "Records Office, Springfield NHS Trust\n800 Main Street, Springfield SP1 2AB",
    "pathology-office": "Department of Pathology\nSpringfield General Hospital\n800 Main Street, Springfield, IL 62702",
    "imaging-office": "Radiology Film Library\nSpringfield General Hospital\n800 Main Street, Springfield, IL 62702",
    "insurer": "Appeals Department, Example Health Plan\nPO Box 1000, Chicago, IL 60601",
    "care-dates": "January 2026 to today",
    "send-to": "Dr. Rosa Lee, City Cancer Center\n500 Lake Drive, Chicago, IL 60611",
    "center": "Pathology, City Cancer Center\n500 Lake Drive, Chicago, IL 60611",
    "samples": "Biopsy of the left breast, October 2, 2026, case S26-4411\nSurgery, November 5, 2026, case S26-5120",
    "scans": "CT scan of the chest, October 1, 2026\nMRI of the breast, October 9, 2026",
    "member-id": "XJH-448812",
    "plan-name": "Example Health Gold PPO",
    "diagnosis": "stage 2 breast cancer",
    "treatment": "surgery, then chemo",
    "first-doctor": "Dr. Sam Patel",
    "second-doctor": "Dr. Rosa Lee, City Cancer Center, Chicago",
    "reason": "My cancer is a rare type, and my doctors do not agree on the plan.",
    "claim-number": "CLM-2026-7781",
    "denial-date": "November 20, 2026",
    "denial-reason": "Not medically necessary.",
    "plan-rules": "Member handbook, page 42: a second opinion is covered with a referral.",
}
LEFT_EMPTY = {"date", "visit-date"}
HOSTILE = '<img src=x onerror="window.__typed=1"><script>window.__typed=2</script>'


def _words(text: str) -> str:
    return " ".join(text.split())


def _fill(tab, letter, answers: dict[str, str]) -> None:
    for name in letter.fields:
        field = CONTENT.letters.fields[name]
        control = tab.locator(f'form [name="field-{name}"]')
        if field.kind == "check":
            control.check()
        elif name in answers:
            control.fill(answers[name])


@pytest.mark.parametrize("letter", LETTERS, ids=[letter.id for letter in LETTERS])
def test_each_letter_prints_what_was_typed_on_one_page(page, site_url: str, letter):
    page.goto(site_url + f"letters/{letter.id}/")
    _fill(page, letter, ANSWERS)
    preview = page.locator(".sog-letter")
    for name in letter.fields:
        if name in ANSWERS:
            slots = preview.locator(f'[data-sog-fill="field-{name}"]')
            assert slots.first.text_content() == ANSWERS[name], name
    for paper in ("Letter", "A4"):
        pages, text = printed(page, paper)
        assert pages == 1, paper
        flat = _words(text)
        for name in letter.fields:
            if name in ANSWERS:
                assert _words(ANSWERS[name]) in flat, (paper, name)
        assert _words(letter.sign_off) in flat and "Fill in the letter" not in flat
        ticked = [p for p in letter.body if p.when]
        for paragraph in ticked:
            assert _words(paragraph.text)[:40] in flat
    assert not other_hosts(page.requests, site_url)
    assert page.evaluate("localStorage.length") == 0


@pytest.mark.parametrize("letter", LETTERS, ids=[letter.id for letter in LETTERS])
def test_blank_fields_print_as_lines_to_write_on(page, site_url: str, letter):
    """Printed untouched, every answer's place is a line; a typed answer replaces its line."""
    page.goto(site_url + f"letters/{letter.id}/")
    page.emulate_media(media="print")
    blanks = page.eval_on_selector_all(
        ".sog-letter [data-sog-fill]",
        """slots => slots.map(slot => {
          const rules = slot.querySelectorAll('.sog-fill__rule');
          const lines = rules.length ? [...rules] : [slot];
          return {name: slot.dataset.sogFill, lines: lines.map(line => {
            const style = getComputedStyle(line);
            return [line.getBoundingClientRect().width, parseFloat(style.borderBottomWidth), style.borderBottomStyle];
          })};
        })""",
    )
    assert {blank["name"] for blank in blanks} >= {f"field-{name}" for name in ("name", "address", "date")}
    for blank in blanks:
        for width, border, style in blank["lines"]:
            assert width >= 80 and border >= 1 and style == "solid", blank
    page.emulate_media(media="screen")
    _fill(page, letter, {**ANSWERS, "visit-date": ""})
    assert page.locator('.sog-letter [data-sog-fill="field-name"]').first.evaluate(
        "slot => !slot.classList.contains('sog-fill--blank') && !slot.querySelector('.sog-fill__rule')"
    )
    empty = page.locator('.sog-letter [data-sog-fill="field-date"]')
    assert empty.evaluate("slot => slot.classList.contains('sog-fill--blank')")
    pages, text = printed(page, "Letter")
    assert pages == 1 and "Fill in the letter" not in text


def test_a_box_emptied_again_prints_its_lines_again(page, site_url: str):
    page.goto(site_url + "letters/pathology-slides/")
    samples = page.locator('form [name="field-samples"]')
    slot = page.locator('.sog-letter [data-sog-fill="field-samples"]')
    assert slot.locator(".sog-fill__rule").count() == 2
    samples.fill("Biopsy, October 2")
    assert slot.text_content() == "Biopsy, October 2" and slot.locator(".sog-fill__rule").count() == 0
    samples.fill("")
    assert slot.locator(".sog-fill__rule").count() == 2


def test_the_medicare_paragraph_prints_only_when_ticked(page, site_url: str):
    letter = CONTENT.letters.letters["insurance-appeal"]
    medicare = next(p for p in letter.body if p.when)
    page.goto(site_url + "letters/insurance-appeal/")
    assert _words(medicare.text)[:40] not in _words(printed(page, "Letter")[1])
    page.locator('form [name="field-medicare"]').check()
    assert _words(medicare.text)[:40] in _words(printed(page, "Letter")[1])


def test_what_is_typed_is_shown_as_text_and_never_runs(page, site_url: str):
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(site_url + "letters/medical-records/")
    for name in ("name", "address", "care-dates", "records-office"):
        page.locator(f'form [name="field-{name}"]').fill(HOSTILE)
    page.wait_for_timeout(200)
    preview = page.locator(".sog-letter")
    assert preview.locator('[data-sog-fill="field-care-dates"]').text_content() == HOSTILE
    assert preview.locator("img, script").count() == 0
    assert page.evaluate("window.__typed") is None and not dialogs
    assert HOSTILE in _words(printed(page, "Letter")[1])


def test_the_letter_index_lists_every_letter_and_says_where_it_applies(page, site_url: str):
    page.goto(site_url + "letters/")
    for letter in LETTERS:
        link = page.get_by_role("link", name=letter.title, exact=True).first
        assert link.get_attribute("href") == f"{letter.id}/"
    body = page.locator("article").text_content()
    assert CONTENT.ui["letters_region_us"] in body and CONTENT.ui["letters_region_uk"] in body


def test_nothing_is_kept_unless_remembered_and_forget_clears_it(page, site_url: str):
    url = site_url + "letters/imaging/"
    page.goto(url)
    name = page.locator('form [name="field-name"]')
    name.fill("Ana María López")
    page.goto(site_url + "letters/")
    page.go_back()
    assert (
        name.input_value() == "" and page.locator('.sog-letter [data-sog-fill="field-name"]').first.text_content() == ""
    )
    assert page.evaluate("localStorage.length") == 0

    name.fill("Ana María López")
    page.get_by_label(CONTENT.ui["form_remember"]).check()
    page.reload()
    assert name.input_value() == "Ana María López"
    assert page.locator('.sog-letter [data-sog-fill="field-name"]').first.text_content() == "Ana María López"
    forget = page.get_by_role("button", name=CONTENT.ui["form_forget"])
    forget.click()
    assert name.input_value() == "" and page.evaluate("localStorage.length") == 0
    assert (
        forget.is_hidden() and page.locator("[data-sog-memory-status]").text_content() == CONTENT.ui["form_forgotten"]
    )
    page.reload()
    assert name.input_value() == ""
    assert not other_hosts(page.requests, site_url)


def test_without_javascript_the_letter_is_a_printable_blank(browser, site_url: str):
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    try:
        tab.goto(site_url + "letters/medical-records/")
        assert tab.locator("noscript").count() == 1
        assert tab.get_by_role("button", name=CONTENT.ui["letter_print"]).is_hidden()
        pages, text = printed(tab, "A4")
        assert pages == 1 and _words(CONTENT.letters.letters["medical-records"].subject) in _words(text)
    finally:
        context.close()


def test_a_hospital_copy_addresses_the_letters_to_its_departments(browser, hospital_site: Path):
    organization = {
        "records": "Health Information Management, Northfield Regional Cancer Center",
        "pathology": "Department of Pathology, Northfield Regional Cancer Center",
    }
    with serve(hospital_site) as url:
        tab = browser.new_page()
        for letter, field, expected in [
            ("medical-records", "records-office", organization["records"]),
            ("pathology-slides", "pathology-office", organization["pathology"]),
        ]:
            tab.goto(url + f"letters/{letter}/")
            assert tab.locator(f'form [name="field-{field}"]').input_value().startswith(expected)
            assert expected in tab.locator(".sog-letter__recipient").text_content()
            assert expected in _words(printed(tab, "Letter")[1])
            # Forget starts the letter again from the hospital's address, not from nothing.
            tab.locator(f'form [name="field-{field}"]').fill("Somewhere else")
            tab.get_by_label("Remember what I typed on this device").check()
            tab.get_by_role("button", name="Forget what I typed").click()
            assert tab.locator(f'form [name="field-{field}"]').input_value().startswith(expected)
        tab.goto(url + "letters/imaging/")
        assert tab.locator('form [name="field-imaging-office"]').input_value() == ""
        tab.close()


def test_printed_letters_are_12_pt_or_larger(page, site_url: str):
    page.goto(site_url + "letters/insurance-appeal/")
    sizes = printed_text_sizes(page, ".sog-letter")
    assert sizes and min(sizes.values()) >= 16, sizes  # CSS pixels: 12 pt
