"""For mkdocs-offline.yml only: serve the iframe-worker shim that Material's offline search
needs from the site itself, so a copy opened from disk makes no request to a CDN."""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

SHIM = Path(__file__).resolve().parent.parent / "offline" / "node_modules" / "iframe-worker" / "shim" / "index.js"
SHIM_URI = "assets/vendor/iframe-worker/shim.js"


def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    if not SHIM.is_file():
        raise PluginError(f"{SHIM} is missing: run `npm ci --prefix offline` (or `make offline`) first")
    files.append(File.generated(config, SHIM_URI, abs_src_path=str(SHIM)))
    return files
