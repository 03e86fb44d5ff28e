"""A hosting organization's own additions: pages, styles, images and a section of the navigation.

Its local content folder (extra.local_content) is laid out like the core project: data files
beside a docs/ folder of pages and assets. Everything in it adds to the core and never replaces
it, so a copy keeps taking upstream updates untouched.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from .model import Content

# Material's primary colour and the colour of text on it, as a copy's stylesheet sets them.
_PRIMARY = re.compile(r"--md-primary-(fg|bg)-color\s*:\s*(#[0-9a-fA-F]{6}|#[0-9a-fA-F]{3})\s*[;}]")


def docs(local_dir: Path | None) -> Path | None:
    """The folder of the organization's own pages and assets, if it has one."""
    folder = local_dir / "docs" if local_dir else None
    return folder if folder and folder.is_dir() else None


def stylesheets(local_dir: Path | None) -> list[str]:
    """The organization's stylesheets (its colours), by path under docs/: they load after the core
    ones, so they win."""
    folder = docs(local_dir)
    return [path.relative_to(folder).as_posix() for path in sorted(folder.rglob("*.css"))] if folder else []


def pages(content: Content, hand_written: dict[str, str], local_dir: Path | None) -> list[str]:
    """The organization's own pages, by path under docs/: local guides, then local pages (its
    sheets join the core's in the navigation, see navigation.py)."""
    folder = docs(local_dir)
    own = {path.relative_to(folder).as_posix() for path in folder.rglob("*.md")} if folder else set()
    guides = [f"{guide.slug}.md" for guide in content.guides.values() if guide.local]
    return guides + sorted(uri for uri in hand_written if uri in own)


@dataclasses.dataclass(frozen=True)
class Colours:
    """A copy's own colours, for its printed sheets: its primary colour, and the colour its logo and
    header text are drawn in on top of it (Material's --md-primary-fg-color and -bg-color)."""

    primary: str  # "#0b5e55"
    on_primary: str

    @property
    def for_text(self) -> bool:
        """Whether the primary colour reads on white paper as text (WCAG AA: 4.5:1)."""
        return contrast(self.primary, "#ffffff") >= 4.5

    @property
    def behind_logo(self) -> bool:
        """Whether a logo drawn in on_primary shows on the primary colour (WCAG AA graphics: 3:1)."""
        return contrast(self.on_primary, self.primary) >= 3.0


def colours(local_dir: Path | None) -> Colours | None:
    """The primary colours the copy's stylesheets set (the last setting wins, as in the browser), or
    None if they set none in #rrggbb form: the sheets are then black on white."""
    folder = docs(local_dir)
    if not folder:
        return None
    found = {"bg": "#ffffff"}
    for name in stylesheets(local_dir):
        for which, value in _PRIMARY.findall((folder / name).read_text(encoding="utf-8")):
            found[which] = _long(value.lower())
    return Colours(found["fg"], found["bg"]) if "fg" in found else None


def contrast(one: str, other: str) -> float:
    """The WCAG 2 contrast ratio of two #rrggbb colours, from 1 to 21."""
    lighter, darker = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _long(colour: str) -> str:
    return "#" + "".join(c * 2 for c in colour[1:]) if len(colour) == 4 else colour
