"""Site level: every internal link and anchor in the built site leads somewhere.

Each href and src of every page is resolved against the page's own address, as a browser would;
the file it names must exist (a folder means its index.html) and a #fragment must be an id or a
named anchor in that file. Links to other hosts are checked by test_site.py against the sources.
"""

from __future__ import annotations

import functools
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from support import html_pages

BASE = "http://site.invalid/"
LINKING = {"href", "src"}


class _Page(HTMLParser):
    """The links and the anchor names of one HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.anchors: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in LINKING:
                self.links.append(value)
            elif name == "id" or (tag == "a" and name == "name"):
                self.anchors.add(value)


@functools.cache
def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def _target(site: Path, url: str) -> Path:
    path = site / unquote(urlsplit(url).path).removeprefix("/")
    return path / "index.html" if url.split("#")[0].endswith("/") or path.is_dir() else path


def broken_links(site: Path) -> dict[str, list[str]]:
    """{page: [link: why]} for every internal link that leads nowhere."""
    broken: dict[str, list[str]] = {}
    for page in html_pages(site):
        address = urljoin(BASE, page.relative_to(site).as_posix())
        for link in _parse(page).links:
            url = urljoin(address, link)
            if not url.startswith(BASE):
                continue  # another host, mailto:, tel:, data: or javascript:
            target = _target(site, url)
            fragment = unquote(urlsplit(url).fragment)
            if not target.is_file():
                problem = "no such file"
            elif fragment and target.suffix == ".html" and fragment not in _parse(target).anchors:
                problem = f"no id {fragment!r} in {target.relative_to(site)}"
            else:
                continue
            broken.setdefault(str(page.relative_to(site)), []).append(f"{link}: {problem}")
    return broken


def test_no_internal_link_or_anchor_is_broken(site: Path):
    assert not broken_links(site)


def test_broken_links_are_found(tmp_path: Path):
    (tmp_path / "guide").mkdir()
    (tmp_path / "guide" / "index.html").write_text('<h2 id="why">Why</h2><a href="#why">ok</a>', encoding="utf-8")
    (tmp_path / "index.html").write_text(
        '<a href="guide/">ok</a><a href="guide/#why">ok</a><a href="https://example.org/">other host</a>'
        '<a href="guide/#how">bad anchor</a><a href="missing/">bad page</a><img src="logo.png">',
        encoding="utf-8",
    )
    assert broken_links(tmp_path) == {
        "index.html": [
            "guide/#how: no id 'how' in guide/index.html",
            "missing/: no such file",
            "logo.png: no such file",
        ]
    }
