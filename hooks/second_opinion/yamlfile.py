"""Strict YAML reading: every value with its line, and no YAML surprises.

PyYAML's safe_load keeps the last of duplicate keys, shares aliases (an alias bomb explodes
later) and quietly turns `no` into False or `012345` into a number. Content written by people
must not change meaning on the way in, so this reader composes the node tree itself, rejects
duplicate keys, anchors, aliases, tags and tabs, and keeps the line of every value so that a
later check can name it.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any, cast

import yaml

from .problems import Problem, field_path

Path_ = tuple  # a value's place in the document: keys and list indexes, e.g. ("triggers", 3, "label")

# libyaml's parser when PyYAML has it (its wheels do): the same events and marks, ten times faster.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

SIZE_LIMIT = 1_000_000  # bytes; the largest shipped data file has 22,000
DEPTH_LIMIT = 20  # levels of nesting; the data files use 5 at most
# Characters YAML refuses (its reader would stop with no line to show), and those it takes but no
# text needs: C0 controls but tab and line ends, DEL, C1 controls.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f]")

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
    # The first line of every literal text (`body: |`): its lines are the file's, one for one.
    literal: dict[Path_, int] = dataclasses.field(default_factory=dict)

    def line(self, path: Path_) -> int:
        """The line of the value at `path`, or of its nearest written parent."""
        path = tuple(path)
        while path not in self.lines and path:
            path = path[:-1]
        return self.lines.get(path, 1)

    def text_line(self, path: Path_, offset: int) -> int:
        """The line `offset` lines into the text at `path`: exact in a literal text, whose line
        breaks are the file's; elsewhere (folded or one-line text) the line of its field."""
        path = tuple(path)
        return self.literal[path] + offset if path in self.literal else self.line(path)

    def where(self, path: Path_) -> tuple[str, int]:
        return self.file, self.line(path)


class _Reader:
    def __init__(self, file: str):
        self.file = file
        self.problems: list[Problem] = []
        self.lines: dict[Path_, int] = {}
        self.raw: dict[Path_, str] = {}
        self.literal: dict[Path_, int] = {}
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
        if node.style == "|":
            self.literal[path] = node.start_mark.line + 2  # the text starts on the line after `|`
        # Dates stay text (2026-11-21): the schema checks their form, the loader their meaning.
        return node.value


def read(path: Path, file: str) -> tuple[Document | None, list[Problem]]:
    """Read one YAML file. `file` is the name to report problems under."""
    if path.stat().st_size > SIZE_LIMIT:
        return None, [
            Problem(
                file, 0, "", f"this file has {path.stat().st_size:,} bytes; a data file may have {SIZE_LIMIT:,} at most"
            )
        ]
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        return None, [Problem(file, 1, "", f"the file is not UTF-8 text ({error.reason}); save it as UTF-8")]
    reader = _Reader(file)
    for number, line in enumerate(text.split("\n"), start=1):  # not splitlines: \v and \f end no line
        if "\t" in line:
            reader.problems.append(Problem(file, number, "", "this line has a tab; use spaces to indent"))
        elif control := _CONTROL.search(line):
            reader.problems.append(
                Problem(
                    file,
                    number,
                    "",
                    f"this line has an invisible control character (U+{ord(control.group()):04X}); "
                    "delete it and retype the text around it",
                )
            )
    if reader.problems:
        return None, reader.problems
    try:
        # Anchors, aliases and deep nesting are refused while parsing (which keeps a stack, where
        # building the nodes recurses), before any node is built: an alias bomb never grows, and
        # a thousand nested brackets never reach the recursion limit or overflow the C stack.
        depth = 0
        for event in yaml.parse(text, Loader=_LOADER):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                reader.problem(event.start_mark, "anchors and aliases (& and *) are not allowed; write the value out")
                return None, reader.problems
            depth += isinstance(event, yaml.CollectionStartEvent) - isinstance(event, yaml.CollectionEndEvent)
            if depth > DEPTH_LIMIT:
                reader.problem(
                    event.start_mark,
                    f"the values here are nested more than {DEPTH_LIMIT} levels deep; data files need a few at most",
                )
                return None, reader.problems
        nodes = list(yaml.compose_all(text, Loader=_LOADER))
    except yaml.MarkedYAMLError as error:
        number, message = _syntax_problem(text.splitlines(), error)
        return None, [Problem(file, number, "", message)]
    except yaml.YAMLError as error:  # the reader's errors: a character YAML does not allow
        at = text.count("\n", 0, getattr(error, "position", 0)) + 1
        return None, [Problem(file, at, "", f"this line has a character YAML does not allow ({error})")]
    if len(nodes) != 1:
        return None, [Problem(file, 1, "", "the file must hold exactly one YAML document")]
    data = reader.value(nodes[0], ())
    if reader.problems:
        return None, reader.problems
    return Document(file, data, reader.lines, reader.raw, reader.literal), []


