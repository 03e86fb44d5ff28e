"""Our own scripts and styles as the site serves them: minified by rjsmin and rcssmin (pinned in
requirements.txt), so the comments that explain them in docs/ cost a reader's download nothing.
Only whitespace and comments go; names and code stay as written. Vendored files are left exactly
as their release ships them."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import rcssmin
import rjsmin

MINIFIERS: dict[str, Callable[[str], str]] = {".js": rjsmin.jsmin, ".css": rcssmin.cssmin}


def minified(static: Mapping[str, Path]) -> dict[str, bytes]:
    """{path: minified bytes} for every script and stylesheet among the published files `static`
    (path under docs/ -> source file), vendored ones aside."""
    return {
        path: MINIFIERS[source.suffix](source.read_text(encoding="utf-8")).encode("utf-8")
        for path, source in static.items()
        if source.suffix in MINIFIERS and "/vendor/" not in f"/{path}"
    }
