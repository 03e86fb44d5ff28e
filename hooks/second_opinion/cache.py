"""Results of slow checks kept between builds, by a hash of everything they depend on.

Every `mkdocs build` is a new process, and grading every sentence or validating every data file
against its schema again would cost about as much as MkDocs' own build. A result is stored under a
key made of its inputs: the text checked, the code that checks it (its source file) and the
versions of the packages it uses, so any change to one of them is a different key, a miss. An
entry carries a hash of its own payload and is ignored when that does not match or it cannot be
read: a corrupt or hand-edited entry is recomputed, never trusted. The cache may be lost at any
time (it is in .gitignore'd .cache/), and a folder that cannot be written only makes builds slower.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

# Beside the PDF cache, in the project this package belongs to (settings.PROJECT, which imports
# schemas, which imports this module).
FOLDER = Path(__file__).resolve().parents[2] / ".cache" / "checks"


def key(*parts: str) -> str:
    """A hash of the parts, each length-prefixed so that ("ab", "c") and ("a", "bc") differ."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode()
        digest.update(f"{len(data)}:".encode())
        digest.update(data)
    return digest.hexdigest()


def code(*files: str | Path, packages: tuple[str, ...] = ()) -> str:
    """What a computation's result depends on besides its input: its source files, the installed
    versions of the packages it calls, and Python's (whose standard library it uses too)."""
    sources = [Path(file).read_text(encoding="utf-8") for file in files]
    versions = [f"{name}=={importlib.metadata.version(name)}" for name in packages]
    return key(sys.version, *sources, *versions)


def get(kind: str, name: str) -> Any | None:
    """The value stored as `name` (a key), or None when there is none or it is not intact."""
    try:
        text = (FOLDER / kind / f"{name}.json").read_text(encoding="utf-8")
        checksum, _, payload = text.partition("\n")
        if hashlib.sha256(payload.encode()).hexdigest() != checksum:
            return None
        stored = json.loads(payload)
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    if not isinstance(stored, dict) or stored.get("key") != name:
        return None  # a file copied or renamed to another entry's name
    return stored.get("value")


def put(kind: str, name: str, value: Any) -> None:
    """Store a JSON value as `name`. Written under a unique temporary name and moved into place, so
    two builds at once or an interrupted one never leave half an entry."""
    payload = json.dumps({"key": name, "value": value}, ensure_ascii=False, separators=(",", ":"))
    folder = FOLDER / kind
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=folder, suffix=".partial", delete=False) as file:
            file.write(f"{hashlib.sha256(payload.encode()).hexdigest()}\n{payload}")
        os.replace(file.name, folder / f"{name}.json")
    except OSError:
        return  # a read-only checkout still builds, only without the saving
