"""A hospital's `make check CONFIG=...`: every mistake its staff can make in their copy's config
and local content gives one message, in their own files, and what a strict build of the copy
would refuse, the check refuses too."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from support import FIXTURES, ROOT, latest_review, project_copy, run_check

CASES = yaml.safe_load((FIXTURES / "hospital-input.yml").read_text(encoding="utf-8"))
CONFIG = "examples/northfield/mkdocs.yml"


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> Path:
    return project_copy(tmp_path_factory.mktemp("pristine"))


@pytest.fixture(scope="module")
def today() -> str:
    return str(max(latest_review(ROOT / "data"), latest_review(ROOT / "examples")))


@pytest.fixture(scope="module")
def baseline(pristine: Path, today: str) -> list[str]:
    result = run_check(pristine, "--config", CONFIG, "check", "--today", today)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout.splitlines()


def _problems(lines: list[str], baseline: list[str]) -> list[str]:
    """The problems a check printed that the unchanged copy does not have: whole messages
    (a message's own lines are indented), without warnings or counts."""
    messages: list[str] = []
    for line in lines:
        if line.startswith("    ") and messages:
            messages[-1] += "\n" + line
        else:
            messages.append(line)
    return [m for m in messages if m not in baseline and ": warning: " not in m and not m.startswith("es: ")]


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_each_hospital_mistake_gives_one_message_in_its_own_terms(pristine, baseline, today, tmp_path, case):
    project = tmp_path / "project"
    shutil.copytree(pristine, project)
    for name, text in (case.get("create") or {}).items():
        (project / name).write_text(text, encoding="utf-8")
    path = project / case["file"]
    if "find" in case:
        text = path.read_text(encoding="utf-8")
        assert case["find"] in text, "the example copy no longer has the text this case edits"
        path.write_text(text.replace(case["find"], case["replace"], 1), encoding="utf-8")
    else:
        path.write_text(case["replace"], encoding="utf-8")

    result = run_check(project, "--config", CONFIG, "check", "--today", today)

    assert result.returncode == 1
    assert _problems(result.stdout.splitlines(), baseline) == case["expect"]


def test_a_hospital_copy_checks_only_the_languages_it_publishes(baseline):
    """The example copy is English only: the project's Spanish translations are not its concern."""
    assert not [line for line in baseline if line.startswith("es: ") or "not translated into" in line]


def test_translation_gaps_of_local_items_point_at_the_local_files(pristine, today, tmp_path):
    project = tmp_path / "project"
    shutil.copytree(pristine, project)
    (project / "examples/northfield/mkdocs.es.yml").write_text(
        "INHERIT: mkdocs.yml\nsite_dir: site/es\ntheme:\n  language: es\n", encoding="utf-8"
    )
    result = run_check(project, "--config", CONFIG, "check", "--today", today)
    assert result.returncode == 0, result.stdout
    gaps = [line for line in result.stdout.splitlines() if "is not translated into es yet" in line]
    local = {line.split(":")[0] for line in gaps}
    assert local == {
        "examples/northfield/local/questions.es.yml",
        "examples/northfield/local/sheets.es.yml",
        "examples/northfield/local/guides/second-opinions-at-northfield.es.yml",
    }, gaps
