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
    shutil.copy(ROOT / "data" / "ui.yml", data / "ui.yml")  # the interface words are not test data
    return tmp_path


def build_site(config_file: Path, site_dir: Path) -> Path:
    """A real `mkdocs build --strict` of `config_file` into `site_dir`, in this process."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    build(load_config(str(config_file), site_dir=str(site_dir), strict=True))
    return site_dir


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped site as `make site` builds it, once per test session: the English edition, and
    each translated edition (mkdocs.LANG.yml) in its folder below it."""
    root = build_site(ROOT / "mkdocs.yml", tmp_path_factory.mktemp("site"))
    for config in sorted(ROOT.glob("mkdocs.??.yml")):
        build_site(config, root / config.name.split(".")[1])
    return root


@pytest.fixture(scope="session")
def site_url(site: Path):
    """The built site served over HTTP on loopback, as a static host would serve it."""
    from support import serve

    with serve(site) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, driven by Playwright (which cannot download browsers here)."""
    from support import launch_chromium

    with launch_chromium() as chromium:
        yield chromium


@pytest.fixture
def page(browser):
    """A fresh browser tab (own cookies and storage) that records every request it makes."""
    context = browser.new_context()
    tab = context.new_page()
    tab.requests = []
    tab.on("request", lambda request: tab.requests.append(request.url))
    yield tab
    context.close()
