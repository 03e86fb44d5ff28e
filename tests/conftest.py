"""Shared fixtures: copies of data to break safely, the built site, and a browser."""

from __future__ import annotations

from pathlib import Path

import pytest

from support import ROOT, build_site, copy_minimal_project, launch_chromium, serve


@pytest.fixture
def minimal_project(tmp_path: Path) -> Path:
    """A project folder whose data/ is a copy of tests/fixtures/minimal, with real schemas."""
    return copy_minimal_project(tmp_path)


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped site as `make site` builds it, once per test session: the English edition, and
    each translated edition (mkdocs.LANG.yml) in its folder below it."""
    root = build_site(ROOT / "mkdocs.yml", tmp_path_factory.mktemp("site"))
    for config in sorted(ROOT.glob("mkdocs.??.yml")):
        build_site(config, root / config.name.split(".")[1])
    return root


@pytest.fixture(scope="session")
def hospital_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example hospital copy (examples/northfield), built from its own config with its own
    site_url, once per test session."""
    return build_site(ROOT / "examples" / "northfield" / "mkdocs.yml", tmp_path_factory.mktemp("northfield") / "site")


@pytest.fixture(scope="session")
def site_url(site: Path):
    """The built site served over HTTP on loopback, as a static host would serve it."""
    with serve(site) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, driven by Playwright (which cannot download browsers here)."""
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
