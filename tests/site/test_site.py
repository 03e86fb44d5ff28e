"""Site level: a real strict build of the shipped content, read back as a visitor's browser would."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

from second_opinion import load
from second_opinion.settings import load_config
from support import ROOT, build_site, full_project, html_pages, other_hosts

# Attributes through which a page makes the browser fetch something by itself.
FETCHING = re.compile(
    r"""\b(?:src|srcset|poster|data|action|formaction)\s*=\s*["']?([^"'\s>]+)"""
    r"""|<link\b[^>]*\bhref\s*=\s*["']?([^"'\s>]+)|url\(\s*["']?([^"')]+)""",
    re.I,
)
LINK = re.compile(r"""<a\b[^>]*\bhref\s*=\s*["']([^"']+)""", re.I)


def test_every_contract_url_is_built(site: Path):
    content = load.load(ROOT / "data", today=__import__("datetime").date.today(), root=ROOT)
    expected = [
        "index.html",
        "checklist/index.html",
        "questions/index.html",
        "about/index.html",
        *(f"questions/{sheet}/index.html" for sheet in content.sheets),
        *(f"{slug}/index.html" for slug in content.guides),
    ]
    missing = [path for path in expected if not (site / path).is_file()]
    assert not missing


def test_search_index_covers_generated_pages(site: Path):
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    text = " ".join(doc["text"] + " " + doc["title"] for doc in index["docs"])
    content = load.load(ROOT / "data", today=__import__("datetime").date.today(), root=ROOT)
    trigger = next(iter(content.triggers.values()))
    question = next(iter(content.questions.values()))
    locations = {doc["location"].split("#")[0] for doc in index["docs"]}
    assert {"checklist/", "questions/", "timing/"} <= locations
    assert _words(trigger.label) in _words(text)
    assert _words(question.text) in _words(text)


def test_no_page_fetches_from_another_host(site: Path):
    offenders = {}
    for path in [*html_pages(site), *site.rglob("*.css")]:
        urls = [next(g for g in match.groups() if g) for match in FETCHING.finditer(path.read_text(encoding="utf-8"))]
        absolute = [url for url in urls if url.startswith(("http:", "https:", "//"))]
        bad = other_hosts([("https:" + u if u.startswith("//") else u) for u in absolute], "http://site.invalid/")
        if bad:
            offenders[str(path.relative_to(site))] = bad
    assert not offenders


def test_links_to_other_hosts_are_only_cited_sources(site: Path):
    content = load.load(ROOT / "data", today=__import__("datetime").date.today(), root=ROOT)
    # A translated edition links to the publisher's page in its language, when the source has one.
    allowed = {url for s in content.sources.values() for url in (s.url, *(u for _, u in s.translations.values()))}
    unexpected = {}
    for path in html_pages(site):
        links = [
            url for url in LINK.findall(path.read_text(encoding="utf-8")) if url.startswith(("http:", "https:", "//"))
        ]
        if extra := sorted(set(links) - allowed):
            unexpected[str(path.relative_to(site))] = extra
    assert not unexpected


def test_text_from_yaml_is_escaped_everywhere(minimal_project: Path, tmp_path: Path):
    attack = '"><script>alert(1)</script><img src=x onerror=alert(2)>'
    project = full_project(minimal_project)
    for name, field in [
        ("triggers.yml", "label: My cancer is rare."),
        ("guides/timing.yml", "title: Is it safe to wait?"),
        ("questions.yml", "text: Is a second opinion covered?"),
    ]:
        path = project / "data" / name
        key = field.split(":")[0]
        path.write_text(path.read_text(encoding="utf-8").replace(field, f"{key}: '{attack}'"), encoding="utf-8")
    timing = project / "data" / "guides" / "timing.yml"
    timing.write_text(
        timing.read_text(encoding="utf-8").replace("Ask how long", "<script>alert(3)</script> Ask how long"),
        encoding="utf-8",
    )
    site = build_site(project / "mkdocs.yml", tmp_path / "site")
    live = {}
    for path in html_pages(site):
        markup = _Markup()
        markup.feed(path.read_text(encoding="utf-8"))
        if found := [item for item in markup.live if "alert(" in item]:
            live[str(path.relative_to(site))] = found
    assert not live
    # The words arrive as text, escaped, where they were written.
    assert "&lt;script&gt;alert(1)" in (site / "checklist" / "index.html").read_text(encoding="utf-8")
    # Every page's entry in the search index, not only the home page's.
    docs = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    escaped = {doc["location"].split("#")[0] for doc in docs if "&lt;script&gt;alert(" in doc["text"] + doc["title"]}
    assert escaped >= {"checklist/", "timing/", "questions/insurer/"}
    assert not [doc["location"] for doc in docs if "<script" in doc["text"] + doc["title"] or "<img" in doc["text"]]


