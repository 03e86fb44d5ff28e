"""Browser: the worksheet for comparing opinions (/compare/), filled in for two doctors and then a
third, printed on at most two pages of Letter and A4 with what was typed in place, or printed
blank to fill in by hand."""

from __future__ import annotations

import datetime

from second_opinion import load
from support import ROOT, other_hosts, printed, printed_text_sizes

CONTENT = load.load(ROOT / "data", today=datetime.date.today(), root=ROOT)
WORKSHEET = CONTENT.comparison
FIRST, SECOND, THIRD = (column.id for column in WORKSHEET.columns)
NOTES = {
    f"{FIRST}-name": "Dr. Sam Patel, Springfield General",
    f"{SECOND}-name": "Dr. Rosa Lee, City Cancer Center",
    f"diagnosis-{FIRST}": "Stage 2 breast cancer, 2.5 cm, no spread to lymph nodes",
    f"diagnosis-{SECOND}": "Stage 2, but a second look at the slides found a rarer type",
    f"plan-{FIRST}": "Surgery first, then radiation",
    f"plan-{SECOND}": "Chemo first to shrink it, then surgery",
    f"when-{FIRST}": "Within four weeks",
    f"trials-{SECOND}": "One trial here; ask about travel costs",
    "matters": "Being well enough to look after my grandchildren",
    "ask-next": "Ask Dr. Patel about the rarer type Dr. Lee found",
}


def _words(text: str) -> str:
    return " ".join(text.split())


def _type(tab, notes: dict[str, str]) -> None:
    for name, value in notes.items():
        tab.locator(f'form [name="field-{name}"]').fill(value)


def test_two_doctors_then_a_third_print_on_two_pages_at_most(page, site_url: str):
    page.goto(site_url + "compare/")
    assert page.locator(f'th[data-sog-column="{THIRD}"]').is_hidden()
    _type(page, NOTES)
    page.get_by_role("button", name=CONTENT.ui["compare_add_column"]).click()
    third_name = page.locator(f'form [name="field-{THIRD}-name"]')
    assert third_name.is_visible() and third_name.evaluate("box => box === document.activeElement")
    assert page.get_by_role("button", name=CONTENT.ui["compare_add_column"]).is_hidden()
    third_name.fill("Dr. Ada Obi, University Hospital")
    for paper in ("Letter", "A4"):
        pages, text = printed(page, paper)
        flat = _words(text)
        assert pages <= 2, paper
        for value in [*NOTES.values(), "Dr. Ada Obi, University Hospital"]:
            assert value in flat, (paper, value)
        assert all(row.label in flat for row in WORKSHEET.rows)
        assert CONTENT.ui["compare_print"] not in flat and CONTENT.ui["form_remember"] not in flat
    assert not other_hosts(page.requests, site_url)
    assert page.evaluate("localStorage.length") == 0


def test_the_blank_worksheet_prints_two_columns_on_two_pages_at_most(page, site_url: str):
    page.goto(site_url + "compare/")
    for paper in ("Letter", "A4"):
        pages, text = printed(page, paper)
        flat = _words(text)
        assert pages <= 2
        assert WORKSHEET.columns[0].label in flat and WORKSHEET.columns[1].label in flat
        assert WORKSHEET.columns[2].label not in flat
        assert all(row.label in flat for row in WORKSHEET.rows) and all(v.label in flat for v in WORKSHEET.values)


def test_each_box_is_named_by_its_row_and_its_doctor(page, site_url: str):
    page.goto(site_url + "compare/")
    row = WORKSHEET.rows[0]
    box = page.get_by_role("textbox", name=f"{row.label}, {WORKSHEET.columns[1].label}", exact=True)
    assert box.get_attribute("name") == f"field-{row.id}-{SECOND}"
    assert box.get_attribute("aria-describedby") == f"compare-{row.id}-hint"


def test_a_remembered_third_doctor_comes_back_and_forget_clears_it(page, site_url: str):
    page.goto(site_url + "compare/")
    page.get_by_role("button", name=CONTENT.ui["compare_add_column"]).click()
    page.locator(f'form [name="field-plan-{THIRD}"]').fill("Watch and wait")
    page.get_by_label(CONTENT.ui["form_remember"]).check()
    page.reload()
    assert page.locator(f'form [name="field-plan-{THIRD}"]').input_value() == "Watch and wait"
    assert page.locator(f'td[data-sog-column="{THIRD}"]').first.is_visible()
    page.get_by_role("button", name=CONTENT.ui["form_forget"]).click()
    assert page.locator(f'td[data-sog-column="{THIRD}"]').first.is_hidden()
    assert page.evaluate("localStorage.length") == 0


def test_what_is_typed_in_a_box_prints_as_text_and_never_runs(page, site_url: str):
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    hostile = '<img src=x onerror="window.__typed=1"><script>window.__typed=2</script>'
    page.goto(site_url + "compare/")
    page.locator(f'form [name="field-risks-{FIRST}"]').fill(hostile)
    page.locator('form [name="field-unsure"]').fill(hostile)
    assert page.locator(f'[data-sog-fill="field-risks-{FIRST}"]').text_content() == hostile
    assert page.locator(".sog-worksheet-form img, .sog-worksheet-form script").count() == 0
    assert hostile in _words(printed(page, "Letter")[1])
    assert page.evaluate("window.__typed") is None and not dialogs


def test_the_printed_worksheet_is_12_pt_and_its_hints_11_pt(page, site_url: str):
    page.goto(site_url + "compare/")
    page.get_by_role("button", name=CONTENT.ui["compare_add_column"]).click()
    sizes = printed_text_sizes(page, ".sog-worksheet")
    hints = {row.hint for row in WORKSHEET.rows}
    assert hints <= sizes.keys()
    # CSS pixels: 16 is 12 pt; the hints under each row's name, 11 pt, so three doctors still fit.
    assert min(size for text, size in sizes.items() if text not in hints) >= 16, sizes
    assert min(sizes[hint] for hint in hints) >= 14.6, sizes
