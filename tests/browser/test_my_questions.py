"""Site level, in a real browser: My questions (my-questions/) as a person uses it. A list made by
ticking, adding, writing, reordering and marking; its link opened in a fresh browser; the printed
list and card read back from PDF, their QR code decoded from a picture of the paper; old, unknown,
garbled and hostile links; storage only on request; keyboard, axe and no JavaScript. The shipped
site is built once per session; every test opens it in a fresh tab."""

from __future__ import annotations

import base64
import datetime
import json
import subprocess
import zlib
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from second_opinion import load
from support import ROOT, axe_violations, pdf_page_image, qr_codes

# Stands in for the print dialog, which headless Chromium does not have.
FAKE_PRINT = "window.print = () => { window.sogPrinted = (window.sogPrinted || 0) + 1; };"
OWN = "Can my sister <script>alert('x')</script> come in with me & take notes?"
REFUSED = "This link could not be read."
QR_ENCODER = "assets/vendor/lean-qr/lean-qr.js"


@pytest.fixture(scope="module")
def content():
    return load.load(ROOT / "data", today=datetime.date.today(), root=ROOT)


@pytest.fixture
def tab(page):
    """A fresh tab that records dialogs (none may open) and page errors."""
    page.dialogs = []
    page.errors = []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.add_init_script(FAKE_PRINT)
    return page


def _open(tab, url: str, fragment: str = ""):
    tab.goto(url + "my-questions/" + fragment)
    tab.wait_for_function("() => document.querySelector('[data-mq-link]').value !== ''")
    return tab


def _items(tab) -> list[str]:
    return tab.locator("[data-mq-items] [data-mq-slot=text]").all_inner_texts()


def _top(tab) -> list[str]:
    return tab.locator(".sog-mq-item--top [data-mq-slot=text]").all_inner_texts()


def _link(tab) -> str:
    """The list's link, once it and its QR codes are drawn."""
    tab.wait_for_function("() => document.querySelector('[data-mq-link]').value.includes('#mq2.')")
    tab.wait_for_selector(".sog-mq-card .sog-qr svg path", state="attached")
    return tab.input_value("[data-mq-link]")


def _press_on(tab, text: str, action: str):
    """Focus an item's button by keyboard-reachable means and press it with Enter."""
    item = tab.locator("[data-mq-items] li", has_text=text)
    item.locator(f"[data-mq-action={action}]").focus()
    tab.keyboard.press("Enter")


def _storage(tab) -> dict:
    return tab.evaluate("() => ({local: {...localStorage}, session: {...sessionStorage}, cookie: document.cookie})")


def _notice(tab) -> str:
    return " ".join(tab.locator("[data-mq-notice]").inner_text().split())


def _fragment(version: int, value) -> str:
    data = json.dumps(value).encode()
    if version == 2:
        packer = zlib.compressobj(9, zlib.DEFLATED, -15)  # raw deflate, as CompressionStream("deflate-raw")
        data = packer.compress(data) + packer.flush()
    return f"#mq{version}." + base64.urlsafe_b64encode(data).decode().rstrip("=")


def _make_list(tab, content) -> dict:
    """Tick two statements, add a question found by search, write one's own, move it to the top,
    and mark three as most important, all with the keyboard. Returns what was done."""
    triggers = [t for t in content.triggers.values() if t.questions][:2]
    for trigger in triggers:
        tab.focus(f"#mq-t-{trigger.id}")
        tab.keyboard.press("Space")
    suggested: list[str] = []  # each statement's questions in data order, after those already there
    for trigger in triggers:
        suggested += [q for q in content.questions if q in trigger.questions and q not in suggested]
    extra = next(q for q in content.questions.values() if q.id not in suggested)
    tab.fill("[data-mq-search]", " ".join(extra.text.split()[:4]))
    tab.focus(f"#mq-q-{extra.id}")
    tab.keyboard.press("Space")
    tab.fill("[data-mq-own]", OWN)
    tab.focus("[data-mq-add-own]")
    tab.keyboard.press("Enter")
    expected = [content.questions[q].text for q in suggested] + [extra.text, " ".join(OWN.split())]
    assert _items(tab) == expected
    for _ in range(len(expected) - 1):
        _press_on(tab, "my sister", "up")
    assert tab.evaluate("document.activeElement.dataset.mqAction") == "up"  # focus moved with it
    order = [expected[-1], *expected[:-1]]
    for text in (order[0], order[2], order[3]):
        _press_on(tab, text, "top")
    assert _items(tab) == order
    return {"triggers": [t.id for t in triggers], "order": order, "top": [order[0], order[2], order[3]]}


