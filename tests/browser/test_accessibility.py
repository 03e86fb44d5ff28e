"""Site level, in a real browser: every built page, at 320 px and 1280 px wide, meets WCAG 2.2 AA as
far as a machine can tell.

axe-core finds part of the problems; the rest are checked here the way a person would meet them:
reflow without sideways scrolling (1.4.10), text spacing without clipping (1.4.12), a visible and
unobscured focus indicator on everything Tab reaches (2.4.7, 2.4.11, 1.4.11), targets of at least
24x24 px (2.5.8), a skip link that works (2.4.1), and no motion when the reader asks for none (2.3.3).

Each page is visited once per width and every check runs on that visit, so the whole audit costs one
browser, two tabs and two page loads per page and width.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from support import axe_violations, html_pages

WIDTHS = [320, 1280]
HEIGHT = 800

# WCAG 1.4.12's minimum text spacing, as the W3C's own bookmarklet applies it.
TEXT_SPACING = """
* { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; }
p { margin-bottom: 2em !important; }
"""

# Elements that take part in keyboard and pointer interaction.
INTERACTIVE = (
    "a[href], button, input:not([type=hidden]), select, textarea, summary, label[for], "
    "[role=button], [role=link], [tabindex]:not([tabindex='-1'])"
)

# Shared by the in-page checks: a short name for an element, its visibility and its colours.
JS_HELPERS = """
const name = (el) => {
  let text = (el.getAttribute('aria-label') || el.textContent || '').trim().replace(/\\s+/g, ' ');
  const cls = el.classList.length ? '.' + [...el.classList].join('.') : '';
  return `<${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${cls}> "${text.slice(0, 40)}"`;
};
const shown = (el) => {
  const rect = el.getBoundingClientRect();
  return rect.width > 0 && rect.height > 0 && el.checkVisibility({visibilityProperty: true, opacityProperty: true});
};
const rgba = (css) => {
  const m = css.match(/rgba?\\(([^)]+)\\)/);
  if (!m) return null;
  const [r, g, b, a = 1] = m[1].split(/[\\s,/]+/).filter(Boolean).map(Number);
  return {r, g, b, a};
};
const luminance = ({r, g, b}) => {
  const lin = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
};
const contrast = (a, b) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
};
const background = (el) => {
  for (let node = el.parentElement; node; node = node.parentElement) {
    const colour = rgba(getComputedStyle(node).backgroundColor);
    if (colour && colour.a > 0.5) return colour;
  }
  return {r: 255, g: 255, b: 255, a: 1};
};
"""

# Returns the unfocused outline and box-shadow of every interactive element, to compare against.
JS_REMEMBER_UNFOCUSED = (
    JS_HELPERS
    + """
window.__sogUnfocused = new Map();
for (const el of document.querySelectorAll(INTERACTIVE)) {
  const style = getComputedStyle(el);
  window.__sogUnfocused.set(el, `${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor} | ${style.boxShadow}`);
}
"""
)

# After a Tab: the focused element and, if its focus indicator falls short, why.
JS_FOCUSED = (
    JS_HELPERS
    + """
const el = document.activeElement;
if (!el || el === document.body) return null;
const style = getComputedStyle(el);
const now = `${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor} | ${style.boxShadow}`;
const before = window.__sogUnfocused.get(el);
const problems = [];
const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
const shadow = style.boxShadow !== 'none' && (before === undefined || !before.endsWith(style.boxShadow));
if (!shown(el)) problems.push('focus lands on something not visible');
else if (!(outline || shadow) || now === before) problems.push(`no focus indicator (${now})`);
else if (outline) {
  const ratio = contrast(rgba(style.outlineColor), background(el));
  if (ratio < 3) problems.push(`focus outline contrast ${ratio.toFixed(2)}:1 (needs 3:1)`);
}
if (shown(el)) {
  const rect = el.getBoundingClientRect();
  const x = Math.min(Math.max(rect.left + rect.width / 2, 0), innerWidth - 1);
  const y = Math.min(Math.max(rect.top + rect.height / 2, 0), innerHeight - 1);
  const top = document.elementFromPoint(x, y);
  if (top && !el.contains(top) && !top.contains(el)) problems.push(`focused element hidden under ${name(top)}`);
}
return {name: name(el), problems};
"""
)

# The focused element once it shows a good focus indicator; false until then.
JS_FOCUS_SETTLED = (
    f"const focused = (() => {{{JS_FOCUSED}}})();\nreturn focused && !focused.problems.length && focused;"
)
# True when Material's scroll lock matches its search: locked while the search is open on a
# phone-sized screen, unlocked otherwise (see _focus_indicators).
JS_SCROLL_LOCK_SETTLED = """() => {
  const search = document.getElementById('__search');
  const open = !!search && search.checked && !matchMedia('(min-width: 60em)').matches;
  return open === document.body.hasAttribute('data-md-scrolllock');
}"""
# How long a control may take to react to focus before what it shows is judged a problem: not a
# measure of speed (that is benchmarks/), only a bound so that a real problem does not hang the test.
REACTION_LIMIT = 30_000

# Interactive targets under 24x24 px that are neither inline in text nor spaced out (WCAG 2.5.8).
JS_SMALL_TARGETS = (
    JS_HELPERS
    + """
