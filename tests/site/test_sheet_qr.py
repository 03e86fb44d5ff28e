"""Site level: the QR code on every printed sheet leads back to that sheet's web page. Read back as
a phone would, from pictures of the paper: each PDF's last page drawn by pdftoppm, and a sheet
page printed by Chromium, decoded by zbarimg. A copy with no site_url has nothing to point at, so
its sheets carry no code."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from pypdf import PdfReader

from second_opinion.settings import load_config
from support import ROOT, pdf_page_image, qr_codes, serve

HOSPITAL_URL = load_config(ROOT / "examples" / "northfield" / "mkdocs.yml")["site_url"]


def _sheet_pdfs(site: Path) -> list[Path]:
    return sorted((site / "questions").glob("*.pdf"))


def test_every_pdf_has_a_code_that_opens_its_sheet_online(hospital_site: Path, tmp_path: Path):
    pdfs = _sheet_pdfs(hospital_site)
    assert len(pdfs) >= 10  # every sheet, core and local, on the site's paper and in large print
    for pdf in pdfs:
        sheet = pdf.stem.removesuffix("-large-print")
        last = len(PdfReader(pdf).pages)
        image = pdf_page_image(pdf, last, tmp_path / f"{pdf.stem}.png")
        address = f"{HOSPITAL_URL}questions/{sheet}/"
        assert qr_codes(image) == [address], pdf.name
        # Spelled out too, for whoever has no phone (wrapped where the line ends).
        assert address in "".join(PdfReader(pdf).pages[-1].extract_text().split()), pdf.name


def test_a_sheet_printed_from_its_page_has_the_same_code(hospital_site: Path, browser, tmp_path: Path):
    context = browser.new_context()
    tab = context.new_page()
    try:
        with serve(hospital_site) as url:
            tab.goto(url + "questions/insurer/")
            assert not tab.locator(".sog-qr").is_visible()  # on screen the page is the address
            tab.emulate_media(media="print")
            tab.pdf(path=str(tmp_path / "insurer.pdf"), format="Letter")
    finally:
        context.close()
    pdf = tmp_path / "insurer.pdf"
    image = pdf_page_image(pdf, len(PdfReader(pdf).pages), tmp_path / "insurer.png")
    assert qr_codes(image) == [f"{HOSPITAL_URL}questions/insurer/"]


def test_a_copy_without_an_address_prints_no_code(site: Path, tmp_path: Path):
    page = (site / "questions" / "insurer" / "index.html").read_text(encoding="utf-8")
    assert 'class="sog-qr"' not in page
    pdf = site / "questions" / "insurer.pdf"
    assert qr_codes(pdf_page_image(pdf, len(PdfReader(pdf).pages), tmp_path / "insurer.png")) == []


def test_the_vendored_qr_encoder_is_the_pinned_release_unchanged():
    """docs/assets/vendor/lean-qr/lean-qr.js is lean-qr 2.7.4's index.js between two wrapper lines;
    its header records the file's sha256, checked here, so an edit cannot slip in."""
    text = (ROOT / "docs" / "assets" / "vendor" / "lean-qr" / "lean-qr.js").read_text(encoding="utf-8")
    recorded = re.search(r"sha256 ([0-9a-f]{64})", text).group(1)
    body = text.split("var exports = {};\n", 1)[1].rsplit("\nreturn exports;\n", 1)[0]
    assert hashlib.sha256(body.encode("utf-8")).hexdigest() == recorded
    assert (ROOT / "docs" / "assets" / "vendor" / "lean-qr" / "LICENSE.txt").read_text().startswith("MIT License")
