"""Checks data files against the JSON Schemas in data/schemas/, in plain words.

The same schemas drive editors' autocomplete (through the `yaml-language-server` comment at the
top of each file), so there is one source of truth for what a field may hold.

A document found valid is remembered (second_opinion.cache) by its data, every schema's text, the
code that checks it (this module and markup.py, whose allow-lists the text formats apply) and the
packages' versions, so a build validates only what changed since the last one; jsonschema is
imported only then. Problems are never cached: a file with one is checked every time.
"""

from __future__ import annotations

import difflib
import functools
import json
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, cast

from . import cache, markup
from .problems import Problem, field_path
from .yamlfile import Document

if TYPE_CHECKING:
    import jsonschema


# What each kind of text may hold is decided in markup.py; the schemas name the kind of each field.
def _markdown(text: object) -> bool:
    return _refuse(markup.markdown_problem(text) if isinstance(text, str) else None)


def _plain_text(text: object) -> bool:
    return _refuse(markup.plain_text_problem(text) if isinstance(text, str) else None)


def _https_url(text: object) -> bool:
    # Whether it starts with https:// is the schema's `pattern`, which editors check as they type.
    if isinstance(text, str) and text.lower().startswith("https://"):
        return _refuse(markup.url_problem(text))
    return True


def _refuse(problem: str | None) -> bool:
    if problem:
        raise ValueError(problem)
    return True


# The kinds of text a schema's `format` may name, besides jsonschema's own "date".
TEXT_FORMATS = {"markdown": _markdown, "plain-text": _plain_text, "https-url": _https_url}


_TYPE_NAMES = {"string": "text", "array": "a list", "object": "a set of fields", "integer": "a whole number"}


def _texts(schema_dir: Path) -> tuple[tuple[str, str], ...]:
    """Every schema file's name and text. They are read every time (they are small), so `mkdocs
    serve` sees an edited schema at once."""
    return tuple((path.name, path.read_text(encoding="utf-8")) for path in sorted(schema_dir.glob("*.schema.json")))


@functools.lru_cache(maxsize=32)
def _validator(texts: tuple[tuple[str, str], ...], name: str) -> jsonschema.protocols.Validator:
    """The validator for schema file `name`, with its sibling schemas resolvable; kept by the
    schemas' text, so an unchanged one is built once per process."""
    import jsonschema
    import referencing

    formats = jsonschema.FormatChecker(["date"])
    for kind, checker in TEXT_FORMATS.items():
        formats.checks(kind, raises=ValueError)(checker)
    schemas = {file: json.loads(text) for file, text in texts}
    registry = referencing.Registry().with_resources(
        (file, referencing.Resource.from_contents(contents)) for file, contents in schemas.items()
    )
    return jsonschema.Draft202012Validator(schemas[name], registry=registry, format_checker=formats)


def check(document: Document, schema_dir: Path, name: str) -> list[Problem]:
    """Every schema problem of `document`, one per mistake: a misspelt field is reported once, as
    an unknown field with its suggestion, not also as the required field it should have been."""
    texts = _texts(schema_dir)
    # repr tells apart what JSON would not (1 and "1", a date and its text): a valid file must
    # hash exactly as it was validated.
    key = cache.key(_code(), name, *(part for pair in texts for part in pair), repr(document.data))
    if cache.get("valid", key) is True:
        return []
    problems: list[Problem] = []
    suggested: set[tuple] = set()  # (object path, field) an unknown field was taken for
    missing: set[tuple[tuple, str]] = set()
    for error in _validator(texts, f"{name}.schema.json").iter_errors(document.data):
        path = tuple(error.absolute_path)
        if error.validator == "required":
            instance, required = cast(dict, error.instance), cast(list, error.validator_value)
            missing |= {(path, field) for field in required if field not in instance}
        elif error.validator == "additionalProperties":
            for problem, hint in _unknown_fields(document, error):
                problems.append(problem)
                suggested.add((path, hint))
        else:
            problems.append(Problem(document.file, document.line(path), field_path(path), _message(document, error)))
    problems += [
        Problem(document.file, document.line(path), field_path((*path, field)), "this required field is missing")
        for path, field in sorted(missing, key=str)
        if (path, field) not in suggested
    ]
    if not problems:
        cache.put("valid", key, True)
    return problems


@functools.cache
def _code() -> str:
    return cache.code(__file__, markup.__file__, packages=("jsonschema", "referencing", "nh3"))


def _unknown_fields(document: Document, error: jsonschema.ValidationError) -> list[tuple[Problem, str | None]]:
    """One problem per unknown field of an object, with the known field it most looks like."""
    path = tuple(error.absolute_path)
    known = list(cast(dict, error.schema).get("properties", {}))  # ours are objects
    result = []
    for key in cast(dict, error.instance):
        if key in known:
            continue
        hint = suggestion(key, known)
        text = f" Did you mean '{hint}'?" if hint else f" Known fields: {', '.join(known)}."
        result.append(
            (
                Problem(
                    document.file,
                    document.line((*path, key)),
                    field_path((*path, key)),
                    f"'{key}' is not a known field.{text}",
                ),
                hint,
            )
        )
    return result


def suggestion(word: str, known: Iterable[str]) -> str | None:
    """The known name `word` was most likely meant to be, if one is close enough (a typo)."""
    found = difflib.get_close_matches(word, list(known), n=1)
    return found[0] if found else None


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
        allowed = [str(option) for option in schema["enum"]]
        hint = suggestion(str(raw or value), allowed)
        meant = f". Did you mean '{hint}'?" if hint else ""
        return f"this must be one of: {', '.join(allowed)} (it is '{raw or value}'){meant}"
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