// A label counts when it looks clickable: Material also uses labels as plain headings in its menus.
const clickable = (el) => el.tagName !== 'LABEL' || getComputedStyle(el).cursor === 'pointer';
const targets = [...document.querySelectorAll(INTERACTIVE)].filter((el) => shown(el) && clickable(el))
  .map((el) => ({el, rect: el.getBoundingClientRect()}));
const inSentence = (el) => {
  if (!getComputedStyle(el).display.startsWith('inline')) return false;
  let block = el.parentElement;
  while (block && getComputedStyle(block).display.startsWith('inline')) block = block.parentElement;
  return block && block.textContent.replace(el.textContent, '').trim().length > 0;
};
const centre = ({rect}) => [rect.left + rect.width / 2, rect.top + rect.height / 2];
const circleHits = (t, other) => {
  const [cx, cy] = centre(t);
  const dx = Math.max(other.rect.left - cx, 0, cx - other.rect.right);
  const dy = Math.max(other.rect.top - cy, 0, cy - other.rect.bottom);
  return Math.hypot(dx, dy) < 12;
};
const small = targets.filter((t) => (t.rect.width < 23.5 || t.rect.height < 23.5) && !inSentence(t.el));
return small.filter((t) => targets.some((o) => o.el !== t.el && !o.el.contains(t.el) && !t.el.contains(o.el) && (
    circleHits(t, o) || (small.includes(o) && Math.hypot(centre(t)[0] - centre(o)[0], centre(t)[1] - centre(o)[1]) < 24))))
  .map((t) => `${name(t.el)} is ${t.rect.width.toFixed(0)}x${t.rect.height.toFixed(0)} px and too close to another target`);
"""
)

# Elements whose text no longer fits a box that hides or clips what overflows.
JS_CLIPPED = (
    JS_HELPERS
    + """
const clipped = [];
for (const el of document.body.querySelectorAll('*')) {
  const style = getComputedStyle(el);
  const hides = (v) => v === 'hidden' || v === 'clip';
  if (!(hides(style.overflowX) || hides(style.overflowY)) || !el.textContent.trim() || !shown(el)) continue;
  // Screen-reader-only text lives in a 1px box on purpose.
  if (el.clientWidth <= 1 || el.clientHeight <= 1) continue;
  const wide = hides(style.overflowX) && el.scrollWidth > el.clientWidth + 1;
  const tall = hides(style.overflowY) && el.scrollHeight > el.clientHeight + 1;
  if (wide || tall) clipped.push(`${name(el)}: ${el.scrollWidth}x${el.scrollHeight} in ${el.clientWidth}x${el.clientHeight}`);
}
return clipped;
"""
)

# Transitions and animations that still take time once the reader asked for reduced motion.
JS_MOVING = (
    JS_HELPERS
    + """
