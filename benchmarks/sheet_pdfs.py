"""PDF build time per question sheet: WeasyPrint, no cache, as a cold `mkdocs build` pays it.

Call `sheet_pdf_seconds()` from the benchmark script (or run this file); it prints and returns
seconds per sheet for the regular and the large-print PDF. A figure, never an assertion.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))

from markupsafe import Markup  # noqa: E402

from second_opinion import load, pdf  # noqa: E402
from second_opinion.settings import Settings, build_date  # noqa: E402


def sheet_pdf_seconds(paper: str = "letter") -> dict[str, float]:
    content = load.load(ROOT / "data", today=build_date(), root=ROOT)
    site = Settings(name="Second Opinion Guide", today=build_date(), paper=paper)
    stylesheet = Markup(pdf.STYLESHEET.read_text(encoding="utf-8"))
    pdf.render_pdf("<p>warm-up</p>")  # fonts and WeasyPrint's first-use setup are not per sheet
    result = {}
    for sheet in content.sheets.values():
        for large_print in (False, True):
            html = pdf.sheet_html(content, sheet, site, large_print=large_print, stylesheet=stylesheet)
            start = time.perf_counter()
            pdf.render_pdf(html)
            result[f"{sheet.id}{'-large-print' if large_print else ''}"] = time.perf_counter() - start
    for name, seconds in result.items():
        print(f"PDF build time, {name} ({paper}): {seconds * 1000:.0f} ms")
    print(f"PDF build time per sheet, mean of {len(result)} PDFs: {sum(result.values()) / len(result) * 1000:.0f} ms")
    return result


if __name__ == "__main__":
    sheet_pdf_seconds()
