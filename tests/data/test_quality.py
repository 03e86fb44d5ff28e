"""Editor checks: the quality gates, the check command's output and exit codes, and the files
editors and CI rely on (schemas checked by an independent validator, workflows, yamllint)."""

from __future__ import annotations

import dataclasses
import datetime
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from second_opinion import load, quality, readability, render
from second_opinion.__main__ import main
from second_opinion.settings import Settings
from support import FIXTURES, ROOT

GATES = yaml.safe_load((FIXTURES / "quality-gates.yml").read_text(encoding="utf-8"))
BAD_INPUT = {case["name"]: case for case in yaml.safe_load((FIXTURES / "bad-input.yml").read_text(encoding="utf-8"))}
# Bad input a JSON Schema can see. The others are caught by our strict reader (duplicate keys,
# aliases, tabs, YAML 1.1 surprises like `no`, which YAML 1.2 validators read as text) or by the
# cross-reference checks in load.py.
SCHEMA_LEVEL = [
    "missing required field",
    "misspelt field",
    "unknown strength",
    "impossible date",
    "number where text is expected",
    "empty value",
]
# The minimal fixture's reviews run from 2026-01-10 to 2027-01-10: on this day none is due soon.
QUIET_DAY = "2026-06-01"
BIN = Path(sys.executable).parent


def _edit(project: Path, case: dict) -> None:
    path = project / "data" / case["file"]
    text = path.read_text(encoding="utf-8")
    assert case["find"] in text, "the fixture no longer has the text this case edits"
    path.write_text(text.replace(case["find"], case["replace"], 1), encoding="utf-8")


def _check(project: Path, monkeypatch, capsys, *args: str) -> tuple[int, str, str]:
    monkeypatch.chdir(project)
    status = main(["check", *args])
    out, err = capsys.readouterr()
    return status, out, err


def test_the_minimal_fixture_passes_on_a_quiet_day(minimal_project, monkeypatch, capsys):
    status, out, _ = _check(minimal_project, monkeypatch, capsys, "--today", QUIET_DAY)
    assert (status, out) == (0, "All content is valid: 1 guides, 2 triggers, 2 questions, 1 sheets, 2 sources.\n")


@pytest.mark.parametrize("case", GATES, ids=[case["name"] for case in GATES])
def test_each_gate_gives_its_message(minimal_project, monkeypatch, capsys, case):
    _edit(minimal_project, case)
    status, out, _ = _check(minimal_project, monkeypatch, capsys, "--today", QUIET_DAY)
    assert status == case["exit"]
    assert (
        out.removesuffix("All content is valid: 1 guides, 2 triggers, 2 questions, 1 sheets, 2 sources.\n")
        == case["expect"] + "\n"
    )


def test_github_annotations_for_errors_and_warnings(minimal_project, monkeypatch, capsys):
    _edit(minimal_project, next(case for case in GATES if case["name"] == "question too hard to read"))
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    # 50 days before every review in the fixture is due: four warnings, and the hard question.
    status, out, err = _check(minimal_project, monkeypatch, capsys, "--today", "2026-11-21")
    lines = out.splitlines()
    assert status == 1
    assert lines[0].startswith(
        "::error file=data/questions.yml,line=16::questions[1].text: the question 'covered' reads at grade 16.6;"
    )
    assert "%0A    questions[1].text (from line 16), +14.1: " in lines[0]
    assert lines[1:] == [
        "::warning file=data/guides/timing.yml,line=5::next_review: the review of the guide 'Is it safe to wait?' "
        "is due on 2027-01-10, in 50 days. Plan it with a reviewer now",
        *(
            f"::warning file=data/{name}.yml,line=2::next_review: the review of the {what} is due on 2027-01-10, "
            "in 50 days. Plan it with a reviewer now"
            for name, what in [("questions", "questions"), ("sheets", "question sheets"), ("triggers", "triggers")]
        ),
    ]
    assert err == "1 problem and 4 warnings found. Fix the problems before you open a pull request.\n"


def test_content_that_does_not_load_exits_1_before_any_gate(minimal_project, monkeypatch, capsys):
    _edit(minimal_project, BAD_INPUT["unknown strength"])
    status, out, err = _check(minimal_project, monkeypatch, capsys, "--today", QUIET_DAY)
    assert status == 1
    assert out == "data/triggers.yml:19: triggers[1].strength: this must be one of: strong, consider (it is 'maybe')\n"
    assert err == "1 problem and 0 warnings found. Fix the problems before you open a pull request.\n"


