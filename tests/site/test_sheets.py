"""Question sheets on paper: printed from the browser, and as the PDFs the build makes.

Browser printing is checked in Chromium on Letter and A4 (pages, every question on one page, no
site chrome); the built PDFs are opened with pypdf (text, pages, metadata, large print, paper size);
the PDF module is checked alone for reproducibility and for the files it may read. Axe runs on the
sheet pages with every other page in test_accessibility.py.
"""

from __future__ import annotations

import datetime
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from second_opinion import load, pdf
from second_opinion.settings import Settings, build_date, load_config
from support import ROOT, build_site

POINTS = {"Letter": (612, 792), "A4": (595, 842)}


@pytest.fixture(scope="module")
def content():
    return load.load(ROOT / "data", today=build_date(), root=ROOT)


# Three pages: a sheet has up to 14 questions, and each takes about 35 mm at 12 pt with three lines
# 8.5 mm apart to write on (what patient materials use), so two pages no longer hold one.
MOST_PAGES = 3


@pytest.mark.parametrize("paper", ["Letter", "A4"])
def test_each_sheet_prints_from_the_browser_on_three_pages_at_most(site_url, page, content, tmp_path, paper):
    for sheet in content.sheets.values():
        # Material's header, search, navigation, table of contents and footer, and the download links.
        chrome = [
            "Table of contents",
            "Initializing search",
            "Back to top",
            "About this guide",
            "Download",
            *(other.title for other in content.sheets.values() if other != sheet),
        ]
        page.goto(f"{site_url}questions/{sheet.id}/")
        page.emulate_media(media="print")
        printed = tmp_path / f"{sheet.id}.pdf"
        page.pdf(path=str(printed), format=paper)
        pages = [_words(_pdftotext(printed, n)) for n in range(1, len(PdfReader(printed).pages) + 1)]
        assert len(pages) <= MOST_PAGES, sheet.id
        # Each question whole on one page: a question split across pages is found on neither.
        split = [qid for qid in sheet.question_ids if not any(_words(content.questions[qid].text) in p for p in pages)]
        assert not split, (sheet.id, split)
        text = " ".join(pages)
        assert _words(sheet.title) in text and "your name" in text and "clinical review pending" in text
        assert not [words for words in chrome if f" {_words(words)} " in f" {text} "], sheet.id


def test_built_pdfs_hold_every_question_with_metadata(site, content):
    for sheet in content.sheets.values():
        for name, most_pages in [(f"{sheet.id}.pdf", MOST_PAGES), (f"{sheet.id}-large-print.pdf", 6)]:
            reader = PdfReader(site / "questions" / name)
            text = _words(" ".join(p.extract_text() for p in reader.pages))
            assert [_words(content.questions[qid].text) in text for qid in sheet.question_ids] == [True] * len(
                sheet.question_ids
            ), name
            assert 1 <= len(reader.pages) <= most_pages, name
            assert reader.metadata.title == sheet.title
            assert reader.metadata.author == "Second Opinion Guide"
            assert reader.trailer["/Root"]["/Lang"] == "en"
            assert "/StructTreeRoot" in reader.trailer["/Root"], "tagged for screen readers"
            assert [round(float(v)) for v in reader.pages[0].mediabox[2:]] == list(POINTS["Letter"])


def test_sheet_pages_and_index_link_their_pdfs_with_pages_and_size(site, content):
    index = (site / "questions" / "index.html").read_text(encoding="utf-8")
    for sheet in content.sheets.values():
        html = (site / "questions" / sheet.id / "index.html").read_text(encoding="utf-8")
        for name, kind in [(f"{sheet.id}.pdf", "PDF"), (f"{sheet.id}-large-print.pdf", "large-print PDF")]:
            built = site / "questions" / name
            pages, size = len(PdfReader(built).pages), max(1, round(built.stat().st_size / 1024))
            label = f"Download {kind} (Letter, {pages} page{'s' if pages != 1 else ''}, {size} KB)"
            assert f'<a href="../{name}">{label}</a>' in html
            assert f'<a href="{name}">{label}' in index


def test_large_print_pdf_uses_16_point_text_or_larger(site):
    assert _smallest_text(site / "questions" / "insurer-large-print.pdf") >= 16 - 0.01


def test_pdfs_and_browser_prints_use_12_point_text_or_larger(site, site_url, page, content, tmp_path):
    for sheet in content.sheets.values():
        assert _smallest_text(site / "questions" / f"{sheet.id}.pdf") >= 12 - 0.01, sheet.id
        page.goto(f"{site_url}questions/{sheet.id}/")
        page.emulate_media(media="print")
        page.pdf(path=str(tmp_path / "printed.pdf"), format="Letter")
        assert _smallest_text(tmp_path / "printed.pdf") >= 12 - 0.01, sheet.id


