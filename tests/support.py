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
import shutil
import socket
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

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


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def copy_minimal_project(target: Path) -> Path:
    """A project folder whose data/ is a copy of tests/fixtures/minimal, with real schemas."""
    data = target / "data"
    shutil.copytree(FIXTURES / "minimal", data, symlinks=False, ignore=shutil.ignore_patterns("schemas"))
    shutil.copytree(ROOT / "data" / "schemas", data / "schemas")
    shutil.copy(ROOT / "data" / "ui.yml", data / "ui.yml")  # the interface words are not test data
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
    import subprocess

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