def test_the_check_runs_from_the_command_line(minimal_project):
    """As `make check` runs it: a separate process, with PYTHONPATH=hooks."""
    result = subprocess.run(
        [sys.executable, "-m", "second_opinion", "check", "--today", "2027-02-01"],
        cwd=minimal_project,
        env={"PYTHONPATH": str(ROOT / "hooks")},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert (
        "data/guides/timing.yml:5: next_review: the review of the guide 'Is it safe to wait?' was due on "
        "2027-01-10 (22 days ago)." in result.stdout
    )
    assert result.stderr == "4 problems and 0 warnings found. Fix the problems before you open a pull request.\n"


def test_shipped_content_passes_every_gate():
    content = load.load(ROOT / "data", today=datetime.date.today(), root=ROOT)
    latest = max(
        review.reviewed
        for review in [
            content.trigger_review,
            content.question_review,
            content.letters.review,
            content.comparison.review,
            content.plan.review,
            *(guide.review for guide in content.guides.values()),
        ]
    )
    report = quality.check(content, today=latest)
    assert report.errors == () and report.overdue == ()
    readings = quality.readings(content)
    assert len(readings) == (
        len(content.guides)
        + len(content.triggers)
        + len(content.questions)
        + len(content.letters.letters)
        + len(content.letters.fields)
        + len(content.comparison.rows)
        + len(content.comparison.values)
        + len(content.plan.inputs)
        + len(content.plan.steps)
        + len(content.plan.warnings)
    )
    assert {reading.kind for reading in readings} >= {"letter", "field", "row", "value", "input", "step", "warning"}
    assert max(r.score for r in readings if r.kind == "guide") <= readability.FORMULAS["en"].guide_limit


def test_headings_and_list_items_count_as_sentences():
    """Without a full stop, textstat would read a list as one long sentence and overstate the grade."""
    sentences = quality._sentences(
        "## Ask early\n\n- **Send your records.** Then call\n- Ask about a fast-track visit\n"
    )
    assert sentences == ["Ask early.", "Send your records.", "Then call.", "Ask about a fast-track visit."]


def test_an_address_counts_as_one_word():
    """A site named by its address is one thing to a reader, not six syllables of a long word."""
    english = readability.FORMULAS["en"]
    named = readability.counts("ClinicalTrials.gov lists many other trials.", "en")
    plain = readability.counts("address lists many other trials.", "en")
    assert named == plain
    assert english.score(named) < english.sentence_limit
    email = readability.counts("Write to second.opinion@northfield.example today.", "en")
    assert email == readability.counts("Write to address today.", "en")


def test_status_page_lists_every_item_with_its_review_in_words(minimal_project):
    content = load.load(minimal_project / "data", today=datetime.date(2026, 6, 1), root=minimal_project)
    site = Settings(name="Test", today=datetime.date(2027, 1, 20))
    page = render.status_page(content, site, quality.readings(content))
    assert "search:\n  exclude: true\n" in page.split("---")[1]
    assert (
        "- [Is it safe to wait?](timing.md)\n"
        "    - Review: **Overdue**. Last reviewed 2026-01-10 by Test Reviewer, RN. Next review due by 2027-01-10.\n"
        "    - Clinical review: pending\n"
        "    - Reading grade: 0.0\n"
        "    - Sources: cancer-net, nccn\n"
    ) in page
    assert "- `rare-cancer`: My cancer is rare. *Reading grade 2.9. Sources: cancer-net.*" in page
    assert "- `covered`: Is a second opinion covered? *Reading grade 4.8. Sources: nccn.*" in page
    assert "- `nccn`: [NCCN Guidelines for Patients](https://www.nccn.org/patients), NCCN. *Cited by 5.*" in page
    # The letters, the worksheet and the plan: a review each, and their sources counted.
    assert "Overdue: 3 of 6 reviews" in page
    assert (
        "- `medical-records`: Ask for copies of your medical records *Reading grade 4.3. Sources: cancer-net.*" in page
    )
    assert "## Dated plan\n\nReview: **Current**. Last reviewed 2026-01-10 by Test fixture." in page
    assert (
        render.status_page(
            content, Settings(name="Test", today=datetime.date(2026, 12, 1)), quality.readings(content)
        ).count("**Due soon**")
        == 3
    )


def test_status_page_escapes_text_from_yaml(minimal_project):
    content = load.load(minimal_project / "data", today=datetime.date(2026, 6, 1), root=minimal_project)
    trigger = content.triggers["rare-cancer"]
    attack = "<img src=x onerror=alert(1)>\n  broken"
    content.triggers["rare-cancer"] = dataclasses.replace(trigger, label=attack)
    page = render.status_page(
        content, Settings(name="Test", today=datetime.date(2026, 6, 1)), quality.readings(content)
    )
    assert "<img" not in page
    assert "- `rare-cancer`: &lt;img src=x onerror=alert(1)&gt; broken *Reading grade" in page


def test_every_data_file_names_its_schema_for_editors():
    files = sorted(ROOT.glob("data/*.yml")) + sorted(ROOT.glob("data/guides/*.yml"))
    for path in files:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        match = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
        assert match, f"{path.relative_to(ROOT)} does not start with the yaml-language-server comment"
        schema = (path.parent / match.group(1)).resolve()
        if "." in path.stem:  # a translation, NAME.LANG.yml
            expected = "translation"
        else:
            expected = "guide" if path.parent.name == "guides" else path.stem
        assert schema == ROOT / "data" / "schemas" / f"{expected}.schema.json", path


def _jsonschema(*args: str | Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "check-jsonschema"), *map(str, args)], capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("name", ["sources", "triggers", "questions", "sheets", "ui", "guide", "translation"])
def test_an_independent_validator_accepts_the_shipped_data(name):
    if name == "guide":
        files = [path for path in sorted(ROOT.glob("data/guides/*.yml")) if "." not in path.stem]
    elif name == "translation":
        files = sorted(ROOT.glob("data/*.??.yml")) + sorted(ROOT.glob("data/guides/*.??.yml"))
    else:
        files = [ROOT / "data" / f"{name}.yml"]
    result = _jsonschema("--schemafile", ROOT / "data" / "schemas" / f"{name}.schema.json", *files)
    assert result.returncode == 0, result.stdout + result.stderr