def test_printed_sheets_have_three_lines_8_to_9_mm_apart_for_each_answer(site_url, page):
    page.goto(f"{site_url}questions/current-doctor/")
    page.emulate_media(media="print")
    # The lines are the bottom borders of the answer box's spans (sheet_parts.html.j2).
    gaps = page.evaluate("""() => [...document.querySelectorAll('.sog-answer-lines')].map((box) => {
      const mm = (px) => px * 25.4 / 96;
      const lines = [...box.children].filter((line) => parseFloat(getComputedStyle(line).borderBottomWidth) > 0)
        .map((line) => line.getBoundingClientRect().bottom);
      return [lines.length, Math.min(...lines.slice(1).map((y, i) => mm(y - lines[i]))), Math.max(...lines.slice(1).map((y, i) => mm(y - lines[i])))];
    })""")
    assert gaps and all(count == 3 and least >= 8 and most <= 9 for count, least, most in gaps), gaps


def test_tick_boxes_and_lines_to_write_on_show_on_paper_only(site_url, page):
    page.goto(f"{site_url}questions/insurer/")
    shown = """() => ['.sog-tick', '.sog-sheet-blanks', '.sog-answer-lines']
      .map((s) => [...document.querySelectorAll('.sog-sheet ' + s)].some((el) => el.getClientRects().length > 0))"""
    assert page.evaluate(shown) == [False, False, False]
    page.emulate_media(media="print")
    assert page.evaluate(shown) == [True, True, True]


def _smallest_text(path: Path) -> float:
    """The smallest size, in points, of any text drawn in the PDF."""
    sizes = []

    def visit(text, cm, tm, font, font_size):
        if text.strip():
            sizes.append(font_size * abs(tm[3]) * abs(cm[3]))

    for page in PdfReader(path).pages:
        page.extract_text(visitor_text=visit)
    assert sizes, path
    return min(sizes)


def test_two_renders_with_the_same_source_date_epoch_are_identical(tmp_path):
    # Separate processes with different hash seeds: same-process renders would hide set-order effects.
    script = (
        "import sys; from pathlib import Path; from markupsafe import Markup; from second_opinion import load, pdf; "
        "from second_opinion.settings import Settings, build_date, load_config; "
        "c = load.load(Path('data'), today=build_date(), root=Path('.')); "
        "site = Settings(name='Second Opinion Guide', today=build_date(), paper='a4'); "
        "html = pdf.sheet_html(c, c.sheets['insurer'], site, large_print=False, "
        "stylesheet=Markup(pdf.STYLESHEET.read_text())); "
        "sys.stdout.buffer.write(pdf.render_pdf(html)[0])"
    )
    runs = [
        subprocess.run(
            [sys.executable, "-c", script],
            cwd=ROOT,
            capture_output=True,
            check=True,
            env={
                "PYTHONPATH": str(ROOT / "hooks"),
                "SOURCE_DATE_EPOCH": "1800000000",
                "PYTHONHASHSEED": seed,
                "PATH": "/usr/bin:/bin",
            },
        ).stdout
        for seed in ("1", "2")
    ]
    assert runs[0] == runs[1]
    (tmp_path / "sheet.pdf").write_bytes(runs[0])
    created = datetime.datetime.fromtimestamp(1800000000, datetime.UTC)
    assert PdfReader(tmp_path / "sheet.pdf").metadata["/CreationDate"].startswith(f"D:{created:%Y%m%d%H%M%S}")


def test_the_url_fetcher_allows_only_the_package_files(tmp_path):
    fetcher = pdf.OwnFilesFetcher(pdf.PACKAGE)
    assert fetcher.fetch(pdf.STYLESHEET.as_uri()).read().startswith(b"/*")
    outside = tmp_path / "secret.txt"
    outside.write_text("secret", encoding="utf-8")
    for url in [
        "https://example.com/logo.png",
        "http://127.0.0.1/x.css",
        outside.as_uri(),
        (pdf.PACKAGE / ".." / ".." / "mkdocs.yml").as_uri(),
        "data:text/css,body{}",
    ]:
        with pytest.raises(pdf.PdfError, match="PDFs may use only the files in"):
            fetcher.fetch(url)
    with pytest.raises(pdf.PdfError, match="secret.txt"):
        pdf.render_pdf(f'<html><body><img src="{outside.as_uri()}" alt=""></body></html>')


def test_the_url_fetcher_allows_a_copys_local_docs_and_nothing_beside_them(tmp_path):
    """A hospital's logo is read from its local/docs/; its data files beside them are not."""
    docs = tmp_path / "local" / "docs"
    (docs / "assets").mkdir(parents=True)
    (docs / "assets" / "logo.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>", encoding="utf-8")
    (tmp_path / "local" / "questions.yml").write_text("questions: []", encoding="utf-8")
    fetcher = pdf.OwnFilesFetcher(pdf.PACKAGE, docs)
    assert fetcher.fetch((docs / "assets" / "logo.svg").as_uri()).read().startswith(b"<svg")
    for outside in [tmp_path / "local" / "questions.yml", docs / ".." / "questions.yml"]:
        with pytest.raises(pdf.PdfError, match="PDFs may use only the files in"):
            fetcher.fetch(outside.as_uri())


