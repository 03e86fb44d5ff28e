"""Hospital copies: the example copy built from its own config, served by real nginx under a
sub-path with the example config's security headers, then crawled and visited in Chromium."""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest

from support import ROOT, build_site, other_hosts

NGINX_EXAMPLE = ROOT / "examples" / "nginx" / "second-opinion.conf"
PREFIX = "/second-opinion/"
ORGANIZATION_PHONE = "555-0100"


@pytest.fixture(scope="session")
def nginx_url(hospital_site: Path, tmp_path_factory):
    """The example nginx config, pointed at the built copy, listening on a free loopback port."""
    run = tmp_path_factory.mktemp("nginx")
    port = _free_port()
    server = NGINX_EXAMPLE.read_text(encoding="utf-8")
    server = server.replace("/var/www/second-opinion/", f"{hospital_site}/").replace(
        "listen 80;", f"listen 127.0.0.1:{port};"
    )
    (run / "site.conf").write_text(server, encoding="utf-8")
    temp_paths = "\n".join(
        f"  {kind}_temp_path {run}/{kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    (run / "nginx.conf").write_text(
        f"""
user root;
daemon off;
worker_processes 1;
pid {run}/nginx.pid;
error_log {run}/error.log;
events {{}}
http {{
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  access_log off;
{temp_paths}
  include {run}/site.conf;
}}
""",
        encoding="utf-8",
    )
    process = subprocess.Popen(
        [shutil.which("nginx") or "/usr/sbin/nginx", "-c", str(run / "nginx.conf"), "-p", str(run)],
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}{PREFIX}"
    try:
        _wait_for(base, process)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "id" in attributes:
            self.ids.add(attributes["id"])
        for name in ("href", "src"):
            if attributes.get(name) and not (tag == "link" and attributes.get("rel") == "canonical"):
                self.urls.append(attributes[name])


def _crawl(base: str) -> tuple[dict[str, _Links], list[str]]:
    """Every page reachable from `base` by following links, and every broken link found."""
    pages: dict[str, _Links] = {}
    broken: list[str] = []
    queue, seen = [base], {base}
    fragments: list[tuple[str, str, str]] = []
    while queue:
        url = queue.pop()
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                body, kind = response.read(), response.headers.get_content_type()
        except urllib.error.HTTPError as error:
            broken.append(f"{url}: HTTP {error.code}")
            continue
        if kind != "text/html":
            continue
        links = _Links()
        links.feed(body.decode("utf-8"))
        pages[url] = links
        for link in links.urls:
            if link.startswith(("mailto:", "tel:", "data:")):
                continue
            target, fragment = urldefrag(urljoin(url, link))
            if urlsplit(target).netloc != urlsplit(base).netloc:
                continue
            if not target.startswith(base):
                broken.append(f"{url}: {link} leaves {PREFIX}")
                continue
            if fragment:
                fragments.append((url, target, fragment))
            if target not in seen:
                seen.add(target)
                queue.append(target)
    for url, target, fragment in fragments:
        if target in pages and fragment not in pages[target].ids:
            broken.append(f"{url}: #{fragment} is not on {target}")
    return pages, broken


def test_every_link_works_under_a_sub_path(nginx_url: str, hospital_site: Path):
    pages, broken = _crawl(nginx_url)
    assert not broken
    built = {p.relative_to(hospital_site).as_posix() for p in hospital_site.rglob("index.html")}
    assert len(pages) >= len(built) - 1  # every page is reachable by links (404.html is not linked)


def test_security_headers_are_sent(nginx_url: str):
    with urllib.request.urlopen(nginx_url + "checklist/") as response:
        headers = response.headers
    policy = headers["Content-Security-Policy"]
    assert "script-src 'self' 'sha256-" in policy and "unsafe-inline" not in policy
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "camera=()" in headers["Permissions-Policy"]
    for private in ("_headers", "_security/nginx.conf"):
        with pytest.raises(urllib.error.HTTPError, match="404"):
            urllib.request.urlopen(nginx_url + private)


def test_build_files_are_not_served_from_any_edition(nginx_url: str, hospital_site: Path):
    """Each edition (es/) has its own _headers and _security/: none is served, at any depth."""
    for private in ("es/_headers", "es/_security/nginx.conf"):
        (hospital_site / private).parent.mkdir(parents=True, exist_ok=True)
        (hospital_site / private).write_text("private", encoding="utf-8")
        with pytest.raises(urllib.error.HTTPError, match="404"):
            urllib.request.urlopen(nginx_url + private)


