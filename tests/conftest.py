"""Shared test setup: the content package on the path, and copies of data to break safely."""

from __future__ import annotations

import datetime
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))

FIXTURES = ROOT / "tests" / "fixtures"
# The minimal fixture was reviewed on 2026-01-10; checks that depend on today use this date.
TODAY = datetime.date(2026, 11, 21)


@pytest.fixture
def minimal_project(tmp_path: Path) -> Path:
    """A project folder whose data/ is a copy of tests/fixtures/minimal, with real schemas."""
    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "minimal", data, symlinks=False, ignore=shutil.ignore_patterns("schemas"))
    shutil.copytree(ROOT / "data" / "schemas", data / "schemas")
    return tmp_path
