"""Every copy-pasteable example in CONTRIBUTING.md and docs/hosting.md works as written: each is
read from the document, applied to a fresh copy of the project as its text says, and the check
(`make check`, with the hospital's CONFIG where the example is about a hospital's copy) passes.

A code block the table below does not know fails the first test: add it, with how to apply it,
or with why it is not applied here."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from support import ROOT, copy_minimal_project, latest_review, project_copy, run_check

DOCUMENTS = ("CONTRIBUTING.md", "docs/hosting.md")
# A fenced block, at any indentation (CONTRIBUTING.md indents the ones inside numbered steps).
_BLOCK = re.compile(r"^( *)```(\w*)\n(.*?)^\1```", re.S | re.M)


def _blocks() -> dict[str, str]:
    """Each fenced code block of the documents, dedented, by its text; the value names where it is."""
    blocks = {}
    for name in DOCUMENTS:
        for match in _BLOCK.finditer((ROOT / name).read_text(encoding="utf-8")):
            indent = len(match.group(1))
            text = "".join(line[indent:] for line in match.group(3).splitlines(keepends=True))
            blocks[text] = name
    return blocks


BLOCKS = _blocks()


def _block(start: str) -> str:
    """The one block of the documents that starts with `start`."""
    found = [text for text in BLOCKS if text.startswith(start)]
    assert len(found) == 1, f"{len(found)} blocks start with {start!r}"
    return found[0]


# How each example is applied, as its document says. Each returns the config the check is run
# with (None: the project's own).
def schema_line(project: Path) -> None:
    """ "Its first line looks like this": it is the first line of data/questions.yml."""
    first = (project / "data" / "questions.yml").read_text(encoding="utf-8").splitlines()[0]
    assert first + "\n" == _block("# yaml-language-server: $schema=schemas/")


def _replace_item(path: Path, example: str) -> None:
    """The example, in place of the item of `path` that starts with its first line."""
    first = example.splitlines(keepends=True)[0]
    text = path.read_text(encoding="utf-8")
    start = text.index(first)
    end = text.find("\n  - id: ", start + 1)
    path.write_text(text[:start] + example + (text[end + 1 :] if end != -1 else ""), encoding="utf-8")


def change_a_trigger(project: Path) -> None:
    """ "Each trigger looks like this": the example, in place of the trigger with its id."""
    _replace_item(project / "data" / "triggers.yml", _block("  - id: rare-cancer"))


def a_source(project: Path) -> None:
    """ "Each source looks like this one, Cancer.Net's page, already in the file": comments and all,
    in place of that entry."""
    _replace_item(project / "data" / "sources.yml", _block("  - id: cancer-net"))


def add_a_question(project: Path) -> None:
    """ "Add your question under the others for the same person", then "add the id to a sheet"."""
    example = _block("  - id: cd-who-to-call")
    question_id = re.search(r"id: (\S+)", example).group(1)
    questions = project / "data" / "questions.yml"
    text = questions.read_text(encoding="utf-8")
    # Under the others for the current doctor: before the first question for anyone else.
    first_other = re.search(r"\n  - id: \S+\n    audience: (?!current-doctor)", text[text.index("questions:") :])
    at = text.index("questions:") + first_other.start() + 1
    questions.write_text(text[:at] + example + text[at:], encoding="utf-8")
    sheets = project / "data" / "sheets.yml"
    text = sheets.read_text(encoding="utf-8")
    at = text.index("questions: [", text.index("  - id: current-doctor\n")) + len("questions: [")
    sheets.write_text(text[:at] + question_id + ", " + text[at:], encoding="utf-8")


def review_dates(project: Path) -> None:
    """The review fields, as a guide has them."""
    path = project / "data" / "guides" / "timing.yml"
    text = re.sub(
        r"^reviewed: .*\nnext_review: .*\nreviewer: .*\n",
        _block("reviewed: ").replace("\\", "\\\\"),
        path.read_text(encoding="utf-8"),
        count=1,
        flags=re.M,
    )
    path.write_text(text, encoding="utf-8")


def your_hospital(project: Path) -> str:
    """`cp -r examples/northfield examples/your-hospital`, then the check of that copy."""
    assert _block("cp -r ") == "cp -r examples/northfield examples/your-hospital\n"
    shutil.copytree(project / "examples" / "northfield", project / "examples" / "your-hospital")
    return "examples/your-hospital/mkdocs.yml"


def hospital_own_content_only(project: Path) -> str:
    """ "Your site must not publish them, so remove them now": the copy, without Northfield's content."""
    config = your_hospital(project)
    assert _block("rm -r ") == "rm -r examples/your-hospital/local/guides examples/your-hospital/local/*.yml\n"
    local_dir = project / "examples" / "your-hospital" / "local"
    shutil.rmtree(local_dir / "guides")
    for path in local_dir.glob("*.yml"):
        path.unlink()
    return config


