"""The whole generation, in order: load and check the content, make the sheet PDFs, render the
pages. The MkDocs hook and the `write` command both call `generate`, so a site built by MkDocs
and pages written out for another builder are the same."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from . import load, pdf, quality, render
from .model import Content
from .problems import ContentError


@dataclasses.dataclass(frozen=True)
class Generated:
    content: Content
    report: quality.Report
    pages: dict[str, str]  # path under docs/ -> Markdown
    files: dict[str, bytes]  # path under docs/ -> file (the PDFs)


def generate(data_dir: Path, site: render.Site, *, root: Path, local_dir: Path | None, paper: str,
             language: str, pdf_cache: Path | None) -> Generated:
    """Everything the site adds to docs/, or ContentError naming every problem to fix.

    Only the quality gates' errors stop here: overdue and soon-due reviews are in the report, for
    the caller to show (a page says when it is overdue; a site must keep building)."""
    content = load.load(data_dir, today=site.today, root=root, local_dir=local_dir)
    report = quality.check(content, [data_dir, *filter(None, [local_dir])], today=site.today, root=root)
    if report.errors:
        raise ContentError(list(report.errors))
    pdfs = pdf.sheet_pdfs(content, site, paper=paper, language=language, cache=pdf_cache)
    downloads: dict[str, list] = {}
    for item in pdfs:
        downloads.setdefault(item.download.sheet, []).append(item.download)
    return Generated(content, report, render.pages(content, site, downloads),
                     {item.download.path: item.data for item in pdfs})