def test_a_list_made_here_opens_the_same_in_a_fresh_browser(tab, browser, site_url, content):
    _open(tab, site_url)
    tab.wait_for_load_state("networkidle")
    loaded = len(tab.requests)
    made = _make_list(tab, content)
    assert _top(tab) == made["top"]
    assert (
        tab.inner_text("[data-mq-count]")
        == f"Questions in your list: {len(made['order'])}. Marked most important: 3 of 3."
    )
    shown = _link(tab)
    tab.context.grant_permissions(["clipboard-read", "clipboard-write"])
    tab.click("[data-mq-copy]")
    # The clipboard answers asynchronously; the announcement follows it.
    expect(tab.locator("[data-mq-announce]")).to_have_text("The link is copied. You can paste it into a message.")
    link = tab.evaluate("navigator.clipboard.readText()")
    assert link == shown and link.startswith(site_url + "my-questions/#mq2.")
    assert len(link) < 1000  # ids, not texts, compressed
    mailto = tab.get_attribute("[data-mq-email]", "href")
    assert mailto.startswith("mailto:?subject=My%20questions%20for%20the%20doctor&body=1.%20Can%20my%20sister")
    # Nothing but the QR encoder, from the site itself, once there was a list to print.
    assert tab.requests[loaded:] == [site_url + QR_ENCODER] and tab.dialogs == [] and tab.errors == []
    assert _storage(tab) == {"local": {}, "session": {}, "cookie": ""}
    assert tab.locator("[data-mq-items] script").count() == 0

    other = browser.new_context()
    try:
        fresh = other.new_page()
        fresh.requests = []
        fresh.on("request", lambda request: fresh.requests.append(request.url))
        fresh.goto(link)
        fresh.wait_for_function("() => document.querySelectorAll('[data-mq-items] li').length > 0")
        assert _items(fresh) == made["order"] and _top(fresh) == made["top"]
        assert (
            fresh.eval_on_selector_all("[data-mq-trigger]:checked", "boxes => boxes.map(b => b.value)")
            == made["triggers"]
        )
        assert _notice(fresh) == "This list was opened from a link."
        assert all(url.startswith(site_url) for url in fresh.requests)
        assert fresh.evaluate("({...localStorage})") == {}
    finally:
        other.close()


