"""Site level, in a real browser, with only a keyboard: every page of both editions walked with Tab
and with Shift+Tab at 320, 1000 and 1280 px, with the navigation drawer closed and (below 1220 px,
where there is one) open.

At every focus stop (WCAG 2.4.3, 2.4.7, 2.4.11, 1.4.11, 2.1.1, 4.1.2):
- the focused element is visible where the reader looks: not zero-size, not transparent, not in a
  closed drawer pane, and not under anything else (the sticky header, the drawer, its overlay);
- it has a focus ring at least 2 px wide with at least 3:1 contrast against what is next to it;
- it does something: a control, or a region that scrolls; a button that expands something
  changes what can be reached when pressed.
Then the drawer's own behaviour, and the header's buttons, are checked as a reader would use them.

Speed: one browser and one tab per width, each page loaded once per width; keys go to Chromium as
raw key presses (what Playwright sends, without a round trip per key up), and every check runs
inside the page as focus moves, read back once per walk.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from support import html_pages

# Widths from the issue: a phone, a small laptop (or a big screen at 125-200% zoom), a desktop.
VIEWPORTS = {320: 640, 1000: 800, 1280: 900}
DRAWER_BELOW = 1220  # Material's breakpoint: narrower screens have the navigation in a drawer
MOST_STOPS = 400  # a walk that has not come round by then is stuck

# The in-page recorder. Each focus stop is judged as the reader sees it when pressing the next key:
# after the page has scrolled it into view and reacted to its focus, before it reacts to that key.
RECORDER = """() => {
if (window.__sogWalk) return;
const walk = window.__sogWalk = {stops: [], current: null, ids: new WeakMap(), next: 1};
const CONTROLS = 'a[href], button, input, select, textarea, summary, iframe, [contenteditable]';
const name = (el) => {
  const text = (el.getAttribute('aria-label') || el.textContent || el.value || '').trim().replace(/\\s+/g, ' ');
  const cls = el.classList.length ? '.' + [...el.classList].filter((c) => c !== 'focus-visible').join('.') : '';
  return `<${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${cls}> "${text.slice(0, 40)}"`;
};
const rgba = (css) => {
  const m = css && css.match(/rgba?\\(([^)]+)\\)/);
  if (!m) return null;
  const [r, g, b, a = 1] = m[1].split(/[\\s,/]+/).filter(Boolean).map(Number);
  return {r, g, b, a};
};
const over = (top, bottom) => ({
  r: top.r * top.a + bottom.r * (1 - top.a), g: top.g * top.a + bottom.g * (1 - top.a),
  b: top.b * top.a + bottom.b * (1 - top.a), a: 1});
const luminance = ({r, g, b}) => {
  const lin = (c) => { c /= 255; return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
};
const contrast = (a, b) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
};
// The colour painted at a point: the backgrounds of the boxes stacked there, over white. The
// focused element's own content is left out (its text is not what the ring is seen against).
const paintedAt = (x, y, el) => {
  let colour = {r: 255, g: 255, b: 255, a: 1};
  const layers = [];
  for (const node of document.elementsFromPoint(x, y)) {
    if (node !== el && el.contains(node)) continue;
    const layer = rgba(getComputedStyle(node).backgroundColor);
    if (layer && layer.a > 0) layers.push(layer);
    if (layer && layer.a >= 1) break;
  }
  for (const layer of layers.reverse()) colour = over(layer, colour);
  return colour;
};
const hex = ({r, g, b}) => '#' + [r, g, b].map((c) => Math.round(c).toString(16).padStart(2, '0')).join('');

