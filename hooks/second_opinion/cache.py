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

import contextlib
import hashlib
import importlib.metadata
import json
import os
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

# Beside the PDF cache, in the project this package belongs to (settings.PROJECT, which imports
# schemas, which imports this module).
FOLDER = Path(__file__).resolve().parents[2] / ".cache" / "checks"
_DIGEST = re.compile(r"[0-9a-f]{64}")
BLOBS = "blobs"  # bytes by their SHA-256, for entries too large to repeat in each (see output.py)


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
    value = _read(FOLDER / kind / f"{name}.json", name)
    if value is not None:
        with contextlib.suppress(OSError):
            os.utime(FOLDER / kind / f"{name}.json")  # a read is a use: `prune` keeps the latest used
    return value


def _read(path: Path, name: str) -> Any | None:
    try:
        text = path.read_text(encoding="utf-8")
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
    """Store a JSON value as `name`."""
    payload = json.dumps({"key": name, "value": value}, ensure_ascii=False, separators=(",", ":"))
    _write(FOLDER / kind / f"{name}.json", f"{hashlib.sha256(payload.encode()).hexdigest()}\n{payload}".encode())


def put_blob(data: bytes) -> str:
    """Store bytes under their SHA-256, which is returned (once per content: a page that did not
    change between two builds is one blob)."""
    digest = hashlib.sha256(data).hexdigest()
    if not (FOLDER / BLOBS / digest).is_file():
        _write(FOLDER / BLOBS / digest, data)
    return digest


def get_blob(digest: str) -> bytes | None:
    """The bytes stored under `digest`, or None when they are missing or are not those bytes."""
    if not _DIGEST.fullmatch(digest):
        return None  # not a name put_blob gives: never a path to follow
    try:
        data = (FOLDER / BLOBS / digest).read_bytes()
    except OSError:
        return None
    return data if hashlib.sha256(data).hexdigest() == digest else None


def prune(kind: str, keep: int) -> list[Any]:
    """Keep only the `keep` latest used entries of `kind`; their values are returned."""
    try:
        entries = sorted((FOLDER / kind).glob("*.json"), key=lambda path: path.stat().st_mtime_ns, reverse=True)
        for path in entries[keep:]:
            path.unlink(missing_ok=True)
    except OSError:
        return []  # another build pruned first, or the folder cannot be written: only disk space lost
    return [value for path in entries[:keep] if (value := _read(path, path.stem)) is not None]


def keep_blobs(digests: set[str]) -> None:
    """Delete every blob but these. A build running meanwhile may lose a blob it just stored: its
    entry is then a miss, rebuilt next time, never a wrong page."""
    with contextlib.suppress(OSError):
        for path in (FOLDER / BLOBS).iterdir():
            if path.name not in digests:
                path.unlink(missing_ok=True)


def _write(path: Path, data: bytes) -> None:
    """Written under a unique temporary name and moved into place, so two builds at once or an
    interrupted one never leave half a file."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".partial", delete=False) as file:
            file.write(data)
        os.replace(file.name, path)
    except OSError:
        return  # a read-only checkout still builds, only without the saving
