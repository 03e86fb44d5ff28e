"""Checks data files against the JSON Schemas in data/schemas/, in plain words.

The same schemas drive editors' autocomplete (through the `yaml-language-server` comment at the
top of each file), so there is one source of truth for what a field may hold.
"""

from __future__ import annotations

import difflib
import functools
import json
import re
from pathlib import Path
from typing import cast

import jsonschema
import referencing

from .problems import Problem, field_path
from .yamlfile import Document

_FORMATS = jsonschema.FormatChecker(["date"])
# Markdown links may lead to other pages of the site or to https, mailto and tel addresses;
# anything else (javascript:, data:, file:) could run code or leak a reader's data.
_LINK = re.compile(r"\]\(\s*<?([^)\s>]*)")
_SAFE_TARGET = re.compile(r"^(https://|mailto:|tel:|#|[A-Za-z0-9_./-]+\.md(#[\w-]*)?$)")


@_FORMATS.checks("markdown", raises=ValueError)
def _markdown_links(text: object) -> bool:
    if isinstance(text, str):
        for target in _LINK.findall(text):
            if not _SAFE_TARGET.match(target):
                raise ValueError(
                    f"the link '{target}' is not allowed: link to another page "
                    "(like timing.md) or to an https:// address"
                )
    return True


_TYPE_NAMES = {"string": "text", "array": "a list", "object": "a set of fields", "integer": "a whole number"}


def validator(schema_dir: Path, name: str) -> jsonschema.protocols.Validator:
    """The validator for data/schemas/NAME.schema.json, with its sibling schemas resolvable.

    The schema files are read every time (they are small), and validators are kept by their text,
    so `mkdocs serve` sees an edited schema at once and an unchanged one costs nothing."""
    texts = tuple((path.name, path.read_text(encoding="utf-8")) for path in sorted(schema_dir.glob("*.schema.json")))
    return _validator(texts, f"{name}.schema.json")


@functools.lru_cache(maxsize=32)
def _validator(texts: tuple[tuple[str, str], ...], name: str) -> jsonschema.protocols.Validator:
    schemas = {file: json.loads(text) for file, text in texts}
    registry = referencing.Registry().with_resources(
        (file, referencing.Resource.from_contents(contents)) for file, contents in schemas.items()
    )
    return jsonschema.Draft202012Validator(schemas[name], registry=registry, format_checker=_FORMATS)


def check(document: Document, schema_dir: Path, name: str) -> list[Problem]:
    errors = validator(schema_dir, name).iter_errors(document.data)
    return [_problem(document, error) for error in errors]


def _problem(document: Document, error: jsonschema.ValidationError) -> Problem:
    path = tuple(error.absolute_path)
    line = document.line(path)
    kind, value, schema = error.validator, error.instance, cast(dict, error.schema)  # ours are objects
    if kind == "required":
        missing = error.message.split("'")[1]
        return Problem(document.file, line, field_path((*path, missing)), "this required field is missing")
    if kind == "additionalProperties":
        known = list(schema.get("properties", {}))
        extra = [key for key in value if key not in known] if isinstance(value, dict) else []
        key = extra[0] if extra else "?"
        hint = difflib.get_close_matches(key, known, n=1)
        suggestion = f" Did you mean '{hint[0]}'?" if hint else f" Known fields: {', '.join(known)}."
        return Problem(
            document.file,
            document.line((*path, key)),
            field_path((*path, key)),
            f"'{key}' is not a known field.{suggestion}",
        )
    return Problem(document.file, line, field_path(path), _message(document, error))


def _message(document: Document, error: jsonschema.ValidationError) -> str:
    path = tuple(error.absolute_path)
    kind, value, schema = error.validator, error.instance, cast(dict, error.schema)  # ours are objects
    raw = document.raw.get(path)
    if kind == "type":
        expected = schema["type"]
        if raw is not None and value is None:
            return "this has no value; write the text, or remove the field"
        if raw is not None and expected == "string":
            what = "yes/no value" if isinstance(value, bool) else "number"
            return f'YAML reads {raw} as a {what}, not as text. If you mean the text, put it in quotes: "{raw}"'
        return f"this should be {_TYPE_NAMES.get(expected, expected)}"
    if kind == "enum":
        return f"this must be one of: {', '.join(map(str, schema['enum']))} (it is '{raw or value}')"
    if kind == "pattern":
        return f"{schema.get('patternErrorMessage', 'this is not in the expected form')} (it is '{value}')"
    if kind == "format" and schema["format"] == "date":
        return f"'{value}' is not a real date"
    if kind == "format":
        return str(error.cause)
    if kind == "minLength":
        return "this text is empty"
    if kind == "minItems":
        return f"this list needs at least {schema['minItems']} item{'s' if schema['minItems'] != 1 else ''}"
    if kind == "uniqueItems":
        return "this list has the same item twice"
    if kind == "oneOf" and "description" in schema:
        return f"this should be {schema['description']}"
    if kind == "anyOf" and path and isinstance(value, dict):
        options = " or ".join(f"'{next(iter(option['required']))}'" for option in schema["anyOf"])
        return f"this needs {options}"
    return "this value is not allowed here"
