"""Pure render functions: content model -> Markdown pages (path -> text) for any builder.

Templates live in templates/ and hold only loops and conditionals; everything they show is
computed here. The Jinja environment autoescapes, so text from YAML can never become markup:
plain text is HTML-escaped wherever it lands, Markdown fields keep their Markdown but lose any
HTML, and data for scripts is embedded as escaped JSON.
"""

from __future__ import annotations

import collections
import dataclasses
import datetime
import json
import os
import posixpath
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import babel.dates
import jinja2
import markdown as markdown_lib
from markupsafe import Markup, escape

from . import quality
from .model import Content, Download, Guide, Organization, Question, Review, Sheet, Trigger
from .problems import Problem

TEMPLATES = Path(__file__).parent / "templates"

Downloads = Mapping[str, Sequence[Download]]  # a sheet's id -> its PDFs


@dataclasses.dataclass(frozen=True)
class Site:
    """Facts about the build that pages show but content does not hold."""

    name: str
    today: datetime.date
    url: str | None = None  # the public address, printed on sheets when known
    organization: Organization | None = None  # who hosts this copy; None: the public edition
    directory_urls: bool = True  # pages at name/ (a web server) or name.html (a copy opened from disk)

    def link(self, from_page: str, to_page: str) -> str:
        """The relative URL from one page to another (paths under docs/), as MkDocs writes links.

        Links inside raw HTML are not rewritten by MkDocs, so templates that write them use this."""

        def url(page: str) -> str:
            stem = page.removesuffix(".md")
            if not self.directory_urls:
                return stem + ".html"
            return stem.removesuffix("index") if stem == "index" or stem.endswith("/index") else stem + "/"

        base = url(from_page).rsplit("/", 1)[0] if "/" in url(from_page) else ""
        target = url(to_page)
        relative = posixpath.relpath(target or ".", base or ".")
        return relative + "/" if target.endswith("/") or not target else relative


def pages(content: Content, site: Site, downloads: Downloads | None = None) -> dict[str, str]:
    """Every generated page, keyed by its path under docs/ (e.g. "timing.md").

    `downloads` are the sheets' PDFs, rendered before any page so pages can state their size and
    page count; without them the sheet pages link no PDF.
    """
    result = {f"{slug}.md": guide_page(content, guide, site) for slug, guide in content.guides.items()}
    result["checklist.md"] = checklist_page(content, site)
    result.update(sheet_pages(content, site, downloads or {}))
    result["content-status.md"] = status_page(content, site)
    return result


def sheet_pages(content: Content, site: Site, downloads: Downloads) -> dict[str, str]:
    """The index of question sheets and one page per sheet, each linking its sheet's PDFs."""
    result = {"questions/index.md": sheet_index_page(content, downloads)}
    for sheet in content.sheets.values():
        result[f"questions/{sheet.id}.md"] = sheet_page(content, sheet, site, downloads.get(sheet.id, ()))
    return result


def guide_page(content: Content, guide: Guide, site: Site) -> str:
    keys = [("guide", guide.slug)]
    if any(section.include == "triggers" for section in guide.sections):
        keys += [("topic", t) for t in content.topics] + [("trigger", t) for t in content.triggers]
    return render_template(
        "guide.md.j2",
        content=content,
        guide=guide,
        missing=_untranslated(content, keys),
        overdue=guide.review.overdue(site.today),
    )


def checklist_page(content: Content, site: Site) -> str:
    """The checklist form, plus the texts its script clones, rendered here so they are escaped."""
    triggers = content.triggers.values()
    linked_questions = {qid for trigger in triggers for qid in trigger.questions}
    linked_guides = {slug for trigger in triggers for slug in trigger.guides}
    keys = [
        *(("topic", t) for t in content.topics),
        *(("trigger", t) for t in content.triggers),
        *(("question", q) for q in content.questions),
        *(("audience", a) for a in content.audiences),
    ]
    return render_template(
        "checklist.md.j2",
        content=content,
        site=site,
        link=site.link,
        data=checklist_data(content),
        missing=_untranslated(content, keys),
        reviewed=content.sheet_review_date(),
        questions=[q for q in content.questions.values() if q.id in linked_questions],
        guides=[g for g in content.guides.values() if g.slug in linked_guides],
    )


def sheet_index_page(content: Content, downloads: Downloads) -> str:
    return render_template(
        "sheet_index.md.j2",
        content=content,
        downloads=downloads,
        missing=_untranslated(content, [("sheet", sheet) for sheet in content.sheets]),
    )


def sheet_page(content: Content, sheet: Sheet, site: Site, downloads: Sequence[Download] = ()) -> str:
    keys = [("sheet", sheet.id), *(("question", q) for q in sheet.question_ids)]
    return render_template(
        "sheet.md.j2",
        content=content,
        sheet=sheet,
        site=site,
        downloads=downloads,
        missing=_untranslated(content, keys),
        reviewed=content.sheet_review_date(),
    )