# A line that starts a block of text: `why: >-`, `body: |`, `- text: >` (with an optional comment).
_BLOCK_HEADER = re.compile(r"^(\s*)(?:-\s+)?([^\s:#'\"][^:#]*?):\s+[>|][-+0-9]*\s*(?:#.*)?$")
# A line that is a field (`label: ...`, `- id: ...`) or a list item (`- ...`), not more text.
_FIELD_OR_ITEM = re.compile(r"^\s*(?:-(?:\s|$)|[^\s:#'\"][^:#]*:(?:\s|$))")


_STARTED_BEFORE = {
    "while scanning a simple key",
    "while scanning a quoted scalar",
    "while parsing a flow sequence",
    "while parsing a flow mapping",
    "while scanning a block scalar",
}


def _syntax_problem(lines: list[str], error: yaml.MarkedYAMLError) -> tuple[int, str]:
    """The line an editor must change, and what to do there in plain words; the parser's own
    words follow on an indented line, for whoever wants them."""
    context, problem = error.context_mark, error.problem_mark
    # Where the mistake is: for some errors the reader notices it later (a key that never gets
    # its colon, a quote or a [ never closed), but the line at fault is where that began.
    mark = context if context and error.context in _STARTED_BEFORE else problem or context
    number = mark.line + 1 if mark else 1
    line = lines[mark.line] if mark and mark.line < len(lines) else ""
    block = _block_ended_by(lines, number)
    opened = _quote_left_open(lines, problem) if problem else None
    if opened and problem:
        # A quote never closed on its own line: YAML reads on, over the lines below, to the next
        # quote, and only then finds text it cannot place. The line to change is the first.
        number, quote = opened
        message = (
            f"a text on this line starts with a quote ({quote}) that is not closed on this line, so YAML "
            f"read on to the next {quote}, on line {problem.line + 1}. Add the closing {quote} at the end of the text"
        )
    elif block and not _FIELD_OR_ITEM.match(line):
        key, spaces = block
        message = (
            f"this line seems to continue the text of '{key}' above, but it starts further left than that "
            f"text, so the text ends before it. Indent it with {spaces} spaces, like the first line of the text"
        )
    elif error.context == "while scanning a simple key":
        message = (
            "YAML expected a field name and a colon on this line (like label: ...). If the line continues "
            "the text above it, indent it like that text; if it is a field, write its name, a colon and a space"
        )
    elif problem and error.problem == "mapping values are not allowed in this context":
        message = _colon_message(line, problem.column)
    elif error.context == "while scanning a quoted scalar":
        quote = line[context.column] if context and context.column < len(line) else '"'
        message = (
            f"a text on this line starts with a quote ({quote}) that is never closed. "
            f"Add the closing {quote} at the end of the text"
        )
    elif error.context == "while parsing a flow sequence":
        message = "the list in [ ] on this line is not closed, or lacks a comma. Write it like [first-id, second-id]"
    elif error.context == "while scanning a block scalar":
        message = "write the text on the lines below, indented, not on the same line as > or |"
    elif problem and error.problem == "found character that cannot start any token":
        character = line[problem.column] if problem.column < len(line) else "?"
        message = f"a text cannot start with {character} unless it is in quotes. Put the whole text in quotes"
    elif problem and problem.column > _indent(line) and line[: problem.column].rstrip()[-1:] in "\"'":
        message = (
            "there is more text after the closing quote on this line. "
            "Put the whole text in quotes, or leave the quotes out"
        )
    else:
        message = (
            "this line is not lined up with the lines above it "
            f"(it starts after {_count(_indent(line), 'space')}). Fields of one item start at the same "
            "column, and the items of a list start with '- ' at the same column: indent it like the line "
            "it belongs with"
        ) + _field_above(lines, number)
    what = ", ".join(part for part in (error.context, error.problem) if part)
    stopped = f" (line {problem.line + 1})" if problem and problem.line + 1 != number else ""
    return number, f"{message}\n    The YAML reader said: {what}{stopped}"


