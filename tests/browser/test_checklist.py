"""Site level, in a real browser: the checklist page as a reader uses it, with and without
JavaScript. The shipped site is built once per session; every test opens it in a fresh tab."""

from __future__ import annotations

import datetime
import json
import re
import subprocess
from pathlib import Path

import pytest

from second_opinion import load
from support import ROOT, axe_violations, build_site, full_project, serve

# Stands in for the print dialog, which headless Chromium does not have; counts the calls.
FAKE_PRINT = "window.print = () => { window.sogPrinted = (window.sogPrinted || 0) + 1; };"


@pytest.fixture(scope="module")
def content():
    return load.load(ROOT / "data", today=datetime.date.today(), root=ROOT)


@pytest.fixture(scope="module")
def in_page_order(content):
    """The triggers as the checklist lists them: by topic, then in data order."""
    return [trigger for topic in content.topics for trigger in content.triggers_in(topic)]


def _open(page, url: str):
    page.goto(url + "checklist/")
    page.locator("[data-sog-result]").wait_for(state="visible")
    return page


def _tick(page, *triggers):
    for trigger in triggers:
        page.check(f"#trigger-{trigger.id}")


def _untick(page, *triggers):
    for trigger in triggers:
        page.uncheck(f"#trigger-{trigger.id}")


def _result(page) -> str:
    return _words(page.locator("[data-sog-result]").inner_text())


def _announced(page) -> str:
    return page.locator("[data-sog-announce]").text_content()


def _words(text: str) -> str:
    return " ".join(text.split())


def _plain(markdown: str) -> str:
    return _words(re.sub(r"\*\*|__", "", markdown))


def _guides_shown(page) -> list[str]:
    return page.locator("[data-sog-result] .sog-result__guides a").all_inner_texts()


def _ticked(page) -> list[str]:
    return page.eval_on_selector_all('input[name="trigger"]:checked', "inputs => inputs.map(i => i.value)")


def _storage(page) -> dict:
    return page.evaluate("""() => ({local: {...localStorage}, session: {...sessionStorage},
                                    cookie: document.cookie})""")


def _pdf_text(page, path: Path) -> str:
    page.emulate_media(media="print")
    page.pdf(path=str(path), format="Letter", print_background=True)
    page.emulate_media(media="screen")
    return _words(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout)


def test_nothing_ticked_is_still_your_right(page, site_url):
    _open(page, site_url)
    result = _result(page)
    assert "A second opinion is still your right, and it is never a bad idea." in result
    assert "Ask your doctor how long it is safe to wait before treatment starts." in result
    assert "Do not cancel tests or treatment that are already booked." in result
    assert "strongly advised" not in result and "Read next" not in result
    assert _announced(page) == ""
    assert page.locator("[data-sog-print]").is_hidden()


def test_only_consider_reasons_are_worth_considering(page, site_url, in_page_order):
    consider = [t for t in in_page_order if t.strength == "consider"][:2]
    _open(page, site_url)
    _tick(page, *consider)
    result = _result(page)
    assert "A second opinion is worth considering." in result and "strongly advised" not in result
    for trigger in consider:
        assert trigger.label in result and _plain(trigger.why) in result
    assert "Ask your doctor how long it is safe to wait" in result
    assert _announced(page) == "Result: a second opinion is worth considering. Statements ticked: 2."


def test_any_strong_reason_is_strongly_advised_and_unticking_goes_back(page, site_url, in_page_order):
    strong = next(t for t in in_page_order if t.strength == "strong")
    consider = next(t for t in in_page_order if t.strength == "consider")
    _open(page, site_url)
    _tick(page, consider, strong)
    result = _result(page)
    assert "A second opinion is strongly advised." in result
    assert f"You ticked these strong reasons: {strong.label} {_plain(strong.why)}" in result
    assert f"You also ticked these reasons that are worth considering: {consider.label}" in result
    assert _announced(page) == "Result: a second opinion is strongly advised. Statements ticked: 2."
    _untick(page, strong)
    assert "A second opinion is worth considering." in _result(page)
    assert _announced(page) == "Result: a second opinion is worth considering. Statements ticked: 1."
    _untick(page, consider)
    assert "still your right" in _result(page)
    assert _announced(page) == "Nothing ticked. A second opinion is still your right."


