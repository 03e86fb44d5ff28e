"""The Jinja environment every template is rendered in, and its filters: escaping in one place.

The environment autoescapes, so text from YAML can never become markup: plain text is
HTML-escaped wherever it lands (and Markdown-escaped in Markdown, `plain`), Markdown fields keep
their Markdown but lose any HTML (`md`; markup.py checks what their Markdown may make), addresses
in Markdown links cannot end their link (`md_url`), text in CSS is a CSS string (`css_string`), and
data for scripts is embedded as escaped JSON. A filter that returns Markup says why it may.
"""

from __future__ import annotations

import datetime
import json
import urllib.parse
from pathlib import Path
from typing import Any

import babel.dates
import babel.lists
import jinja2
import markdown as markdown_lib
from markupsafe import Markup, escape

from . import forms, markup
from .model import Download, Organization

TEMPLATES = Path(__file__).parent / "templates"


def plain(text: str) -> Markup:
    """A plain-text field in a Markdown page: on one line, every character shown as typed (no
    Markdown, no HTML), whatever the line is (a heading, a list item, a link's text)."""
    return Markup(markup.plain_markdown(text))


def md_url(url: str) -> Markup:
    """An address for a Markdown link's (...): brackets, quotes and spaces percent-encoded, so
    that `)` or `[` in it can never end the link and start another."""
    return Markup(escape(urllib.parse.quote(url, safe="-._~:/?#@!$&*+,;=%")))


def css_string(text: str) -> Markup:
    """Text as a CSS string: every character but letters, digits, spaces and plain punctuation
    written as a hex escape, so nothing in it can end the string, the rule or the <style>."""
    return Markup('"' + "".join(c if c.isalnum() or c in " .,:;!?-" else f"\\{ord(c):06x}" for c in text) + '"')


@jinja2.pass_context
def download_label(context: jinja2.runtime.Context, download: Download) -> Markup:
    """What a download link says, so nobody fetches a big file blind: "PDF (Letter, 2 pages, 41 KB)"."""
    ui = context["ui"]
    pages = ui["page_one"] if download.pages == 1 else fill(ui["page_other"], count=download.pages)
    return fill(
        ui["download_large_print" if download.large_print else "download_pdf"],
        paper=download.paper,
        pages=pages,
        size=max(1, round(download.size / 1024)),
    )


@jinja2.pass_context
def long_date(context: jinja2.runtime.Context, day: datetime.date) -> str:
    """A date as readers of the page's language write it: November 21, 2026; 21 de noviembre de 2026."""
    content = context.get("content")
    return babel.dates.format_date(day, format="long", locale=content.language if content else "en")


def fill(template: str, **values: object) -> Markup:
    """An interface text with its {placeholders} filled in, all of it escaped but the values that
    are markup already (links made by link_html)."""
    result = str(escape(template))
    for name, value in values.items():
        result = result.replace("{" + name + "}", str(escape(value)))
    return Markup(result)


@jinja2.pass_context
def contact(context: jinja2.runtime.Context, organization: Organization, ui: dict) -> Markup:
    """How to reach the organization, as one sentence of the page's language with a link for each
    way: "To arrange a second opinion, call 555-0100, email ... or visit ..."."""
    ways = []
    if organization.phone:
        ways.append(fill(ui["contact_call"], phone=link_html(organization.phone_link, organization.phone)))
    if organization.email:
        ways.append(fill(ui["contact_email"], email=link_html("mailto:" + organization.email, organization.email)))
    if organization.website:
        ways.append(fill(ui["contact_visit"], website=link_html(organization.website, organization.website)))
    if not ways:
        return Markup("")
    content = context.get("content")
    # The items are escaped already; the list's own words (", ", " or ") are the locale's.
    joined = babel.lists.format_list(
        [str(way) for way in ways], style="or", locale=content.language if content else "en"
    )
    return fill(ui["contact_sentence"], ways=Markup(joined))


@jinja2.pass_context
def reviewed_by(context: jinja2.runtime.Context, status: Any, ui: dict) -> Markup:
    """The clinicians whose review covers a page, with their dates: "Jane Example, RN on ..."."""
    content = context.get("content")
    language = content.language if content else "en"
    names = [
        str(fill(ui["review_by"], reviewer=r.signature, date=long_date(context, r.date))) for r in status.reviewers
    ]
    return Markup(babel.lists.format_list(names, locale=language))


def link_html(href: str | None, text: str, css_class: str | None = None) -> Markup:
    if css_class:
        return Markup('<a class="{}" href="{}">{}</a>').format(css_class, href, text)
    return Markup('<a href="{}">{}</a>').format(href, text)


def markdown_link(target: str, text: str) -> Markup:
    """A link MkDocs resolves and checks: target is a page path under docs/, like timing.md; the
    text shown as typed (`plain`)."""
    return Markup("[{}]({})").format(plain(text), md_url(target))


def markdown_text(text: str) -> Markup:
    """A Markdown field, ready to go into a Markdown page: Markdown kept, HTML shown as typed."""
    return Markup(markup.markdown_source(text))


def markdown_html(text: str) -> Markup:
    """A Markdown field, converted to HTML for places inside raw HTML, where Markdown is not read."""
    return Markup(markdown_lib.markdown(str(markdown_text(text))))


def front_matter(text: str) -> Markup:
    """A value for YAML front matter. MkDocs puts titles into <title> and <meta> unescaped."""
    return Markup(json.dumps(str(escape(text)), ensure_ascii=False))


_environment = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)
_environment.filters.update(
    plain=plain,
    md_url=md_url,
    css_string=css_string,
    long_date=long_date,
    md=markdown_text,
    md_html=markdown_html,
    front_matter=front_matter,
    download_label=download_label,
    contact=contact,
    reviewed_by=reviewed_by,
    fill=fill,
    pieces=forms.pieces,
)
_environment.globals.update(
    link_html=link_html,
    markdown_link=markdown_link,
    count_slot=Markup('<span data-sog-slot="count"></span>'),
    date_slot=Markup('<span data-sog-slot="date"></span>'),
    # A placeholder kept as typed in a text that a page's script fills in (My questions).
    script_slot=lambda name: Markup("{" + name + "}"),
)


def render_template(template: str, **values: Any) -> str:
    """A template of templates/ rendered with `values`; the interface words come with the content."""
    content = values.get("content")
    return _environment.get_template(template).render(ui=content.ui if content else {}, **values)