def _quote_left_open(lines: list[str], problem: yaml.Mark) -> tuple[int, str] | None:
    """(line number, quote) of a quoted text that runs over several lines and closes just before
    the place the reader stopped: the quote was left open where it began."""
    last = None
    try:
        for token in yaml.scan("\n".join(lines), Loader=_LOADER):
            if token.start_mark.index >= problem.index:
                break
            last = token
    except yaml.MarkedYAMLError:
        pass  # the tokens before the mistake are all that is wanted
    if not isinstance(last, yaml.ScalarToken) or last.style not in ("'", '"'):
        return None
    start, end = last.start_mark, last.end_mark
    if start.line == end.line or end.line != problem.line:
        return None
    return start.line + 1, str(last.style)


def _block_ended_by(lines: list[str], number: int) -> tuple[str, int] | None:
    """(field, spaces) if line `number` is the first line after a block of text (`why: >-`) that
    starts further left than the block's text, so that YAML ends the text there."""
    index = 0
    while index < len(lines):
        header = _BLOCK_HEADER.match(lines[index])
        index += 1
        if not header:
            continue
        spaces = next((_indent(line) for line in lines[index:] if line.strip()), 0)
        if spaces <= header.start(2):
            continue  # an empty block: what follows is the next field
        while index < len(lines) and (not lines[index].strip() or _indent(lines[index]) >= spaces):
            index += 1
        if index + 1 == number:
            return header.group(2), spaces
    return None


def _field_above(lines: list[str], number: int) -> str:
    """Where the field on the nearest line above line `number` starts, to line this one up with."""
    for index in range(min(number, len(lines)) - 2, -1, -1):
        above = lines[index]
        if not above.strip() or above.lstrip().startswith("#"):
            continue
        if not _FIELD_OR_ITEM.match(above):
            return ""
        column = _indent(above) + (2 if above.lstrip().startswith("- ") else 0)
        if column == _indent(lines[number - 1]):
            return ""
        return f". The field above it, on line {index + 1}, starts after {_count(column, 'space')}"
    return ""


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'s' if number != 1 else ''}"


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _colon_message(line: str, column: int) -> str:
    """YAML found `: ` where a field cannot start: text with a colon, or a line indented too far."""
    first = re.search(r":(\s|$)", line)
    if first and first.start() < column:
        key, _, value = line.strip().removeprefix("- ").partition(": ")
        example = f' For example: {key}: "{value}"' if '"' not in value else ""
        return (
            "this text has a colon followed by a space, which YAML reads as the start of a new field. "
            f"Put the whole text in quotes.{example}"
        )
    return (
        "this line is indented more than the line above it, so YAML reads it as more of that line's text. "
        "Line it up with the fields around it"
    )
