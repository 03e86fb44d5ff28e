"""The hosting organization, read from `extra.organization` in a copy's config file.

It is checked with data/schemas/organization.schema.json like any content, and a mistake is
reported with the config file's name and the line of the field, as content problems are.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from . import schemas
from .model import Organization
from .problems import ContentError, Problem
from .yamlfile import Document


def organization(raw: Any, *, config_file: str, config_text: str, schema_dir: Path) -> Organization | None:
    """The organization described by `raw` (extra.organization), or None for the public edition."""
    if raw is None:
        return None
    document = Document(config_file, raw, _lines(raw, config_text), {})
    problems = [
        Problem(p.file, p.line, f"extra.organization.{p.field}".rstrip("."), p.message)
        for p in schemas.check(document, schema_dir, "organization")
    ]
    if problems:
        raise ContentError(problems)
    return Organization(**{key: value.strip() for key, value in raw.items()})


def _lines(raw: object, text: str) -> dict[tuple, int]:
    """Where each field of extra.organization is written, found in the config's text.

    MkDocs has already parsed the config (with its own YAML tags), so the lines are looked up by
    key under the `organization:` line rather than re-parsed.
    """
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if re.match(r"\s*organization\s*:", line)), None)
    if start is None:
        return {}
    found: dict[tuple, int] = {(): start + 1}
    for key in raw if isinstance(raw, dict) else ():
        for number in range(start + 1, len(lines)):
            if re.match(rf"\s+{re.escape(str(key))}\s*:", lines[number]):
                found[(key,)] = number + 1
                break
    return found
