"""MkDocs wiring for the content pipeline in the second_opinion package.

on_config loads and validates data/ before MkDocs cleans site_dir, so a content mistake stops
the build with the last good site still in place; on_files adds the rendered pages.
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from second_opinion import load, quality, render
from second_opinion.problems import ContentError, Problem

log = logging.getLogger("mkdocs.hooks.content")

# Hook modules live for the whole `mkdocs serve` process; these are reset on every build.
_pages: dict[str, str] = {}
_problems: list[Problem] = []  # in `mkdocs serve`: shown on every page until fixed
_serving = False


def on_startup(*, command: str, dirty: bool) -> None:
    global _serving
    _serving = command == "serve"


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    root = Path(config.config_file_path).parent
    site = render.Site(name=config.site_name, today=render.build_date(), url=config.site_url)
    try:
        content = load.load(root / "data", today=site.today, root=root)
        report = quality.check(content, [root / "data"], today=site.today, root=root)
        if report.errors:
            raise ContentError(list(report.errors))
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
    for problem in (*report.overdue, *report.due_soon):
        log.info(str(problem))
    _pages.clear()
    _pages.update(render.pages(content, site))
    return config


def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    for path, text in _pages.items():
        files.append(File.generated(config, path, content=text))
    return files


def on_page_markdown(markdown: str, **_) -> str:
    return render.problem_notice(_problems) + markdown if _problems else markdown
