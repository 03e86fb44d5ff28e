"""A hosting organization's own additions: pages, styles, images and a section of the navigation.

Its local content folder (extra.local_content) is laid out like the core project: data files
beside a docs/ folder of pages and assets. Everything in it adds to the core and never replaces
it, so a copy keeps taking upstream updates untouched.
"""

from __future__ import annotations

from pathlib import Path

from .model import Content


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