def hospital_reviewers(project: Path) -> str:
    """ "Record their approval in your copy, in examples/your-hospital/local/reviewers.yml"."""
    config = your_hospital(project)
    example = _block("# yaml-language-server: $schema=../../../data/schemas/reviewers.schema.json")
    (project / "examples" / "your-hospital" / "local" / "reviewers.yml").write_text(example, encoding="utf-8")
    return config


def hospital_offline(project: Path) -> str:
    your_hospital(project)
    (project / "examples" / "your-hospital" / "offline.yml").write_text(
        _block("INHERIT: mkdocs.yml\n\nsite_dir: site-offline"), encoding="utf-8"
    )
    return "examples/your-hospital/offline.yml"


def hospital_spanish(project: Path) -> str:
    your_hospital(project)
    (project / "examples" / "your-hospital" / "mkdocs.es.yml").write_text(
        _block("INHERIT: mkdocs.yml\n\nsite_dir: site/es"), encoding="utf-8"
    )
    return "examples/your-hospital/mkdocs.yml"


APPLIED = {
    "# yaml-language-server: $schema=schemas/": schema_line,
    "  - id: rare-cancer": change_a_trigger,
    "  - id: cancer-net": a_source,
    "  - id: cd-who-to-call": add_a_question,
    "reviewed: ": review_dates,
    "make check\n": lambda project: None,
    "cp -r ": your_hospital,
    "make check CONFIG=": your_hospital,
    "rm -r examples/your-hospital/local/": hospital_own_content_only,
    "# yaml-language-server: $schema=../../../data/schemas/reviewers": hospital_reviewers,
    "INHERIT: mkdocs.yml\n\nsite_dir: site-offline": hospital_offline,
    "INHERIT: mkdocs.yml\n\nsite_dir: site/es": hospital_spanish,
}
NOT_APPLIED = {
    "make serve\n": "a server that runs until stopped: test_editing.py drives `mkdocs serve`",
    "data/questions.yml:16: ": "the check's output, compared with the real output below",
    "pip install pre-commit": "installs from the package registry; test_quality.py checks the pre-commit config",
    ".venv/bin/mkdocs build --strict -f examples/your-hospital/mkdocs.yml": (
        "the strict build of the example copy: test_hosting.py builds it (a copy one folder over is the same)"
    ),
    "git pull": "takes updates from the project's repository",
    "make lint\n.venv/bin/pre-commit install": "installs git hooks; test_quality.py checks the pre-commit config",
    "make site CONFIG=": "builds the copy: test_hosting.py builds the example copy from its config",
    "SOURCE_DATE_EPOCH=": "test_hosting.py builds a commit twice and compares the files",
}


def test_every_code_block_of_the_documents_is_known():
    known = [*APPLIED, *NOT_APPLIED]
    unknown = [text for text in BLOCKS if not any(text.startswith(start) for start in known)]
    assert not unknown, "add these examples to APPLIED (or NOT_APPLIED, with why):\n" + "\n---\n".join(unknown)


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> Path:
    return project_copy(tmp_path_factory.mktemp("pristine"))


@pytest.mark.parametrize("start", APPLIED, ids=[start.strip().split("\n")[0][:40] for start in APPLIED])
def test_each_example_works_when_pasted(pristine, tmp_path, start):
    project = tmp_path / "project"
    shutil.copytree(pristine, project)
    config = APPLIED[start](project)
    today = str(max(latest_review(project / "data"), latest_review(project / "examples")))
    result = run_check(project, *(["--config", config] if config else []), "check", "--today", today)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "All content is valid" in result.stdout


def test_the_documented_output_is_what_the_check_prints(tmp_path):
    """CONTRIBUTING.md shows the check's output for a hard question in the minimal fixture."""
    shown = _block("data/questions.yml:16: ")
    project = copy_minimal_project(tmp_path)
    questions = project / "data" / "questions.yml"
    hard = re.search(r'^    questions\[1\]\.text \(from line 16\), \+[\d.]+: "(.*)"$', shown, re.M).group(1)
    text = questions.read_text(encoding="utf-8")
    questions.write_text(text.replace("text: Is a second opinion covered?", f"text: {hard}"), encoding="utf-8")
    result = run_check(project, "check", "--today", "2026-06-01", hooks=ROOT / "hooks")
    assert result.stdout + result.stderr == shown
