"""What the build checks of whole folders, files and pages before anything is published.

- Folders: no symbolic links in data/, docs/ or a hospital's local folder. A link could publish a
  file from anywhere on the machine that builds (a key, .git/config), so none is followed.
- Files: a hospital's local/docs/ adds pages, stylesheets, images and PDFs, nothing that runs (no
  HTML, no JavaScript, no SVG with scripts), and its stylesheets load nothing from another host.
  Names starting with . or _ are never published (_headers and _security/ are the build's own).
- Pages: every page is rendered as MkDocs will render it, so that `make check` finds what the
  strict build would: links to pages or files that do not exist and anchors that no heading has.
  Hand-written pages are also held to markup.PAGE, and their front matter to a few plain fields.
"""

from __future__ import annotations

import functools
import os
import posixpath
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

import yaml
from defusedxml import ElementTree
from markupsafe import escape

from . import cache, markup
from .problems import ContentError, Problem, display_path

# What a hospital's local/docs/ may publish besides its pages.
LOCAL_FILES = frozenset({".css", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".ico", ".svg", ".pdf"})
# Front matter a hand-written page may set: its title and description are plain text.
FRONT_MATTER = {"title", "description", "search", "hide"}
_FRONT_MATTER = re.compile(r"\A---\n(.*?\n)?---\n", re.S)
_CSS_URL = re.compile(r"""@import|url\(\s*['"]?\s*(?![^)]*?\bdata:image/)([^)'"]*)""", re.I)


# Material options that would run code from the config or make pages call other hosts.
_REFUSED_OPTIONS = {
    ("repo_url",): "makes every page call GitHub's servers; link the repository from a page instead",
    ("extra", "analytics"): "sends readers' visits to another host; the guide tracks no one",
    ("extra", "consent"): "belongs to analytics, which the guide does not use",
    ("extra", "scope"): "is written into a script of every page; leave it out",
    ("extra", "social"): "loads icons and links for other hosts; link them from a page instead",
}


_REFUSED_EXTENSIONS = {
    "attr_list": "lets any text give any element any attribute, event handlers too",
    "pymdownx.snippets": "includes files from the machine that builds into pages",
}


# The type of each config setting the build reads itself (MkDocs checks its own as it loads, but
# the command line reads the file with its !ENV values as they come).
_CONFIG_TYPES: dict[tuple[str, ...], type | tuple[type, ...]] = {
    ("site_name",): str,
    ("site_url",): str,
    ("site_dir",): str,
    ("docs_dir",): str,
    ("copyright",): str,
    ("site_description",): str,
    ("use_directory_urls",): bool,
    ("theme",): (Mapping, str),
    ("theme", "language"): str,
    ("hooks",): (list, Mapping),  # MkDocs itself loads them into a mapping
    ("nav",): list,
    ("markdown_extensions",): list,
    ("extra_css",): list,
    ("extra_javascript",): list,
    ("extra",): Mapping,
    ("extra", "paper"): str,
    ("extra", "local_content"): str,
    ("extra", "feedback_url"): str,
    ("extra", "alternate"): list,
    ("extra", "organization"): Mapping,
}
_TYPE_WORDS = {str: "text", bool: "true or false", list: "a list", Mapping: "a set of settings"}


def config_type_problems(values: Mapping) -> list[tuple[tuple, str]]:
    """Settings whose value has the wrong type (an !ENV variable set to a list, say), as (path,
    message): checked before any is used."""
    problems: list[tuple[tuple, str]] = []
    for path, kind in _CONFIG_TYPES.items():
        parent = values if len(path) == 1 else values.get(path[0])
        if not isinstance(parent, Mapping) or parent.get(path[-1]) is None:
            continue
        if not isinstance(parent[path[-1]], kind):
            kinds = kind if isinstance(kind, tuple) else (kind,)
            problems.append((path, f"this should be {' or '.join(_TYPE_WORDS[k] for k in kinds)}"))
    return problems


def _mapping(value: object) -> Mapping:
    return value if isinstance(value, Mapping) else {}


