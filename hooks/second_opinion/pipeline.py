"""The whole generation, in order: load and check the content, make the sheet PDFs, render the
pages. The MkDocs hook and the `write` command both call `generate`, so a site built by MkDocs
and pages written out for another builder are the same."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from . import load, pdf, quality, render, translations
from .model import Content
from .problems import ContentError


@dataclasses.dataclass(frozen=True)
class Generated:
    content: Content
    report: quality.Report
    pages: dict[str, str]  # path under docs/ -> Markdown
    files: dict[str, bytes]  # path under docs/ -> file (the PDFs)
    nav_titles: dict[str, str]  # English navigation titles -> the edition's


# The language content is written in; a translated edition falls back to it, text by text.
SOURCE_LANGUAGE = "en"


def generate(
    data_dir: Path,
    site: render.Site,
    *,
    root: Path,
    local_dir: Path | None,
    paper: str,
    language: str,
    pdf_cache: Path | None,
) -> Generated:
    """Everything the site adds to docs/ in `language`, or ContentError naming every problem to fix.

    Only the quality gates' errors stop here: overdue and soon-due reviews are in the report, for
    the caller to show (a page says when it is overdue; a site must keep building)."""
    content = load.load(data_dir, today=site.today, root=root, local_dir=local_dir)
    report = quality.check(content, [data_dir, *filter(None, [local_dir])], today=site.today, root=root)
    if report.errors:
        raise ContentError(list(report.errors))
    english_ui = content.ui
    if language != SOURCE_LANGUAGE:
        content = translations.translate(content, data_dir, language, root=root).content
    pdfs = pdf.sheet_pdfs(content, site, paper=paper, cache=pdf_cache)
    downloads: dict[str, list] = {}
    for item in pdfs:
        downloads.setdefault(item.download.sheet, []).append(item.download)
    nav_titles = {english_ui[key]: content.ui[key] for key in english_ui if key.startswith("nav_")}
    return Generated(
        content,
        report,
        render.pages(content, site, downloads),
        {item.download.path: item.data for item in pdfs},
        nav_titles,
    )
