"""MkDocs wiring for the question sheet PDFs (second_opinion.pdf).

Listed after hooks/content.py. on_config renders every sheet's PDFs (cached by content under
.cache/pdf/ beside the config, so `mkdocs serve` rebuilds only re-render sheets that changed),
then the sheet pages with the PDFs' page counts and sizes; on_files adds the PDFs and puts those
pages in place of the ones content.py rendered without downloads.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from second_opinion import load, pdf, render
from second_opinion.problems import ContentError

PROJECT = Path(__file__).resolve().parent.parent

# Hook modules live for the whole `mkdocs serve` process; these are reset on every build.
_pdfs: list[pdf.Rendered] = []
_pages: dict[str, str] = {}


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    config_dir = Path(config.config_file_path).parent
    try:
        paper = pdf.paper(config.extra.get("paper"))
        # content.py has checked the data, the local folder and the organization by now.
        site = render.Site(name=config.site_name, today=render.build_date(), url=config.site_url,
                           organization=config.extra.get("organization"))
        local = config.extra.get("local_content")
        content = load.load(PROJECT / "data", today=site.today, root=PROJECT,
                            local_dir=(config_dir / local).resolve() if local else None)
        rendered = pdf.sheet_pdfs(content, site, paper=paper, language=config.theme["language"],
                                  cache=config_dir / ".cache" / "pdf")
    except ContentError as error:
        raise PluginError(error.report()) from None
    except pdf.PdfError as error:
        raise PluginError(str(error)) from None
    downloads: dict[str, list] = {}
    for item in rendered:
        downloads.setdefault(item.download.sheet, []).append(item.download)
    _pdfs[:] = rendered
    _pages.clear()
    _pages.update(render.sheet_pages(content, site, downloads))
    return config


def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    for path, text in _pages.items():
        if page := files.get_file_from_path(path):
            files.remove(page)
        files.append(File.generated(config, path, content=text))
    for item in _pdfs:
        files.append(File.generated(config, item.download.path, content=item.data))
    return files
