"""Every edition (English, Spanish) and a hospital's copy, built for real with the hostile inputs
the build accepts (tests/fixtures/hostile.yml, `browser: true`), loaded page by page in Chromium
with no Content-Security-Policy at all: nothing the inputs carry may run or lie in wait."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from support import FIXTURES, apply_edits, build_site, hostile_project, html_pages, serve

CASES = [case for case in yaml.safe_load((FIXTURES / "hostile.yml").read_text(encoding="utf-8")) if case.get("browser")]

# Every attribute that can run code or load a document, and every element attribute named on*.
_LIVE_MARKUP = """() => {
  const found = [];
  for (const element of document.querySelectorAll("*")) {
    for (const attribute of element.attributes) {
      const name = attribute.name.toLowerCase();
      if (name.startsWith("on")) found.push(`${element.tagName} ${name}=${attribute.value}`);
      if (["href", "src", "action", "formaction", "xlink:href", "data", "srcdoc"].includes(name)
          && /^[\\s\\u0000-\\u001f]*(javascript|vbscript|data):/i.test(attribute.value.replace(/[\\t\\n\\r]/g, "")))
        found.push(`${element.tagName} ${name}=${attribute.value}`);
    }
  }
  return found;
}"""


@pytest.fixture(scope="module")
def hostile_sites(tmp_path_factory) -> dict[str, Path]:
    """The three built sites, by name."""
    from support import copy_minimal_project

    assert {case.get("config", "mkdocs.yml") for case in CASES} == {"mkdocs.yml", "hospital/mkdocs.yml"}
    assert any(case.get("language") == "es" for case in CASES)
    project = hostile_project(copy_minimal_project(tmp_path_factory.mktemp("hostile")))
    for case in CASES:
        apply_edits(project, case["edits"])
    english = build_site(project / "mkdocs.yml", project / "site")
    spanish = build_site(project / "mkdocs.es.yml", english / "es")
    hospital = build_site(project / "hospital" / "mkdocs.yml", project / "hospital" / "site")
    return {"english": english, "spanish": spanish, "hospital": hospital}


@pytest.mark.parametrize("name", ["english", "spanish", "hospital"])
def test_nothing_from_the_hostile_inputs_runs_on_any_page(hostile_sites, browser, name: str):
    root = hostile_sites[name]
    pages = [p for p in html_pages(root) if name == "spanish" or "es" not in p.relative_to(root).parts]
    assert len(pages) >= 8
    context = browser.new_context(bypass_csp=True)  # as if no policy were sent or written
    dialogs: list[str] = []
    found: dict[str, list[str]] = {}
    with serve(root) as url:
        for path in pages:
            tab = context.new_page()
            tab.on("dialog", lambda dialog, path=path: (dialogs.append(f"{path}: {dialog.message}"), dialog.dismiss()))
            tab.goto(url + path.relative_to(root).as_posix(), wait_until="load")
            tab.wait_for_timeout(50)  # let any handler, timer or late script fire
            if live := tab.evaluate(_LIVE_MARKUP):
                found[path.relative_to(root).as_posix()] = live
            assert tab.evaluate("typeof window.__sog_ran") == "undefined"
            tab.close()
    context.close()
    assert not dialogs
    assert not found


def test_the_hostile_text_is_shown_as_typed(hostile_sites, browser):
    context = browser.new_context(bypass_csp=True)
    tab = context.new_page()
    with serve(hostile_sites["english"]) as url:
        tab.goto(url + "checklist/")
        label = tab.locator("label[for='trigger-rare-cancer']").inner_text()
        assert label.startswith("<img src=x onerror=alert(1)><script>alert(2)</script>")
    with serve(hostile_sites["hospital"]) as url:
        tab.goto(url)
        assert tab.title().startswith('Example" onmouseover="alert(9)" x="</title><script>alert(10)</script>')
        assert "Example Hospital</span><script>alert(8)</script>" in tab.locator("footer").inner_text()
    with serve(hostile_sites["spanish"]) as url:
        tab.goto(url)
        assert "Guías</span><script>alert(5)</script>" in tab.locator("nav.md-nav--primary").inner_text()
    context.close()
