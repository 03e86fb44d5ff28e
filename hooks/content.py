"""MkDocs wiring for the content pipeline in the second_opinion package.

on_config loads and validates data/ before MkDocs cleans site_dir, so a content mistake stops
the build with the last good site still in place; on_files adds the rendered pages.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import yaml
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure import StructureItem
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page

from second_opinion import pdf, pipeline, render
from second_opinion.organization import organization
from second_opinion.problems import ContentError, Problem, display_path

# The core project, whichever config builds it: a hosting organization's config may live elsewhere.
PROJECT = Path(__file__).resolve().parent.parent

log = logging.getLogger("mkdocs.hooks.content")

# Hook modules live for the whole `mkdocs serve` process; these are reset on every build.
_pages: dict[str, str] = {}
_files: dict[str, bytes] = {}  # the sheet PDFs
_edition: dict = {}  # this build's content (in its language) and navigation titles
_LANGUAGE_VARIANT = re.compile(r"\.[a-z]{2}\.md$")  # about.es.md: about.md in Spanish
_untranslated_docs: set[str] = set()  # hand-written pages shown in English in a translated edition
_local_docs: list[Path] = []
_local_pages: list[str] = []  # src paths of a hosting organization's own pages
_problems: list[Problem] = []  # in `mkdocs serve`: shown on every page until fixed
_serving = False


def on_startup(*, command: str, dirty: bool) -> None:
    global _serving
    _serving = command == "serve"


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    config_file = Path(config.config_file_path)
    local = config.extra.get("local_content")
    local_dir = (config_file.parent / local).resolve() if local else None
    try:
        _check_core_hooks(config)
        if local_dir and not local_dir.is_dir():
            raise ContentError(
                [
                    Problem(
                        display_path(config_file, PROJECT),
                        0,
                        "extra.local_content",
                        f"the folder {local_dir} does not exist",
                    )
                ]
            )
        site = render.Site(
            name=config.site_name,
            today=render.build_date(),
            url=config.site_url,
            directory_urls=config.use_directory_urls,
            organization=organization(
                config.extra.get("organization"),
                config_file=display_path(config_file, PROJECT),
                config_text=config_file.read_text(encoding="utf-8"),
                schema_dir=PROJECT / "data" / "schemas",
            ),
        )
        generated = pipeline.generate(
            PROJECT / "data",
            site,
            root=PROJECT,
            local_dir=local_dir,
            paper=pdf.paper(config.extra.get("paper")),
            language=config.theme["language"],
            # PDFs are cached by content, so `mkdocs serve` rebuilds stay fast.
            pdf_cache=config_file.parent / ".cache" / "pdf",
        )
    except pdf.PdfError as error:
        raise PluginError(f"{display_path(config_file, PROJECT)}: {error}") from None
    except ContentError as error:
        if not _serving:
            raise PluginError(error.report()) from None
        # A failed build would stop `mkdocs serve` (the first time) or leave it silently stale:
        # keep previewing the last good pages, with the problems on top of every page.
        log.error(error.report())
        _problems[:] = error.problems
        return config
    _problems.clear()
    # An overdue review must not stop a hospital's copy from building (a WARNING would, under
    # --strict): the page itself tells readers it is overdue, and `make check` fails on it.
    for problem in (*generated.report.overdue, *generated.report.due_soon):
        log.info(str(problem))
    # Templates read the checked organization, not the raw YAML: the footer partial shows it.
    config.extra["organization"] = site.organization
    _pages.clear()
    _pages.update(generated.pages)
    _files.clear()
    _files.update(generated.files)
    _edition.clear()
    _edition.update(content=generated.content, nav_titles=generated.nav_titles)
    content = generated.content
    _local_docs[:] = [local_dir / "docs"] if local_dir and (local_dir / "docs").is_dir() else []
    # Local styles (a hospital's colours) load after the core ones, so they win.
    config.extra_css.extend(
        path.relative_to(folder).as_posix() for folder in _local_docs for path in sorted(folder.rglob("*.css"))
    )
    _local_pages[:] = [f"questions/{sheet.id}.md" for sheet in content.sheets.values() if sheet.local]
    _local_pages.extend(f"{guide.slug}.md" for guide in content.guides.values() if guide.local)
    _local_pages.extend(
        path.relative_to(folder).as_posix()
        for folder in _local_docs
        for path in sorted(folder.rglob("*.md"))
        if not _LANGUAGE_VARIANT.search(path.name)
    )
    return config


def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    for path, text in _pages.items():
        files.append(File.generated(config, path, content=text))
    for path, data in _files.items():
        files.append(File.generated(config, path, content=data))
    # A hosting organization's own pages and assets (logo, colours) sit beside its local data.
    for folder in _local_docs:
        for local in sorted(p for p in folder.rglob("*") if p.is_file()):
            src_uri = local.relative_to(folder).as_posix()
            if files.get_file_from_path(src_uri):
                raise PluginError(
                    f"{display_path(local, PROJECT)}: there is already a page or file at "
                    f"{src_uri}; local pages add to the site and cannot replace core ones"
                )
            files.append(File(src_uri, str(folder), config.site_dir, config.use_directory_urls))
    _pick_language(files, config)
    # on_nav places local pages; marked so, MkDocs does not warn that the config's nav omits them.
    for uri in _local_pages:
        if local_page := files.get_file_from_path(uri):
            local_page.inclusion = InclusionLevel.NOT_IN_NAV
    return files


def on_page_markdown(markdown: str, *, page: Page, **_: object) -> str:
    if page.file.src_uri in _untranslated_docs:
        markdown = render.untranslated_page_notice(_edition["content"]) + markdown
    return render.problem_notice(_problems) + markdown if _problems else markdown


def _pick_language(files: Files, config: MkDocsConfig) -> None:
    """Hand-written pages in docs/ may have translations beside them (about.es.md beside about.md):
    a build uses the ones in its language in place of the English, and no other language's."""
    language = _edition["content"].language if _edition else config.theme["language"]
    _untranslated_docs.clear()
    translated = set()
    for file in [f for f in files.documentation_pages() if _LANGUAGE_VARIANT.search(f.src_uri)]:
        files.remove(file)
        base, variant_language = file.src_uri[:-6] + ".md", file.src_uri[-5:-3]
        if variant_language == language and file.abs_src_path:
            if english := files.get_file_from_path(base):
                files.remove(english)
            files.append(File.generated(config, base, abs_src_path=file.abs_src_path))
            translated.add(base)
    if language != pipeline.SOURCE_LANGUAGE:
        _untranslated_docs.update(
            file.src_uri
            for file in files.documentation_pages()
            if file.src_uri not in translated and file.src_uri not in _pages
        )


