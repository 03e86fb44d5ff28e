"""An editor's loop, for real: `mkdocs serve` previews data changes and survives content errors,
a strict build names a broken anchor, an overdue review is only a notice in the build, and the
content status page is in the site for reviewers."""

from __future__ import annotations

import dataclasses
import datetime
import importlib.util
import json
import logging
import os
import shutil
import socket
import subprocess
import sys
import time
import types
import urllib.request
from pathlib import Path

import pytest
from mkdocs.exceptions import Abort, PluginError

from second_opinion import pipeline, settings
from support import build_site, full_project

BUILD_LOG = "mkdocs"
TIMEOUT = 90  # seconds for one serve rebuild: generous, CI machines are slow and shared


def _edit(project: Path, file: str, find: str, replace: str) -> None:
    path = project / "data" / file
    text = path.read_text(encoding="utf-8")
    assert find in text
    path.write_text(text.replace(find, replace, 1), encoding="utf-8")


def test_a_broken_anchor_fails_the_strict_build_with_its_message(minimal_project, tmp_path, caplog):
    project = full_project(minimal_project)
    _edit(
        project,
        "guides/timing.yml",
        "Ask how long it is **safe** to wait.",
        "Ask how long it is [safe](checklist.md#no-such-section) to wait.",
    )
    with pytest.raises(Abort):
        build_site(project / "mkdocs.yml", tmp_path / "site")
    # Found by the content checks (as `make check` finds it), before MkDocs: with the file and line.
    assert (
        "data/guides/timing.yml:13: the link 'checklist.md#no-such-section' leads to no heading or anchor "
        "'#no-such-section' on checklist.md"
    ) in caplog.text


def test_text_too_hard_to_read_stops_the_build(minimal_project, tmp_path, caplog):
    project = full_project(minimal_project)
    _edit(
        project,
        "questions.yml",
        "text: Is a second opinion covered?",
        "text: Is a multidisciplinary consultation regarding histopathological reclassification reimbursable?",
    )
    with pytest.raises(Abort, match="Aborted with a BuildError"):
        build_site(project / "mkdocs.yml", tmp_path / "site")
    assert (
        "The content has 1 problem to fix:\n  data/questions.yml:16: questions[1].text: the question 'covered' "
        "reads at grade 16.6; the limit for a question is grade 10."
    ) in caplog.text
    assert not (tmp_path / "site").exists(), "the content is checked before anything is written"


def test_an_overdue_review_is_only_a_notice_in_the_build(minimal_project, tmp_path, monkeypatch, caplog):
    """A hospital copy must keep building: the build logs the overdue review at INFO (a WARNING
    would fail --strict) and the page tells readers; `make check` is where it fails."""
    project = full_project(minimal_project)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(datetime.datetime(2027, 2, 1, tzinfo=datetime.UTC).timestamp())))
    caplog.set_level(logging.INFO, logger=BUILD_LOG)
    site = build_site(project / "mkdocs.yml", tmp_path / "site")

    notices = [r for r in caplog.records if r.name == "mkdocs.hooks.content"]
    assert {r.levelname for r in notices} == {"INFO"}
    assert (
        "data/guides/timing.yml:5: next_review: the review of the guide 'Is it safe to wait?' was due on "
        "2027-01-10 (22 days ago). Ask a reviewer to check it against its sources, then update reviewed, "
        "next_review and reviewer"
    ) in [r.getMessage() for r in notices]
    assert "This page is overdue for review" in (site / "timing" / "index.html").read_text(encoding="utf-8")
    status = (site / "content-status" / "index.html").read_text(encoding="utf-8")
    assert "Review: <strong>Overdue</strong>. Last reviewed 2026-01-10 by Test Reviewer, RN." in status