def test_the_404_page_works_at_any_missing_address_under_the_sub_path(nginx_url: str):
    """nginx serves 404.html for any missing address, at any depth: its styles, scripts and links
    must still resolve, which they do when the copy's site_url names the path it is served from."""
    for missing in ("no-such-page/", "questions/no/such/page/", "es/no-such-page"):
        with pytest.raises(urllib.error.HTTPError) as error:
            urllib.request.urlopen(nginx_url + missing)
        assert error.value.code == 404
        links = _Links()
        links.feed(error.value.read().decode("utf-8"))
        local = [
            urljoin(nginx_url + missing, url)
            for url in links.urls
            if not url.startswith(("mailto:", "tel:", "data:", "#"))
        ]
        assert any(url.endswith(".css") for url in local)
        for url in local:
            if urlsplit(url).netloc == urlsplit(nginx_url).netloc:
                assert url.startswith(nginx_url), url
                with urllib.request.urlopen(url) as response:
                    assert response.status == 200, url


def test_pages_run_under_the_strict_policy_and_call_no_other_host(nginx_url: str, browser):
    pages, _ = _crawl(nginx_url)
    context = browser.new_context()
    context.add_init_script(
        "window.__violations = [];"
        "document.addEventListener('securitypolicyviolation',"
        " e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    tab = context.new_page()
    requests: list[str] = []
    tab.on("request", lambda request: requests.append(request.url))
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    problems = {}
    for url in sorted(pages):
        tab.goto(url, wait_until="load")
        violations = tab.evaluate("window.__violations")
        if violations:
            problems[url] = violations
    # Search runs in a worker under the same policy: it must still find text from the data.
    tab.goto(nginx_url)
    tab.keyboard.press("/")
    tab.locator("input[data-md-component=search-query]").press_sequentially("pathology", delay=20)
    tab.wait_for_selector(".md-search-result__item", timeout=10_000)
    assert not problems
    assert not errors
    assert not other_hosts(requests, nginx_url)
    context.close()


def test_organization_contacts_are_on_every_page(hospital_site: Path):
    pages = [p for p in hospital_site.rglob("*.html")]
    missing = [
        str(p.relative_to(hospital_site))
        for p in pages
        if f'href="tel:5550100">{ORGANIZATION_PHONE}</a>' not in p.read_text(encoding="utf-8")
    ]
    assert not missing


def test_organization_is_on_the_checklist_result_and_every_sheet(hospital_site: Path):
    from pypdf import PdfReader

    checklist = (hospital_site / "checklist" / "index.html").read_text(encoding="utf-8")
    assert "Arrange a second opinion with Northfield Regional Cancer Center" in checklist
    assert f'Call us on <a href="tel:5550100">{ORGANIZATION_PHONE}</a>' in checklist
    sheets = sorted((hospital_site / "questions").glob("*/index.html"))
    pdfs = sorted((hospital_site / "questions").glob("*.pdf"))
    assert len(sheets) == 6 and len(pdfs) == 12
    for sheet in sheets:
        html = sheet.read_text(encoding="utf-8")
        header = html[html.index('<div class="sog-sheet-header') : html.index("<h1")]
        assert '<p class="sog-sheet-header__name">Northfield Regional Cancer Center</p>' in header
        assert f'To arrange a second opinion, call <a href="tel:5550100">{ORGANIZATION_PHONE}</a>' in header
        logo = header.split('src="')[1].split('"')[0]
        assert (sheet.parent / logo).resolve() == (hospital_site / "assets" / "northfield" / "logo.svg").resolve()
    for path in pdfs:
        # Where a patient sees it first: the top of the first page.
        first = PdfReader(path).pages[0].extract_text()
        assert first.startswith(
            f"Northfield Regional Cancer Center\nTo arrange a second opinion, call {ORGANIZATION_PHONE}"
        ), path.name


def test_sheet_pdfs_show_the_logo_in_the_copys_colour(hospital_site: Path, tmp_path: Path):
    """Read back as a printer would: page one, rendered, has Northfield's teal (#0b5e55) in its
    header (the name, the rule, the logo's backdrop) and the white logo drawn on it."""
    from PIL import Image

    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "50",
            "-png",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(hospital_site / "questions" / "insurer.pdf"),
            str(tmp_path / "page"),
        ],
        check=True,
    )
    image = Image.open(tmp_path / "page.png").convert("RGB")
    header = image.crop((0, 0, image.width, image.height // 6))

    def teal(colour) -> bool:
        return all(abs(a - b) <= 12 for a, b in zip(colour, (11, 94, 85), strict=True))

    assert sum(count for count, colour in header.getcolors(1 << 20) if teal(colour)) > 200
    # The logo's box, at the left: teal, with the white logo inside it as in the site's header.
    left = header.crop((0, 0, header.width // 6, header.height))
    teal_at = [(x, y) for y in range(left.height) for x in range(left.width) if teal(left.getpixel((x, y)))]
    xs, ys = [x for x, _ in teal_at], [y for _, y in teal_at]
    box = left.crop((min(xs), min(ys), max(xs), max(ys)))
    assert (255, 255, 255) in {colour for _, colour in box.getcolors(1 << 20)}


def test_the_logo_in_sheet_pdfs_is_tagged_with_the_organizations_name(hospital_site: Path):
    """A tagged PDF's figure needs a text for screen readers (PDF/UA): the logo's is the name."""
    from pypdf import PdfReader

    def figures(node) -> list:
        node = node.get_object()
        kids = node.get("/K") if hasattr(node, "get") else None
        kids = kids if isinstance(kids, list) else [kids] if kids is not None else []
        own = [node] if hasattr(node, "get") and node.get("/S") == "/Figure" else []
        return own + [f for kid in kids if hasattr(kid.get_object(), "get") for f in figures(kid)]

    for name in ("insurer.pdf", "insurer-large-print.pdf"):
        root = PdfReader(hospital_site / "questions" / name).trailer["/Root"]
        found = figures(root["/StructTreeRoot"])
        assert [figure.get("/Alt") for figure in found] == ["Northfield Regional Cancer Center"], name


def test_sheet_pages_print_the_organization_header_from_the_browser(nginx_url: str, browser):
    """On screen the site's own header names the copy; on paper the sheet's header does, with the
    logo on the copy's colour (printed, as backgrounds are not by default)."""
    context = browser.new_context()
    tab = context.new_page()
    tab.goto(nginx_url + "questions/insurer/")
    header = tab.locator(".sog-sheet-header")
    assert not header.is_visible()
    tab.emulate_media(media="print")
    assert header.is_visible()
    assert tab.locator(".sog-sheet-header__name").evaluate("e => getComputedStyle(e).color") == "rgb(11, 94, 85)"
    logo = tab.locator(".sog-sheet-header__logo")
    assert logo.evaluate("e => e.complete && e.naturalWidth > 0")
    assert logo.evaluate("e => [getComputedStyle(e).backgroundColor, getComputedStyle(e).printColorAdjust]") == [
        "rgb(11, 94, 85)",
        "exact",
    ]
    context.close()


def test_local_content_is_merged(hospital_site: Path):
    guide = (hospital_site / "second-opinions-at-northfield" / "index.html").read_text(encoding="utf-8")
    assert "Call the navigator line" in guide
    sheet = (hospital_site / "questions" / "northfield-navigator" / "index.html").read_text(encoding="utf-8")
    assert "Can you get my records and slides from my current hospital?" in sheet
    assert (hospital_site / "assets" / "northfield" / "logo.svg").is_file()


def test_public_edition_names_no_organization(site: Path):
    html = (site / "index.html").read_text(encoding="utf-8")
    assert "sog-organization" not in html
    assert "Northfield" not in html


def test_two_builds_of_a_commit_are_identical(tmp_path: Path):
    # As a packager would: the time of the commit being built (review dates are never after it).
    commit_time = subprocess.run(
        ["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip() or str(int(time.time()))
    env = {**os.environ, "SOURCE_DATE_EPOCH": commit_time, "NO_MKDOCS_2_WARNING": "1"}
    digests = []
    for name in ("one", "two"):
        subprocess.run(
            [
                str(ROOT / ".venv" / "bin" / "mkdocs"),
                "build",
                "--strict",
                "-q",
                "-f",
                str(ROOT / "mkdocs.yml"),
                "-d",
                str(tmp_path / name),
            ],
            check=True,
            env=env,
            cwd=ROOT,
        )
        digests.append(
            {
                p.relative_to(tmp_path / name).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted((tmp_path / name).rglob("*"))
                if p.is_file()
            }
        )
    assert digests[0] == digests[1]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(url: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"nginx stopped: {process.stderr.read().decode()}")
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.1)
    raise RuntimeError("nginx did not start")


def test_offline_copy_works_from_disk(tmp_path: Path, browser):
    """The copy for disk or USB stick: plain file links, search included, nothing from a network."""
    site = build_site(ROOT / "mkdocs-offline.yml", tmp_path / "offline")
    context = browser.new_context()
    tab = context.new_page()
    requests: list[str] = []
    tab.on("request", lambda request: requests.append(request.url))
    tab.goto((site / "index.html").as_uri())
    with tab.expect_navigation():  # counted on the checklist, not on the page being left
        tab.click("a[href='checklist.html']")
    assert tab.url.endswith("/checklist.html")
    assert tab.locator("input[type=checkbox][data-sog-trigger]").count() >= 15
    tab.check("#trigger-rare-cancer")
    with tab.expect_navigation():
        tab.click(".sog-result__guides a >> nth=0")
    tab.wait_for_selector("h1")
    assert tab.url.endswith(".html") and tab.locator("h1").count() == 1
    assert "ERR_FILE_NOT_FOUND" not in tab.content()
    tab.keyboard.press("/")
    tab.locator("input[data-md-component=search-query]").press_sequentially("pathology", delay=20)
    tab.wait_for_selector(".md-search-result__item", timeout=10_000)
    assert [url for url in requests if not url.startswith(("file:", "data:", "about:"))] == []
    context.close()
