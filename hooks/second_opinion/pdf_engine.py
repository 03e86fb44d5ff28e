"""WeasyPrint, imported only when a PDF is rendered: loading it and its font libraries takes about
half a second, which a build whose PDFs are all cached should not pay (second_opinion.pdf decides
what to render and imports this module only then). Worker processes of a parallel render import it
too, and nothing else of the build.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import weasyprint
from weasyprint.urls import FatalURLFetchingError, URLFetcher

from . import pdf_tags
from .pdf import OPTIONS, PACKAGE, TEMPLATES, PdfError


def render(html: str, folders: tuple[Path, ...] = ()) -> tuple[bytes, int]:
    """The PDF of `html` and its page count. It may read this package's files and those in
    `folders` (a hospital copy's local/docs/, where its logo is)."""
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
