"""Site level, in a real browser: the checklist page as a reader uses it, with and without
JavaScript. The shipped site is built once per session; every test opens it in a fresh tab.

Every word checked here is read from the data (data/ui.yml, data/outcomes.yml) rather than
written out, so the tests follow the content; the named examples of outcomes.yml drive the tests
of the result."""

from __future__ import annotations

import datetime
import json
import math
import re
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import ContentStream

from second_opinion import load
from support import (
    CHECKLIST_BUDGETS,
    CHROMIUM,
    CHROMIUM_ARGS,
    ROOT,
    axe_violations,
    build_site,
    checklist_figures,
    full_project,
    html_pages,
    serve,
)

# Stands in for the print dialog, which headless Chromium does not have; counts the calls.
FAKE_PRINT = "window.print = () => { window.sogPrinted = (window.sogPrinted || 0) + 1; };"
EXAMPLES = load.load(ROOT / "data", today=datetime.date.today(), root=ROOT).examples
MM_PER_POINT = 25.4 / 72


@pytest.fixture(scope="module")
def content():
    return load.load(ROOT / "data", today=datetime.date.today(), root=ROOT)


@pytest.fixture(scope="module")
def in_page_order(content):
    """The triggers as the checklist lists them: by topic, then in data order."""
    return [trigger for topic in content.topics for trigger in content.triggers_in(topic)]


def _open(page, url: str):
    page.goto(url + "checklist/")
    page.locator("[data-sog-summary-text]").wait_for(state="visible")
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


def _summary(page) -> str:
    return _words(page.locator("[data-sog-summary-text]").inner_text())


def _words(text: str) -> str:
    return " ".join(text.split())


def _plain(markdown: str) -> str:
    return _words(re.sub(r"\*\*|__", "", markdown))


def _said(outcome, count: int) -> str:
    return outcome.summary.replace("{count}", str(count))


def _guides_shown(page) -> list[str]:
    return page.locator("[data-sog-result] .sog-result__guides a").all_inner_texts()


def _ticked(page) -> list[str]:
    return page.eval_on_selector_all("input[data-sog-trigger]:checked", "inputs => inputs.map(i => i.name)")


def _storage(page) -> dict:
    return page.evaluate("""() => ({local: {...localStorage}, session: {...sessionStorage},
                                    cookie: document.cookie})""")


def _print_sheet(page, path: Path, *, large: bool = False) -> Path:
    """The personal sheet as "Print my questions" prints it, saved as a Letter PDF."""
    if large:
        page.check("[data-sog-large-print]")
    page.click("[data-sog-print]")
    page.emulate_media(media="print")
    page.pdf(path=str(path), format="Letter")
    page.emulate_media(media="screen")
    return path


def _pdf_text(path: Path) -> str:
    return _words(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout)


def _pdf_font_sizes(path: Path) -> dict[float, int]:
    """{font size in points: characters printed at that size}."""
    sizes: dict[float, int] = {}

    def visit(text, cm, tm, font, size):
        if text.strip():
            points = round(size * math.hypot(tm[0], tm[1]) * math.hypot(cm[0], cm[1]), 1)
            sizes[points] = sizes.get(points, 0) + len(text.strip())

    for page in PdfReader(path).pages:
        page.extract_text(visitor_text=visit)
    return sizes


def _pdf_answer_lines(path: Path) -> list[list[float]]:
    """The answer lines of each question, page by page, as the distances (mm) between them.

    Chromium draws each line (a border) as a thin filled rectangle; answer lines are the thin
    rectangles of the commonest width (the name and date blanks each have their own width)."""
    reader = PdfReader(path)
    groups = []
    for page in reader.pages:
        matrix, stack, thin = [1, 0, 0, 1, 0, 0], [], []
        for operands, operator in ContentStream(page.get_contents(), reader).operations:
            if operator == b"q":
                stack.append(matrix)
            elif operator == b"Q":
                matrix = stack.pop()
            elif operator == b"cm":
                a, b, c, d, e, f = (float(x) for x in operands)
                m = matrix
                matrix = [
                    a * m[0] + b * m[2],
                    a * m[1] + b * m[3],
                    c * m[0] + d * m[2],
                    c * m[1] + d * m[3],
                    e * m[0] + f * m[2] + m[4],
                    e * m[1] + f * m[3] + m[5],
                ]
            elif operator == b"re":
                x, y, width, height = (float(v) for v in operands)
                scale = abs(matrix[3])
                if abs(height * scale) < 1.5 and width * abs(matrix[0]) > 100:
                    thin.append((round(width * abs(matrix[0])), y * matrix[3] + matrix[5]))
        if not thin:
            continue
        width = max({w for w, _ in thin}, key=[w for w, _ in thin].count)
        ys = sorted(y for w, y in thin if w == width)
        group = [ys[0]]
        for y in ys[1:]:
            if (y - group[-1]) * MM_PER_POINT > 15:
                groups.append(group)
                group = []
            group.append(y)
        groups.append(group)
    return [[round((b - a) * MM_PER_POINT, 1) for a, b in zip(g, g[1:], strict=False)] for g in groups]