function ringProblems(el) {
  const style = getComputedStyle(el);
  const width = parseFloat(style.outlineWidth);
  if (style.outlineStyle === 'none' || width < 2) return [`no focus ring (outline ${style.outlineStyle} ${style.outlineWidth})`];
  const ring = rgba(style.outlineColor);
  const offset = parseFloat(style.outlineOffset);
  const rect = el.getBoundingClientRect();
  // What is next to the ring, on each side of the element that is on screen: what is painted
  // along the ring's middle, just outside the element or (for an inset ring) just inside it.
  const d = offset + width / 2;
  const beside = [];
  for (const [x, y] of [[rect.left + rect.width / 2, rect.top - d], [rect.left + rect.width / 2, rect.bottom + d],
                        [rect.left - d, rect.top + rect.height / 2], [rect.right + d, rect.top + rect.height / 2]]) {
    if (x >= 0 && y >= 0 && x < innerWidth && y < innerHeight) beside.push(paintedAt(x, y, el));
  }
  const worst = beside.map((colour) => [contrast(ring, colour), colour]).sort((a, b) => a[0] - b[0])[0];
  return worst && worst[0] < 3 ? [`focus ring ${hex(ring)} is ${worst[0].toFixed(2)}:1 against ${hex(worst[1])} (needs 3:1)`] : [];
}

function purposeProblems(el) {
  if (el.matches(CONTROLS)) return [];
  const style = getComputedStyle(el);
  const scrolls = (/auto|scroll/.test(style.overflowY) && el.scrollHeight > el.clientHeight)
    || (/auto|scroll/.test(style.overflowX) && el.scrollWidth > el.clientWidth);
  return scrolls ? [] : ['focusable, but neither a control nor a region that scrolls'];
}

function placeProblems(el) {
  const rect = el.getBoundingClientRect();
  if (rect.width < 1 || rect.height < 1) return ['focus is on something of zero size'];
  if (!el.checkVisibility({visibilityProperty: true, opacityProperty: true})) return ['focus is on something invisible'];
  // Inside boxes that clip what overflows them (a drawer pane, a scrolling list): the part that
  // shows. A box clips only what it contains as a containing block, so the walk follows those.
  let [left, top, right, bottom] = [rect.left, rect.top, rect.right, rect.bottom];
  for (let node = el; node && node !== document.body;) {
    const position = getComputedStyle(node).position;
    let block = node.parentElement;
    const establishes = (n) => { const st = getComputedStyle(n); return st.transform !== 'none' || st.filter !== 'none' || /paint|layout/.test(st.contain); };
    if (position === 'absolute') while (block && block !== document.body && getComputedStyle(block).position === 'static' && !establishes(block)) block = block.parentElement;
    if (position === 'fixed') while (block && block !== document.body && !establishes(block)) block = block.parentElement;
    if (!block || block === document.body || block === document.documentElement) break;
    const style = getComputedStyle(block);
    if (style.overflowX !== 'visible' || style.overflowY !== 'visible') {
      const box = block.getBoundingClientRect();
      [left, top, right, bottom] = [Math.max(left, box.left), Math.max(top, box.top), Math.min(right, box.right), Math.min(bottom, box.bottom)];
    }
    node = block;
  }
  [left, top, right, bottom] = [Math.max(left, 0), Math.max(top, 0), Math.min(right, innerWidth), Math.min(bottom, innerHeight)];
  if (right - left < 1 || bottom - top < 1) return [`focus is off screen or clipped away (${rect.left | 0},${rect.top | 0} ${rect.width | 0}x${rect.height | 0})`];
  const x = (left + right) / 2, y = (top + bottom) / 2;
  const seen = document.elementFromPoint(x, y);
  if (seen && !el.contains(seen) && !seen.contains(el)) return [`focused element is under ${name(seen)}`];
  return [];
}