def status_page(content: Content, site: Site) -> str:
    """The page for reviewers: every guide, trigger and question with its sources, grade and review."""
    grades = {(reading.kind, reading.id): f"{reading.grade:.1f}" for reading in quality.readings(content)}

    def state(review: Review) -> str:
        return quality.review_state(review, site.today).capitalize()

    guides = [
        {
            "slug": g.slug,
            "title": g.title,
            "state": state(g.review),
            "reviewed": g.review.reviewed,
            "next_review": g.review.next_review,
            "reviewer": g.review.reviewer,
            "grade": grades[("guide", g.slug)],
            "sources": g.sources,
        }
        for g in content.guides.values()
    ]
    groups = [
        {
            "title": "Triggers",
            "noun": "triggers",
            "file": "data/triggers.yml",
            "review": content.trigger_review,
            "state": state(content.trigger_review),
            "rows": [
                {"id": t.id, "text": t.label, "grade": grades[("trigger", t.id)], "sources": t.sources}
                for t in content.triggers.values()
            ],
        },
        {
            "title": "Questions",
            "noun": "questions",
            "file": "data/questions.yml",
            "review": content.question_review,
            "state": state(content.question_review),
            "rows": [
                {"id": q.id, "text": q.text, "grade": grades[("question", q.id)], "sources": q.sources}
                for q in content.questions.values()
            ],
        },
    ]
    items: list[Guide | Trigger | Question] = [
        *content.guides.values(),
        *content.triggers.values(),
        *content.questions.values(),
    ]
    cited = collections.Counter(source for item in items for source in item.sources)
    sources = [
        {"id": s.id, "title": s.title, "url": s.url, "publisher": s.publisher, "cited": cited[s.id]}
        for s in content.sources.values()
    ]
    counts = collections.Counter(row["state"] for row in [*guides, *groups])
    summary = [
        f"{len(content.guides)} guides, {len(content.triggers)} triggers, "
        f"{len(content.questions)} questions, {len(content.sources)} sources.",
        *(
            f"{label}: {counts[label]} of {len(guides) + len(groups)} reviews "
            "(each guide, all triggers, all questions)."
            for label in ("Overdue", "Due soon")
            if counts[label]
        ),
    ]
    return render_template(
        "status.md.j2",
        today=site.today,
        guide_limit=f"{quality.GUIDE_GRADE_LIMIT:g}",
        item_limit=f"{quality.ITEM_GRADE_LIMIT:g}",
        due_soon_days=quality.DUE_SOON_DAYS,
        summary=summary,
        guides=guides,
        groups=groups,
        sources=sources,
    )


def untranslated_page_notice(content: Content) -> str:
    """For a hand-written page a translated edition shows in English."""
    return render_template("translation_notice.md.j2", content=content, missing=True)


def _untranslated(content: Content, keys: Sequence[tuple[str, str]]) -> bool:
    return any(key in content.untranslated for key in keys)


def problem_notice(problems: Sequence[Problem]) -> str:
    """A box for the top of every page of a local preview (`mkdocs serve`) while content has problems."""
    # The problems go into a code block, where Markdown shows every character as typed.
    return render_template("problem_notice.md.j2", problems=[Markup(str(problem)) for problem in problems])


def one_line(text: str) -> Markup:
    """Plain text for one line of Markdown (a list item): escaped, its line breaks joined."""
    return escape(" ".join(text.split()))


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


def checklist_data(content: Content) -> dict:
    """How triggers, questions and audiences relate, for the checklist script. No text: every
    word the script shows comes from the page's <template> elements, escaped by this module."""
    return {
        "triggers": {
            t.id: {"strength": t.strength, "questions": list(t.questions), "guides": list(t.guides)}
            for t in content.triggers.values()
        },
        "questions": {q.id: q.audience for q in content.questions.values()},
        "audiences": list(content.audiences),
    }


def build_date() -> datetime.date:
    """Today, or the day SOURCE_DATE_EPOCH names, so a rebuild of a commit is identical."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return datetime.datetime.fromtimestamp(int(epoch), datetime.UTC).date()
    return datetime.date.today()


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


def link_html(href: str, text: str) -> Markup:
    return Markup('<a href="{}">{}</a>').format(href, text)


def markdown_link(target: str, text: str) -> Markup:
    """A link MkDocs resolves and checks: target is a page path under docs/, like timing.md."""
    return Markup("[{}]({})").format(text, target)


def markdown_text(text: str) -> Markup:
    """A Markdown field, ready to go into a Markdown page: Markdown kept, HTML shown as typed."""
    return Markup(text.replace("&", "&amp;").replace("<", "&lt;"))


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
    one_line=one_line,
    long_date=long_date,
    md=markdown_text,
    md_html=markdown_html,
    front_matter=front_matter,
    download_label=download_label,
    fill=fill,
)
_environment.globals.update(
    link_html=link_html, markdown_link=markdown_link, count_slot=Markup('<span data-sog-slot="count"></span>')
)


def render_template(template: str, **values: Any) -> str:
    """A template of templates/ rendered with `values`; the interface words come with the content."""
    content = values.get("content")
    return _environment.get_template(template).render(ui=content.ui if content else {}, **values)