@pytest.mark.parametrize("example", EXAMPLES, ids=[example.name for example in EXAMPLES])
def test_each_named_example_gives_its_outcome_on_the_page(page, site_url, content, example):
    triggers = [content.triggers[trigger_id] for trigger_id in example.given]
    expected = content.outcomes[example.expect]
    _open(page, site_url)
    _tick(page, *triggers)
    result = _result(page)
    verdict = _words(page.locator("[data-sog-result] .sog-result__verdict").inner_text())
    assert verdict == expected.verdict, example.name
    assert _plain(expected.explanation) in result, example.name
    assert _summary(page) == _said(expected, len(triggers)), example.name
    if triggers:
        assert _announced(page) == _said(expected, len(triggers)), example.name
    # Whatever the result, every reason ticked is listed under it.
    for strength in ("strong", "consider"):
        mine = [t.label for t in triggers if t.strength == strength]
        assert (content.ui[f"checklist_reasons_{strength}"] in result) == bool(mine), example.name
        for label in mine:
            assert label in result, example.name
    # No other outcome's verdict shows: urgent review is never "strongly advised".
    for other in content.outcomes.values():
        if other.id != expected.id:
            assert other.verdict not in result, (example.name, other.id)


def test_unticking_goes_back_and_each_change_is_announced(page, site_url, content, in_page_order):
    strong = next(t for t in in_page_order if t.strength == "strong" and not t.outcome)
    consider = next(t for t in in_page_order if t.strength == "consider" and not t.outcome)
    _open(page, site_url)
    assert _announced(page) == "" and _summary(page) == _said(content.outcomes["none"], 0)
    _tick(page, consider, strong)
    assert _announced(page) == _said(content.outcomes["strong"], 2)
    _untick(page, strong)
    assert content.outcomes["consider"].verdict in _result(page)
    assert _announced(page) == _said(content.outcomes["consider"], 1)
    _untick(page, consider)
    assert content.outcomes["none"].verdict in _result(page)
    assert _announced(page) == _said(content.outcomes["none"], 0)
    assert page.locator("[data-sog-print]").is_hidden()


def test_timing_advice_never_says_to_keep_every_booking(page, site_url, content):
    _open(page, site_url)
    assert content.ui["checklist_timing_text"] in _result(page)
    assert "Do not cancel" not in content.ui["checklist_timing_text"]


def test_advice_and_at_most_three_guides_most_relevant_first(page, site_url, content, in_page_order):
    chosen = {t.id for t in [t for t in in_page_order if t.advice][:1] + [t for t in in_page_order if not t.advice][:5]}
    ticked = [t for t in in_page_order if t.id in chosen]
    _open(page, site_url)
    _tick(page, *ticked)
    result = _result(page)
    assert content.ui["checklist_advice_title"] in result
    for trigger in ticked:
        if trigger.advice:
            assert _plain(trigger.advice) in result
    # The result's own guides first; then those more ticked statements name; then those named
    # earlier in a statement's list. Python's sort is stable, like the browser's.
    order = list(content.outcomes)
    result_id = order[min(order.index(t.outcome or t.strength) for t in ticked)]
    named = list(dict.fromkeys(slug for t in ticked for slug in t.guides))
    count = {slug: sum(slug in t.guides for t in ticked) for slug in named}
    best = {slug: min(t.guides.index(slug) for t in ticked if slug in t.guides) for slug in named}
    ranked = sorted(named, key=lambda slug: (-count[slug], best[slug]))
    expected = list(dict.fromkeys([*content.outcomes[result_id].guides, *ranked]))[:3]
    assert len(named) > 3
    assert _guides_shown(page) == [content.guides[slug].title for slug in expected]
    hrefs = page.eval_on_selector_all("[data-sog-result] .sog-result__guides a", "links => links.map(a => a.href)")
    assert hrefs == [f"{site_url}{slug}/" for slug in expected]