def test_advice_and_next_steps_follow_what_was_ticked(page, site_url, content, in_page_order):
    with_advice = [t for t in in_page_order if t.advice]
    sharing = [
        t
        for t in in_page_order
        if t.guides[0] == with_advice[0].guides[0] or set(t.guides) & set(with_advice[0].guides)
    ][:3]
    ticked = [t for t in in_page_order if t in with_advice or t in sharing]
    _open(page, site_url)
    _tick(page, *ticked)
    result = _result(page)
    assert "Advice for your situation" in result
    for trigger in with_advice:
        assert _plain(trigger.advice) in result
    expected = list(dict.fromkeys(slug for t in ticked for slug in t.guides))
    assert _guides_shown(page) == [content.guides[slug].title for slug in expected]
    hrefs = page.eval_on_selector_all("[data-sog-result] .sog-result__guides a", "links => links.map(a => a.href)")
    assert hrefs == [f"{site_url}{slug}/" for slug in expected]
    assert "Ask your doctor how long it is safe to wait" in result


def test_interaction_sends_nothing_and_stores_nothing(page, site_url, in_page_order):
    page.add_init_script(FAKE_PRINT)
    _open(page, site_url)
    page.wait_for_load_state("networkidle")
    loaded = len(page.requests)
    _tick(page, *in_page_order)
    _untick(page, *in_page_order[::2])
    page.click("[data-sog-print]")
    page.click("[data-sog-forget]")
    page.wait_for_timeout(200)
    assert page.requests[loaded:] == []
    assert _storage(page) == {"local": {}, "session": {}, "cookie": ""}
    assert page.context.cookies() == []


def test_remembering_is_opt_in_and_forget_clears_everything(page, site_url, in_page_order):
    first, second = in_page_order[0], in_page_order[3]
    _open(page, site_url)
    _tick(page, first)
    assert _storage(page)["local"] == {}
    page.check("[data-sog-remember]")
    assert _storage(page)["local"] == {"sog-checklist-ticked": json.dumps([first.id])}
    _tick(page, second)
    assert json.loads(_storage(page)["local"]["sog-checklist-ticked"]) == [first.id, second.id]
    page.uncheck("[data-sog-remember]")
    assert _storage(page)["local"] == {}
    page.check("[data-sog-remember]")

    page.reload()
    _open(page, site_url)
    assert _ticked(page) == [first.id, second.id]
    assert page.is_checked("[data-sog-remember]")
    assert second.label in _result(page)

    page.click("[data-sog-forget]")
    assert _storage(page) == {"local": {}, "session": {}, "cookie": ""}
    assert _ticked(page) == [] and not page.is_checked("[data-sog-remember]")
    assert _announced(page) == "Your answers are forgotten. Nothing is ticked and nothing is kept on this device."
    _open(page, site_url)
    assert _ticked(page) == []


def test_answers_survive_back_and_forward_without_storage(page, site_url, in_page_order):
    strong = next(t for t in in_page_order if t.strength == "strong")
    _open(page, site_url)
    _tick(page, strong)
    page.locator("[data-sog-result] .sog-result__guides a").first.click()
    page.wait_for_url(re.compile(r"/(?!checklist/)[a-z-]+/$"))
    page.go_back()
    page.locator("[data-sog-result]").wait_for(state="visible")
    assert _ticked(page) == [strong.id]
    assert "A second opinion is strongly advised." in _result(page)
    assert _storage(page)["local"] == {}


def test_personal_sheet_prints_exactly_the_linked_questions(page, site_url, tmp_path, content, in_page_order):
    ticked = [next(t for t in in_page_order if t.advice), in_page_order[0], in_page_order[1]]
    linked = {qid for t in ticked for qid in t.questions}
    page.add_init_script(FAKE_PRINT)
    _open(page, site_url)
    _tick(page, *ticked)
    page.click("[data-sog-print]")
    assert page.evaluate("window.sogPrinted") == 1

    sheet = _pdf_text(page, tmp_path / "sheet.pdf")
    for question in content.questions.values():
        assert sheet.count(_words(question.text)) == (1 if question.id in linked else 0), question.id
    audiences = [
        a.title for a in content.audiences.values() if any(content.questions[q].audience == a.id for q in linked)
    ]
    positions = [sheet.index(title) for title in audiences]
    assert positions == sorted(positions)
    assert "My questions about a second opinion" in sheet and "Your name:" in sheet
    for chrome in [
        "Do I need a second opinion?",
        "How to read your answers",
        "Your result",
        "Remember my answers",
        *(t.label for t in ticked),
    ]:
        assert chrome not in sheet

    # After the print dialog closes, printing the page prints the checklist again.
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    checklist = _pdf_text(page, tmp_path / "checklist.pdf")
    assert ticked[0].label in checklist and "My questions about a second opinion" not in checklist


