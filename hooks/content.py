"""MkDocs wiring for the second_opinion package: each event hands MkDocs what the package made.

on_config reads the settings and runs the whole pipeline (or takes its stored output, when
nothing it reads has changed: see second_opinion/output.py) before MkDocs cleans site_dir, so a
content mistake stops the build with the last good site still in place; on_files swaps in the
pages and files of that one output.
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from second_opinion import output, settings
from second_opinion.problems import ContentError, Problem

log = logging.getLogger("mkdocs.hooks.content")
# The project this hook file belongs to, whichever config builds it: a hospital's may live elsewhere.
PROJECT = Path(__file__).resolve().parent.parent


class _Serving:
    """`mkdocs serve` keeps this module for the whole session: the last good build, and the
    problems found since, which every page shows until they are fixed."""

    active = False
    output: output.Output | None = None
    problems: list[Problem] = []


_serving = _Serving()
_output: output.Output | None = None  # this build's, between on_config and on_files


def on_startup(*, command: str, dirty: bool) -> None:
    _serving.active = command == "serve"


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _output
    try:
        site = settings.from_config(config, Path(config.config_file_path), project=PROJECT)
        _output = output.produce(site)
    except ContentError as error:
        if not _serving.active:
            raise PluginError(error.report()) from None
        # A failed build would stop `mkdocs serve` (the first time) or leave it silently stale:
        # keep previewing the last good pages (or, before there are any, the hand-written ones),
        # with the problems on top of every page.
        log.error(error.report())
        _serving.problems = error.problems
        _output = _serving.output
        return config
    _serving.output, _serving.problems = _output, []
    # An overdue review must not stop a hospital's copy from building (a WARNING would, under
    # --strict): the page itself tells readers it is overdue, and `make check` fails on it.
    for notice in _output.notices:
        log.info(notice)
    output.configure(config, site, _output)
    return config


def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    if _output is None:
        return files
    # The output's pages are every page of the site, docs/'s included in the edition's language
    # (about.md from about.es.md in Spanish): no page MkDocs found stays as it was.
    for file in list(files.documentation_pages()):
        files.remove(file)
    for path, text in _output.pages.items():
        files.append(File.generated(config, path, content=text))
    for path, data in _output.files.items():
        if existing := files.get_file_from_path(path):
            files.remove(existing)  # a script or stylesheet of docs/, published minified
        files.append(File.generated(config, path, content=data))
    for path, source in _output.static.items():
        if not files.get_file_from_path(path):
            files.append(File.generated(config, path, abs_src_path=str(source)))
    return files


def on_page_markdown(markdown: str, *, page: Page, **_: object) -> str:
    if not _serving.problems:
        return markdown
    from second_opinion import render  # only while there are problems to show: a good build skips loading it

    return render.problem_notice(_serving.problems) + markdown