def test_interaction_sends_nothing_and_stores_nothing(page, site_url, in_page_order):
    page.add_init_script(FAKE_PRINT)
    _open(page, site_url)
    page.wait_for_load_state("networkidle")
    loaded = len(page.requests)
    _tick(page, *in_page_order)
    _untick(page, *in_page_order[::2])
    page.click("[data-sog-print]")
    page.wait_for_timeout(200)
    assert page.requests[loaded:] == []
    assert _storage(page) == {"local": {}, "session": {}, "cookie": ""}
    assert page.context.cookies() == []


def test_remembering_is_opt_in_and_forget_shows_only_when_something_is_kept(page, site_url, content, in_page_order):
    first, second = in_page_order[0], in_page_order[3]
    _open(page, site_url)
    forget = page.locator("[data-sog-forget]")
    _tick(page, first)
    assert _storage(page)["local"] == {} and forget.is_hidden()
    page.check("[data-sog-remember]")
    assert _storage(page)["local"] == {"sog-checklist-ticked": json.dumps([first.id])}
    assert forget.is_visible()
    _tick(page, second)
    assert json.loads(_storage(page)["local"]["sog-checklist-ticked"]) == [first.id, second.id]
    page.uncheck("[data-sog-remember]")
    assert _storage(page)["local"] == {} and forget.is_hidden()
    page.check("[data-sog-remember]")

    page.reload()
    _open(page, site_url)
    assert _ticked(page) == [first.id, second.id]
    assert page.is_checked("[data-sog-remember]")
    assert second.label in _result(page)

    forget.click()
    assert _storage(page) == {"local": {}, "session": {}, "cookie": ""}
    assert _ticked(page) == [] and not page.is_checked("[data-sog-remember]")
    assert _announced(page) == content.ui["checklist_summary_forgotten"]
    assert forget.is_hidden()
    assert page.evaluate("document.activeElement.matches('[data-sog-remember]')")  # not lost with the button
    _open(page, site_url)
    assert _ticked(page) == []


def test_remember_and_forget_sit_next_to_the_result(page, site_url):
    _open(page, site_url)
    inside = page.evaluate("""() => {
        const result = document.querySelector("[data-sog-result]");
        return ["[data-sog-remember]", "[data-sog-forget]", "[data-sog-print]"].map(s => result.contains(document.querySelector(s)));
    }""")
    assert inside == [True, True, True]
    first = page.evaluate(
        "document.querySelector('input[data-sog-trigger]').compareDocumentPosition(document.querySelector('[data-sog-remember]'))"
    )
    assert first & 4  # Node.DOCUMENT_POSITION_FOLLOWING: after the statements, not before them


@pytest.fixture(scope="module")
def cached_browser(browser):
    """Chromium with its back/forward cache on, as browsers ship it (Playwright turns it off):
    Back then shows the page exactly as it was left, ticks included, unless the page clears them."""
    cached = browser.browser_type.launch(
        executable_path=CHROMIUM, args=CHROMIUM_ARGS, ignore_default_args=["--disable-back-forward-cache"]
    )
    yield cached
    cached.close()


@pytest.fixture(params=["back-forward cache", "page loaded again"])
def coming_back(request, browser, cached_browser):
    """A tab in which Back either restores the page from the cache or loads it again."""
    cached = request.param == "back-forward cache"
    context = (cached_browser if cached else browser).new_context()
    tab = context.new_page()
    tab.add_init_script("window.addEventListener('pageshow', e => { window.sogRestored = e.persisted; });")
    yield tab, cached
    context.close()


def _leave_and_come_back(page, cached: bool):
    page.evaluate("window.sogSamePage = true")
    page.click("[data-sog-result] .sog-result__guides a >> nth=0")
    page.wait_for_url(re.compile(r"/(?!checklist/)[a-z-]+/$"))
    page.go_back(wait_until="commit")  # a page from the cache has no new load event
    page.wait_for_function("() => document.readyState === 'complete' && window.sogRestored !== undefined")
    page.locator("[data-sog-summary-text]").wait_for(state="visible")
    # The premise: each way of coming back is the one this run means to test.
    assert page.evaluate("[window.sogRestored, window.sogSamePage === true]") == [cached, cached]