const seconds = (list) => Math.max(...list.split(',').map((v) => v.trim().endsWith('ms') ? parseFloat(v) / 1000 : parseFloat(v)));
const moving = [];
for (const el of document.querySelectorAll('*')) {
  for (const pseudo of [null, '::before', '::after']) {
    const style = getComputedStyle(el, pseudo);
    const transition = style.transitionProperty !== 'none' && seconds(style.transitionDuration) > 0.01;
    const animation = style.animationName !== 'none' && seconds(style.animationDuration) > 0.01;
    if (transition || animation) moving.push(`${name(el)}${pseudo || ''}: transition ${style.transitionDuration}, animation ${style.animationDuration}`);
  }
}
if (getComputedStyle(document.documentElement).scrollBehavior === 'smooth') moving.push('html: scroll-behavior smooth');
return moving;
"""
)

# After Enter on the skip link: where the next Tab would start from, as the browser sees it.
JS_SKIP_TARGET = """
const id = decodeURIComponent(location.hash.slice(1));
const target = id && document.getElementById(id);
if (!target) return `skip link goes to #${id}, which is not on the page`;
if (!target.closest('main article, main [role=main], .md-content')) return `skip target #${id} is outside the main content`;
return null;
"""

JS_AFTER_SKIP = """
(id) => {
  const target = document.getElementById(id);
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const after = (node) => (target.compareDocumentPosition(node) & Node.DOCUMENT_POSITION_FOLLOWING) || target.contains(node);
  if (after(el)) return null;
  // With nothing to focus after the target, Tab rightly wraps round to the top of the page.
  const tabbable = [...document.querySelectorAll('a[href], button, input, select, textarea, [tabindex]')]
    .filter((node) => node.tabIndex >= 0 && node.checkVisibility({visibilityProperty: true}) && after(node));
  return tabbable.length === 0 ? null
    : `Tab after the skip link goes back to <${el.tagName.toLowerCase()}> "${el.textContent.trim().slice(0, 40)}"`;
}
"""

CHECKS = ["axe", "reflow", "text spacing", "focus", "target size", "skip link", "reduced motion"]


def _wrap(body: str) -> str:
    """An in-page check as a function expression Playwright can call."""
    return "() => {\nconst INTERACTIVE = " + repr(INTERACTIVE) + ";\n" + body + "\n}"


def page_urls(site: Path) -> list[str]:
    """Every built page's path relative to the site root, as a visitor would type it."""
    urls = []
    for path in html_pages(site):
        relative = path.relative_to(site).as_posix()
        urls.append(relative.removesuffix("index.html") if relative.endswith("index.html") else relative)
    return urls


def _skip_link(tab) -> list[str]:
    tab.keyboard.press("Tab")
    focused = tab.evaluate("""() => {
      const el = document.activeElement;
      if (!el || el === document.body) return {problem: 'Tab from the top focuses nothing'};
      if (!el.classList.contains('md-skip') || !el.getAttribute('href')?.startsWith('#'))
        return {problem: `the first Tab stop is not a skip link but <${el.tagName.toLowerCase()}> "${el.textContent.trim().slice(0, 40)}"`};
      return {href: el.getAttribute('href')};
    }""")
    if "problem" in focused:
        return [focused["problem"]]
    try:
        tab.wait_for_function(
            """() => { const el = document.activeElement, r = el.getBoundingClientRect();
          return getComputedStyle(el).opacity === '1' && r.top >= 0 && r.bottom <= innerHeight && r.width > 0; }""",
            timeout=2000,
        )
    except Exception:
        return ["the focused skip link is not visible"]
    tab.keyboard.press("Enter")
    if problem := tab.evaluate(_wrap(JS_SKIP_TARGET)):
        return [problem]
    tab.keyboard.press("Tab")
    problem = tab.evaluate(JS_AFTER_SKIP, focused["href"][1:])
    return [problem] if problem else []


def _focus_indicators(tab) -> list[str]:
    tab.evaluate(_wrap(JS_REMEMBER_UNFOCUSED))
    problems, seen = [], set()
    for _ in range(400):
        # A reader's next Tab comes after the page has reacted to the last one. On a phone,
        # Material locks the page's scrolling 0.4 s after its search opens and, 0.1 s after it
        # closes, unlocks it and scrolls back to where the page was: a Tab that lands on a link
        # inside that window, as one can on a busy machine, leaves the link scrolled out of view.
        tab.wait_for_function(JS_SCROLL_LOCK_SETTLED, polling=50, timeout=REACTION_LIMIT)
        tab.keyboard.press("Tab")
        focused = tab.evaluate(_wrap(JS_FOCUSED))
        if focused and focused["problems"]:
            # Some controls appear in response to focus (Material opens its search when the field
            # is focused): judge them once the page has reacted, as a reader would. However busy
            # the machine, that is a wait for the page, not a guess at how long it takes; what is
            # still wrong when the limit is reached is a problem.
            try:
                focused = tab.wait_for_function(
                    _wrap(JS_FOCUS_SETTLED), polling=100, timeout=REACTION_LIMIT
                ).json_value()
            except PlaywrightTimeoutError:
                focused = tab.evaluate(_wrap(JS_FOCUSED))
        if focused is None or focused["name"] in seen and not focused["problems"]:
            break
        seen.add(focused["name"])
        problems += [f"{focused['name']}: {problem}" for problem in focused["problems"]]
    return sorted(set(problems))