def test_printed_list_and_card_read_back_with_a_code_that_opens_the_list(tab, site_url, content, tmp_path):
    _open(tab, site_url)
    made = _make_list(tab, content)
    link = _link(tab)
    tab.click("[data-mq-print=list]")
    assert tab.evaluate("window.sogPrinted") == 1
    tab.emulate_media(media="print")
    lines = tab.eval_on_selector_all(".sog-mq-sheet .sog-answer-lines", "els => els.map(e => e.offsetHeight)")
    assert len(lines) == len(made["order"]) and min(lines) >= 3 * 8 * 96 / 25.4  # three lines, 8.5 mm apart
    size = tab.eval_on_selector(".sog-mq-sheet", "e => getComputedStyle(e).fontSize")
    assert float(size.removesuffix("px")) >= 16  # 12 pt
    list_pdf = _print(tab, tmp_path / "list.pdf")
    text = _pdftotext(list_pdf)
    positions = [_squeezed(text).find(_squeezed(question)) for question in made["order"]]
    assert -1 not in positions and positions == sorted(positions), "every question, in the person's order"
    assert text.count("MOST IMPORTANT") == 3 and "Your name:" in text and "Date:" in text
    assert "<script>" in text  # the person's words, shown as typed
    assert qr_codes(pdf_page_image(list_pdf, len(PdfReader(list_pdf).pages), tmp_path / "list.png", dpi=200)) == [link]
    tab.evaluate("dispatchEvent(new Event('afterprint'))")

    tab.click("[data-mq-print=card]")
    card_pdf = _print(tab, tmp_path / "card.pdf")
    card = _pdftotext(card_pdf)
    assert len(PdfReader(card_pdf).pages) == 1
    assert [q for q in made["order"] if _squeezed(q) in _squeezed(card)] == made["top"]
    assert "What I heard" in card and "Person who came with me:" in card
    image = pdf_page_image(card_pdf, 1, tmp_path / "card.png", dpi=200)
    assert qr_codes(image) == [link]
    tab.evaluate("dispatchEvent(new Event('afterprint'))")

    tab.check("[data-mq-large]")
    tab.click("[data-mq-print=list]")
    tab.emulate_media(media="print")
    large = tab.eval_on_selector(".sog-mq-sheet", "e => getComputedStyle(e).fontSize")
    assert float(large.removesuffix("px")) >= 16 * 96 / 72 - 0.1  # 16 pt
    assert all(requested.startswith(site_url) for requested in tab.requests)


def _print(tab, path: Path) -> Path:
    tab.emulate_media(media="print")  # as the print dialog would
    tab.pdf(path=str(path), format="Letter")
    tab.emulate_media(media="screen")
    return path


def _pdftotext(path: Path) -> str:
    result = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return " ".join(result.stdout.split())


def _squeezed(text: str) -> str:
    """Text without spaces or hyphens: pdftotext joins a line that breaks after a hyphen and drops
    the hyphen ("second-opinion" reads back as "secondopinion")."""
    return "".join(text.split()).replace("-", "")


def test_a_version_1_link_still_opens(tab, site_url, content):
    ids = list(content.questions)[:3]
    fragment = _fragment(1, {"t": [], "q": [ids[2], ["My own words"], ids[0]], "s": [1]})
    _open(tab, site_url, fragment)
    assert _items(tab) == [content.questions[ids[2]].text, "My own words", content.questions[ids[0]].text]
    assert _top(tab) == ["My own words"]
    assert _notice(tab) == "This list was opened from a link."


def test_a_link_with_statements_alone_lists_their_questions(tab, site_url, content):
    """How the checklist links here: the ticked statements, and no list yet."""
    trigger = next(t for t in content.triggers.values() if len(t.questions) > 1)
    _open(tab, site_url, _fragment(1, {"t": [trigger.id]}))
    assert _items(tab) == [q.text for q in content.questions.values() if q.id in trigger.questions]
    assert tab.is_checked(f"#mq-t-{trigger.id}")


def test_the_checklist_takes_what_was_ticked_to_my_questions(tab, site_url, content):
    """The checklist's link carries the ticked statements' ids, and nothing else, in its fragment."""
    first, second = [t for t in content.triggers.values() if t.questions][:2]
    tab.goto(site_url + "checklist/")
    tab.check(f"#trigger-{first.id}")
    tab.check(f"#trigger-{second.id}")
    tab.focus("[data-mq-from-checklist] a")
    link = tab.evaluate("document.querySelector('[data-mq-from-checklist] a').href")
    page, carried = link.split("#mq1.")
    assert page == site_url + "my-questions/"
    assert json.loads(base64.urlsafe_b64decode(carried + "=" * (-len(carried) % 4))) == {"t": [first.id, second.id]}
    tab.keyboard.press("Enter")
    tab.wait_for_url("**/my-questions/#mq1.*")
    tab.wait_for_function("() => document.querySelector('[data-mq-link]').value !== ''")
    asked = set(first.questions) | set(second.questions)
    assert _items(tab) == [q.text for q in content.questions.values() if q.id in asked]
    assert tab.is_checked(f"#mq-t-{first.id}") and tab.is_checked(f"#mq-t-{second.id}")
    assert _notice(tab) == "This list was opened from a link."
    assert all(request.startswith(site_url) for request in tab.requests)


