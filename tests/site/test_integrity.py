"""The last good site survives any failed build; the build follows no symbolic link; the PDF
cache never publishes a bad file; the CSP allows only the templates' own scripts, and a page
with any other script stops the build."""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from mkdocs.exceptions import Abort

from second_opinion import cache, headers, pdf, pipeline, settings
from second_opinion.problems import ContentError
from support import ROOT, TODAY, build_site, full_project


def _digest(folder: Path) -> str:
    """Every file's path and bytes, as one hash: equal only for the same site."""
    sha = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            sha.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    return sha.hexdigest()


def _publish(project: Path, **options) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(project / "hooks"), "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "second_opinion.publish", "--config", "mkdocs.yml"],
        cwd=project,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        **options,
    )


@pytest.fixture
def published(minimal_project: Path) -> tuple[Path, str]:
    """A project with a Spanish edition, published once by `make site`'s command: its site/ and
    that site's digest."""
    project = full_project(minimal_project)
    (project / "mkdocs.es.yml").write_text(
        "INHERIT: mkdocs.yml\nsite_dir: site/es\ntheme:\n  language: es\n", encoding="utf-8"
    )
    process = _publish(project)
    output, _ = process.communicate(timeout=600)
    assert process.returncode == 0, output
    site = project / "site"
    assert (site / "index.html").is_file() and (site / "es" / "index.html").is_file()
    return project, _digest(site)


def _building(project: Path) -> list[Path]:
    return list(project.glob(".site.building-*"))


def test_a_good_build_replaces_the_site_and_leaves_nothing_behind(published):
    project, before = published
    (project / "docs" / "about.md").write_text("# About\n\nChanged.\n", encoding="utf-8")
    process = _publish(project)
    output, _ = process.communicate(timeout=600)
    assert process.returncode == 0, output
    assert "Changed." in (project / "site" / "about" / "index.html").read_text(encoding="utf-8")
    assert (project / "site" / "es" / "index.html").is_file()
    assert _digest(project / "site") != before
    assert not _building(project)


def test_a_broken_link_leaves_the_last_good_site(published):
    project, before = published
    (project / "docs" / "about.md").write_text("# About\n\nSee [the missing page](missing.md).\n", encoding="utf-8")
    process = _publish(project)
    output, _ = process.communicate(timeout=600)
    assert process.returncode == 1
    assert "docs/about.md:3: the link 'missing.md' leads to no page or file of the site" in output
    assert "was left as it was" in output
    assert _digest(project / "site") == before
    assert not _building(project)


def test_a_broken_link_only_the_spanish_edition_has_leaves_the_whole_site(published):
    project, before = published
    (project / "docs" / "about.es.md").write_text("# Acerca\n\n[Falta](falta.md).\n", encoding="utf-8")
    process = _publish(project)
    output, _ = process.communicate(timeout=600)
    assert process.returncode == 1
    assert "docs/about.es.md:3: the link 'falta.md' leads to no page or file of the site" in output
    assert _digest(project / "site") == before


def test_a_killed_build_leaves_the_last_good_site_and_the_next_build_cleans_up(published):
    project, before = published
    process = _publish(project, start_new_session=True)
    deadline = time.monotonic() + 300
    # Kill it once MkDocs has started writing pages into the new folder.
    while not any(folder.rglob("*.html") for folder in _building(project)):
        assert process.poll() is None and time.monotonic() < deadline, "the build ended before it could be killed"
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=60)
    assert _digest(project / "site") == before
    assert _building(project), "the killed build's folder is left until the next build"
    again = _publish(project)
    output, _ = again.communicate(timeout=600)
    assert again.returncode == 0, output
    assert not _building(project)


def test_a_write_error_leaves_the_last_good_site(published):
    project, before = published
    # Files may grow to 20 KB at most: MkDocs fails writing the first larger page (EFBIG, as
    # on a full disk), whatever it was writing.
    limit = 20_000
    process = _publish(project, preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit)))
    output, _ = process.communicate(timeout=600)
    assert process.returncode != 0
    assert "File too large" in output or "Errno 27" in output, output[-2000:]
    assert _digest(project / "site") == before


def _site(project: Path) -> settings.Settings:
    config = project / "mkdocs.yml"
    return settings.from_config(settings.load_config(config), config, project=project)


@pytest.mark.parametrize(
    ("link", "target"),
    [("data/guides/elsewhere.yml", "/etc/passwd"), ("docs/config.txt", ".git/config"), ("docs/assets", "../data")],
)
def test_symbolic_links_are_refused(minimal_project: Path, link: str, target: str):
    project = full_project(minimal_project)
    (project / link).parent.mkdir(parents=True, exist_ok=True)
    if (project / link).exists():
        shutil.rmtree(project / link)
    os.symlink(target, project / link)
    with pytest.raises(ContentError) as raised:
        pipeline.build(_site(project), pdfs=False)
    assert [str(p) for p in raised.value.problems] == [
        f"{link}: this is a symbolic link (to {target}); the build follows none, so that no file from "
        "elsewhere on the machine is published. Put the file itself here"
    ]


