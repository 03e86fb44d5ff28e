"""Site level: page weight budgets, checked on bytes, never on time.

First view of every page: the HTML and every file the browser fetches to show it (CSS, JavaScript,
images, fonts), each as a server would send it gzip-compressed, at most 100 KB. Which files a page
fetches is taken from Chromium itself, in a fresh profile, so nothing loaded by script is missed.
Of that, our own JavaScript and our own CSS (docs/assets/) are at most 10 KB each on any page: a
component's files load only on the pages that use it. The QR encoder vendored for My questions
may add at most 8 KB, and only when a list is made there.

The search index is budgeted on its own, not per page. Material 9.8 starts its search worker on
page load and the worker fetches search/search_index.json in the background right away, not on the
first search; but it is one file for the whole site, downloaded once and then cached for every
other page, after the page is already readable, and it grows with the content, not with any page.
Counting it per page would make adding a guide look like making every page heavier. The same goes
for what the worker fetches once it has the index: in the Spanish edition, lunr's stemmer for
Spanish. Those arrive after the index, so whether a first view sees them is a matter of timing.
"""

from __future__ import annotations

import gzip
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from support import ROOT, html_pages

KB = 1000
PAGE_BUDGET = 100 * KB
OWN_JS_BUDGET = 10 * KB
OWN_CSS_BUDGET = 10 * KB
QR_ENCODER_BUDGET = 8 * KB
QR_ENCODER = "assets/vendor/lean-qr/lean-qr.js"
SEARCH_INDEX_BUDGET = 50 * KB
SEARCH_INDEX = "search/search_index.json"
# Files the search worker fetches for itself, in every edition (each has its own, at LANG/...).
SEARCH_FILES = (SEARCH_INDEX, "assets/javascripts/lunr/")
REQUEST_LIMIT = 60_000  # ms
# Formats that are compressed already: servers send them as they are.
PRECOMPRESSED = {".png", ".jpg", ".jpeg", ".webp", ".avif", ".gif", ".woff", ".woff2", ".pdf", ".gz"}


def transferred(path: Path) -> int:
    """The bytes a server sends for `path`: gzip (level 6, the usual server default) where it helps."""
    data = path.read_bytes()
    return len(data) if path.suffix in PRECOMPRESSED else len(gzip.compress(data, compresslevel=6, mtime=0))


def first_view(browser, site: Path, site_url: str, page: str) -> dict[str, int]:
    """{file: bytes transferred} for one page opened in a fresh browser profile, search index aside."""
    context = browser.new_context()
    tab = context.new_page()
    urls: list[str] = []
    tab.on("request", lambda request: urls.append(request.url))
    try:
        # The search index is the last thing a page asks for (its worker comes first), so once it
        # is requested the first view is complete; waiting for the network to go idle costs 0.5 s.
        # The limit only stops a page that never asks from hanging the test: how fast a page
        # loads is measured in benchmarks/, never here.
        with tab.expect_request(lambda request: request.url.endswith(SEARCH_INDEX), timeout=REQUEST_LIMIT):
            tab.goto(site_url + page)
        tab.wait_for_load_state("load")
        # The browser asks for the page's icon after the page, sooner or later: counted as declared,
        # so the figure does not depend on how busy the machine is.
        if icon := tab.evaluate("document.querySelector('link[rel~=icon]')?.href"):
            urls.append(icon)
    finally:
        context.close()
    files = {}
    for url in urls:
        if not url.startswith(site_url):
            continue  # test_site.py makes sure there are none
        relative = unquote(urlsplit(url).path).removeprefix(urlsplit(site_url).path) or "index.html"
        path = site / relative
        path = path / "index.html" if path.is_dir() else path
        if not any(search in relative for search in SEARCH_FILES):
            files[str(path.relative_to(site))] = transferred(path)
    return files


def first_views(browser, site: Path, site_url: str) -> dict[str, dict[str, int]]:
    """{page: {file: bytes}} on first view, for every built page."""
    views = {}
    for path in html_pages(site):
        page = path.relative_to(site).as_posix().removesuffix("index.html")
        views[page or "/"] = first_view(browser, site, site_url, page)
    return views


def page_weights(browser, site: Path, site_url: str) -> dict[str, int]:
    """{page: total bytes on first view} for every built page (benchmarks/run.py prints them)."""
    return {page: sum(files.values()) for page, files in first_views(browser, site, site_url).items()}


@pytest.fixture(scope="module", name="first_views")
def first_views_fixture(browser, site: Path, site_url: str) -> dict[str, dict[str, int]]:
    return first_views(browser, site, site_url)


def own(files: dict[str, int], folder: str) -> int:
    """The bytes of our own files in docs/assets/FOLDER (in any edition) among `files`."""
    ours = {path.name for path in (ROOT / "docs" / "assets" / folder).iterdir()}
    return sum(size for name, size in files.items() if f"assets/{folder}/" in name and Path(name).name in ours)


def test_every_page_is_at_most_100_kb_on_first_view(first_views):
    weights = {page: sum(files.values()) for page, files in first_views.items()}
    assert weights and not {page: weight for page, weight in weights.items() if weight > PAGE_BUDGET}


@pytest.mark.parametrize(("folder", "budget"), [("javascripts", OWN_JS_BUDGET), ("stylesheets", OWN_CSS_BUDGET)])
def test_our_own_scripts_and_styles_fit_their_budget_on_every_page(first_views, folder: str, budget: int):
    loaded = {page: own(files, folder) for page, files in first_views.items()}
    assert all(loaded.values()), "every page loads some of our own files"
    assert not {page: size for page, size in loaded.items() if size > budget}


def test_the_qr_encoder_fits_its_budget_and_no_page_loads_it_on_first_view(first_views):
    """My questions loads it once there is a list to print (test_my_questions.py sees that)."""
    assert not {page for page, files in first_views.items() if any(name.endswith(QR_ENCODER) for name in files)}
    assert transferred(ROOT / "docs" / QR_ENCODER) <= QR_ENCODER_BUDGET


def test_first_view_counts_what_the_page_loads(browser, site: Path, site_url: str):
    files = first_view(browser, site, site_url, "")
    assert "index.html" in files and SEARCH_INDEX not in files
    assert any(name.endswith(".css") for name in files) and any(name.endswith(".js") for name in files)


def test_search_index_fits_its_budget(site: Path):
    assert transferred(site / SEARCH_INDEX) <= SEARCH_INDEX_BUDGET