def test_unknown_questions_are_left_out_with_a_notice(tab, site_url, content):
    known = list(content.questions)[0]
    fragment = _fragment(2, {"t": ["no-such-statement"], "q": ["no-such-question", known], "s": [0, 1]})
    _open(tab, site_url, fragment)
    assert _items(tab) == [content.questions[known].text] and _top(tab) == [content.questions[known].text]
    assert _notice(tab) == (
        "This list was opened from a link. "
        "Left out because this guide no longer has them: 2. The rest of the list is here."
    )


def _bomb() -> str:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    data = packer.compress(b'{"q":[["' + b" " * 2_000_000 + b'"]]}') + packer.flush()
    return "#mq2." + base64.urlsafe_b64encode(data).decode().rstrip("=")


BAD_LINKS = {
    "not ours": "#hello-there",
    "markup": "#<img src=x onerror=alert(1)>",
    "script URL": "#javascript:alert(1)",
    "bad base64": "#mq2.!!!!",
    "not deflate": "#mq2.AAAAAAAA",
    "not JSON": "#mq1." + base64.urlsafe_b64encode(b"alert(1)").decode(),
    "not UTF-8": "#mq1." + base64.urlsafe_b64encode(b'["\xff\xfe"]').decode(),
    "future version": "#mq9.e30",
    "wrong shape": _fragment(2, {"q": [{"id": "x"}]}),
    "extra key": _fragment(2, {"q": [], "x": []}),
    "too many top": _fragment(2, {"q": ["a", "b", "c", "d"], "s": [0, 1, 2, 3]}),
    "own too long": _fragment(2, {"q": [["x" * 201]]}),
    "script as an id": _fragment(2, {"q": ["<script>alert(1)</script>"]}),
    "100 KB": "#mq2." + "A" * 100_000,
    "unpacks to megabytes": _bomb(),
}


@pytest.mark.parametrize("fragment", BAD_LINKS.values(), ids=BAD_LINKS.keys())
def test_a_garbled_or_hostile_link_is_refused_and_nothing_runs(tab, site_url, fragment):
    _open(tab, site_url, fragment)
    tab.wait_for_function("() => document.querySelector('[data-mq-notice]').textContent !== ''")
    assert REFUSED in _notice(tab)
    assert _items(tab) == []
    assert tab.dialogs == [] and tab.errors == []
    assert tab.evaluate("document.querySelectorAll('[data-mq-items] *, [data-mq-notice] *:not(p)').length") == 0
    assert all(url.startswith(site_url) for url in tab.requests)


def test_script_in_a_valid_link_stays_text(tab, site_url):
    _open(tab, site_url, _fragment(2, {"q": [["<img src=x onerror=alert(1)>"]]}))
    assert _items(tab) == ["<img src=x onerror=alert(1)>"]
    assert tab.locator("img[src=x]").count() == 0 and tab.dialogs == []


def test_nothing_is_kept_unless_asked_and_forget_removes_everything(tab, site_url, content):
    _open(tab, site_url)
    _make_list(tab, content)
    assert _storage(tab) == {"local": {}, "session": {}, "cookie": ""}
    assert tab.locator("[data-mq-forget]").is_hidden()
    tab.check("[data-mq-remember]")
    stored = _storage(tab)["local"]
    assert list(stored) == ["sog-my-questions"] and stored["sog-my-questions"].startswith("mq2.")
    items = _items(tab)

    tab.goto(site_url)  # leave, and come back later
    _open(tab, site_url)
    assert _items(tab) == items and tab.is_checked("[data-mq-remember]")
    tab.click("[data-mq-forget]")
    assert _storage(tab) == {"local": {}, "session": {}, "cookie": ""}
    assert _items(tab) == [] and not tab.is_checked("[data-mq-remember]")
    assert tab.inner_text("[data-mq-announce]") == "Your list is forgotten. Nothing is kept on this device."
    assert tab.evaluate("document.activeElement.id") == "mq-remember"


