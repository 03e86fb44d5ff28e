"""The settings of one build, read in one place from its MkDocs config, INHERIT followed.

The MkDocs hooks pass the config MkDocs has loaded; the command line reads the same file itself
(`read`). Either way the result is one `Settings`, so `python -m second_opinion write` reproduces
the build exactly. Every value is checked here, and a mistake is a ContentError naming the config
file and line, like any content mistake.

A copy of the site may have several editions, one per language: the config `mkdocs.yml` builds
the source-language edition into its site folder, and each `mkdocs.LANG.yml` beside it (which
INHERITs it) builds edition LANG into the folder LANG/ below. The language switcher and each
edition's address are derived from those files, so no config has to list the others.
"""

from __future__ import annotations

import dataclasses
import datetime
import os
import posixpath
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import babel
import yaml
import yaml_env_tag

from . import integrity, schemas
from .model import Organization
from .problems import ContentError, Problem, display_path, field_path
from .yamlfile import Document

# The core project (data/, docs/, overrides/) this package belongs to, wherever the config that
# builds it lives: a hospital's config may sit outside it. The hooks pass their own project, since
# one process (a test run) may build several copies with the package imported once.
PROJECT = Path(__file__).resolve().parents[2]
# The language content is written in; a translated edition falls back to it, text by text.
SOURCE_LANGUAGE = "en"
# extra.paper -> (CSS page size of the sheet PDFs, what a reader calls it)
PAPERS = {"letter": ("letter", "Letter"), "a4": ("A4", "A4")}
_EDITION_CONFIG = re.compile(r"^mkdocs\.([a-z]{2})\.yml$")


@dataclasses.dataclass(frozen=True)
class Edition:
    """One language edition of a copy of the site."""

    language: str
    name: str  # the language's name in itself: English, Español
    path: str  # its folder below the copy's root: "" for the source language, "es/"


@dataclasses.dataclass(frozen=True)
class Settings:
    """Everything about a build that is not content. Templates know it as `site`."""

    name: str
    today: datetime.date  # the build date: SOURCE_DATE_EPOCH's day, so a rebuild is identical
    url: str | None = None  # this edition's public address, when the copy has one
    organization: Organization | None = None  # who hosts this copy; None: the public edition
    directory_urls: bool = True  # pages at name/ (a web server) or name.html (a copy opened from disk)
    language: str = SOURCE_LANGUAGE
    paper: str = "letter"  # of the sheet PDFs: letter or a4
    data_dir: Path = PROJECT / "data"
    docs_dir: Path = PROJECT / "docs"
    local_dir: Path | None = None  # a hosting organization's own content, laid out like data/
    logo: Path | None = None  # its logo (theme.logo), in its local/docs/: printed on its sheets
    pdf_cache: Path | None = None  # sheet PDFs by content hash; None renders every time
    config_file: Path | None = None
    # Every edition of this copy, this one included; empty for a single-language copy.
    editions: tuple[Edition, ...] = ()
    # The language switcher's entries (MkDocs' extra.alternate): a link to each edition's root.
    switcher: tuple[dict[str, str], ...] = ()
    feedback_url: str | None = None  # where readers report a mistake (footer, About page)

    @property
    def root(self) -> Path:
        """The folder paths in problem messages are relative to."""
        return self.data_dir.parent

    def link(self, from_page: str, to_page: str) -> str:
        """The relative URL from one page to another (paths under docs/), as MkDocs writes links.

        Links inside raw HTML are not rewritten by MkDocs, so templates that write them use this."""
        url = self._url
        base = url(from_page).rsplit("/", 1)[0] if "/" in url(from_page) else ""
        target = url(to_page)
        relative = posixpath.relpath(target or ".", base or ".")
        return relative + "/" if target.endswith("/") or not target else relative

    def address(self, page: str) -> str | None:
        """A page's public address (its path under docs/ below this edition's site_url), or None
        when the copy has no site_url: printed sheets then carry no address to scan."""
        return self.url.rstrip("/") + "/" + self._url(page) if self.url else None

    def _url(self, page: str) -> str:
        """A page's URL relative to the edition's root, as MkDocs writes it."""
        stem = page.removesuffix(".md")
        if not self.directory_urls:
            return stem + ".html"
        return stem.removesuffix("index") if stem == "index" or stem.endswith("/index") else stem + "/"


