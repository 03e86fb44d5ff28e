"""Helpers shared by the tests: project paths, real builds, a static file server, Chromium and axe-core.

Tests import these by name; fixtures that use them live in conftest.py."""

from __future__ import annotations

import contextlib
import datetime
import functools
import gzip
import http.server
import io
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
# The minimal fixture was reviewed on 2026-01-10; checks that depend on today use this date.
TODAY = datetime.date(2026, 11, 21)

# The browser the tests drive: Debian's Chromium, unless CHROMIUM names another Chromium or Chrome,
# or is "playwright" for the one `python -m playwright install chromium` downloads (see the README).
CHROMIUM = os.environ.get("CHROMIUM") or "/usr/bin/chromium"
# Without the networking flags Chromium calls Google's services at start; there is no internet
# here, and a test of "no third-party requests" must only see the page's own.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


class _GzipHandler(_QuietHandler):
    """Compresses text files as web servers do (nginx's gzip on), for measurements like
    Lighthouse's that should see what a reader's browser would download."""

    def send_head(self):
        target = Path(self.translate_path(self.path))
        if target.is_dir() and not self.path.split("?")[0].endswith("/"):
            return super().send_head()  # the redirect to the folder's address
        path = target / "index.html" if target.is_dir() else target
        if (
            "gzip" not in self.headers.get("Accept-Encoding", "")
            or path.suffix not in COMPRESSIBLE
            or not path.is_file()
        ):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


COMPRESSIBLE = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt"}


class _Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request: socket.socket | tuple[bytes, socket.socket], client_address: object) -> None:
        # A browser that closes a connection early (a page it left) is not an error of the site.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextlib.contextmanager
def serve(root: Path, prefix: str = "/", *, compress: bool = False) -> Iterator[str]:
    """Serve `root` on a free loopback port; yields the base URL (ending in `prefix`)."""
    handler = functools.partial(_GzipHandler if compress else _QuietHandler, directory=str(root))
    server = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def launch_chromium() -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=None if CHROMIUM == "playwright" else CHROMIUM, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


def chromium_executable() -> str:
    """The path of the browser the tests drive (the benchmark's Lighthouse runs it too)."""
    if CHROMIUM != "playwright":
        return CHROMIUM
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        return playwright.chromium.executable_path


def axe_violations(page: Page) -> list[str]:
    """axe-core's WCAG 2.2 AA and best-practice violations on the page, one line each."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])}x, e.g. {v['nodes'][0]['target']})"
        for v in results.response["violations"]
    ]


def other_hosts(urls: list[str], base_url: str) -> list[str]:
    """The URLs that go anywhere but the site's own host."""
    own = urlsplit(base_url).netloc
    return [
        url for url in urls if urlsplit(url).scheme in ("http", "https", "ws", "wss") and urlsplit(url).netloc != own
    ]


def pdf_page_image(pdf: Path, page: int, out: Path, *, dpi: int = 150) -> Path:
    """Page `page` (1-based) of a PDF as a PNG file, drawn by poppler's pdftoppm."""
    import subprocess

    stem = out.with_suffix("")
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile", str(pdf), str(stem)],
        check=True,
    )
    return stem.with_suffix(".png")


def qr_codes(image: Path) -> list[str]:
    """The text of every QR code in an image, read by zbarimg (Debian's zbar-tools), as a phone's
    camera would read the paper."""
    import subprocess

    result = subprocess.run(
        ["zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", str(image)], capture_output=True, text=True
    )
    # zbarimg exits 4 when it finds no code: that is an empty answer, not an error.
    if result.returncode not in (0, 4):
        raise RuntimeError(result.stderr)
    return result.stdout.splitlines()


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def copy_minimal_project(target: Path) -> Path:
    """A project folder whose data/ is a copy of tests/fixtures/minimal, with real schemas."""
    data = target / "data"
    shutil.copytree(FIXTURES / "minimal", data, symlinks=False, ignore=shutil.ignore_patterns("schemas"))
    shutil.copytree(ROOT / "data" / "schemas", data / "schemas")
    shutil.copy(ROOT / "data" / "ui.yml", data / "ui.yml")  # the interface words are not test data
    shutil.copy(ROOT / "data" / "helplines.yml", data / "helplines.yml")  # nor are the helplines
    return target