class _Markup(HTMLParser):
    """What in a page could run: event handler attributes, and the text of its scripts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.live: list[str] = []
        self._script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.live += [f"<{tag} {name}={value}>" for name, value in attrs if name.startswith("on")]
        self._script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._script = self._script and tag != "script"

    def handle_data(self, data: str) -> None:
        if self._script:
            self.live.append(data)


def _words(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def test_home_page_leads_to_the_checklist_every_guide_and_the_sheets(site: Path):
    content = load.load(ROOT / "data", today=__import__("datetime").date.today(), root=ROOT)
    links = set(LINK.findall((site / "index.html").read_text(encoding="utf-8")))
    expected = {"checklist/", "questions/", *(f"{slug}/" for slug in content.guides)}
    assert expected <= links


def test_written_pages_build_without_our_hooks(tmp_path: Path):
    """`python -m second_opinion write` gives another builder everything: here, plain MkDocs."""
    out = _write(tmp_path / "out", ROOT / "mkdocs.yml")
    assert "hooks" not in load_config(out / "mkdocs.yml")
    site = build_site(out / "mkdocs.yml", tmp_path / "site")
    assert (site / "questions" / "insurer.pdf").is_file()
    assert "insurer.pdf" in (site / "questions" / "insurer" / "index.html").read_text(encoding="utf-8")


def test_write_gives_the_same_site_as_the_build_for_a_hospital(tmp_path: Path):
    """The example hospital's copy, built by MkDocs with our hooks and by plain MkDocs from what
    `write` wrote: the same pages, each the same HTML (its organization, local pages and menu)."""
    config = ROOT / "examples" / "northfield" / "mkdocs.yml"
    hooked = build_site(config, tmp_path / "hooked")
    plain = build_site(_write(tmp_path / "out", config) / "mkdocs.yml", tmp_path / "plain")

    def pages(site: Path) -> dict[str, str]:
        return {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in html_pages(site)}

    assert pages(plain).keys() == pages(hooked).keys()
    assert "second-opinions-at-northfield/index.html" in pages(plain)
    assert "555-0100" in pages(plain)["index.html"]
    for name, text in pages(hooked).items():
        assert pages(plain)[name] == text, name


def _write(outdir: Path, config: Path) -> Path:
    result = subprocess.run(
        [sys.executable, "-m", "second_opinion", "--config", str(config), "write", str(outdir)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT / "hooks")},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return outdir


def test_each_edition_has_its_address_in_its_sitemap_and_404_page(tmp_path: Path, monkeypatch):
    """With the public address set (the deploy workflow sets SITE_URL), the sitemap lists every
    page, and each edition's 404 page (served for any missing address) links under its own path."""
    monkeypatch.setenv("SITE_URL", "https://guide.example/second-opinion/")
    site = build_site(ROOT / "mkdocs.yml", tmp_path / "site")
    build_site(ROOT / "mkdocs.es.yml", site / "es")
    for edition, path in (("", "/second-opinion/"), ("es/", "/second-opinion/es/")):
        sitemap = (site / edition / "sitemap.xml").read_text(encoding="utf-8")
        assert f"<loc>https://guide.example{path}checklist/</loc>" in sitemap
        page = (site / edition / "404.html").read_text(encoding="utf-8")
        local = [
            url
            for url in re.findall(r'(?:href|src)="([^"]+)"', page)
            if not url.startswith(("https:", "mailto:", "tel:", "data:", "#"))
        ]
        assert local and all(url.startswith(path) for url in local), [u for u in local if not u.startswith(path)]


def test_every_guide_the_checklist_and_every_sheet_say_clinical_review_is_pending(site: Path):
    """No clinician has signed off the shipped content (data/reviewers.yml is empty): every guide,
    the checklist and every sheet, on screen and in its PDFs, says so, in each edition's language."""
    from pypdf import PdfReader

    for edition, words in (("", "Clinical review pending"), ("es/", "Revisión clínica pendiente")):
        pages = [*(site / edition).glob("*/index.html"), *(site / edition / "questions").glob("*/index.html")]
        generated = [
            p for p in pages if p.parent.name not in ("about", "hosting", "content-status", "es", "search", "questions")
        ]
        assert len(generated) >= 15
        for page in generated:
            assert words in page.read_text(encoding="utf-8"), page
        for path in (site / edition / "questions").glob("*.pdf"):
            text = " ".join(" ".join(page.extract_text() for page in PdfReader(path).pages).split())
            assert words in text, path


def test_hostile_hospital_addresses_stay_text_in_the_built_letters(minimal_project: Path, tmp_path: Path):
    """A hospital's records address can hold anything its config's author typed: in the built
    letter page (after MkDocs' Markdown) it is text in the form's box and in the printed letter."""
    import yaml

    attack = "</textarea><script>alert(1)</script><img src=x onerror=alert(2)>"
    project = full_project(minimal_project)
    config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    config["extra"]["organization"] = {"name": "Northfield", "records_address": f"Records Office\n{attack}"}
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    site = build_site(project / "mkdocs.yml", tmp_path / "site")
    html = (site / "letters" / "medical-records" / "index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html and "<img src=x" not in html and "</textarea><script>" not in html
    assert html.count("&lt;/textarea&gt;&lt;script&gt;alert(1)&lt;/script&gt;") == 2  # the box and the letter
