"""Hand-written pages in an edition's language.

A hand-written page (docs/about.md) may have translations beside it (docs/about.es.md). An
edition shows the one in its language in place of the English, and no other language's; a page
with no translation is shown in English, with a notice in the edition's language, and its body marked as
English (lang="en") so screen readers read it with the right voice. A hospital's own pages (local/docs/) are chosen the same way.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from .markup import plain_markdown
from .model import Content
from .problems import ContentError, Problem, display_path
from .render import untranslated_page_notice

VARIANT = re.compile(r"\.([a-z]{2})\.md$")  # about.es.md: about.md in Spanish
_FRONT_MATTER = re.compile(r"\A---\n(.*?\n)?---\n", re.S)
# The home page's list of guides is written by the build, where a page has this line.
GUIDE_LIST = "<!-- guides -->"


def hand_written(folders: Sequence[Path], content: Content, *, source_language: str, root: Path) -> dict[str, str]:
    """Every hand-written page of `folders` (docs/, then a hospital's local/docs/), by its path
    under docs/, in the edition's language, ready for MkDocs."""
    found: dict[str, Path] = {}
    variants: dict[str, Path] = {}
    problems = []
    for folder in folders:
        for path in sorted(folder.rglob("*.md")):
            uri = path.relative_to(folder).as_posix()
            variant = VARIANT.search(uri)
            if variant and variant.group(1) != content.language:
                continue
            key = uri[: variant.start()] + ".md" if variant else uri
            target = variants if variant else found
            if key in target:
                problems.append(
                    Problem(
                        display_path(path, root),
                        0,
                        "",
                        f"there is already a page at {uri} "
                        f"({display_path(target[key], root)}); local pages add to the site and cannot replace core ones",
                    )
                )
            target[key] = path
    if problems:
        raise ContentError(problems)
    pages = {}
    for uri, path in found.items():
        translated = variants.get(uri)
        text = (translated or path).read_text(encoding="utf-8")
        if content.language != source_language and not translated:
            text = in_english(text, content)
        pages[uri] = text
    return pages


def sources(folders: Sequence[Path], pages: dict[str, str], language: str) -> dict[str, Path]:
    """The file each hand-written page of `pages` was read from: its translation, or the page."""
    found = {}
    for uri in pages:
        for folder in folders:
            for path in (folder / (uri.removesuffix(".md") + f".{language}.md"), folder / uri):
                if path.is_file() and uri not in found:
                    found[uri] = path
    return found


def guide_list(text: str, content: Content) -> str:
    """A page with its GUIDE_LIST line replaced by a list of links to every guide, in order."""
    links = "\n".join(f"- [{plain_markdown(guide.title)}]({guide.slug}.md)" for guide in ordered_guides(content))
    return text.replace(GUIDE_LIST, links)


def ordered_guides(content: Content) -> list:
    """Guides in the order readers meet them: by `order`, then (those without one) by title."""
    return sorted(content.guides.values(), key=lambda g: (g.order is None, g.order or 0, g.title.casefold()))


def in_english(text: str, content: Content) -> str:
    """A page of English text in a translated edition: a notice in its language, then the English."""
    match = _FRONT_MATTER.match(text)
    front, body = (text[: match.end()], text[match.end() :]) if match else ("", text)
    return f'{front}{untranslated_page_notice(content)}\n<div lang="en" markdown>\n\n{body.strip()}\n\n</div>\n'
