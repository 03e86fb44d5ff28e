"""Question sheets as PDF files, one per sheet in the configured paper size plus a large-print one.

Each PDF is rendered by WeasyPrint from standalone HTML (templates/sheet_pdf.html.j2, autoescaped)
and its own print CSS (templates/sheet_pdf.css), never from the site's pages, so it carries no site
chrome. WeasyPrint may read only this package's own files and a hospital copy's local/docs/ (its
logo): anything else, web or disk, stops the build. The PDFs are tagged (PDF/UA-1) for screen
readers (with pdf_tags' repairs to WeasyPrint's structure tree), carry title, language and author, and
are reproducible: the only date in them is SOURCE_DATE_EPOCH's (none when it is unset) and the
file identifier is a hash of the content.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import os
import re
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import weasyprint
from markupsafe import Markup
from weasyprint.urls import FatalURLFetchingError, URLFetcher

from . import local, pdf_tags
from .model import Content, Download, Sheet
from .render import review_status, sheet_address
from .settings import PAPERS, Settings
from .templating import css_string, render_template

PACKAGE = Path(__file__).resolve().parent
TEMPLATES = PACKAGE / "templates"
STYLESHEET = TEMPLATES / "sheet_pdf.css"

OPTIONS = {"pdf_variant": "pdf/ua-1", "pdf_identifier": True}
_ENTRY = re.compile(r"[0-9a-f]{64}-(?P<pages>[0-9]{1,4})-(?P<sha256>[0-9a-f]{64})\.pdf")


class PdfError(ValueError):
    """A sheet could not become a PDF; the message says what to change."""


@dataclasses.dataclass(frozen=True)
class Rendered:
    download: Download
    data: bytes


def sheet_pdfs(content: Content, site: Settings) -> list[Rendered]:
    """Every sheet as a PDF on the site's paper and as a large-print PDF, in the order of sheets.yml.

    The site's `pdf_cache` is a folder of PDFs named by the hash of everything that goes into them, so a rebuild
    in `mkdocs serve` re-renders only sheets whose text or layout changed (WeasyPrint takes about
    a second a sheet, the cache a millisecond).
    """
    result = []
    stylesheet = Markup(STYLESHEET.read_text(encoding="utf-8"))  # read per build: `mkdocs serve` sees edits
    for sheet in content.sheets.values():
        for large_print in (False, True):
            html = sheet_html(content, sheet, site, large_print=large_print, stylesheet=stylesheet)
            folders = [folder for folder in [local.docs(site.local_dir)] if folder]
            data, pages = _cached(html, site.pdf_cache, folders) if site.pdf_cache else render_pdf(html, folders)
            name = f"{sheet.id}-large-print.pdf" if large_print else f"{sheet.id}.pdf"
            result.append(
                Rendered(
                    Download(
                        sheet=sheet.id,
                        path=f"questions/{name}",
                        paper=PAPERS[site.paper][1],
                        large_print=large_print,
                        pages=pages,
                        size=len(data),
                    ),
                    data,
                )
            )
    return result


def sheet_html(content: Content, sheet: Sheet, site: Settings, *, large_print: bool, stylesheet: Markup) -> str:
    """The standalone HTML a sheet's PDF is rendered from, in the content's language."""
    return render_template(
        "sheet_pdf.html.j2",
        content=content,
        sheet=sheet,
        site=site,
        language=content.language,
        large_print=large_print,
        page_size=PAPERS[site.paper][0],
        page_counter=_page_counter(content.ui["pdf_page_count"]),
        status=review_status(content.question_review, content.sheet_review),
        created=_source_date(),
        stylesheet=stylesheet,
        logo=_logo(site),
        colours=local.colours(site.local_dir),
        **sheet_address(sheet, site),
    )


def _logo(site: Settings) -> dict | None:
    """The copy's logo as the PDF reads it (through OwnFilesFetcher), with a hash of its bytes: the
    PDF cache is keyed by the HTML, so a changed logo makes new PDFs."""
    if not site.logo:
        return None
    return {"src": site.logo.as_uri(), "version": hashlib.sha256(site.logo.read_bytes()).hexdigest()[:16]}


def render_pdf(html: str, folders: list[Path] | tuple[Path, ...] = ()) -> tuple[bytes, int]:
    """The PDF of `html` and its page count. It may read this package's files and those in
    `folders`: a hospital copy's local/docs/, where its logo is."""
    fetcher = OwnFilesFetcher(PACKAGE, *folders)
    try:
        document = weasyprint.HTML(string=html, base_url=TEMPLATES.as_uri() + "/", url_fetcher=fetcher).render()
        return document.write_pdf(finisher=pdf_tags.finish, **OPTIONS), len(document.pages)
    except FatalURLFetchingError as error:
        raise PdfError(str(error.__cause__ or error)) from None


