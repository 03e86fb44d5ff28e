"""Question sheets as PDF files, one per sheet in the configured paper size plus a large-print one.

Each PDF is rendered by WeasyPrint from standalone HTML (templates/sheet_pdf.html.j2, autoescaped)
and its own print CSS (templates/sheet_pdf.css), never from the site's pages, so it carries no site
chrome. WeasyPrint may read only this package's own files and a hospital copy's local/docs/ (its
logo): anything else, web or disk, stops the build. The PDFs are tagged (PDF/UA-1) for screen
readers (with pdf_tags' repairs to WeasyPrint's structure tree), carry title, language and author, and
are reproducible: the only date in them is SOURCE_DATE_EPOCH's (none when it is unset) and the
file identifier is a hash of the content.

WeasyPrint itself is imported (pdf_engine.py) only when a PDF is not in the cache, and the PDFs
that must be made are rendered in parallel, one process a core.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import hashlib
import importlib.metadata
import os
import re
import tempfile
from pathlib import Path

from markupsafe import Markup

from . import local
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
    htmls = {
        (sheet.id, large_print): sheet_html(content, sheet, site, large_print=large_print, stylesheet=stylesheet)
        for sheet in content.sheets.values()
        for large_print in (False, True)
    }
    folders = tuple(folder for folder in [local.docs(site.local_dir)] if folder)
    cache = site.pdf_cache
    keys = {item: _key(html) for item, html in htmls.items()}
    found = {item: _cache_hit(keys[item], cache) if cache else None for item in htmls}
    missing = [item for item, hit in found.items() if hit is None]
    for item, made in zip(missing, render_pdfs([htmls[item] for item in missing], folders), strict=True):
        if cache:
            _cache_store(keys[item], cache, *made)
        found[item] = made
    for (sheet_id, large_print), hit in found.items():
        assert hit is not None  # every miss was rendered above
        data, pages = hit
        name = f"{sheet_id}-large-print.pdf" if large_print else f"{sheet_id}.pdf"
        result.append(
            Rendered(
                Download(
                    sheet=sheet_id,
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


def render_pdf(html: str, folders: tuple[Path, ...] = ()) -> tuple[bytes, int]:
    """The PDF of `html` and its page count. It may read this package's files and those in
    `folders`: a hospital copy's local/docs/, where its logo is."""
    from . import pdf_engine  # WeasyPrint loads only when a PDF is rendered

    return pdf_engine.render(html, folders)


def render_pdfs(htmls: list[str], folders: tuple[Path, ...] = ()) -> list[tuple[bytes, int]]:
    """The PDFs of `htmls`, in order, rendered on every core this process may use. Each worker is
    a fresh process ("spawn"): forking `mkdocs serve`, which runs threads, could copy a held lock.
    The PDFs are the same bytes as rendered one by one (tests/site/test_sheets.py)."""
    workers = min(len(htmls), _cores())
    if workers <= 1:
        return [render_pdf(html, folders) for html in htmls]
    import concurrent.futures
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(workers, mp_context=context) as pool:
        return list(pool.map(render_pdf, htmls, [folders] * len(htmls)))


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


@functools.cache
def _renderer() -> str:
    """What else makes the PDF: the versions of WeasyPrint and its PDF writer (from their package
    metadata, so the cache is read without importing them), the options and pdf_tags' repairs."""
    versions = [importlib.metadata.version(name) for name in ("weasyprint", "pydyf")]
    repairs = (PACKAGE / "pdf_tags.py").read_text(encoding="utf-8")
    return f"{versions}\n{sorted(OPTIONS.items())}\n{repairs}"


def _key(html: str) -> str:
    return hashlib.sha256(f"{_renderer()}\n{html}".encode()).hexdigest()


def _cache_hit(key: str, cache: Path) -> tuple[bytes, int] | None:
    """The PDF stored under `key` and its page count, if intact.

    An entry is named KEY-PAGES-SHA256.pdf: KEY the hash of what made it, SHA256 the hash of its
    own bytes, checked on every read, so a truncated or altered file is rendered again, never
    published."""
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
    return None


def _cache_store(key: str, cache: Path, data: bytes, pages: int) -> None:
    """Adds a PDF to the cache, written under a unique temporary name and renamed into place, so
    two builds at once (or a killed one) never leave or read half a file."""
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