def test_back_after_ticking_shows_an_empty_checklist(coming_back, site_url, content, in_page_order):
    page, cached = coming_back
    strong = next(t for t in in_page_order if t.strength == "strong" and not t.outcome)
    _open(page, site_url)
    _tick(page, strong)
    _leave_and_come_back(page, cached)
    assert page.eval_on_selector_all("input:checked", "inputs => inputs.length") == 0
    assert _summary(page) == _said(content.outcomes["none"], 0)
    assert strong.label not in _result(page)
    assert _storage(page)["local"] == {}
    page.go_forward(wait_until="commit")
    page.wait_for_url(re.compile(r"/(?!checklist/)[a-z-]+/$"), wait_until="commit")
    # Going back while the page is still loading raced it ("not attached to an active page"). A
    # page from the cache fires no load event, but its readyState is complete like a loaded one's.
    page.wait_for_function("() => document.readyState === 'complete'")
    page.go_back(wait_until="commit")
    page.wait_for_function("() => document.readyState === 'complete'")
    page.locator("[data-sog-summary-text]").wait_for(state="visible")
    assert page.eval_on_selector_all("input:checked", "inputs => inputs.length") == 0


def test_back_brings_back_only_what_was_remembered(coming_back, site_url, content, in_page_order):
    page, cached = coming_back
    strong = next(t for t in in_page_order if t.strength == "strong" and not t.outcome)
    _open(page, site_url)
    _tick(page, strong)
    page.check("[data-sog-remember]")
    _leave_and_come_back(page, cached)
    assert _ticked(page) == [strong.id]
    assert page.is_checked("[data-sog-remember]")
    assert content.outcomes["strong"].verdict in _result(page)


def test_personal_sheet_prints_each_linked_question_once(page, site_url, tmp_path, content, in_page_order):
    page.add_init_script(FAKE_PRINT)
    _open(page, site_url)
    _tick(page, *in_page_order)
    sheet = _pdf_text(_print_sheet(page, tmp_path / "sheet.pdf"))
    assert page.evaluate("window.sogPrinted") == 1
    linked = {qid for t in in_page_order for qid in t.questions}
    for question in content.questions.values():
        assert sheet.count(_words(question.text)) == (1 if question.id in linked else 0), question.id
    audiences = [
        a.title for a in content.audiences.values() if any(content.questions[q].audience == a.id for q in linked)
    ]
    positions = [sheet.index(title) for title in audiences]
    assert positions == sorted(positions)
    assert content.ui["personal_sheet_title"] in sheet and content.ui["sheet_blank_name"] in sheet
    for chrome in [
        content.ui["checklist_title"],
        content.ui["checklist_result_title"],
        content.ui["checklist_remember"],
        content.ui["help_title"],
        *(t.label for t in in_page_order),
    ]:
        assert chrome not in sheet

    # After the print dialog closes, printing the page prints the checklist again.
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    page.emulate_media(media="print")
    page.pdf(path=str(tmp_path / "checklist.pdf"), format="Letter")
    checklist = _pdf_text(tmp_path / "checklist.pdf")
    assert in_page_order[0].label in checklist and content.ui["personal_sheet_title"] not in checklist


@pytest.mark.parametrize(("large", "points", "line_mm"), [(False, 12, (8, 9)), (True, 16, (9, 11))])
def test_the_personal_sheet_prints_large_enough_with_three_lines_to_write_on(
    page, site_url, tmp_path, content, in_page_order, large, points, line_mm
):
    ticked = in_page_order[:2]
    page.add_init_script(FAKE_PRINT)
    _open(page, site_url)
    _tick(page, *ticked)
    assert page.locator("[data-sog-large-print]").is_visible()
    path = _print_sheet(page, tmp_path / "sheet.pdf", large=large)
    sizes = _pdf_font_sizes(path)
    assert min(sizes) == points, sizes  # the body; headings are larger
    assert max(sizes, key=sizes.get) == points
    questions = len({qid for t in ticked for qid in t.questions})
    gaps = _pdf_answer_lines(path)
    assert len(gaps) == questions, gaps
    for between in gaps:
        assert len(between) == 2 and all(line_mm[0] <= mm <= line_mm[1] for mm in between), gaps