def test_back_after_leaving_shows_no_list_unless_remembered(tab, site_url, content):
    _open(tab, site_url)
    _make_list(tab, content)
    tab.click(".sog-mq-add a")  # the checklist link
    tab.wait_for_url("**/checklist/")
    tab.go_back()
    tab.wait_for_function("() => document.querySelector('[data-mq-count]').textContent.includes(': 0.')")
    assert _items(tab) == []
    assert tab.eval_on_selector_all("[data-mq-trigger]:checked, [data-mq-question]:checked", "e => e.length") == 0
    assert tab.input_value("[data-mq-own]") == ""


def test_without_javascript_the_page_explains_and_links_the_sheets(browser, site_url, content):
    context = browser.new_context(java_script_enabled=False)
    try:
        tab = context.new_page()
        tab.goto(site_url + "my-questions/")
        assert tab.locator("[data-sog-no-js]").is_visible()
        assert "This page needs JavaScript" in tab.inner_text("[data-sog-no-js]")
        links = tab.locator("[data-sog-no-js] a").all_inner_texts()
        assert links == [sheet.title for sheet in content.sheets.values()]
        assert tab.locator("[data-mq-form]").is_hidden() and tab.locator("#my-list").is_hidden()
    finally:
        context.close()


@pytest.mark.parametrize("width", [320, 1280])
def test_a_full_list_passes_axe_and_every_focus_shows(browser, site_url, content, width, tmp_path):
    context = browser.new_context(viewport={"width": width, "height": 800})
    try:
        tab = context.new_page()
        _open(tab, site_url)
        _make_list(tab, content)
        tab.fill("[data-mq-search]", "")
        tab.eval_on_selector_all("details", "all => all.forEach(d => { d.open = true; })")
        tab.click("[data-mq-add-own]")  # the error shown: empty question
        assert axe_violations(tab) == []
        hidden = _hidden_focus(tab)
        assert hidden == [], "\n".join(hidden)
        tab.evaluate("window.scrollTo(0, 0)")
        tab.screenshot(path=str(tmp_path / f"my-questions-{width}.png"))  # to look at
    finally:
        context.close()


def _hidden_focus(tab) -> list[str]:
    """Tab forward through the whole page, then back: every stop outside the header is on screen,
    clear of the sticky header, with a visible outline."""
    problems = []
    tab.evaluate("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)")
    stops = tab.evaluate("document.querySelectorAll('a[href], button, input, textarea, summary').length")
    for key in ["Tab"] * stops + ["Shift+Tab"] * stops:
        tab.keyboard.press(key)
        found = tab.evaluate("""() => {
          const e = document.activeElement;
          if (!e || e === document.body || e.closest('.md-header, .md-skip')) return null;
          const box = e.getBoundingClientRect();
          const header = document.querySelector('.md-header').getBoundingClientRect().bottom;
          const style = getComputedStyle(e);
          const ring = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0 || style.boxShadow !== 'none';
          const name = e.tagName + (e.id ? '#' + e.id : '') + ' ' + (e.textContent || '').trim().slice(0, 30);
          if (!box.width || !box.height) return name + ': no size';
          if (box.bottom <= header + 1 || box.top >= innerHeight) return name + ': off screen or under the header';
          if (!ring) return name + ': no focus ring';
          return null;
        }""")
        if found and found not in problems:
            problems.append(found)
    return problems


def test_the_spanish_edition_has_the_whole_feature(tab, site_url, content):
    _open(tab, site_url + "es/")
    assert tab.inner_text("h1") == "Mis preguntas"
    tab.fill("[data-mq-own]", "¿Puedo llevar a mi hija?")
    tab.click("[data-mq-add-own]")
    assert _items(tab) == ["¿Puedo llevar a mi hija?"]
    assert tab.inner_text("[data-mq-print=card]") == "Imprimir una tarjeta para mi médico"
    assert "es/my-questions/#mq2." in _link(tab)