@pytest.mark.parametrize("width", [320, 1280])
def test_accessible_and_reflows_with_answers(page, site_url, width, in_page_order):
    page.set_viewport_size({"width": width, "height": 800})
    _open(page, site_url)
    _tick(page, *[t for t in in_page_order if t.advice or t.strength == "consider"][:4])
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    small = page.eval_on_selector_all(
        "[data-sog-checklist] input, [data-sog-checklist] button",
        """els => els.filter(e => e.checkVisibility()).map(e => [e.id || e.textContent.trim(),
                 e.getBoundingClientRect().width, e.getBoundingClientRect().height])
                 .filter(([, w, h]) => w < 24 || h < 24)""",
    )
    assert small == []


def test_keyboard_alone_can_tick_and_print(page, site_url, in_page_order):
    page.add_init_script(FAKE_PRINT)
    page.set_viewport_size({"width": 320, "height": 640})
    _open(page, site_url)
    visited = []
    for _ in range(300):
        page.keyboard.press("Tab")
        focused = page.evaluate("""() => { const e = document.activeElement;
            return {key: e.value && e.name === 'trigger' ? e.value : (e.dataset.sogPrint !== undefined ? 'print'
                    : e.dataset.sogRemember !== undefined ? 'remember' : e.dataset.sogForget !== undefined ? 'forget' : ''),
                    outline: getComputedStyle(e).outlineStyle}; }""")
        if focused["key"]:
            assert focused["outline"] != "none", focused
            visited.append(focused["key"])
        if focused["key"] == in_page_order[0].id:
            page.keyboard.press("Space")
        if focused["key"] == "print":
            page.keyboard.press("Enter")
            break
    assert visited == ["remember", "forget", *(t.id for t in in_page_order), "print"]
    assert _ticked(page) == [in_page_order[0].id]
    assert page.evaluate("window.sogPrinted") == 1


def test_without_javascript_every_trigger_shows_and_the_sheets_are_linked(browser, site_url, content):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + "checklist/")
    for trigger in content.triggers.values():
        assert page.locator(f"label[for='trigger-{trigger.id}']").inner_text() == trigger.label
    page.check(f"#trigger-{next(iter(content.triggers))}")
    for selector in ["[data-sog-device]", "[data-sog-result]", "[data-sog-print]", "[data-sog-sheet]"]:
        assert page.locator(selector).is_hidden(), selector
    hrefs = page.eval_on_selector_all("article a", "links => links.map(a => a.href)")
    assert {f"{site_url}questions/{sheet}/" for sheet in content.sheets} <= set(hrefs)
    context.close()


def test_a_new_trigger_with_markup_in_its_label_shows_as_text_everywhere(minimal_project, tmp_path, browser):
    label = "<script>window.sog = 1</script><b>I am new.</b>"
    triggers = minimal_project / "data" / "triggers.yml"
    triggers.write_text(
        triggers.read_text(encoding="utf-8")
        + f"""\
  - id: new-situation
    topic: your-cancer
    label: '{label}'
    strength: strong
    why: An editor added this.
    questions: [covered]
    guides: [timing]
    sources: [nccn]
""",
        encoding="utf-8",
    )
    site = build_site(full_project(minimal_project) / "mkdocs.yml", tmp_path / "site")
    context = browser.new_context()
    page = context.new_page()
    with serve(site) as url:
        _open(page, url)
        assert page.locator("label[for='trigger-new-situation']").inner_text() == label
        page.check("#trigger-new-situation")
        assert f"You ticked these strong reasons: {label} An editor added this." in _result(page)
        assert _words(page.locator("[data-sog-sheet]").text_content()).count("Is a second opinion covered?") == 1
        assert page.evaluate("window.sog") is None
        assert page.locator("[data-sog-checklist] b").count() == 0
    context.close()


def test_instant_navigation_starts_the_checklist_on_each_visit(minimal_project, tmp_path, browser):
    import yaml

    from second_opinion.settings import load_config

    project = full_project(minimal_project)
    config = load_config(project / "mkdocs.yml")
    config["theme"]["features"].append("navigation.instant")
    site = tmp_path / "site"
    site.mkdir()
    context = browser.new_context()
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    # Instant navigation works only for pages under site_url, so the site is built for its server.
    with serve(site) as url:
        config["site_url"] = url
        (project / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
        build_site(project / "mkdocs.yml", site)
        page.goto(url)
        page.evaluate("window.sogSamePage = true")
        for _ in range(2):
            page.click(f"nav a[href='{url}checklist/'], nav a[href='checklist/'], nav a[href='../checklist/']")
            page.locator("[data-sog-result]").wait_for(state="visible")
            page.check("#trigger-rare-cancer")
            assert "A second opinion is strongly advised." in _result(page)
            page.click("nav a[href$='timing/']")
            page.wait_for_url(f"{url}timing/")
        assert page.evaluate("window.sogSamePage") is True
    assert errors == []
    context.close()
