"""Strict YAML reading: every value with its line, and no YAML surprises.

PyYAML's safe_load keeps the last of duplicate keys, shares aliases (an alias bomb explodes
later) and quietly turns `no` into False or `012345` into a number. Content written by people
must not change meaning on the way in, so this reader composes the node tree itself, rejects
duplicate keys, anchors, aliases, tags and tabs, and keeps the line of every value so that a
later check can name it.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any, cast

import yaml

from .problems import Problem, field_path

Path_ = tuple  # a value's place in the document: keys and list indexes, e.g. ("triggers", 3, "label")

# libyaml's parser when PyYAML has it (its wheels do): the same events and marks, ten times faster.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# Plain (unquoted) values YAML 1.1 reads as something other than text. The value is kept as
# Python reads it (True, 5349, None) so the schema, which expects text, rejects it by name.
_TYPED_TAGS = {
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:null",
}


@dataclasses.dataclass(frozen=True)
class Document:
    """One data file: its values, and where each value was written."""

    file: str
    data: Any  # JSON-like; the schemas, not the types, say its shape
    lines: dict[Path_, int]
    raw: dict[Path_, str]  # the text of every plain scalar that YAML read as a non-text value

    def line(self, path: Path_) -> int:
        """The line of the value at `path`, or of its nearest written parent."""
        path = tuple(path)
        while path not in self.lines and path:
            path = path[:-1]
        return self.lines.get(path, 1)

    def where(self, path: Path_) -> tuple[str, int]:
        return self.file, self.line(path)


class _Reader:
    def __init__(self, file: str):
        self.file = file
        self.problems: list[Problem] = []
        self.lines: dict[Path_, int] = {}
        self.raw: dict[Path_, str] = {}
        self._constructor = yaml.SafeLoader("")

    def problem(self, mark: Any, message: str, path: Path_ = ()) -> None:  # a yaml.Mark, or the C parser's
        self.problems.append(Problem(self.file, mark.line + 1, field_path(path), message))

    def value(self, node: yaml.Node, path: Path_) -> object:
        self.lines[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.value(item, (*path, index)) for index, item in enumerate(node.value)]
        return self.scalar(cast(yaml.ScalarNode, node), path)

    def mapping(self, node: yaml.MappingNode, path: Path_) -> dict:
        result: dict = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.problem(key_node.start_mark, "a field name must be a plain word", path)
                continue
            key = key_node.value
            if key == "<<":
                self.problem(key_node.start_mark, "merge keys (<<) are not allowed; write the fields out", path)
                continue
            if key in result:
                first = self.lines[(*path, key)]
                self.problem(
                    key_node.start_mark,
                    f"the field '{key}' appears twice (first on line {first}); keep one",
                    (*path, key),
                )
                continue
            result[key] = self.value(value_node, (*path, key))
            # A field is where its name is written, even when its value starts on the next line.
            self.lines[(*path, key)] = key_node.start_mark.line + 1
        return result

    def scalar(self, node: yaml.ScalarNode, path: Path_) -> object:
        if not node.style and node.tag in _TYPED_TAGS:  # plain: libyaml says "", PyYAML None
            self.raw[path] = node.value
            return self._constructor.construct_object(node)
        if node.tag not in ("tag:yaml.org,2002:str", "tag:yaml.org,2002:timestamp"):
            self.problem(node.start_mark, f"YAML tags like '{node.tag}' are not allowed", path)
        # Dates stay text (2026-11-21): the schema checks their form, the loader their meaning.
        return node.value


def read(path: Path, file: str) -> tuple[Document | None, list[Problem]]:
    """Read one YAML file. `file` is the name to report problems under."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        return None, [Problem(file, 1, "", f"the file is not UTF-8 text ({error.reason}); save it as UTF-8")]
    reader = _Reader(file)
    for number, line in enumerate(text.splitlines(), start=1):
        if "\t" in line:
            reader.problems.append(Problem(file, number, "", "this line has a tab; use spaces to indent"))
    if reader.problems:
        return None, reader.problems
    try:
        # Anchors and aliases are refused while parsing, before any node is built, so an alias
        # bomb never grows.
        for event in yaml.parse(text, Loader=_LOADER):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                reader.problem(event.start_mark, "anchors and aliases (& and *) are not allowed; write the value out")
                return None, reader.problems
        nodes = list(yaml.compose_all(text, Loader=_LOADER))
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        return None, [Problem(file, mark.line + 1 if mark else 1, "", _syntax_message(error))]
    if len(nodes) != 1:
        return None, [Problem(file, 1, "", "the file must hold exactly one YAML document")]
    data = reader.value(nodes[0], ())
    if reader.problems:
        return None, reader.problems
    return Document(file, data, reader.lines, reader.raw), []


def _syntax_message(error: yaml.MarkedYAMLError) -> str:
    what = " ".join(part for part in (error.context, error.problem) if part)
    return (
        f"the YAML is not valid here ({what}). Check the indentation of this line and the one "
        "before, and put text with a colon followed by a space, or starting with a symbol, in quotes"
    )