def _audit_page(tab, url: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    tab.goto(url)
    found["skip link"] = _skip_link(tab)

    tab.goto(url)
    found["axe"] = axe_violations(tab)
    found["reflow"] = (
        tab.evaluate("""() => {
      const extra = document.documentElement.scrollWidth - document.documentElement.clientWidth;
      return extra > 0 ? [`the page scrolls sideways by ${extra} px`] : [];
    }""")
        if tab.viewport_size["width"] <= 320
        else []
    )
    found["target size"] = tab.evaluate(_wrap(JS_SMALL_TARGETS))
    # Without motion, each check sees where a Tab lands, not a panel still sliding or fading away.
    tab.emulate_media(reduced_motion="reduce")
    found["reduced motion"] = tab.evaluate(_wrap(JS_MOVING))
    found["focus"] = _focus_indicators(tab)
    tab.emulate_media(reduced_motion="no-preference")

    tab.add_style_tag(content=TEXT_SPACING)
    found["text spacing"] = tab.evaluate(_wrap(JS_CLIPPED))
    if tab.viewport_size["width"] <= 320:
        found["text spacing"] += tab.evaluate("""() => {
          const extra = document.documentElement.scrollWidth - document.documentElement.clientWidth;
          return extra > 0 ? [`with text spacing the page scrolls sideways by ${extra} px`] : [];
        }""")
    return found


@pytest.fixture(scope="module", params=WIDTHS, ids=lambda width: f"{width}px")
def audit(request, browser, site: Path, site_url: str) -> dict[str, dict[str, list[str]]]:
    """{check: {page: problems}} for every built page at one viewport width."""
    context = browser.new_context(viewport={"width": request.param, "height": HEIGHT})
    tab = context.new_page()
    results: dict[str, dict[str, list[str]]] = {check: {} for check in CHECKS}
    try:
        for path in page_urls(site):
            for check, problems in _audit_page(tab, site_url + path).items():
                if problems:
                    results[check][path or "/"] = problems
    finally:
        context.close()
    return results


def test_axe_finds_no_violation(audit):
    assert not audit["axe"]


def test_no_sideways_scrolling_at_320px(audit):
    assert not audit["reflow"]


def test_text_spacing_clips_nothing(audit):
    assert not audit["text spacing"]


def test_every_focus_stop_shows_a_visible_indicator(audit):
    assert not audit["focus"]


def test_targets_are_at_least_24px_outside_text(audit):
    assert not audit["target size"]


def test_skip_link_moves_past_header_and_nav(audit):
    assert not audit["skip link"]


def test_reduced_motion_stops_transitions_and_animations(audit):
    assert not audit["reduced motion"]


@pytest.mark.parametrize("width", WIDTHS, ids=lambda width: f"{width}px")
def test_open_search_and_drawer_pass_axe(browser, site_url: str, width: int):
    """Material's widgets are hidden until opened, so axe sees their inside only when they are open."""
    context = browser.new_context(viewport={"width": width, "height": HEIGHT})
    tab = context.new_page()
    try:
        tab.goto(site_url)
        found = {}
        if width <= 320:
            # The menu button is the first stop after the skip link, and Enter opens the drawer
            # (Material's own button is a label a keyboard cannot press; header.js fixes that).
            tab.emulate_media(reduced_motion="reduce")
            tab.keyboard.press("Tab")
            tab.keyboard.press("Tab")
            assert tab.evaluate("document.activeElement.getAttribute('aria-label')") == "Navigation"
            tab.keyboard.press("Enter")
            assert tab.get_attribute(".sog-header-button--drawer", "aria-expanded") == "true"
            tab.wait_for_selector(".md-sidebar--primary .md-nav__link >> visible=true")
            found["drawer"] = axe_violations(tab)
            tab.keyboard.press("Escape")
            tab.goto(site_url)
        # Material opens its search when the field gets focus, the way a keyboard reaches it.
        tab.focus(".md-search__input")
        tab.locator(".md-search__input").press_sequentially("insurance")
        tab.wait_for_selector(".md-search-result__item")
        found["search"] = axe_violations(tab)
    finally:
        context.close()
    assert not {widget: problems for widget, problems in found.items() if problems}