def config_problems(values: Mapping) -> list[tuple[tuple, str]]:
    """What a config (a hospital's, or the core's) may not set, as (path, message): texts Material
    prints must be plain text, files it loads must be the site's own, and nothing may make pages
    run code from the config or call another host."""
    problems: list[tuple[tuple, str]] = []
    theme = _mapping(values.get("theme"))
    extra = _mapping(values.get("extra"))
    for key in ("site_name", "site_description", "copyright"):
        value = values.get(key)
        if value is not None and (problem := markup.plain_text_problem(str(value))):
            problems.append(((key,), problem))
    for path, message in _REFUSED_OPTIONS.items():
        if (values.get(path[0]) if len(path) == 1 else extra.get(path[1])) is not None:
            problems.append((path, f"this option {message}"))
    for index, extension in enumerate(values.get("markdown_extensions") or []):
        name = next(iter(extension)) if isinstance(extension, Mapping) else str(extension)
        if name in _REFUSED_EXTENSIONS:
            problems.append((("markdown_extensions", index), f"{name} {_REFUSED_EXTENSIONS[name]}; remove it"))
    if theme.get("font", False) is not False:
        problems.append((("theme", "font"), "the font must be false (system fonts): any other loads fonts from Google"))
    files: list[tuple[tuple, object]] = [(("theme", key), theme.get(key)) for key in ("logo", "favicon")]
    files += [(("extra", "homepage"), extra.get("homepage"))]
    for key in ("extra_css", "extra_javascript"):
        files += [((key, index), item) for index, item in enumerate(values.get(key) or [])]
    files += [(("extra", "polyfills", index), item) for index, item in enumerate(extra.get("polyfills") or [])]
    for path, value in files:
        if value is not None and markup.url_problem(str(value), image=True):
            problems.append(
                (
                    path,
                    f"'{value}' must be a file of the site, not a web address: no page may load anything"
                    " from another server (put the file in docs/, or local/docs/ in a hospital's copy,"
                    " and give its path, like assets/logo.png)",
                )
            )
    return problems


def check_folders(folders: Sequence[Path | None], root: Path) -> None:
    """Refuse any symbolic link inside `folders` (or a folder that is one)."""
    problems = []
    for folder in filter(None, folders):
        if folder.is_symlink():
            problems.append(_symlink(folder, root))
            continue
        for parent, names, files in os.walk(folder):
            for name in [*names, *files]:
                path = Path(parent) / name
                if path.is_symlink():
                    problems.append(_symlink(path, root))
    if problems:
        raise ContentError(problems)


def published_files(folders: Sequence[Path], local_docs: Path | None, root: Path) -> dict[str, Path]:
    """The files of the page folders that are published as they are, by path under docs/."""
    found: dict[str, Path] = {}
    problems = []
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            relative = path.relative_to(folder)
            if not path.is_file() or path.suffix == ".md" or any(part[0] in "._" for part in relative.parts):
                continue
            if folder == local_docs:
                problems += _local_file_problems(path, root)
            found[relative.as_posix()] = path
    if problems:
        raise ContentError(problems)
    return found


def checked_pages(
    pages: Mapping[str, str],
    sources: Mapping[str, Path],
    published: set[str],
    data_files: Sequence[Path],
    root: Path,
    *,
    links: bool = True,
) -> dict[str, str]:
    """`pages` (Markdown by path under docs/) checked, or ContentError; hand-written ones (with a
    `sources` file) with their front matter made safe for Material, which prints it as it is."""
    problems: list[Problem] = []
    bodies: dict[str, str] = {}  # each page's Markdown, without its front matter
    result = dict(pages)
    for uri, text in pages.items():
        match = _FRONT_MATTER.match(text)
        front, body = (match.group(1) or "", text[match.end() :]) if match else ("", text)
        source = sources.get(uri)
        if source:
            where = _Where(source, root)
            if any(part[0] in "._" for part in uri.split("/")):
                problems.append(where.problem("a page's name may not start with . or _ (the build's own files do)", ""))
            problems += [where.problem(message, needle) for message, needle in markup.page_problems(body)]
            meta, found = _front_matter(front, where)
            problems += found
            if match:
                result[uri] = "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n" + body
        bodies[uri] = body
    if problems:
        raise ContentError(problems)
    if not links:
        return result
    targets = {uri: _anchors_and_links(body) for uri, body in bodies.items()}
    ids = {uri: anchors for uri, (anchors, _) in targets.items()}
    for uri, (_, urls) in targets.items():
        for url in urls:
            message = _link_problem(uri, url, ids, published, checked=uri in sources)
            if message:
                where = _Where(sources[uri], root) if uri in sources else _in_data(url, data_files, root, uri)
                problems.append(where.problem(message, url))
    if problems:
        raise ContentError(problems)
    return result


def _anchors_and_links(body: str) -> tuple[set[str], list[str]]:
    """The ids and the link and image addresses of a page's Markdown as the site renders it. Kept by
    cache.py per page: rendering every page a second time, for this check only, cost a third of a
    build, and an edit changes one page or a few."""
    name = cache.key(_markup_code(), body)
    stored = cache.get("page-links", name)
    if stored is not None:
        return set(stored["ids"]), stored["links"]
    html = markup.render(body) or ""
    ids, links = markup.element_ids(html), [url for _, url in markup.link_targets(html)]
    cache.put("page-links", name, {"ids": sorted(ids), "links": links})
    return ids, links


@functools.cache
def _markup_code() -> str:
    return cache.code(markup.__file__, packages=("markdown", "nh3"))