def build_date() -> datetime.date:
    """Today, or the day SOURCE_DATE_EPOCH names, so a rebuild of a commit is identical."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return datetime.datetime.fromtimestamp(int(epoch), datetime.UTC).date()
    return datetime.date.today()


def read(config_file: Path, *, data_dir: Path | None = None) -> Settings:
    """The settings of the config file `config_file`, read as MkDocs reads it (for the command line)."""
    return from_config(load_config(config_file), config_file, project=PROJECT, data_dir=data_dir)


def from_config(values: Mapping, config_file: Path, *, project: Path, data_dir: Path | None = None) -> Settings:
    """The settings of a loaded config (MkDocs' own, or `load_config`'s) of a copy of `project`,
    or ContentError."""
    config_file = Path(config_file).resolve()
    where = _Locator(config_file, project)
    problems = [where.problem(path, message) for path, message in integrity.config_type_problems(values)]
    if problems:
        raise ContentError(problems)
    extra = values.get("extra") or {}
    theme = values.get("theme") or {}
    language = theme["language"] if not isinstance(theme, str) and "language" in theme else SOURCE_LANGUAGE

    organization = None
    if extra.get("organization") is not None:
        organization, found = _organization(extra["organization"], where, project / "data" / "schemas")
        problems += found
    paper = extra.get("paper", "letter")
    if paper not in PAPERS:
        problems.append(
            where.problem(
                ("extra", "paper"),
                f"this must be one of {', '.join(PAPERS)} (the paper size of the question sheet PDFs), not {paper!r}",
            )
        )
    local_dir = None
    if extra.get("local_content"):
        local_dir = (config_file.parent / str(extra["local_content"])).resolve()
        if not local_dir.is_dir():
            problems.append(where.problem(("extra", "local_content"), f"the folder {local_dir} does not exist"))
    docs_dir = (config_file.parent / str(values.get("docs_dir") or "docs")).resolve()
    logo, found = _logo(theme, docs_dir, local_dir, where)
    problems += found
    feedback_url = extra.get("feedback_url")
    if feedback_url is not None and not re.match(r"^(https://|mailto:)[^\s<>\"']+$", str(feedback_url)):
        problems.append(
            where.problem(("extra", "feedback_url"), "this must be an https:// address or a mailto: address")
        )

    if values.get("nav"):
        problems.append(
            where.problem(
                ("nav",),
                "the menu is made from the content (guides, sheets, pages): remove nav from the config",
            )
        )
    problems += _missing_hooks(values.get("hooks") or [], config_file, project, where)
    problems += [where.problem(path, message) for path, message in integrity.config_problems(values)]
    editions = _editions(config_file)
    site_url = values.get("site_url") or None
    if editions and site_url and language != editions[0].language:
        site_url = _edition_url(site_url, config_file, language)
    switcher = _switcher(editions, language)
    if "alternate" in extra:
        # Written by hand (the copy opened from disk lists none): it may only name editions that exist.
        switcher = tuple(extra["alternate"] or ())
        built = {e.language for e in editions}
        for index, entry in enumerate(switcher):
            lang = entry.get("lang") if isinstance(entry, Mapping) else None
            if lang not in built:
                problems.append(
                    where.problem(
                        ("extra", "alternate", index),
                        f"the language switcher links to a '{lang}' edition, but no mkdocs.{lang}.yml beside "
                        f"{config_file.name} builds one; remove this entry, or write alternate: [] for one language",
                    )
                )
    if problems:
        raise ContentError(problems)
    return Settings(
        name=str(values.get("site_name") or "Second Opinion Guide"),
        today=build_date(),
        url=site_url,
        organization=organization,
        directory_urls=bool(values.get("use_directory_urls", True)),
        language=language,
        paper=paper,
        data_dir=Path(data_dir).resolve() if data_dir else project / "data",
        docs_dir=docs_dir,
        local_dir=local_dir,
        logo=logo,
        pdf_cache=project / ".cache" / "pdf",
        config_file=config_file,
        editions=editions,
        switcher=switcher,
        feedback_url=feedback_url,
    )


def refused_by_mkdocs(config_file: Path, project: Path = PROJECT) -> list[Problem]:
    """What MkDocs itself refuses in a config, and so the strict build would: an unknown setting
    (a misspelt `extra:`), a folder that does not exist, a plugin or theme option it rejects.

    MkDocs is asked, rather than its rules copied, so that `check` and the build agree. Only the
    command line calls this (the build runs the same validation itself), so it is the one place
    this package imports MkDocs, and only when called."""
    from mkdocs.config.base import get_schema
    from mkdocs.config.defaults import MkDocsConfig

    config_file = Path(config_file).resolve()
    config = MkDocsConfig(config_file_path=str(config_file))
    with config_file.open("rb") as file:
        config.load_file(file)
    errors, warnings = config.validate()
    known = [name for name, _ in get_schema(MkDocsConfig)]
    where = _Locator(config_file, project)
    problems, meant = [], set()
    for name, warning in warnings:
        if str(warning).startswith("Unrecognised configuration name"):
            hint = schemas.suggestion(name, known)
            meant.add(hint)
            text = f" Did you mean '{hint}'?" if hint else " See https://www.mkdocs.org/user-guide/configuration/"
            problems.append(where.problem((name,), f"'{name}' is not a setting MkDocs knows.{text}"))
        else:
            problems.append(
                where.problem((name,), f"MkDocs warns about this setting, which fails the strict build: {warning}")
            )
    problems += [
        # A misspelt setting leaves the real one unset, or inherited as it is: one mistake, one message.
        where.problem((name,), f"MkDocs refuses this setting: {error}")
        for name, error in errors
        if name not in meant
    ]
    return problems


def _logo(theme: object, docs_dir: Path, local_dir: Path | None, where: _Locator) -> tuple[Path | None, list[Problem]]:
    """The copy's own logo file, for its printed sheets, from theme.logo (a path under the docs,
    as Material reads it). A logo from the web would make every page call another server."""
    value = theme.get("logo") if isinstance(theme, Mapping) else None
    if not value:
        return None, []
    value = str(value)
    if re.match(r"^[a-z][a-z0-9+.-]*:|^//", value, re.IGNORECASE):
        return None, []  # an address: integrity.config_problems refuses it, one message a mistake
    own = local_dir / "docs" / value if local_dir else None
    if own and own.is_file():
        return own.resolve(), []
    if (docs_dir / value).is_file():
        return None, []  # a core image: the site shows it; the sheets name the organization only
    searched = [local_dir / "docs", docs_dir] if local_dir else [docs_dir]
    folders = " or ".join(f"{display_path(folder, where.project)}/" for folder in searched)
    return None, [where.problem(("theme", "logo"), f"there is no file {value} in {folders}")]


def _missing_hooks(hooks: list[str], config_file: Path, project: Path, where: _Locator) -> list[Problem]:
    """A copy's config must repeat the core `hooks:` list (MkDocs resolves hook paths from the
    config being built); without this check, a hook added upstream would be silently missing
    from hospital copies, with the pages or security headers it makes."""
    core = project / "mkdocs.yml"
    if config_file == core or not core.is_file():
        return []
    loaded = {Path(str(name)).name for name in hooks}
    missing = [path for path in load_config(core).get("hooks") or [] if Path(path).name not in loaded]
    if not missing:
        return []
    return [
        where.problem(("hooks",), f"add {', '.join(missing)} (relative to this file): every copy needs the core hooks")
    ]


def load_config(config_file: Path) -> dict:
    """A config file as MkDocs loads it: `!ENV` values resolved and INHERIT merged into its parent
    (mappings merged key by key, everything else replaced). Other YAML tags, which only MkDocs'
    own options use, are read as nothing."""
    config_file = Path(config_file)
    try:
        text = config_file.read_text(encoding="utf-8")
    except OSError as error:
        raise ContentError(
            [Problem(str(config_file), 0, "", f"the config file cannot be read ({error.strerror})")]
        ) from None
    try:
        values = yaml.load(text, Loader=_ConfigLoader) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise ContentError(
            [Problem(str(config_file), mark.line + 1 if mark else 1, "", "the config file is not valid YAML")]
        ) from None
    if not isinstance(values, dict):
        raise ContentError([Problem(str(config_file), 1, "", "the config file must hold a set of settings")])
    parent = values.pop("INHERIT", None)
    if parent is not None and not isinstance(parent, str):
        raise ContentError([Problem(str(config_file), 1, "INHERIT", "this should be the name of a config file")])
    if parent:
        values = _merge(load_config(config_file.parent / str(parent)), values)
    return values


class _ConfigLoader(yaml.SafeLoader):
    pass


_ConfigLoader.add_constructor("!ENV", yaml_env_tag.construct_env_tag)
_ConfigLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def _merge(parent: dict, child: dict) -> dict:
    result = dict(parent)
    for key, value in child.items():
        result[key] = (
            _merge(result[key], value) if isinstance(value, dict) and isinstance(result.get(key), dict) else value
        )
    return result


def _organization(raw: Any, where: _Locator, schema_dir: Path) -> tuple[Organization | None, list[Problem]]:
    """extra.organization, checked with data/schemas/organization.schema.json like any content."""
    file, lines = where.lines_under(("extra", "organization"))
    document = Document(file, raw, lines, {})
    problems = [
        Problem(p.file, p.line, f"extra.organization.{p.field}".rstrip("."), p.message)
        for p in schemas.check(document, schema_dir, "organization")
    ]
    if problems:
        return None, problems
    return Organization(**{key: value.strip() for key, value in raw.items()}), []


def _editions(config_file: Path) -> tuple[Edition, ...]:
    """The editions of the copy `config_file` belongs to: its mkdocs.yml and each mkdocs.LANG.yml
    beside it. A config with another name (the copy to open from disk) is an edition of its own."""
    edition = _EDITION_CONFIG.match(config_file.name)
    if config_file.name != "mkdocs.yml" and not edition:
        return ()
    folder = config_file.parent
    languages = sorted(m.group(1) for p in folder.glob("mkdocs.??.yml") if (m := _EDITION_CONFIG.match(p.name)))
    if not languages:
        return ()
    return (
        Edition(SOURCE_LANGUAGE, _language_name(SOURCE_LANGUAGE), ""),
        *(Edition(code, _language_name(code), f"{code}/") for code in languages if code != SOURCE_LANGUAGE),
    )


def _switcher(editions: tuple[Edition, ...], language: str) -> tuple[dict[str, str], ...]:
    """A link to each edition's root, relative to this edition's root."""
    here = next((e.path for e in editions if e.language == language), "")
    links = [posixpath.relpath(e.path or ".", here or ".") for e in editions]
    return tuple(
        {"name": e.name, "lang": e.language, "link": "" if link == "." else link + "/"}
        for e, link in zip(editions, links, strict=True)
    )


def _edition_url(site_url: str, config_file: Path, language: str) -> str:
    """A translated edition's address: its config INHERITs the root's address unless it gives its
    own, and its pages live in the folder LANG/ below the root's."""
    root = load_config(config_file.parent / "mkdocs.yml")
    if site_url != root.get("site_url"):
        return site_url
    return site_url.rstrip("/") + f"/{language}/"