def test_the_disclosures_work_without_javascript(browser, site_url, content):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + "checklist/")
    for trigger in content.triggers.values():
        assert page.locator(f"label[for='trigger-{trigger.id}']").inner_text() == trigger.label
    trigger = next(iter(content.triggers.values()))
    why = page.locator(f"#trigger-{trigger.id} ~ details")
    source = why.locator("a").first
    assert source.is_hidden()
    why.locator("summary").click()
    assert source.is_visible()
    assert _plain(trigger.why) in _words(why.inner_text())
    page.check(f"#trigger-{trigger.id}")
    for selector in ["[data-sog-device]", "[data-sog-print-controls]", "[data-sog-sheet]", "[data-sog-summary-text]"]:
        assert page.locator(selector).is_hidden(), selector
    # The result explains every outcome instead, and "See my result" leads to it.
    page.click("[data-sog-summary] a")
    assert page.url.endswith("#sog-result")
    for outcome in content.outcomes.values():
        assert outcome.verdict in _result(page)
    hrefs = page.eval_on_selector_all("article a", "links => links.map(a => a.href)")
    assert {f"{site_url}questions/{sheet}/" for sheet in content.sheets} <= set(hrefs)
    context.close()


def test_the_result_and_the_groups_are_in_the_page_contents(page, site_url, content):
    page.set_viewport_size({"width": 1280, "height": 900})
    _open(page, site_url)
    toc = page.eval_on_selector_all(".md-sidebar--secondary .md-nav__link", "links => links.map(a => a.hash)")
    assert [f"#topic-{topic}" for topic in content.topics] + ["#sog-result"] == [
        link for link in toc if link.startswith(("#topic-", "#sog-result"))
    ]
    headings = page.eval_on_selector_all("fieldset > legend > h2", "hs => hs.map(h => h.textContent)")
    assert headings == [topic.title for topic in content.topics.values()]


@pytest.mark.parametrize("size", [{"width": 320, "height": 640}, {"width": 1280, "height": 900}])
def test_the_summary_kept_in_view_never_covers_what_has_focus(page, site_url, size, in_page_order):
    page.set_viewport_size(size)
    _open(page, site_url)
    # Nothing ticked, nothing kept in view. The first tick, near the bottom of the screen, brings
    # the summary up; the box just ticked moves above it.
    assert page.evaluate("getComputedStyle(document.querySelector('[data-sog-summary]')).position") == "static"
    box = page.locator(f"#trigger-{in_page_order[3].id}")
    page.evaluate("top => window.scrollBy(0, top - window.innerHeight + 40)", box.bounding_box()["y"])
    box.click()
    assert page.evaluate("getComputedStyle(document.querySelector('[data-sog-summary]')).position") == "sticky"
    assert (
        box.bounding_box()["y"] + box.bounding_box()["height"] <= page.locator("[data-sog-summary]").bounding_box()["y"]
    )
    page.evaluate("window.scrollTo(0, 0)")
    covered = []
    for key in ["Tab"] * 120 + ["Shift+Tab"] * 120:
        page.keyboard.press(key)
        found = page.evaluate("""() => {
            const focused = document.activeElement, bar = document.querySelector("[data-sog-summary]");
            if (!focused.closest("[data-sog-checklist]") || bar.contains(focused)) return null;
            const box = focused.getBoundingClientRect(), barBox = bar.getBoundingClientRect();
            const stuck = barBox.bottom >= window.innerHeight - 1;
            return stuck && box.bottom > barBox.top + 0.5 ? (focused.id || focused.textContent.trim()) : "";
        }""")
        if found:
            covered.append(f"{key}: {found}")
    assert covered == []


@pytest.mark.parametrize("width", [320, 1280])
def test_accessible_and_reflows_with_answers(page, site_url, width, in_page_order):
    page.set_viewport_size({"width": width, "height": 800})
    _open(page, site_url)
    _tick(page, *[t for t in in_page_order if t.advice or t.strength == "consider"][:4])
    page.locator("details.sog-trigger__why >> nth=0").locator("summary").click()
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    small = page.eval_on_selector_all(
        "[data-sog-checklist] input, [data-sog-checklist] button, [data-sog-checklist] summary",
        """els => els.filter(e => e.checkVisibility()).map(e => [e.id || e.textContent.trim(),
                 e.getBoundingClientRect().width, e.getBoundingClientRect().height])
                 .filter(([, w, h]) => w < 24 || h < 24)""",
    )
    assert small == []


