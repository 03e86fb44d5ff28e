"""The {placeholders} of the interface words (data/ui.yml and its translations), checked against
the code that fills them in.

A placeholder the code does not fill is printed as typed ("Last reviewed {reviewd}"), and one a
text lacks drops what the code puts there (a translation of guide_about_text without its dates).
What each text must hold is read from the code, not from the English text: the code is what
fills them, so a typo in the English is found too, and is one message rather than one per
language. The code fills a text in three ways, all read here without running anything: a
template's `ui.NAME | fill(name=...)`, Python's `fill(ui["NAME"], name=...)` or
`ui["NAME"].replace("{name}", ...)`, and a function given `ui["NAME"]` that looks for "{name}"
itself (the PDFs' page counter).
"""

from __future__ import annotations

import ast
import difflib
import functools
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import cast

import jinja2
from jinja2 import nodes

from . import cache
from .problems import Problem
from .yamlfile import Document

PACKAGE = Path(__file__).resolve().parent
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def check(document: Document, filled: dict[str, frozenset[str]] | None = None) -> list[Problem]:
    """A problem for each text of a ui file (data/ui.yml or a translation) whose placeholders are
    not exactly those the code fills in. Texts still to translate ("") are left alone."""
    filled = expected() if filled is None else filled
    problems = []
    for name, text in (document.data.get("strings") or {}).items():
        if not isinstance(text, str) or not text.strip():
            continue
        message = _message(set(_PLACEHOLDER.findall(text)), filled.get(name, frozenset()))
        if message:
            problems.append(Problem(document.file, document.line(("strings", name)), f"strings.{name}", message))
    return problems


def _message(found: set[str], wanted: frozenset[str]) -> str | None:
    unknown, missing = sorted(found - wanted), sorted(wanted - found)
    if not unknown and not missing:
        return None
    parts = []
    for name in unknown:
        meant = difflib.get_close_matches(name, missing, n=1)
        if meant:
            missing.remove(meant[0])
            parts.append(
                f"{{{name}}} is not filled in here, so readers would see it as typed. Did you mean {{{meant[0]}}}?"
            )
        else:
            parts.append(
                f"{{{name}}} is not filled in here, so readers would see it as typed. "
                + (f"The placeholders of this text are {_names(wanted)}." if wanted else "Remove it.")
            )
    if missing:
        parts.append(
            f"this text must keep {_names(missing)}, braces included: the site fills "
            f"{'it' if len(missing) == 1 else 'them'} in."
        )
    return " ".join(parts).rstrip(".")


def _names(names: Iterable[str]) -> str:
    quoted = [f"{{{name}}}" for name in sorted(names)]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


@functools.cache
def expected() -> dict[str, frozenset[str]]:
    """Each interface text the code fills in, by name, with the placeholders it fills. Kept by
    cache.py under the code it is read from: parsing every template and module cost a fifth of a
    build after an edit, and the code does not change between edits of the content."""
    templates, modules = sorted((PACKAGE / "templates").glob("*.j2")), sorted(PACKAGE.glob("*.py"))
    code = cache.code(*templates, *modules, packages=("jinja2",))
    stored = cache.get("placeholders", code)
    if stored is None:
        found: dict[str, set[str]] = {}
        for name, placeholders in [*_from_templates(PACKAGE / "templates"), *_from_python(PACKAGE)]:
            found.setdefault(name, set()).update(placeholders)
        stored = {name: sorted(placeholders) for name, placeholders in found.items()}
        cache.put("placeholders", code, stored)
    return {name: frozenset(placeholders) for name, placeholders in stored.items()}


def _from_templates(folder: Path) -> Iterator[tuple[str, set[str]]]:
    environment = jinja2.Environment()
    for path in sorted(folder.glob("*.j2")):
        source = path.read_text(encoding="utf-8")
        if "fill" not in source:
            continue  # parsing is the slow part: most templates fill nothing
        tree = environment.parse(source)
        for node in tree.find_all(nodes.Filter):
            name = _template_ui_name(node.node)
            if node.name == "fill" and name:
                yield name, {cast(nodes.Keyword, keyword).key for keyword in node.kwargs}


def _template_ui_name(node: nodes.Node | None) -> str | None:
    """NAME, for the template expressions ui.NAME and ui["NAME"]."""
    if isinstance(node, nodes.Getattr) and isinstance(node.node, nodes.Name) and node.node.name == "ui":
        return node.attr
    if (
        isinstance(node, nodes.Getitem)
        and isinstance(node.node, nodes.Name)
        and node.node.name == "ui"
        and isinstance(node.arg, nodes.Const)
        and isinstance(node.arg.value, str)
    ):
        return node.arg.value
    return None


def _from_python(package: Path) -> Iterator[tuple[str, set[str]]]:
    for path in sorted(package.glob("*.py")):
        source = path.read_text(encoding="utf-8")
        if 'ui["' not in source:
            continue
        tree = ast.parse(source)
        functions = {node.name: node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}
        for call in (node for node in ast.walk(tree) if isinstance(node, ast.Call)):
            func = call.func
            if isinstance(func, ast.Name) and func.id == "fill" and call.args:
                for name in _python_ui_names(call.args[0]):
                    yield name, {keyword.arg for keyword in call.keywords if keyword.arg}
            elif isinstance(func, ast.Attribute) and func.attr == "replace" and call.args:
                for name in _python_ui_names(func.value):
                    yield name, set(_PLACEHOLDER.findall(_constant(call.args[0])))
            elif isinstance(func, ast.Name) and func.id in functions:
                for argument in call.args:
                    for name in _python_ui_names(argument):
                        yield name, _constants_in(functions[func.id])


def _python_ui_names(node: ast.expr) -> list[str]:
    """The names in ui["NAME"] or content.ui["NAME"] (or ui["A" if ... else "B"])."""
    if not isinstance(node, ast.Subscript):
        return []
    owner = node.value
    if not (isinstance(owner, ast.Name) and owner.id == "ui") and not (
        isinstance(owner, ast.Attribute) and owner.attr == "ui"
    ):
        return []
    key = node.slice
    options = [key.body, key.orelse] if isinstance(key, ast.IfExp) else [key]
    return [option.value for option in options if isinstance(option, ast.Constant) and isinstance(option.value, str)]


def _constant(node: ast.AST) -> str:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else ""


def _constants_in(function: ast.FunctionDef) -> set[str]:
    """The placeholders a function looks for itself: every "{name}" among its strings."""
    return {name for node in ast.walk(function) for name in _PLACEHOLDER.findall(_constant(node))}