def test_an_independent_validator_rejects_the_schema_level_bad_input(minimal_project, tmp_path):
    for name in SCHEMA_LEVEL:
        case = BAD_INPUT[name]
        broken = tmp_path / re.sub(r"\W+", "-", name)
        shutil.copytree(minimal_project / "data", broken, ignore=shutil.ignore_patterns("schemas"))
        text = (broken / case["file"]).read_text(encoding="utf-8")
        (broken / case["file"]).write_text(text.replace(case["find"], case["replace"], 1), encoding="utf-8")
        schema = "guide" if case["file"].startswith("guides/") else case["file"].removesuffix(".yml")
        # The schemas $ref common.schema.json by a relative path: use them where they live.
        result = _jsonschema("--schemafile", ROOT / "data" / "schemas" / f"{schema}.schema.json", broken / case["file"])
        assert result.returncode == 1, f"check-jsonschema accepted '{name}'"
        assert "Schema validation errors were encountered" in result.stdout, name


def test_workflows_are_valid_github_actions_and_pass_zizmor(tmp_path):
    workflows = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
    assert workflows
    result = _jsonschema("--builtin-schema", "vendor.github-workflows", *workflows)
    assert result.returncode == 0, result.stdout + result.stderr
    zizmor = [str(BIN / "zizmor"), "--offline", "--config", str(ROOT / ".github" / "zizmor.yml")]
    result = subprocess.run([*zizmor, *workflows], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    # The project's zizmor settings refuse an action pinned by a tag, even one of GitHub's own.
    moved = tmp_path / "tagged.yml"
    text = (ROOT / ".github" / "workflows" / "deploy.yml").read_text(encoding="utf-8")
    moved.write_text(re.sub(r"(actions/deploy-pages)@[0-9a-f]{40}", r"\1@v5", text), encoding="utf-8")
    result = subprocess.run([*zizmor, str(moved)], capture_output=True, text=True, timeout=60)
    assert result.returncode != 0 and "unpinned-uses" in result.stdout, result.stdout + result.stderr


def test_yamllint_passes_the_project_and_catches_duplicate_keys_and_truthy_values(tmp_path):
    lint = [str(BIN / "yamllint"), "--strict", "-c", str(ROOT / ".yamllint")]
    result = subprocess.run(
        [*lint, "data", ".github", ".pre-commit-config.yaml", ".yamllint"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout
    bad = tmp_path / "bad.yml"
    bad.write_text("label: My cancer is rare.\nlabel: Again.\nprinted: yes\n", encoding="utf-8")
    result = subprocess.run([*lint, "-f", "parsable", str(bad)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert ':2:1: [error] duplication of key "label" in mapping (key-duplicates)' in result.stdout
    assert ":3:10: [error] truthy value should be one of [false, true] (truthy)" in result.stdout


def test_pre_commit_runs_yamllint_and_the_content_check(minimal_project, tmp_path):
    """pre-commit itself, in a repository with a data file that repeats a field: both yamllint
    and the content check stop the commit."""
    project = minimal_project
    shutil.copytree(ROOT / "hooks", project / "hooks", ignore=shutil.ignore_patterns("__pycache__"))
    for name in (".pre-commit-config.yaml", ".yamllint"):
        shutil.copy(ROOT / name, project / name)
    (project / ".venv").symlink_to(Path(sys.prefix))  # the hooks run the tools in .venv
    triggers = project / "data" / "triggers.yml"
    text = triggers.read_text(encoding="utf-8")
    line = text[: text.index("    strength: strong\n")].count("\n") + 2  # of the repeated field
    triggers.write_text(text.replace("    strength: strong\n", "    strength: strong\n    strength: stronk\n", 1))
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache")}
    for command in (["git", "init", "-q"], ["git", "add", "."]):
        subprocess.run(command, cwd=project, check=True, env=env)
    result = subprocess.run(
        [str(BIN / "pre-commit"), "run", "--files", "data/triggers.yml"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 1
    hooks = dict(re.findall(r"^(\S.*?)\.{3,}(?:\(.*\))?(Passed|Failed|Skipped)$", result.stdout, re.M))
    assert hooks["yamllint"] == hooks["content check (as make check)"] == "Failed", result.stdout
    assert re.search(rf'{line}:5 +error +duplication of key "strength" in mapping', result.stdout)
    assert f"data/triggers.yml:{line}: triggers[0].strength: the field 'strength' appears twice" in result.stdout