def test_a_pdf_cache_entry_is_checked_on_every_read(minimal_project: Path, tmp_path: Path):
    project = full_project(minimal_project)
    site = dataclasses.replace(_site(project), pdf_cache=tmp_path / "cache", today=TODAY)
    content = pipeline.build(site, pdfs=False).content
    first = pdf.sheet_pdfs(content, site)
    entries = sorted((tmp_path / "cache").glob("*.pdf"))
    assert len(entries) == len(first)
    for entry in entries:
        key, pages, digest = entry.stem.split("-")
        assert hashlib.sha256(entry.read_bytes()).hexdigest() == digest
    # A truncated entry, and a file with a name this module never writes beside it.
    entries[0].write_bytes(entries[0].read_bytes()[:100])
    (tmp_path / "cache" / f"{entries[1].name.split('-')[0]}-x.pdf").write_bytes(b"not a pdf")
    second = pdf.sheet_pdfs(content, site)
    assert [r.data for r in second] == [r.data for r in first]
    assert all(r.data.startswith(b"%PDF-") for r in second)
    assert not list((tmp_path / "cache").glob("*.partial"))


def test_two_builds_at_once_share_the_pdf_cache(minimal_project: Path, tmp_path: Path):
    project = full_project(minimal_project)
    env = {**os.environ, "PYTHONPATH": str(project / "hooks"), "NO_MKDOCS_2_WARNING": "1"}
    builds = [
        subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(tmp_path / f"site{n}")],
            cwd=project,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for n in (1, 2)
    ]
    for build in builds:
        output, _ = build.communicate(timeout=600)
        assert build.returncode == 0, output
    one, two = (sorted((tmp_path / f"site{n}" / "questions").glob("*.pdf")) for n in (1, 2))
    assert [p.read_bytes() for p in one] == [p.read_bytes() for p in two]


def test_a_config_value_of_the_wrong_type_is_named_not_a_traceback(tmp_path: Path):
    (tmp_path / "mkdocs.yml").write_text("site_name: x\nextra: !ENV [SOG_TEST_UNSET, 5]\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "second_opinion", "check"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT / "hooks")},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert result.stdout.strip().endswith("mkdocs.yml:2: extra: this should be a set of settings")
    assert "Traceback" not in result.stderr


def test_the_policy_allows_only_the_templates_scripts_and_every_page_carries_it(site: Path):
    policy = (site / "_headers").read_text(encoding="utf-8")
    for page in [site / "index.html", site / "checklist" / "index.html", site / "es" / "index.html", site / "404.html"]:
        html = page.read_text(encoding="utf-8")
        meta = html.split('<meta http-equiv="Content-Security-Policy" content="', 1)[1].split('"', 1)[0]
        assert meta.replace("&#39;", "'") in policy.replace("; frame-ancestors 'self'", "")
        assert '<meta name="referrer" content="no-referrer">' in html
        # The policy comes before any script of the page.
        assert html.index("Content-Security-Policy") < html.index("<script")
        scripts = re.findall(r"<script>(.*?)</script>", html, re.S)
        assert scripts and all(headers.script_hashes([script])[0] in policy for script in scripts)
        assert not headers.page_problems(html, set(scripts))


def test_a_script_that_got_past_the_content_checks_stops_the_build(minimal_project, tmp_path, monkeypatch, caplog):
    from second_opinion import markup

    monkeypatch.setattr(markup, "page_problems", lambda text: [])  # as if the content checks had a hole
    monkeypatch.setattr(cache, "FOLDER", tmp_path / "cache")  # what the hole let through is kept for no other build
    project = full_project(minimal_project)
    (project / "docs" / "about.md").write_text(
        '# About\n\n<script>alert(1)</script>\n\n<p onclick="alert(2)">x</p>\n', encoding="utf-8"
    )
    with pytest.raises(Abort):
        build_site(project / "mkdocs.yml", tmp_path / "site")
    message = caplog.text
    assert "about/index.html: an inline script that is not the site's own: <script>alert(1)" in message
    assert 'about/index.html: an event handler attribute onclick="alert(2)" on <p>' in message


def test_every_script_partial_of_material_is_known():
    # A Material upgrade that adds a script partial must say when its templates include it.
    environment = headers.template_environment(None)
    partials = {name for name in environment.list_templates() if name.startswith("partials/javascripts/")}
    assert partials == set(headers._MATERIAL_SCRIPTS)


def test_the_policy_allows_material_scripts_only_where_the_config_turns_them_on():
    overrides = ROOT / "overrides"
    environment = headers.template_environment(overrides)
    palette = environment.get_template("partials/javascripts/palette.html").render().strip()
    config = {"theme": {"palette": {"scheme": "default"}, "features": []}, "extra": {}}
    scripts = headers.own_scripts(environment, overrides, config, {".", ".."})
    # Material's first script, once for each depth; its content script; overrides/main.html's.
    assert len(scripts) == 4
    assert any('new URL("..",location)' in script for script in scripts)
    assert palette.removeprefix("<script>").removesuffix("</script>") not in scripts
    # A list of palettes brings Material's palette toggle and its script.
    config["theme"]["palette"] = [{"scheme": "default"}, {"scheme": "slate"}]
    toggled = headers.own_scripts(environment, overrides, config, {".", ".."})
    assert toggled - scripts == {palette.removeprefix("<script>").removesuffix("</script>")}
