"""QR codes drawn at build time, so paper leads back to the web: each printed sheet carries a code
of its own page's address. Made with segno (pinned in requirements.txt), as inline SVG: no file
to fetch, sharp at any print size, and the same markup in a browser's print and in WeasyPrint.
(The personal list's code is drawn in the browser, by my-questions.js: its link is made there.)
"""

from __future__ import annotations

import segno
from markupsafe import Markup


def svg(text: str) -> Markup:
    """`text` (an address) as a QR code in SVG, with the four-module quiet zone scanners need.
    Error correction M survives a crease or a smudge on paper."""
    code = segno.make(text, error="m", micro=False, boost_error=False)
    # Hidden from screen readers: the caption beside it says what it is and spells out the address.
    return Markup(
        code.svg_inline(omitsize=True, svgclass="sog-qr__code", lineclass=None, dark="#000").replace(
            "<svg ", '<svg aria-hidden="true" ', 1
        )
    )