document.addEventListener('focusin', (event) => {
  const el = event.target;
  if (!walk.ids.has(el)) walk.ids.set(el, walk.next++);
  walk.current = {el, id: walk.ids.get(el), name: name(el), problems: [], placed: false};
  walk.stops.push(walk.current);
}, true);
// Capturing on window runs before the page's own key handlers (Material closes its search on Tab).
window.addEventListener('keydown', () => {
  const current = walk.current;
  if (current && !current.placed && current.el === document.activeElement) {
    current.problems.push(...placeProblems(current.el), ...ringProblems(current.el), ...purposeProblems(current.el));
    current.placed = true;
  }
}, true);
}"""

STOPS = "() => window.__sogWalk.stops.map((s) => ({id: s.id, name: s.name, problems: s.problems}))"
RESET = "() => { window.__sogWalk.stops = []; window.__sogWalk.current = null; }"
CANDIDATES = """() => [...document.querySelectorAll('a[href], button, input, select, textarea, summary, [tabindex]')]
  .filter((el) => el.tabIndex >= 0 && el.checkVisibility({visibilityProperty: true}) && !el.closest('[inert]')).length"""

# Buttons that expand something must change what a reader can reach when pressed: a menu button for
# a navigation that is on screen anyway does nothing. Each is pressed back afterwards, or, once it is
# covered by what it opened, the other button for the same thing (a drawer's close button), or
# Escape.
EXPANDERS = """async () => {
// Transitions are off (reduced motion): a frame and a task later the page has settled.
const settle = () => new Promise((done) => requestAnimationFrame(() => setTimeout(done)));
const tabbable = (el) => el.tabIndex >= 0 && !el.closest('[inert]') && el.getClientRects().length > 0
  && el.checkVisibility({visibilityProperty: true, opacityProperty: true});
const reachable = () => [...document.querySelectorAll('a[href], button, input, select, textarea, summary, [tabindex]')]
  .filter(tabbable);
const problems = [];
for (const button of document.querySelectorAll('button[aria-expanded][aria-controls]')) {
  if (!tabbable(button)) continue;
  const before = reachable();
  button.click();
  await settle();
  const after = reachable();
  if (before.length === after.length && before.every((el, i) => el === after[i])) {
    const text = (button.getAttribute('aria-label') || button.textContent).trim().replace(/\\s+/g, ' ');
    problems.push(`button "${text}" (aria-expanded) changes nothing a keyboard can reach`);
  }
  const back = [button, ...document.querySelectorAll(`button[aria-controls="${button.getAttribute('aria-controls')}"]`)]
    .find(tabbable);
  if (back) back.click();
  // Nothing left to press it back with (Material hides the header's controls under an open
  // search): Escape, as a reader would.
  else (document.activeElement || document.body).dispatchEvent(new KeyboardEvent('keydown', {key: 'Escape', bubbles: true}));
  await settle();
}
return problems;
}"""


def page_urls(site: Path) -> list[str]:
    """Every built page of both editions, relative to the site root."""
    return [p.relative_to(site).as_posix().removesuffix("index.html") for p in html_pages(site)]


class Keys:
    """Tab and Shift+Tab as key presses from the keyboard, sent straight to Chromium: a raw key
    down is all it needs to move focus, and one round trip a key halves a long walk's time."""

    def __init__(self, tab):
        self.cdp = tab.context.new_cdp_session(tab)

    def press(self, backwards: bool, *, settle: bool = False) -> None:
        self.cdp.send(
            "Input.dispatchKeyEvent",
            {
                "type": "rawKeyDown",
                "key": "Tab",
                "code": "Tab",
                "windowsVirtualKeyCode": 9,
                "modifiers": 8 if backwards else 0,
            },
        )
        if settle:
            # Chromium handles input before timers, so keys sent back to back can outrun what a
            # page does a moment after focus (Material opens its search on focus): let it draw.
            self.cdp.send(
                "Runtime.evaluate",
                {
                    "expression": "new Promise((done) => requestAnimationFrame(() => setTimeout(done, 20)))",
                    "awaitPromise": True,
                },
            )


def walk(tab, keys: Keys, *, backwards: bool, settle: bool = False) -> list[dict]:
    """Every focus stop met going round the page once, with the problems found at each."""
    tab.evaluate(RESET)
    batch = tab.evaluate(CANDIDATES) + 2
    pressed = 0
    while pressed < MOST_STOPS:
        for _ in range(batch):
            keys.press(backwards, settle=settle)
        pressed += batch
        stops = tab.evaluate(STOPS)
        ids = [stop["id"] for stop in stops]
        if ids and ids[0] in ids[1:]:
            return stops[: ids.index(ids[0], 1)]
        batch = 10
    raise AssertionError(f"{tab.url}: Tab went {MOST_STOPS} times without coming round")


