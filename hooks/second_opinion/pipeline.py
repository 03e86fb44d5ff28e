"""The whole generation, in order: load and check the content, translate it, make the sheet PDFs,
render the pages, choose the hand-written pages' language, derive the navigation.

The MkDocs hook and the `write` command both take its output through output.produce, so a site
built by MkDocs and pages written out for another builder are the same, and `check` runs it too
(without PDFs), so an editor sees what the build would refuse.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from . import assets, editions, integrity, load, local, navigation, quality, render, reviewers, translations
from .model import Content
from .output import Output
from .problems import ContentError, Problem, display_path
from .settings import SOURCE_LANGUAGE, Settings

# Addresses MkDocs and Material write themselves, beside the pages.
_BUILT_BY_MKDOCS = {"404.md", "search.md", "sitemap.md"}


@dataclasses.dataclass(frozen=True)
class Build:
    """One edition: what it adds to MkDocs, and the content and checks it was made from."""

    content: Content  # in the edition's language
    # The source-language content's, but for the hard sentences: the edition's own language's.
    report: quality.Report
    translation: translations.Edition | None  # a translated edition's completeness and gaps
    output: Output


def build(site: Settings, *, pdfs: bool = True) -> Build:
    """Everything the site adds to docs/ in the edition's language, or ContentError naming every
    problem to fix. Overdue and soon-due reviews are in the report, for the caller to show (a page
    says when it is overdue; a site must keep building)."""
    integrity.check_folders([site.data_dir, site.docs_dir, site.local_dir], site.root)
    content = load.load(site.data_dir, today=site.today, root=site.root, local_dir=site.local_dir)
    content = reviewers.attach(content, site.data_dir, site.local_dir, today=site.today, root=site.root)
    report = quality.check(content, today=site.today)
    errors = list(report.errors)
    # The status page is for reviewers of the data files: the same, in English, in every edition.
    status = render.status_page(content, site, report.readings)
    edition = None
    if site.language != SOURCE_LANGUAGE:
        edition = translations.translate(
            content, site.data_dir, site.language, root=site.root, today=site.today, local_dir=site.local_dir
        )
        content = edition.content
        translated = quality.check(content, today=site.today)
        errors += translated.errors
        # The edition's own sentences, graded in its language's formula.
        report = dataclasses.replace(report, hard_sentences=translated.hard_sentences)
    if errors:
        raise ContentError(errors, reviews=(list(report.overdue), list(report.due_soon)))

    downloads: dict[str, list] = {}
    files: dict[str, bytes] = {}
    if pdfs:
        from . import pdf  # WeasyPrint and its libraries load only when PDFs are made

        try:
            rendered = pdf.sheet_pdfs(content, site)
        except pdf.PdfError as error:
            raise ContentError(
                [Problem("data/sheets.yml", 0, "", f"a question sheet PDF could not be made: {error}")]
            ) from None
        for item in rendered:
            downloads.setdefault(item.download.sheet, []).append(item.download)
            files[item.download.path] = item.data
    if site.language != SOURCE_LANGUAGE:
        status = editions.in_english(status, content)
    generated = render.site_pages(content, site, downloads, status)
    folders = [site.docs_dir, *filter(None, [local.docs(site.local_dir)])]
    hand_written = editions.hand_written(folders, content, source_language=SOURCE_LANGUAGE, root=site.root)
    _check_addresses(content, generated, hand_written, site)
    static = integrity.published_files(folders, local.docs(site.local_dir), site.root)
    pages = integrity.checked_pages(
        {
            **render.guide_pages(content, site),
            **generated,
            **hand_written,
        },
        editions.sources(folders, hand_written, content.language),
        {*files, *static},
        _data_files(site, content.language),
        site.root,
        # A bare data folder (`check --data` with no config) is no whole site whose links could be followed.
        links=site.config_file is not None,
    )
    # The home page's list of guides goes in after the checks of what editors wrote: it is made
    # from the guides themselves (plain-text titles, links to pages the build makes), and 40 guides
    # are not a paragraph of 40 links that someone typed.
    pages.update({uri: editions.guide_list(pages[uri], content) for uri in hand_written})
    files.update(assets.minified(static))
    static = {path: source for path, source in static.items() if path not in files}
    return Build(
        content=content,
        report=report,
        translation=edition,
        output=Output(
            pages=pages,
            files=files,
            static=static,
            nav=navigation.navigation(
                content, set(hand_written), local.pages(content, hand_written, site.local_dir), site.organization
            ),
            extra_css=local.stylesheets(site.local_dir),
            footer=render.footer(content, site),
            notices=tuple(str(problem) for problem in (*report.overdue, *report.due_soon)),
        ),
    )


def _data_files(site: Settings, language: str) -> list[Path]:
    """The data files a generated page's text comes from, in this edition's language first."""
    folders = [folder for folder in (site.data_dir, site.local_dir) if folder]
    files = [path for folder in folders for path in sorted(folder.rglob("*.yml"))]
    return sorted(files, key=lambda path: f".{language}." not in path.name)


def _check_addresses(content: Content, generated: dict, hand_written: dict, site: Settings) -> None:
    """Every page's address must be its own: a guide's not another page's, a folder's or an
    edition's, and a hand-written page's not a generated one's."""
    pages = {*generated, *hand_written}
    folders = {uri.split("/", 1)[0] for uri in pages if "/" in uri}
    if site.docs_dir.is_dir():
        folders |= {path.name for path in site.docs_dir.iterdir() if path.is_dir()}
    taken = {*pages, *_BUILT_BY_MKDOCS, *(f"{name}.md" for name in folders | {e.language for e in site.editions})}
    message = "the address {}/ already belongs to another page or folder of the site; rename this file"
    problems = [
        Problem(content.origins[("guide", slug)].file, 1, "", message.format(slug))
        for slug in content.guides
        if f"{slug}.md" in taken
    ]
    own = local.docs(site.local_dir)
    problems += [
        Problem(
            display_path((own if own and (own / uri).is_file() else site.docs_dir) / uri, site.root),
            0,
            "",
            message.format(uri.removesuffix(".md")),
        )
        for uri in sorted(set(generated) & set(hand_written))
    ]
    if problems:
        raise ContentError(problems)