def test_extra_paper_a4_gives_a4_pages(tmp_path):
    site = build_site(_config(tmp_path, paper="a4"), tmp_path / "site")
    for name in ["insurer.pdf", "insurer-large-print.pdf"]:
        page = PdfReader(site / "questions" / name).pages[0]
        assert [round(float(v)) for v in page.mediabox[2:]] == list(POINTS["A4"])
    assert "Download PDF (A4, " in (site / "questions" / "insurer" / "index.html").read_text(encoding="utf-8")


def test_a_bad_paper_value_stops_the_build_with_a_clear_message(tmp_path, caplog):
    from mkdocs.exceptions import Abort

    with pytest.raises(Abort):
        build_site(_config(tmp_path, paper="legal"), tmp_path / "site")
    assert re.search(r"mkdocs.yml:\d+: extra.paper: this must be one of letter, a4 .* not 'legal'", caplog.text)
    assert not (tmp_path / "site").exists()


def _config(folder: Path, *, paper: str) -> Path:
    """The shipped config with another paper size, built from the shipped docs and data."""
    config = load_config(ROOT / "mkdocs.yml")
    config["extra"]["paper"] = paper
    config["docs_dir"] = str(ROOT / "docs")
    config["watch"] = [str(ROOT / "data")]
    config["theme"]["custom_dir"] = str(ROOT / "overrides")
    config["hooks"] = [str(ROOT / hook) for hook in config["hooks"]]
    path = folder / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    return path


def _pdftotext(path: Path, page: int) -> str:
    return subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def _words(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def test_an_edited_pdf_stylesheet_applies_at_the_next_build(tmp_path, monkeypatch, content):
    """`mkdocs serve` rebuilds in one process: the PDF stylesheet is read for each build, not once."""
    stylesheet = tmp_path / "sheet_pdf.css"
    stylesheet.write_text(pdf.STYLESHEET.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr(pdf, "STYLESHEET", stylesheet)
    site = Settings(name="Second Opinion Guide", today=build_date())
    before = pdf.sheet_pdfs(content, site)[0]
    stylesheet.write_text(stylesheet.read_text(encoding="utf-8") + "\nhtml { font-size: 30pt; }\n", encoding="utf-8")
    after = pdf.sheet_pdfs(content, site)[0]
    assert after.download.pages > before.download.pages


def test_built_pdfs_structure_tree_reaches_all_content_and_has_no_empty_elements(site):
    """Read with pikepdf (qpdf), not WeasyPrint: every piece of marked content on a page is either
    reached from the structure tree or an artifact (the running footer), and no structure element
    is empty (tick boxes and writing lines are drawings, not content)."""
    import pikepdf

    for path in sorted((site / "questions").glob("*.pdf")):
        with pikepdf.open(path) as pdf:
            tagged, empty = _structure(pdf.Root.StructTreeRoot)
            assert not empty, (path.name, empty)
            for number, page in enumerate(pdf.pages):
                marked, artifacts = _marked_content(page)
                assert marked == tagged.get(page.obj.objgen, set()), (path.name, number)
                assert artifacts, (path.name, number)  # the footer, at least
                text = {op for _, op in pikepdf.parse_content_stream(page) if str(op) in ("Tj", "TJ")}
                assert text, (path.name, number)


def _structure(root) -> tuple[dict, list[str]]:
    """{page: MCIDs the structure tree reaches} and the structure elements that hold nothing."""
    import pikepdf

    tagged: dict = {}
    empty: list[str] = []

    def visit(node, page) -> bool:
        if isinstance(node, pikepdf.Array):
            return any([visit(kid, page) for kid in node])
        if isinstance(node, int):
            tagged.setdefault(page.objgen, set()).add(int(node))
            return True
        if node.get("/Type") == "/OBJR":
            return True
        if "/MCID" in node:  # a marked-content reference
            tagged.setdefault(node.get("/Pg", page).objgen, set()).add(int(node.MCID))
            return True
        kids = node.get("/K")
        holds = kids is not None and visit(kids, node.get("/Pg", page))
        if not holds and node.get("/Type") != "/StructTreeRoot":
            empty.append(str(node.get("/S")))
        return holds

    visit(root, None)
    return tagged, empty


def _marked_content(page) -> tuple[set[int], int]:
    """The MCIDs of a page's marked content, and how many of its sequences are artifacts."""
    import pikepdf

    mcids, artifacts = set(), 0
    for operands, operator in pikepdf.parse_content_stream(page):
        if str(operator) in ("BDC", "BMC"):
            if str(operands[0]) == "/Artifact":
                artifacts += 1
            elif len(operands) > 1 and isinstance(operands[1], pikepdf.Dictionary) and "/MCID" in operands[1]:
                mcids.add(int(operands[1].MCID))
    return mcids, artifacts