def test_serve_shows_a_content_error_on_every_page_and_keeps_the_last_good_pages(minimal_project, monkeypatch):
    """The hook on its own, in `mkdocs serve` mode (the real server is tested below)."""
    from mkdocs.config import load_config

    project = full_project(minimal_project)
    spec = importlib.util.spec_from_file_location("content_hook_under_test", project / "hooks" / "content.py")
    hook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hook)
    config = load_config(str(project / "mkdocs.yml"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780000000")  # 2026-05-28: no review due soon

    _edit(project, "triggers.yml", "strength: strong", "strength: stronk")
    with pytest.raises(PluginError):
        hook.on_config(config)
    hook.on_startup(command="serve", dirty=False)
    hook.on_config(config)
    home = types.SimpleNamespace(file=types.SimpleNamespace(src_uri="index.md"))
    notice = hook.on_page_markdown("# Home\n", page=home)
    assert notice.startswith('!!! failure "The content has 1 problem to fix"\n')
    assert (
        "        data/triggers.yml:11: triggers[0].strength: this must be one of: strong, consider (it is 'stronk'). Did you mean 'strong'?\n"
    ) in notice
    assert notice.endswith("# Home\n")

    _edit(project, "triggers.yml", "strength: stronk", "strength: strong")
    hook.on_config(config)
    assert hook.on_page_markdown("# Home\n", page=home) == "# Home\n"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")


def _wait_for(condition, what: str, server: subprocess.Popen, log: Path):
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        assert server.poll() is None, f"mkdocs serve stopped:\n{log.read_text(encoding='utf-8')}"
        try:
            if result := condition():
                return result
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"waited {TIMEOUT}s for {what}:\n{log.read_text(encoding='utf-8')}")


def test_mkdocs_serve_rebuilds_on_data_changes_and_survives_a_content_error(minimal_project, tmp_path):
    """A real `mkdocs serve`: it starts even when the content is broken, shows the problem on every
    page, rebuilds on every edit to data/ (schemas included), and keeps the last good pages."""
    project = full_project(minimal_project)
    port = _free_port()
    url = f"http://127.0.0.1:{port}/"
    log = tmp_path / "serve.log"
    env = {
        "PATH": str(Path(sys.executable).parent) + ":/usr/bin:/bin",
        "PYTHONPATH": "hooks",
        "NO_MKDOCS_2_WARNING": "1",
        "HOME": str(tmp_path),
    }
    _edit(project, "triggers.yml", "strength: strong", "strength: stronk")

    def problem(page: str) -> bool:
        return "triggers[0].strength: this must be one of: strong, consider (it is " in page and "stronk" in page

    with log.open("w", encoding="utf-8") as output:
        server = subprocess.Popen(
            [str(Path(sys.executable).parent / "mkdocs"), "serve", "-a", f"127.0.0.1:{port}"],
            cwd=project,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        # No good build yet: the hand-written pages are served, with the problem on top of each.
        _wait_for(lambda: problem(_get(url)), "the problem on the home page", server, log)

        _edit(project, "triggers.yml", "strength: stronk", "strength: strong")
        _wait_for(lambda: "Is it safe to wait?" in _get(url + "timing/"), "the first good build", server, log)

        _edit(project, "triggers.yml", "strength: strong", "strength: stronk")
        _wait_for(lambda: problem(_get(url + "timing/")), "the problem shown on the last good page", server, log)
        assert "Is it safe to wait?" in _get(url + "timing/")

        _edit(project, "triggers.yml", "strength: stronk", "strength: strong")
        _edit(project, "guides/timing.yml", "title: Is it safe to wait?", "title: How long can I wait?")
        _wait_for(lambda: "How long can I wait?" in _get(url + "timing/"), "the fixed page", server, log)

        # An edited schema applies at the next rebuild: here, hints may now have 5 characters at most.
        _edit(project, "schemas/questions.schema.json", '"hint": {', '"hint": {"maxLength": 5, ')
        _wait_for(lambda: "questions[1].hint" in _get(url + "timing/"), "the edited schema's problem", server, log)
        assert server.poll() is None
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_the_status_page_is_built_under_about_and_left_out_of_search(site: Path):
    page = (site / "content-status" / "index.html").read_text(encoding="utf-8")
    assert "<h1" in page and "Content status" in page
    about = (site / "about" / "index.html").read_text(encoding="utf-8")
    assert 'href="../content-status/"' in about
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert not [doc["location"] for doc in index["docs"] if doc["location"].startswith("content-status/")]


@pytest.mark.parametrize("slug", ["content-status", "checklist", "questions", "about", "assets", "search", "es"])
def test_a_guide_cannot_take_the_address_of_another_page_folder_or_edition(minimal_project, slug):
    project = full_project(minimal_project)
    (project / "mkdocs.es.yml").write_text("INHERIT: mkdocs.yml\ntheme:\n  language: es\n", encoding="utf-8")
    shutil.copy(project / "data" / "guides" / "timing.yml", project / "data" / "guides" / f"{slug}.yml")
    result = _check(project)
    assert result.returncode == 1
    assert (
        f"data/guides/{slug}.yml:1: the address {slug}/ already belongs to another page or folder of the site; "
        "rename this file"
    ) in result.stdout


def test_a_new_guide_needs_only_its_yaml_file(minimal_project, tmp_path):
    """The menu and the home page's list come from data/guides/: the check and the strict build agree."""
    project = full_project(minimal_project)
    (project / "docs" / "index.md").write_text("# Home\n\n<!-- guides -->\n", encoding="utf-8")
    guide = (project / "data" / "guides" / "timing.yml").read_text(encoding="utf-8")
    (project / "data" / "guides" / "new-guide.yml").write_text(
        guide.replace("title: Is it safe to wait?", "title: A new guide"), encoding="utf-8"
    )
    assert _check(project).returncode == 0
    site = build_site(project / "mkdocs.yml", tmp_path / "site")
    home = (site / "index.html").read_text(encoding="utf-8")
    assert '<a href="new-guide/">A new guide</a>' in home  # in the home page's list
    assert home.count('href="new-guide/"') >= 2  # and in the menu


def test_forty_guides_are_listed_on_the_home_page(minimal_project):
    """The list the build writes is not held to the limits of what editors type (32 links in one
    paragraph), so a copy with many guides builds; an editor's own page still is."""
    project = full_project(minimal_project)
    (project / "docs" / "index.md").write_text("# Home\n\n<!-- guides -->\n", encoding="utf-8")
    guide = (project / "data" / "guides" / "timing.yml").read_text(encoding="utf-8")
    for n in range(40):
        (project / "data" / "guides" / f"guide-{n}.yml").write_text(
            guide.replace("title: Is it safe to wait?", f"title: Guide number {n}"), encoding="utf-8"
        )
    assert _check(project).returncode == 0
    site = settings.from_config(settings.load_config(project / "mkdocs.yml"), project / "mkdocs.yml", project=project)
    home = pipeline.build(dataclasses.replace(site, today=datetime.date(2026, 6, 1)), pdfs=False).output.pages
    assert home["index.md"].count("](guide-") == 40
    (project / "docs" / "about.md").write_text(" ".join(f"[{n}](index.md)" for n in range(40)), encoding="utf-8")
    result = _check(project)
    assert result.returncode == 1
    assert "docs/about.md:1: this paragraph has 40 '[' characters" in result.stdout


def test_starting_a_translation_warns_and_never_blocks_an_english_change(minimal_project):
    project = full_project(minimal_project)
    # Started on the day the check runs as (2026-06-01): a translation reviewed later would be
    # in the future, which the check refuses.
    started = subprocess.run(
        [sys.executable, "-m", "second_opinion", "translate", "fr"],
        cwd=project,
        env={**_env(project), "SOURCE_DATE_EPOCH": "1780272000"},
        capture_output=True,
        text=True,
    )
    assert started.returncode == 0, started.stdout + started.stderr
    result = _check(project)
    assert result.returncode == 0, result.stdout
    assert "fr: 0 of " in result.stdout
    assert "is not translated into fr yet" in result.stdout


def _env(project: Path) -> dict:
    return {**os.environ, "PYTHONPATH": str(project / "hooks"), "NO_MKDOCS_2_WARNING": "1"}


def _check(project: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "second_opinion", "check", "--today", "2026-06-01"],
        cwd=project,
        env=_env(project),
        capture_output=True,
        text=True,
    )


def test_a_hand_written_page_cannot_replace_a_generated_one(minimal_project):
    project = full_project(minimal_project)
    (project / "docs" / "checklist.md").write_text("# My own checklist\n", encoding="utf-8")
    result = _check(project)
    assert result.returncode == 1
    assert (
        "docs/checklist.md: the address checklist/ already belongs to another page or folder of the site; "
        "rename this file"
    ) in result.stdout