def build_site(config_file: Path, site_dir: Path) -> Path:
    """A real `mkdocs build --strict` of `config_file` into `site_dir`, in this process."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    build(load_config(str(config_file), site_dir=str(site_dir), strict=True))
    return site_dir


def full_project(minimal_project: Path) -> Path:
    """The minimal data as a whole project: the real config, hooks and templates, a home page, and
    the pages the generated ones link to (which the shipped data has and the minimal data has not)."""
    import yaml

    from second_opinion.settings import load_config

    for folder in ("hooks", "overrides"):
        shutil.copytree(ROOT / folder, minimal_project / folder, ignore=shutil.ignore_patterns("__pycache__"))
    (minimal_project / "mkdocs.yml").write_text(yaml.safe_dump(load_config(ROOT / "mkdocs.yml")), encoding="utf-8")
    docs = minimal_project / "docs"
    shutil.copytree(ROOT / "docs" / "assets", docs / "assets")
    for name, title in [
        ("index.md", "Home"),
        ("about.md", "About"),
        ("when-opinions-differ.md", "When opinions differ"),
    ]:
        (docs / name).write_text(f"# {title}\n", encoding="utf-8")
    return minimal_project


def printed(tab: Page, paper: str) -> tuple[int, str]:
    """The page as the browser prints it on `paper` ("Letter" or "A4"): its number of pages and
    its text in the order it was written (pdftotext -raw), so a table cell reads as one piece."""
    from pypdf import PdfReader

    tab.emulate_media(media="print")
    data = tab.pdf(format=paper, prefer_css_page_size=True)
    tab.emulate_media(media="screen")
    text = subprocess.run(["pdftotext", "-raw", "-", "-"], input=data, capture_output=True, check=True).stdout
    return len(PdfReader(io.BytesIO(data)).pages), text.decode("utf-8")


def printed_text_sizes(tab: Page, selector: str) -> dict[str, float]:
    """The font size (CSS px; 16 px is 12 pt) each printed text under `selector` has: {text: size}
    for every element that holds words of its own, in print media."""
    tab.emulate_media(media="print")
    sizes = tab.eval_on_selector_all(
        f"{selector} *",
        """nodes => Object.fromEntries(nodes
            .filter(node => node.checkVisibility()
                && [...node.childNodes].some(child => child.nodeType === 3 && child.textContent.trim()))
            .map(node => [node.textContent.trim().slice(0, 60), parseFloat(getComputedStyle(node).fontSize)]))""",
    )
    tab.emulate_media(media="screen")
    return sizes


def with_security_headers(context: BrowserContext, site: Path) -> str:
    """Serve every response of `context` with the Content-Security-Policy the build wrote for
    hosts (site/_headers), as a host would send it; returns the policy."""
    policy = next(
        line.split(":", 1)[1].strip()
        for line in (site / "_headers").read_text(encoding="utf-8").splitlines()
        if line.strip().startswith("Content-Security-Policy:")
    )

    def handle(route):
        response = route.fetch()
        route.fulfill(response=response, headers={**response.headers, "content-security-policy": policy})

    context.route("**/*", handle)
    return policy


def project_copy(target: Path) -> Path:
    """A fresh copy of the project as an editor or a hospital has it: content, pages, machinery,
    the example copy and every config, without built sites, caches or installed packages."""
    skip = shutil.ignore_patterns("__pycache__", "site", "site-offline", ".cache")
    for folder in ("data", "docs", "hooks", "overrides", "examples"):
        shutil.copytree(ROOT / folder, target / folder, ignore=skip)
    for config in ROOT.glob("mkdocs*.yml"):
        shutil.copy(config, target / config.name)
    return target


def run_check(project: Path, *args: str, hooks: Path | None = None) -> subprocess.CompletedProcess:
    """`make check` (with CONFIG=... as `--config ...` among `args`) in a copy of the project: its
    own hooks/ on the path, as the Makefile sets it, so the copy's data/ is the core content (a
    bare data folder, like the minimal fixture's, borrows the project's `hooks`)."""
    return subprocess.run(
        [sys.executable, "-m", "second_opinion", *args],
        cwd=project,
        env={**os.environ, "PYTHONPATH": str(hooks or project / "hooks"), "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        timeout=300,
    )


def latest_review(data: Path) -> datetime.date:
    """The latest review date in a data folder (a file's `reviewed`, or a clinical review's `date` in
    reviewers.yml): on that day nothing is in the future and, with yearly reviews, nothing is
    overdue, so a check on it shows only what a test changed."""
    dates = re.findall(
        r"^(?:reviewed|\s+date): (\d{4}-\d{2}-\d{2})",
        "\n".join(path.read_text(encoding="utf-8") for path in sorted(data.rglob("*.yml"))),
        re.MULTILINE,
    )
    return max(datetime.date.fromisoformat(day) for day in dates)


# The checklist's length as a reader meets it (issue 13), measured in Chromium: printed by
# `make benchmark` and kept from growing by tests/browser/test_checklist.py. Counts, not times.
# Measured on 2026-11-29 at 57 words, 43 Tab stops (two per statement and "See my result") and
# 5.5 screens (from 76 Tab stops and 8.7 screens), then 73 words and 5.7 screens once the page
# said its review status at the top ("Clinical review pending", issue 11). A budget is raised
# only on purpose, say for a new statement, never to let the page drift longer.
CHECKLIST_BUDGETS = {
    "words before the first checkbox": 75,
    "Tab stops inside the form": 45,
    "screens to the result at 320 px": 6.0,
}
CHECKLIST_SCREEN: ViewportSize = {"width": 320, "height": 640}


def checklist_figures(page: Page, url: str) -> dict[str, float]:
    """Words before the first checkbox, Tab stops inside the form, and screens down to the result,
    on the checklist at `url` opened in `page` at CHECKLIST_SCREEN with nothing ticked."""
    page.set_viewport_size(CHECKLIST_SCREEN)
    page.goto(url)
    page.locator("[data-sog-result]").wait_for()
    words = page.evaluate("""() => {
        const first = document.querySelector("input[data-sog-trigger]");
        const walker = document.createTreeWalker(document.querySelector("article"), NodeFilter.SHOW_TEXT);
        let words = 0;
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            if (node.compareDocumentPosition(first) & Node.DOCUMENT_POSITION_PRECEDING) break;
            if (node.parentElement.checkVisibility()) words += node.textContent.split(/\\s+/).filter(Boolean).length;
        }
        return words;
    }""")
    page.click("article h1")  # the next Tab goes on from here
    stops = 0
    for _ in range(500):
        page.keyboard.press("Tab")
        inside = page.evaluate("document.activeElement.closest('[data-sog-checklist] form') !== null")
        if stops and not inside:
            break
        stops += inside
    screens = page.evaluate("""() => (document.querySelector("[data-sog-result]").getBoundingClientRect().top
                                    + window.scrollY) / window.innerHeight""")
    return {
        "words before the first checkbox": words,
        "Tab stops inside the form": stops,
        "screens to the result at 320 px": round(screens, 1),
    }


def hostile_project(minimal_project: Path) -> Path:
    """full_project with a Spanish edition (mkdocs.es.yml, no translations yet) and a hospital's
    copy (hospital/mkdocs.yml, with an empty local/ folder), for attacks through every channel."""
    project = full_project(minimal_project)
    (project / "mkdocs.es.yml").write_text(
        "INHERIT: mkdocs.yml\nsite_name: Guía\nsite_dir: site/es\ntheme:\n  language: es\n", encoding="utf-8"
    )
    hospital = project / "hospital"
    (hospital / "local" / "docs").mkdir(parents=True)
    (hospital / "mkdocs.yml").write_text(
        """\
INHERIT: ../mkdocs.yml
site_name: Example Hospital Second Opinion Guide
site_dir: site
docs_dir: ../docs
copyright: Example Hospital.
theme:
  name: material
  custom_dir: ../overrides
hooks:
  - ../hooks/content.py
  - ../hooks/headers.py
watch:
  - ../data
  - local
extra:
  organization:
    name: Example Hospital
    phone: "555-0100"
    website: https://hospital.example/second-opinions
  local_content: local
""",
        encoding="utf-8",
    )
    return project


def apply_edits(project: Path, edits: list[dict]) -> None:
    """Edit files of `project` as a fixture case says: `find` -> `replace` (text, or a list of
    texts and {repeat, times} runs), or a whole new file's `text`."""
    for edit in edits:
        path = project / edit["file"]
        if "text" in edit:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(edit["text"], encoding="utf-8")
            continue
        replace = edit["replace"]
        if isinstance(replace, list):
            replace = "".join(part if isinstance(part, str) else part["repeat"] * part["times"] for part in replace)
        text = path.read_text(encoding="utf-8")
        assert edit["find"] in text, f"{edit['file']} no longer has the text this case edits: {edit['find']!r}"
        path.write_text(text.replace(edit["find"], replace, 1), encoding="utf-8")
