"""MkDocs wiring for the content pipeline in the second_opinion package.

on_config loads and validates data/ before MkDocs cleans site_dir, so a content mistake stops
the build with the last good site still in place; on_files adds the rendered pages.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from second_opinion import load, render
from second_opinion.problems import ContentError

# Hook modules live for the whole `mkdocs serve` process; this is reset on every build.
_pages: dict[str, str] = {}


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    root = Path(config.config_file_path).parent
    site = render.Site(name=config.site_name, today=render.build_date(), url=config.site_url)
    try:
        content = load.load(root / "data", today=site.today, root=root)
    except ContentError as error:
        raise PluginError(error.report()) from None
    _pages.clear()
    _pages.update(render.pages(content, site))
    return config


def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    for path, text in _pages.items():
        files.append(File.generated(config, path, content=text))
    return files
