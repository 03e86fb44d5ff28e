"""Render level: a hospital copy's header on its printed sheets (the PDFs' HTML and the sheet
pages): logo, name and contact, in the copy's own colour only where it reads on white."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest
from markupsafe import Markup

from second_opinion import load, local, pdf, render
from second_opinion.model import Organization
from second_opinion.settings import Settings
from support import ROOT, TODAY

NORTHFIELD = ROOT / "examples" / "northfield" / "local"
ORGANIZATION = Organization(name="Riverside Cancer Center", phone="555-0199", address="1 River Road")


@pytest.fixture
def content(minimal_project: Path):
    return load.load(minimal_project / "data", today=TODAY, root=minimal_project)


def _copy(tmp_path: Path, colour: str | None) -> Settings:
    """A hospital's settings whose local/docs/ has Northfield's logo and, if given, this primary colour."""
    local_dir = tmp_path / "local"
    shutil.copytree(NORTHFIELD / "docs", local_dir / "docs")
    css = local_dir / "docs" / "assets" / "northfield" / "colors.css"
    css.write_text(f":root {{ --md-primary-fg-color: {colour}; }}\n" if colour else "", encoding="utf-8")
    return Settings(
        name="Riverside Guide",
        today=TODAY,
        organization=ORGANIZATION,
        local_dir=local_dir,
        logo=local_dir / "docs" / "assets" / "northfield" / "logo.svg",
    )


def _pdf_html(content, site: Settings) -> str:
    return pdf.sheet_html(content, content.sheets["insurer"], site, large_print=False, stylesheet=Markup(""))


def test_the_header_names_the_organization_with_its_logo_and_contact(content, tmp_path):
    site = _copy(tmp_path, "#0b5e55")
    html = _pdf_html(content, site)
    header = html[html.index('<div class="sog-sheet-header') : html.index("<h1>")]
    assert f'src="{site.logo.as_uri()}" alt="Riverside Cancer Center" data-version="' in header
    assert '<p class="sog-sheet-header__name">Riverside Cancer Center</p>' in header
    assert 'To arrange a second opinion, call <a href="tel:5550199">555-0199</a>.' in header
    assert '<p class="sog-sheet-header__address">1 River Road</p>' in header
    # Said once, at the top: the foot of the sheet no longer repeats it.
    assert "Riverside Cancer Center" not in html[html.index("<h1>") :]


def test_the_copys_colour_is_used_only_where_it_reads_on_white(content, tmp_path):
    teal = _pdf_html(content, _copy(tmp_path / "teal", "#0b5e55"))
    assert 'class="sog-sheet-header sog-sheet-header--own-colour"' in teal
    assert ".sog-sheet-header--own-colour .sog-sheet-header__name { color: #0b5e55; }" in teal
    assert "sog-sheet-header__logo sog-sheet-header__logo--on-colour" in teal
    # Yellow on white is 1.2:1, so the name stays black; and the white logo would not show on
    # yellow (1.2:1, under the 3:1 a graphic needs), so it gets no yellow backdrop.
    yellow = _pdf_html(content, _copy(tmp_path / "yellow", "#ffeb3b"))
    assert 'class="sog-sheet-header"' in yellow and "--own-colour" not in yellow.split("</style>")[1]
    assert "sog-sheet-header__logo--on-colour" not in yellow.split("</style>")[1]
    none = _pdf_html(content, _copy(tmp_path / "none", None))
    assert "--own-colour" not in none and "{ color: #" not in none


def test_contrast_follows_wcag():
    assert local.contrast("#000000", "#ffffff") == pytest.approx(21)
    assert local.contrast("#0b5e55", "#ffffff") == pytest.approx(7.65, abs=0.01)
    assert local.Colours("#767676", "#ffffff").for_text  # 4.54:1, the lightest grey that passes
    assert not local.Colours("#777777", "#ffffff").for_text  # 4.48:1


def test_the_sheet_page_prints_the_header_with_the_logo_relative_to_the_page(content, tmp_path):
    site = _copy(tmp_path, "#0b5e55")
    page = render.sheet_page(content, content.sheets["insurer"], site)
    assert (
        '<img class="sog-sheet-header__logo sog-sheet-header__logo--on-colour" src="../../assets/northfield/logo.svg" alt="Riverside Cancer Center">'
        in page
    )
    files = render.sheet_page(content, content.sheets["insurer"], dataclasses.replace(site, directory_urls=False))
    assert 'src="../assets/northfield/logo.svg"' in files


def test_the_public_edition_has_no_header(content):
    site = Settings(name="Second Opinion Guide", today=TODAY)
    assert "sog-sheet-header" not in _pdf_html(content, site)
    assert "sog-sheet-header" not in render.sheet_page(content, content.sheets["insurer"], site)