def _problems(tab, keys: Keys, label: str) -> list[str]:
    found = []
    for backwards in (False, True):
        direction = "Shift+Tab" if backwards else "Tab"
        stops = walk(tab, keys, backwards=backwards)
        if any(stop["problems"] for stop in stops):
            # Confirmed at a reader's pace before it counts.
            stops = walk(tab, keys, backwards=backwards, settle=True)
        found += [f"{label}, {direction}: {stop['name']}: {problem}" for stop in stops for problem in stop["problems"]]
    found += [f"{label}: {problem}" for problem in tab.evaluate(EXPANDERS)]
    return found


@pytest.fixture(scope="module", params=list(VIEWPORTS), ids=lambda width: f"{width}px")
def walks(request, browser, site: Path, site_url: str) -> dict[str, list[str]]:
    """{page: problems} for every page walked at one width, drawer closed and open."""
    width = request.param
    context = browser.new_context(viewport={"width": width, "height": VIEWPORTS[width]}, reduced_motion="reduce")
    tab = context.new_page()
    keys = Keys(tab)
    results = {}
    try:
        for path in page_urls(site):
            tab.goto(site_url + path)
            tab.evaluate(RECORDER)
            problems = _problems(tab, keys, f"{width}px, drawer closed")
            if width < DRAWER_BELOW:
                # From a quiet page: a walk may end in the search field, which Material opens.
                tab.keyboard.press("Escape")
                tab.click(".sog-header-button--drawer")
                problems += _problems(tab, keys, f"{width}px, drawer open")
            results[path or "/"] = sorted(set(problems))
    finally:
        context.close()
    return results


def test_every_focus_stop_is_visible_ringed_and_useful(walks):
    assert not {page: problems for page, problems in walks.items() if problems}


@pytest.fixture
def tab(browser):
    context = browser.new_context(viewport={"width": 320, "height": 640}, reduced_motion="reduce")
    yield context.new_page()
    context.close()


def _focused(tab) -> str:
    return tab.evaluate("""() => { const el = document.activeElement;
      return (el.getAttribute('aria-label') || el.textContent).trim().replace(/\\s+/g, ' '); }""")


def _page_is_inert(tab) -> bool:
    """Whether everything outside the drawer is out of reach, and the drawer is not."""
    return tab.evaluate("""() => {
      const outside = ['.md-header', '.md-content', '.md-footer', '[data-md-component=skip]'];
      return outside.every((s) => document.querySelector(s).closest('[inert]'))
        && !document.querySelector('.md-sidebar--primary').closest('[inert]'); }""")


def test_the_drawer_works_from_the_keyboard(tab, site_url: str):
    tab.goto(site_url + "timing/")
    menu = tab.locator(".sog-header-button--drawer")
    menu.focus()
    tab.keyboard.press("Enter")
    # Open on the reader's section, with focus in it and the rest of the page out of reach.
    assert menu.get_attribute("aria-expanded") == "true"
    assert _focused(tab) == "Guides"
    section = tab.evaluate("document.activeElement.dataset.sogFor")  # its place in the menu varies
    guides = tab.locator(f'.md-nav--primary .md-nav__link.sog-nav-button[data-sog-for="{section}"]')
    assert guides.get_attribute("aria-expanded") == "true"
    assert _page_is_inert(tab)
    # The pane's title goes back up (Enter), and a section opens again with Space.
    tab.keyboard.press("Enter")
    assert guides.get_attribute("aria-expanded") == "false"
    assert guides.evaluate("(el) => el === document.activeElement")
    tab.keyboard.press("Space")
    assert guides.get_attribute("aria-expanded") == "true"
    assert _focused(tab) == "Guides"
    # Escape closes the drawer from anywhere in it and gives focus back to the menu button.
    tab.keyboard.press("Tab")
    tab.keyboard.press("Escape")
    assert menu.get_attribute("aria-expanded") == "false"
    assert tab.evaluate("document.activeElement.classList.contains('sog-header-button--drawer')")
    assert tab.evaluate("document.querySelectorAll('[inert]').length") == 0
    # So does its close button.
    tab.keyboard.press("Enter")
    tab.locator(".sog-drawer-close").focus()
    tab.keyboard.press("Enter")
    assert menu.get_attribute("aria-expanded") == "false"
    assert tab.evaluate("document.activeElement.classList.contains('sog-header-button--drawer')")