def test_keyboard_alone_can_tick_read_why_and_print(page, site_url, content, in_page_order):
    page.add_init_script(FAKE_PRINT)
    page.set_viewport_size({"width": 320, "height": 640})
    _open(page, site_url)
    page.click("article h1")
    visited = []
    for _ in range(300):
        page.keyboard.press("Tab")
        focused = page.evaluate("""() => { const e = document.activeElement;
            const name = e.dataset.sogTrigger ? e.dataset.sogTrigger
                : e.matches("summary") ? "why:" + e.closest(".sog-trigger").querySelector("input").dataset.sogTrigger
                : e.closest("[data-sog-summary]") ? "see-result"
                : e.dataset.sogPrint !== undefined ? "print" : e.dataset.sogLargePrint !== undefined ? "large-print"
                : e.dataset.sogRemember !== undefined ? "remember" : "";
            return {name, outline: getComputedStyle(e).outlineStyle}; }""")
        if focused["name"]:
            assert focused["outline"] != "none", focused
            visited.append(focused["name"])
        if focused["name"] == in_page_order[0].id:
            page.keyboard.press("Space")
        if focused["name"] == f"why:{in_page_order[0].id}":
            page.keyboard.press("Enter")
            assert page.locator(f"#trigger-{in_page_order[0].id} ~ details").get_attribute("open") is not None
        if focused["name"] == "print":
            page.keyboard.press("Enter")
            break
    statements = [name for t in in_page_order for name in (t.id, f"why:{t.id}")]
    assert [n for n in visited if n in statements] == statements
    assert visited.index("see-result") > visited.index(statements[-1])
    assert visited[-2:] == ["large-print", "print"]
    assert _ticked(page) == [in_page_order[0].id]
    assert page.evaluate("window.sogPrinted") == 1
    assert (
        page.evaluate(
            "document.querySelector('[data-sog-remember]').compareDocumentPosition(document.querySelector('[data-sog-print]'))"
        )
        & 2
    )


def test_the_checklist_stays_within_its_length_budgets(page, site_url):
    figures = checklist_figures(page, site_url + "checklist/")
    assert {name: value for name, value in figures.items() if value > CHECKLIST_BUDGETS[name]} == {}


def test_every_page_says_who_to_call_now(site: Path, content):
    links = [f'<a href="{h.phone_link}">{h.phone}</a>' for h in content.helplines.values()]
    missing = [
        str(path.relative_to(site))
        for path in html_pages(site)
        if not all(link in path.read_text(encoding="utf-8") for link in links)
    ]
    assert missing == []
    checklist = (site / "checklist" / "index.html").read_text(encoding="utf-8")
    assert checklist.count(content.ui["help_title"]) == 2  # in the result and in the footer


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
    topics = triggers.read_text(encoding="utf-8").replace("title: About your cancer", f"title: '{label}'")
    triggers.write_text(topics, encoding="utf-8")
    content = load.load(minimal_project / "data", today=datetime.date.today(), root=minimal_project)
    site = build_site(full_project(minimal_project) / "mkdocs.yml", tmp_path / "site")
    context = browser.new_context()
    page = context.new_page()
    with serve(site) as url:
        _open(page, url)
        assert page.locator("label[for='trigger-new-situation']").inner_text() == label
        assert page.locator("legend h2").first.inner_text() == label
        page.check("#trigger-new-situation")
        assert content.outcomes["strong"].verdict in _result(page) and label in _result(page)
        assert _words(page.locator("[data-sog-sheet]").text_content()).count("Is a second opinion covered?") == 1
        assert page.evaluate("window.sog") is None
        assert page.locator("[data-sog-checklist] b, .md-sidebar b").count() == 0
    context.close()


def test_instant_navigation_starts_the_checklist_on_each_visit(minimal_project, tmp_path, browser):
    import yaml

    from second_opinion.settings import load_config

    project = full_project(minimal_project)
    content = load.load(minimal_project / "data", today=datetime.date.today(), root=minimal_project)
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
            assert content.outcomes["strong"].verdict in _result(page)
            page.click("nav a[href$='timing/']")
            page.wait_for_url(f"{url}timing/")
        assert page.evaluate("window.sogSamePage") is True
    assert errors == []
    context.close()
