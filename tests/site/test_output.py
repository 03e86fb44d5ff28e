"""The stored output (second_opinion.output): a rebuild of unchanged inputs takes it, with the
same pages, files and nav; a change to any input the pipeline reads builds again, with every
gate; a failed build stores nothing; a missing or altered blob is a miss; old outputs are pruned."""

from __future__ import annotations

import dataclasses
import datetime
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from markupsafe import Markup

from second_opinion import cache, headers, output, pipeline, settings
from second_opinion.problems import ContentError
from support import full_project

TODAY = datetime.date(2026, 6, 1)


@pytest.fixture(scope="module")
def pdf_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One PDF cache for the module: the sheets' bytes are not what these tests are about."""
    return tmp_path_factory.mktemp("pdf")


@pytest.fixture
def project(minimal_project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(cache, "FOLDER", tmp_path / "cache")  # never the project's own
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    return full_project(minimal_project)


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> list[settings.Settings]:
    """The settings of each time the whole pipeline ran."""
    ran: list[settings.Settings] = []
    real = pipeline.build

    def counted(site: settings.Settings, **options: bool) -> pipeline.Build:
        ran.append(site)
        return real(site, **options)

    monkeypatch.setattr(pipeline, "build", counted)
    return ran


def site_of(project: Path, pdf_cache: Path) -> settings.Settings:
    config = project / "mkdocs.yml"
    site = settings.from_config(settings.load_config(config), config, project=project)
    return dataclasses.replace(site, today=TODAY, pdf_cache=pdf_cache)


def test_an_unchanged_rebuild_takes_the_stored_output(project, pdf_cache, builds):
    site = site_of(project, pdf_cache)
    made = output.produce(site)
    again = output.produce(site)
    assert len(builds) == 1
    assert again == made
    assert any(name.endswith(".pdf") for name in again.files)
    titles = [title for item in again.nav if isinstance(item, dict) for title in item]
    assert titles and all(isinstance(title, Markup) for title in titles), "Material would escape them again"


def _edit_data(project: Path) -> None:
    guide = project / "data" / "guides" / "timing.yml"
    guide.write_text(guide.read_text(encoding="utf-8").replace("title: ", "title: Edited ", 1), encoding="utf-8")


def _edit_docs(project: Path) -> None:
    (project / "docs" / "about.md").write_text("# About this guide, edited\n", encoding="utf-8")


def _add_docs_file(project: Path) -> None:
    (project / "docs" / "assets" / "extra.css").write_text("p { margin: 0 }\n", encoding="utf-8")


def _edit_schema(project: Path) -> None:
    schema = project / "data" / "schemas" / "sources.schema.json"
    schema.write_text(schema.read_text(encoding="utf-8") + "\n", encoding="utf-8")


@pytest.mark.parametrize(
    ("edit", "changes"),
    [(_edit_data, True), (_edit_docs, True), (_add_docs_file, True), (_edit_schema, False)],
    ids=["a data file", "a hand-written page", "a new file in docs", "a schema"],
)
def test_an_edited_input_builds_again(project, pdf_cache, builds, edit: Callable[[Path], None], changes: bool):
    site = site_of(project, pdf_cache)
    before = output.produce(site)
    edit(project)
    after = output.produce(site)
    assert len(builds) == 2, "the whole pipeline ran again, every gate with it"
    assert (after != before) is changes


def test_other_settings_a_new_day_or_source_date_build_again(project, pdf_cache, builds, monkeypatch):
    site = site_of(project, pdf_cache)
    keys = {output.inputs_key(site)}
    keys.add(output.inputs_key(dataclasses.replace(site, today=TODAY + datetime.timedelta(days=1))))
    keys.add(output.inputs_key(dataclasses.replace(site, paper="a4")))
    keys.add(output.inputs_key(dataclasses.replace(site, feedback_url="https://example.org/report")))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780000000")
    keys.add(output.inputs_key(site))
    assert len(keys) == 5


def test_the_code_and_installed_packages_are_inputs(project, pdf_cache, tmp_path, monkeypatch):
    site = site_of(project, pdf_cache)
    package = tmp_path / "package"
    shutil.copytree(output.PACKAGE, package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(output, "PACKAGE", package)
    first = output.inputs_key(site)
    (package / "__pycache__").mkdir()
    (package / "__pycache__" / "render.cpython-311.pyc").write_bytes(b"compiled")
    assert output.inputs_key(site) == first, "compiled files change with no source change"
    template = package / "templates" / "footer.html.j2"
    template.write_text(template.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    second = output.inputs_key(site)
    assert second != first
    packages = tmp_path / "site-packages"
    (packages / "nh3-0.0.1.dist-info").mkdir(parents=True)
    monkeypatch.setattr(output.sysconfig, "get_paths", lambda: {"purelib": str(packages), "platlib": str(packages)})
    third = output.inputs_key(site)
    (packages / "nh3-0.0.1.dist-info").rename(packages / "nh3-0.0.2.dist-info")
    assert len({second, third, output.inputs_key(site)}) == 3


def test_a_symbolic_link_added_after_a_good_build_is_refused(project, pdf_cache, builds):
    site = site_of(project, pdf_cache)
    output.produce(site)
    (project / "docs" / "config.txt").symlink_to("/etc/hostname")
    with pytest.raises(ContentError, match="symbolic link"):
        output.produce(site)
    assert len(builds) == 2


def test_a_failed_build_stores_nothing(project, pdf_cache, builds, tmp_path):
    site = site_of(project, pdf_cache)
    guide = project / "data" / "guides" / "timing.yml"
    guide.write_text(guide.read_text(encoding="utf-8").replace("title: ", "titel: ", 1), encoding="utf-8")
    for _ in range(2):
        with pytest.raises(ContentError, match="titel"):
            output.produce(site)
    assert len(builds) == 2
    assert not list((tmp_path / "cache" / output.KIND).glob("*.json"))


@pytest.mark.parametrize("damage", ["delete", "alter"])
def test_a_missing_or_altered_blob_builds_again(project, pdf_cache, builds, tmp_path, damage: str):
    site = site_of(project, pdf_cache)
    made = output.produce(site)
    blob = tmp_path / "cache" / cache.BLOBS / cache.put_blob(made.pages["timing.md"].encode())
    if damage == "delete":
        blob.unlink()
    else:
        blob.write_bytes(b"<script>alert(1)</script>")
    assert output.produce(site) == made
    assert len(builds) == 2


def test_only_the_latest_outputs_and_their_blobs_are_kept(project, pdf_cache, tmp_path, monkeypatch):
    monkeypatch.setattr(output, "KEEP", 2)
    site = site_of(project, pdf_cache)
    made = [output.produce(dataclasses.replace(site, today=TODAY + datetime.timedelta(days=n))) for n in range(3)]
    entries = list((tmp_path / "cache" / output.KIND).glob("*.json"))
    assert len(entries) == 2
    kept = {cache.put_blob(text.encode()) for out in made[1:] for text in out.pages.values()}
    kept |= {cache.put_blob(data) for out in made[1:] for data in out.files.values()}
    assert {path.name for path in (tmp_path / "cache" / cache.BLOBS).iterdir()} == kept
    assert output.produce(dataclasses.replace(site, today=TODAY + datetime.timedelta(days=2))) == made[2]


def test_a_built_page_is_checked_again_when_its_html_changes(tmp_path, monkeypatch):
    """The verdicts headers.site_problems keeps are for the very HTML that passed."""
    monkeypatch.setattr(cache, "FOLDER", tmp_path / "cache")
    site = tmp_path / "site"
    page = site / "guide" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text("<p>Fine</p><script>own()</script>", encoding="utf-8")
    assert headers.site_problems(site, {"own()"}) == []
    assert len(list((tmp_path / "cache").rglob("*.json"))) == 1
    assert headers.site_problems(site, set()) == [
        "  guide/index.html: an inline script that is not the site's own: <script>own()"
    ], "a verdict holds for the scripts it was checked against only"
    page.write_text('<p onclick="steal()">Fine</p><script>own()</script>', encoding="utf-8")
    assert headers.site_problems(site, {"own()"}) == [
        '  guide/index.html: an event handler attribute onclick="steal()" on <p>'
    ]


def test_a_file_saved_during_the_build_stores_nothing(project, pdf_cache, builds, tmp_path, monkeypatch):
    """The output may hold the new text or the old: it belongs to neither key."""
    site = site_of(project, pdf_cache)
    real = pipeline.build

    def edited_meanwhile(site: settings.Settings, **options: bool) -> pipeline.Build:
        made = real(site, **options)
        _edit_docs(project)
        return made

    monkeypatch.setattr(pipeline, "build", edited_meanwhile)
    output.produce(site)
    assert not list((tmp_path / "cache" / output.KIND).glob("*.json"))


def test_a_file_gone_while_the_inputs_are_hashed_is_no_traceback(project, pdf_cache, monkeypatch):
    """An editor's temporary file can vanish between listing a folder and reading it."""
    site = site_of(project, pdf_cache)
    before = output.inputs_key(site)
    real = output._tree
    monkeypatch.setattr(output, "_tree", lambda folder: [*real(folder), folder / ".#about.md"])
    assert output.inputs_key(site) != before