def _link_problem(uri: str, url: str, ids: Mapping[str, set[str]], published: set[str], *, checked: bool) -> str | None:
    """Why a relative link of page `uri` leads nowhere, as MkDocs' strict build would find: links
    to .md pages and their anchors, anchors on the same page, and (`checked`: in a hand-written
    page) links to files."""
    if re.match(r"[A-Za-z][A-Za-z0-9+.\-]*:", url) or url.startswith("//"):
        return None  # an address elsewhere: the content checks allow https:, mailto: and tel: only
    path, _, anchor = url.partition("#")
    if not path:
        target = uri
    else:
        if not (path.endswith(".md") or (checked and "." in posixpath.basename(path))):
            return None  # a link the templates wrote for the built site (timing/), not checked by MkDocs
        target = posixpath.normpath(posixpath.join(posixpath.dirname(uri), path))
        if target not in ids and target not in published:
            return f"the link '{url}' leads to no page or file of the site"
    if anchor and target in ids and anchor not in ids[target]:
        return f"the link '{url}' leads to no heading or anchor '#{anchor}' on {target}"
    return None


def _front_matter(front: str, where: _Where) -> tuple[dict, list[Problem]]:
    try:
        meta = yaml.safe_load(front) if front.strip() else {}
    except yaml.YAMLError:
        return {}, [where.problem("the front matter (between the --- lines) is not valid YAML", "---")]
    if not isinstance(meta, dict):
        return {}, [where.problem("the front matter (between the --- lines) must be a set of fields", "---")]
    problems = []
    for key in meta:
        if key not in FRONT_MATTER:
            problems.append(
                where.problem(
                    f"the front matter field '{key}' is not allowed; use {', '.join(sorted(FRONT_MATTER))}", key
                )
            )
    for key in ("title", "description"):
        value = meta.get(key)
        if value is None:
            continue
        problem = "this must be text" if not isinstance(value, str) else markup.plain_text_problem(value)
        if problem:
            problems.append(where.problem(f"{key}: {problem}", key))
        else:
            # Material prints page titles and descriptions into the page unescaped.
            meta[key] = str(escape(value))
    return meta, problems


def _local_file_problems(path: Path, root: Path) -> list[Problem]:
    file = display_path(path, root)
    if path.suffix.lower() not in LOCAL_FILES:
        return [
            Problem(
                file,
                0,
                "",
                "a local folder may publish pages (.md), stylesheets (.css), images and PDFs only; remove this file",
            )
        ]
    if path.suffix.lower() == ".css":
        text = path.read_text(encoding="utf-8", errors="replace")
        for match in _CSS_URL.finditer(text):
            target = (match.group(1) or "").strip()
            if match.group(0).lower() == "@import" or re.match(r"[A-Za-z][A-Za-z0-9+.\-]*:|//", target):
                return [
                    Problem(
                        file,
                        text.count("\n", 0, match.start()) + 1,
                        "",
                        "a stylesheet may load only the site's own files (no @import, no url() to another "
                        "host): pages must make no request to any other host",
                    )
                ]
    if path.suffix.lower() == ".svg":
        problem = _svg_problem(path)
        if problem:
            return [Problem(file, 0, "", problem)]
    return []


def _svg_problem(path: Path) -> str | None:
    """An SVG opened on its own runs its scripts with the site's address: allow only drawings."""
    try:
        tree = ElementTree.parse(path, forbid_dtd=True)
    except Exception:  # defusedxml refuses entities and DTDs; any parse failure is a bad drawing
        return "this SVG cannot be read as a plain drawing (it is not valid XML, or it has a DTD or entities)"
    for element in tree.iter():
        tag = element.tag.rsplit("}", 1)[-1].lower()
        if tag in ("script", "foreignobject", "iframe", "embed", "object", "handler"):
            return f"this SVG has a <{tag}> element; an image may hold drawings only"
        for name, value in element.attrib.items():
            local_name = name.rsplit("}", 1)[-1].lower()
            if local_name.startswith("on"):
                return f"this SVG has an event handler ({local_name}); an image may hold drawings only"
            if local_name == "href" and not value.strip().startswith("#"):
                return f"this SVG links to '{value}'; an image may use only its own parts (#id)"
    return None


class _Where:
    """A file whose problems are placed on the line where a text first appears in it."""

    def __init__(self, path: Path | None, root: Path, fallback: str = ""):
        self.file = display_path(path, root) if path else fallback
        try:
            self.text = path.read_text(encoding="utf-8") if path else ""
        except (OSError, UnicodeDecodeError):
            self.text = ""

    def problem(self, message: str, needle: str) -> Problem:
        at = self.text.find(needle) if needle else -1
        return Problem(self.file, self.text.count("\n", 0, at) + 1 if at >= 0 else 0, "", message)


def _in_data(url: str, data_files: Sequence[Path], root: Path, uri: str) -> _Where:
    """The data file that holds a generated page's link (found by its text), or the page itself."""
    for path in data_files:
        if url in path.read_text(encoding="utf-8", errors="replace"):
            return _Where(path, root)
    return _Where(None, root, fallback=f"the generated page {uri}")


def _symlink(path: Path, root: Path) -> Problem:
    return Problem(
        display_path(path, root),
        0,
        "",
        f"this is a symbolic link (to {os.readlink(path)}); the build follows none, so that no file from "
        "elsewhere on the machine is published. Put the file itself here",
    )