def on_nav(nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
    """Put a hosting organization's own pages in the navigation, so its config need not repeat
    (and keep in step with) the core nav: local sheets join the question sheets, other local
    pages get a section named after the organization."""
    # Titles written in mkdocs.yml's nav (sections, "Home") in this edition's language; pages
    # without one take their own, already translated, title.
    for item in _walk(nav.items):
        if isinstance(item, Section) or "title" in vars(item):
            item.title = _edition["nav_titles"].get(item.title, item.title)
    listed = {page.file.src_uri for page in nav.pages}
    pages = [
        Page(None, file, config)
        for uri in _local_pages
        if uri not in listed and (file := files.get_file_from_path(uri))
    ]
    if not pages:
        return nav
    sheets = next(
        (
            item
            for item in nav.items
            if isinstance(item, Section)
            and any(isinstance(child, Page) and child.file.src_uri == "questions/index.md" for child in item.children)
        ),
        None,
    )
    others: list[StructureItem] = []
    for page in pages:
        if sheets and page.file.src_uri.startswith("questions/"):
            page.parent = sheets
            sheets.children.append(page)
        else:
            others.append(page)
    if others:
        organization = config.extra.get("organization")
        section = Section(f"At {organization.name}" if organization else "Local information", others)
        for other in others:
            other.parent = section
        nav.items.append(section)
    nav.pages = [item for item in _walk(nav.items) if isinstance(item, Page)]
    return nav


def _walk(items: list) -> list:
    return [node for item in items for node in (item, *_walk(getattr(item, "children", None) or []))]


def _check_core_hooks(config: MkDocsConfig) -> None:
    """A copy's config must repeat the core `hooks:` list (MkDocs resolves hook paths from the
    config being built); without this check, a hook added upstream would be silently missing
    from hospital copies, with the PDFs or security headers it makes."""
    core = yaml.safe_load((PROJECT / "mkdocs.yml").read_text(encoding="utf-8"))["hooks"]
    loaded = {Path(name).name for name in config.hooks}
    missing = [path for path in core if Path(path).name not in loaded]
    if missing:
        raise ContentError(
            [
                Problem(
                    display_path(config.config_file_path, PROJECT),
                    0,
                    "hooks",
                    f"add {', '.join(missing)} (relative to this file): every copy needs the core hooks",
                )
            ]
        )