def _language_name(code: str) -> str:
    """A language's name as its readers write it, for the switcher: English, Español."""
    name = babel.Locale.parse(code).get_display_name(code) or code
    return name[:1].upper() + name[1:]


class _Locator:
    """Lines of a config's values, for problem messages: the file in the INHERIT chain that sets them."""

    def __init__(self, config_file: Path, project: Path):
        self.project = project
        self.display = display_path(config_file, project)
        self._files: list[tuple[str, dict]] = []
        path: Path | None = config_file
        while path and path.is_file():
            try:
                node = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
            except yaml.YAMLError:
                break
            lines: dict[tuple, int] = {}
            if node is not None:  # an empty file
                _node_lines(node, (), lines)
            self._files.append((display_path(path, project), lines))
            parent = next(
                (v for k, v in (node.value if isinstance(node, yaml.MappingNode) else []) if k.value == "INHERIT"), None
            )
            path = (path.parent / parent.value).resolve() if isinstance(parent, yaml.ScalarNode) else None

    def problem(self, path: tuple, message: str) -> Problem:
        for file, lines in self._files:
            for depth in range(len(path), 0, -1):
                if path[:depth] in lines:
                    return Problem(file, lines[path[:depth]], field_path(path), message)
        return Problem(self.display, 0, field_path(path), message)

    def lines_under(self, prefix: tuple) -> tuple[str, dict[tuple, int]]:
        """The file that sets `prefix`, and the lines of the values below it, relative to it."""
        for file, lines in self._files:
            if prefix in lines:
                return file, {key[len(prefix) :]: line for key, line in lines.items() if key[: len(prefix)] == prefix}
        return self.display, {}


def _node_lines(node: yaml.Node, path: tuple, lines: dict[tuple, int]) -> None:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            _node_lines(value, (*path, key.value), lines)
            lines[(*path, key.value)] = key.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _node_lines(item, (*path, index), lines)