class OwnFilesFetcher(URLFetcher):
    """Lets WeasyPrint read files inside the given folders and refuses everything else.

    Sheet text comes from YAML that many people edit; whatever ends up in the HTML must never
    make the build read another file on the machine or reach the network.
    """

    def __init__(self, *folders: Path):
        super().__init__(allowed_protocols={"file"}, allow_redirects=False, fail_on_errors=True)
        self.folders = tuple(folder.resolve() for folder in folders)

    def fetch(self, url: str, headers: object = None) -> Any:
        parts = urlsplit(url)
        path = (
            Path(unquote(parts.path)).resolve()
            if parts.scheme == "file" and parts.netloc in ("", "localhost")
            else None
        )
        if path is None or not any(path.is_relative_to(folder) for folder in self.folders):
            raise PdfError(
                f"a question sheet PDF tried to fetch {url}; PDFs may use only the files in "
                f"{', '.join(map(str, self.folders))}"
            )
        return super().fetch(url, headers)


def _cached(html: str, cache: Path, folders: list[Path]) -> tuple[bytes, int]:
    """The PDF of `html` from the cache, or rendered and added to it.

    An entry is named KEY-PAGES-SHA256.pdf: KEY the hash of what made it, SHA256 the hash of its
    own bytes, checked on every read, so a truncated or altered file is rendered again, never
    published. Entries are written under a unique temporary name and renamed into place, so two
    builds at once (or a killed one) never leave or read half a file."""
    repairs = Path(pdf_tags.__file__).read_text(encoding="utf-8")
    key = hashlib.sha256(f"{weasyprint.__version__}\n{sorted(OPTIONS.items())}\n{repairs}\n{html}".encode()).hexdigest()
    for hit in sorted(cache.glob(f"{key}-*.pdf")):
        entry = _ENTRY.fullmatch(hit.name)
        if not entry:
            continue  # not a name this module writes: never read
        try:
            data = hit.read_bytes()
        except OSError:
            continue
        if hashlib.sha256(data).hexdigest() == entry.group("sha256"):
            return data, int(entry.group("pages"))
        hit.unlink(missing_ok=True)  # truncated or altered
    data, pages = render_pdf(html, folders)
    partial = None
    try:
        cache.mkdir(parents=True, exist_ok=True)
        descriptor, partial = tempfile.mkstemp(dir=cache, prefix=f".{key}-", suffix=".partial")
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
        os.replace(partial, cache / f"{key}-{pages}-{hashlib.sha256(data).hexdigest()}.pdf")
    except OSError:  # a cache that cannot be written (a full or read-only disk) only costs time
        if partial:
            Path(partial).unlink(missing_ok=True)
    return data, pages


def _page_counter(text: str) -> Markup:
    """A CSS `content` value for "Page {page} of {pages}" in any language: the words as CSS
    strings, the numbers as WeasyPrint's page counters."""
    parts = re.split(r"(\{page\}|\{pages\})", text)
    counters = {"{page}": "counter(page)", "{pages}": "counter(pages)"}
    return Markup(" ".join(counters.get(part) or css_string(part) for part in parts if part))


def _source_date() -> str | None:
    """SOURCE_DATE_EPOCH as a W3C date-time for the PDF's creation date; None leaves the date out."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        return None
    return datetime.datetime.fromtimestamp(int(epoch), datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
