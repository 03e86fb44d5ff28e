"""What one edition hands MkDocs, and the memo that spares a rebuild of unchanged content.

Every `mkdocs build` is a new process, and the pipeline (loading, every gate, rendering) cost as
much again as MkDocs' own build. Its output depends only on what it reads: the data, docs and
local folders, this package's code and templates, the installed packages, Python, the settings
(today's date among them) and SOURCE_DATE_EPOCH. `produce` hashes all of that and, when the last
output made from exactly those inputs is stored, returns it without loading or checking anything:
the gates passed on those very bytes. Any change to any input is a different key, so the whole
pipeline runs, every gate with it. A failed build stores nothing, so its errors show every time.

Entries live in .cache/checks/ (see cache.py): a small record per output, and the pages and files
as blobs named by their SHA-256, checked on every read. An entry with a missing or altered blob
is a miss. The newest few entries are kept, and blobs no kept entry names are deleted.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import sys
import sysconfig
from collections.abc import Iterable, MutableMapping
from pathlib import Path

from markupsafe import Markup, escape

from . import cache
from .settings import Settings

PACKAGE = Path(__file__).resolve().parent
KIND = "output"
# Enough for every edition of a copy or two, and the state before an edit in `mkdocs serve`.
KEEP = 8


@dataclasses.dataclass(frozen=True)
class Output:
    """Everything one edition adds to MkDocs, as paths under docs/."""

    pages: dict[str, str]  # every page's Markdown: generated, hand-written (in the edition's language), local
    files: dict[str, bytes]  # generated files: the sheet PDFs, our scripts and styles minified
    static: dict[str, Path]  # files published as they are: docs/ and a hospital's local/docs/ assets
    nav: list  # in mkdocs.yml's form; its titles are escaped, as Markup
    extra_css: list[str]  # a hospital's own stylesheets, after the core ones
    footer: str  # HTML for the foot of every page: the organization's contacts, the feedback link
    notices: tuple[str, ...]  # overdue and soon-due reviews, for the log: a site must keep building


def produce(site: Settings) -> Output:
    """The output of `pipeline.build(site)`, from the memo when nothing it reads has changed, or
    ContentError naming every problem to fix."""
    key = inputs_key(site)
    stored = _load(key)
    if stored is not None:
        return stored
    from . import pipeline  # the loaders, gates and renderers load only when they run

    made = pipeline.build(site).output
    # A file saved while the pipeline ran (an editor in `mkdocs serve`) may be in this output or
    # not: stored under the key of the files as they were before, it could be served for them later.
    if inputs_key(site) == key:
        _store(key, made)
    return made


def configure(config: MutableMapping, site: Settings, output: Output) -> None:
    """What a build sets in the MkDocs config (MkDocs' own object in the hook, a plain mapping for
    `write`): the navigation, this edition's address and language switcher, a hospital's styles,
    and the footer. Every text in them is escaped already: Material's templates print them as they are.
    The texts of the config Material prints are escaped here, as Markup, so that the places where
    Material escapes them itself (`| e`) leave them as they are."""
    for key in ("site_name", "site_description", "copyright"):
        if config.get(key):
            config[key] = escape(config[key])
    config["nav"] = output.nav
    config["site_url"] = site.url
    config["extra_css"] = [*(config.get("extra_css") or []), *output.extra_css]
    extra = config["extra"]
    extra["alternate"] = list(site.switcher)
    extra["footer"] = output.footer


def inputs_key(site: Settings) -> str:
    """A hash of everything the pipeline reads for `site`."""
    digest = hashlib.sha256()
    settings = json.dumps(dataclasses.asdict(site), default=str, sort_keys=True)
    paths = sysconfig.get_paths()
    packages = sorted(
        name
        for folder in {paths["purelib"], paths["platlib"]}
        for name in _names(folder)
        if name.endswith(".dist-info")
    )
    for part in (sys.version, os.environ.get("SOURCE_DATE_EPOCH", ""), settings, *packages):
        _feed(digest, part.encode())
    for folder in (PACKAGE, site.data_dir, site.docs_dir, site.local_dir):
        _feed(digest, str(folder).encode())
        if folder is None:
            continue
        for path in _tree(folder):
            _feed(digest, str(path.relative_to(folder)).encode())
            _feed(digest, _contents(path))
    return digest.hexdigest()


def _contents(path: Path) -> bytes:
    """A file's bytes; a symbolic link's target (the build refuses links: it never follows one)."""
    try:
        return os.readlink(path).encode() if path.is_symlink() else path.read_bytes()
    except OSError as error:
        # Gone since the folder was listed (an editor's temporary file) or unreadable: a key no
        # stored output has, and the pipeline finds the file as it is now.
        return f"unreadable: {error}".encode()


def _names(folder: str) -> list[str]:
    try:
        return os.listdir(folder)
    except OSError:
        return []


def _tree(folder: Path) -> Iterable[Path]:
    """Every file and link below `folder`, in a stable order, compiled Python left out."""
    for parent, folders, files in os.walk(folder):
        folders[:] = sorted(name for name in folders if name != "__pycache__")
        here = Path(parent)
        for name in sorted(files + [name for name in folders if (here / name).is_symlink()]):
            yield here / name


def _feed(digest: hashlib._Hash, data: bytes) -> None:
    digest.update(f"{len(data)}:".encode())  # length-prefixed, so no two inputs run together
    digest.update(data)


def _store(key: str, made: Output) -> None:
    record = {
        "pages": {path: cache.put_blob(text.encode()) for path, text in made.pages.items()},
        "files": {path: cache.put_blob(data) for path, data in made.files.items()},
        "static": {path: str(source) for path, source in made.static.items()},
        "nav": made.nav,
        "extra_css": made.extra_css,
        "footer": made.footer,
        "notices": list(made.notices),
    }
    cache.put(KIND, key, record)
    # Only outputs keep blobs: those no kept output names are never read again.
    cache.keep_blobs({digest for kept in cache.prune(KIND, KEEP) for digest in _blobs(kept)})


def _blobs(record: object) -> list[str]:
    """The blobs an output names (none, in a record another version of this module wrote)."""
    if not isinstance(record, dict):
        return []
    tables = [record.get(part) for part in ("pages", "files")]
    return [str(digest) for table in tables if isinstance(table, dict) for digest in table.values()]


def _load(key: str) -> Output | None:
    record = cache.get(KIND, key)
    if not isinstance(record, dict):
        return None
    try:
        pages = {path: cache.get_blob(digest) for path, digest in record["pages"].items()}
        files = {path: cache.get_blob(digest) for path, digest in record["files"].items()}
        if None in pages.values() or None in files.values():
            return None  # a blob deleted or altered since: build again
        return Output(
            pages={path: data.decode() for path, data in pages.items() if data is not None},
            files={path: data for path, data in files.items() if data is not None},
            static={path: Path(source) for path, source in record["static"].items()},
            nav=_titles(record["nav"]),
            extra_css=list(record["extra_css"]),
            footer=record["footer"],
            notices=tuple(record["notices"]),
        )
    except (KeyError, TypeError, AttributeError, UnicodeDecodeError):
        return None  # written by another version of this module


def _titles(nav: list) -> list:
    """The stored nav with its titles Markup again, as navigation.py made them (JSON keeps only
    the text): Material escapes titles that are plain text a second time."""
    return [
        {Markup(title): _titles(value) if isinstance(value, list) else value for title, value in item.items()}
        if isinstance(item, dict)
        else item
        for item in nav
    ]