def test_a_contents_link_in_the_drawer_leaves_focus_at_its_section(tab, site_url: str):
    tab.goto(site_url + "timing/")
    tab.locator(".sog-header-button--drawer").click()
    contents = tab.locator('.md-nav--primary .sog-nav-button.md-nav__link[data-sog-for="__toc"]')
    contents.focus()
    tab.keyboard.press("Enter")
    section = tab.locator(".md-nav--primary .md-nav--secondary a.md-nav__link").nth(1)
    target = section.get_attribute("href").lstrip("#")
    section.focus()
    tab.keyboard.press("Enter")
    tab.wait_for_function("() => !document.getElementById('__drawer').checked")
    tab.wait_for_function(f"() => document.activeElement.id === {target!r}")
    assert tab.evaluate("document.querySelectorAll('[inert]').length") == 0


@pytest.mark.parametrize(("width", "shown"), [(320, ["Navigation", "Search"]), (1000, ["Navigation"]), (1280, [])])
def test_header_buttons_are_shown_only_where_they_do_something(browser, site_url: str, width: int, shown):
    context = browser.new_context(viewport={"width": width, "height": 800})
    tab = context.new_page()
    try:
        tab.goto(site_url)
        visible = tab.evaluate("""() => [...document.querySelectorAll('.sog-header-button')]
          .filter((el) => el.getClientRects().length).map((el) => el.getAttribute('aria-label'))""")
        assert visible == shown
    finally:
        context.close()


def test_the_search_button_moves_focus_into_search_and_escape_brings_it_back(tab, site_url: str):
    tab.goto(site_url)
    button = tab.locator(".sog-header-button--search")
    button.focus()
    tab.keyboard.press("Enter")
    assert tab.evaluate("document.activeElement.classList.contains('md-search__input')")
    assert button.get_attribute("aria-expanded") == "true"
    tab.keyboard.press("Escape")
    tab.wait_for_function("() => document.activeElement.classList.contains('sog-header-button--search')")
    assert button.get_attribute("aria-expanded") == "false"


# Text spacing (WCAG 1.4.12) and a long title make the header taller; so does a language with longer
# words. What is reserved above focused content follows it.
TALL_HEADER = """
* { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; }
"""


def test_the_space_kept_free_under_the_header_follows_its_height(browser, site_url: str):
    # The test's taller header is an inline stylesheet, which the site's policy refuses, as it should.
    context = browser.new_context(viewport={"width": 320, "height": 640}, reduced_motion="reduce", bypass_csp=True)
    tab = context.new_page()
    try:
        tab.goto(site_url + "checklist/")
        reserved = "() => parseFloat(getComputedStyle(document.querySelector('.sog-trigger__input')).scrollMarginTop)"
        height = "() => document.querySelector('.md-header').getBoundingClientRect().height"
        assert tab.evaluate(reserved) > tab.evaluate(height) >= 48
        tab.add_style_tag(content=TALL_HEADER)
        tab.evaluate(
            "document.querySelector('.md-header__topic .md-ellipsis').textContent += ' with a much longer name'"
        )
        tab.wait_for_function(f"() => ({height})() > 60")
        tab.wait_for_function(f"() => ({reserved})() > ({height})()")
    finally:
        context.close()


def test_focusing_the_header_does_not_scroll_the_page(tab, site_url: str):
    tab.goto(site_url + "timing/")
    tab.evaluate("window.scrollTo(0, 900)")
    tab.wait_for_function("() => scrollY === 900")
    tab.focus(".sog-header-button--drawer")
    assert tab.evaluate("scrollY") == 900


def test_on_a_short_window_the_header_scrolls_away(browser, site_url: str):
    # 400% zoom of a 1280x1024 screen.
    context = browser.new_context(viewport={"width": 320, "height": 256})
    tab = context.new_page()
    try:
        tab.goto(site_url + "timing/")
        tab.mouse.wheel(0, 600)
        tab.wait_for_function("() => scrollY > 300")
        assert tab.evaluate("document.querySelector('.md-header').getBoundingClientRect().bottom") <= 0
    finally:
        context.close()
