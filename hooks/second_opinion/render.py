"""Pure render functions: content model -> Markdown pages (path -> text) for any builder.

Templates live in templates/ and hold only loops and conditionals; everything they show is
computed here. They are rendered in templating's autoescaping environment.
"""

from __future__ import annotations

import collections
import dataclasses
import datetime
import itertools
import posixpath
from collections.abc import Callable, Mapping, Sequence

from markupsafe import Markup

from . import forms, local, outcomes, qr, quality, readability
from .model import (
    ClinicalReview,
    Comparison,
    Content,
    Download,
    Guide,
    Letter,
    Outcome,
    Plan,
    Question,
    Review,
    Sheet,
    Trigger,
    tel_link,
)
from .problems import Problem
from .settings import Settings
from .templating import render_template

Downloads = Mapping[str, Sequence[Download]]  # a sheet's id -> its PDFs

# The checklist's "Read next" names at most this many guides, the most relevant first.
READ_NEXT = 3
# For "It takes about N minutes": reading a statement and deciding takes about this long.
SECONDS_PER_STATEMENT = 15


@dataclasses.dataclass(frozen=True)
class ReviewStatus:
    """What a page or sheet says about its review: when it was last updated, and the clinicians
    whose review covers all of it (none: clinical review is pending)."""

    updated: datetime.date
    reviewers: tuple[ClinicalReview, ...]


def review_status(*reviews: Review) -> ReviewStatus:
    """The status of content made of several parts (a sheet: its questions and its layout)."""
    signed = [review.clinical for review in reviews if review.clinical]
    covered = len(signed) == len(reviews)
    return ReviewStatus(max(r.reviewed for r in reviews), tuple(dict.fromkeys(signed)) if covered else ())


def guide_pages(content: Content, site: Settings) -> dict[str, str]:
    """Every guide's page, keyed by its path under docs/ (e.g. "timing.md")."""
    return {f"{slug}.md": guide_page(content, guide, site) for slug, guide in content.guides.items()}


def site_pages(content: Content, site: Settings, downloads: Downloads, status: str) -> dict[str, str]:
    """The other generated pages: the checklist, the question sheets, the letters, the worksheet
    and the plan, and the status page given.

    `downloads` are the sheets' PDFs, rendered before any page so pages can state their size and
    page count; without them the sheet pages link no PDF.
    """
    return {
        "checklist.md": checklist_page(content, site),
        "my-questions.md": my_questions_page(content, site),
        **sheet_pages(content, site, downloads),
        **form_pages(content, site),
        "content-status.md": status,
    }


def form_pages(content: Content, site: Settings) -> dict[str, str]:
    """The pages a person fills in: the letters and their index, the comparison worksheet and
    the dated plan."""
    # letters.md, not letters/index.md, though both are /letters/: a menu section whose first page
    # is an index gets an empty label, and two such sections (with the question sheets) would be
    # two navigation landmarks with the same (empty) name.
    result = {"letters.md": letter_index_page(content)}
    for letter in content.letters.letters.values():
        result[f"letters/{letter.id}.md"] = letter_page(content, letter, site)
    result["compare.md"] = compare_page(content, site)
    result["plan.md"] = plan_page(content, site)
    return result


def letter_index_page(content: Content) -> str:
    keys = [("letter", letter) for letter in content.letters.letters]
    return render_template(
        "letter_index.md.j2",
        content=content,
        missing=_untranslated(content, keys),
        status=review_status(content.letters.review),
    )


def letter_page(content: Content, letter: Letter, site: Settings) -> str:
    """A letter's form, the letter as it prints, and where to send it. A hospital's copy starts
    the letter addressed to its own department, from extra.organization."""
    fields = content.letters.fields
    organization = site.organization
    values = {
        name: value
        for name in letter.fields
        if organization and (prefill := fields[name].prefill) and (value := getattr(organization, prefill))
    }
    return render_template(
        "letter.md.j2",
        content=content,
        site=site,
        letter=letter,
        sender=forms.SENDER,
        values=values,
        missing=_untranslated(content, [("letter", letter.id), *(("field", name) for name in letter.fields)]),
        status=review_status(content.letters.review),
    )


def compare_page(content: Content, site: Settings) -> str:
    worksheet = content.comparison
    keys = [
        *(("column", f.id) for f in worksheet.columns),
        *(("row", f.id) for f in worksheet.rows),
        *(("value", f.id) for f in worksheet.values),
    ]
    return render_template(
        "compare.md.j2",
        content=content,
        site=site,
        missing=_untranslated(content, keys),
        status=review_status(worksheet.review),
    )


def plan_page(content: Content, site: Settings) -> str:
    plan = content.plan
    keys = [
        *(("input", name) for name in plan.inputs),
        *(("step", step.id) for step in plan.steps),
        *(("warning", name) for name in plan.warnings),
    ]
    return render_template(
        "plan.md.j2",
        content=content,
        site=site,
        missing=_untranslated(content, keys),
        status=review_status(plan.review),
    )


def sheet_pages(content: Content, site: Settings, downloads: Downloads) -> dict[str, str]:
    """The index of question sheets and one page per sheet, each linking its sheet's PDFs."""
    result = {"questions/index.md": sheet_index_page(content, downloads)}
    for sheet in content.sheets.values():
        result[f"questions/{sheet.id}.md"] = sheet_page(content, sheet, site, downloads.get(sheet.id, ()))
    return result


def guide_page(content: Content, guide: Guide, site: Settings) -> str:
    keys = [("guide", guide.slug)]
    if any(section.include == "triggers" for section in guide.sections):
        keys += [("topic", t) for t in content.topics] + [("trigger", t) for t in content.triggers]
    return render_template(
        "guide.md.j2",
        content=content,
        guide=guide,
        missing=_untranslated(content, keys),
        overdue=guide.review.overdue(site.today),
        status=review_status(guide.review),
    )


def checklist_page(content: Content, site: Settings) -> str:
    """The checklist form, plus the texts its script clones, rendered here so they are escaped."""
    triggers = content.triggers.values()
    linked_questions = {qid for trigger in triggers for qid in trigger.questions}
    guided: list[Trigger | Outcome] = [*triggers, *content.outcomes.values()]
    linked_guides = {slug for item in guided for slug in item.guides}
    keys = [
        *(("topic", t) for t in content.topics),
        *(("trigger", t) for t in content.triggers),
        *(("question", q) for q in content.questions),
        *(("audience", a) for a in content.audiences),
        *(("outcome", o) for o in content.outcomes),
    ]
    return render_template(
        "checklist.md.j2",
        content=content,
        site=site,
        link=site.link,
        data=checklist_data(content),
        missing=_untranslated(content, keys),
        # The checklist is its triggers; its personal sheet prints their questions.
        status=review_status(content.trigger_review, content.question_review),
        questions=[q for q in content.questions.values() if q.id in linked_questions],
        guides=[g for g in content.guides.values() if g.slug in linked_guides],
        minutes=max(1, round(len(content.triggers) * SECONDS_PER_STATEMENT / 60)),
        help_line=help_line(content, site),
    )


# How much a person's own list may hold, here and in any link to it: my-questions.js refuses a
# link that asks for more, so a changed or made-up link cannot make the page do unbounded work.
MY_QUESTIONS_LIMITS = {
    "items": 50,  # questions in the list
    "own": 10,  # of which the person's own
    "ownLength": 200,  # characters in one own question
    "top": 3,  # marked "most important", the card's questions
    "fragment": 4096,  # characters after the # of a link
    "json": 16384,  # bytes of the list once a link is decoded
}


def my_questions_page(content: Content, site: Settings) -> str:
    """The person's own question list: the statements of the checklist, every question by
    audience, and the texts its script clones; everything the script needs but no text."""
    keys = [
        *(("topic", t) for t in content.topics),
        *(("trigger", t) for t in content.triggers),
        *(("question", q) for q in content.questions),
        *(("audience", a) for a in content.audiences),
    ]
    data = {
        "triggers": {t.id: list(t.questions) for t in content.triggers.values()},
        "questions": list(content.questions),
        "limits": MY_QUESTIONS_LIMITS,
    }
    return render_template(
        "my_questions.md.j2",
        content=content,
        site=site,
        link=site.link,
        data=data,
        limits=MY_QUESTIONS_LIMITS,
        missing=_untranslated(content, keys),
        status=review_status(content.trigger_review, content.question_review),
    )


def sheet_index_page(content: Content, downloads: Downloads) -> str:
    return render_template(
        "sheet_index.md.j2",
        content=content,
        downloads=downloads,
        missing=_untranslated(content, [("sheet", sheet) for sheet in content.sheets]),
    )


def sheet_page(content: Content, sheet: Sheet, site: Settings, downloads: Sequence[Download] = ()) -> str:
    keys = [("sheet", sheet.id), *(("question", q) for q in sheet.question_ids)]
    return render_template(
        "sheet.md.j2",
        content=content,
        sheet=sheet,
        site=site,
        downloads=downloads,
        **sheet_address(sheet, site),
        missing=_untranslated(content, keys),
        status=review_status(content.question_review, content.sheet_review),
        logo=_logo(site, f"questions/{sheet.id}.md"),
        colours=local.colours(site.local_dir),
    )


def _logo(site: Settings, page: str) -> dict | None:
    """The copy's logo for the printed header of `page`: its address relative to the page, as
    MkDocs would write it (links in raw HTML are not rewritten)."""
    if not site.logo or not site.local_dir:
        return None
    asset = site.logo.relative_to(site.local_dir / "docs").as_posix()
    stem = page.removesuffix(".md")
    folder = stem if site.directory_urls else posixpath.dirname(stem)
    return {"src": posixpath.relpath(asset, folder or "."), "version": None}


def sheet_address(sheet: Sheet, site: Settings) -> dict:
    """A sheet's web address and its QR code, for the foot of the sheet on paper (its page printed,
    its PDFs); none when the copy has no site_url to point at."""
    address = site.address(f"questions/{sheet.id}.md")
    return {"address": address, "code": qr.svg(address) if address else None}


def status_page(content: Content, site: Settings, readings: Sequence[quality.Reading]) -> str:
    """The page for reviewers: every guide, trigger and question (in the source language, whatever
    the edition) with its sources, reading level and review."""
    grades = {(reading.kind, reading.id): f"{reading.score:.1f}" for reading in readings}

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
            "clinical": _clinical(g.review),
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
            "clinical": _clinical(content.trigger_review),
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
            "clinical": _clinical(content.question_review),
            "state": state(content.question_review),
            "rows": [
                {"id": q.id, "text": q.text, "grade": grades[("question", q.id)], "sources": q.sources}
                for q in content.questions.values()
            ],
        },
        *_fill_in_groups(content, grades, state),
    ]
    items: list[Guide | Trigger | Question | Letter | Comparison | Plan] = [
        *content.guides.values(),
        *content.triggers.values(),
        *content.questions.values(),
        *content.letters.letters.values(),
        content.comparison,
        content.plan,
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
            "(each guide; all triggers, questions, letters; the worksheet; the plan)."
            for label in ("Overdue", "Due soon")
            if counts[label]
        ),
    ]
    return render_template(
        "status.md.j2",
        today=site.today,
        guide_limit=f"{readability.FORMULAS[content.language].guide_limit:g}",
        item_limit=f"{readability.FORMULAS[content.language].item_limit:g}",
        due_soon_days=quality.DUE_SOON_DAYS,
        summary=summary,
        guides=guides,
        groups=groups,
        sources=sources,
    )


def _fill_in_groups(
    content: Content, grades: Mapping[tuple[str, str], str], state: Callable[[Review], str]
) -> list[dict]:
    """The status page's groups for the letters, the worksheet and the plan: one review each."""
    worksheet, plan = content.comparison, content.plan
    return [
        {
            "title": title,
            "noun": noun,
            "file": file,
            "review": review,
            "clinical": _clinical(review),
            "state": state(review),
            "rows": rows,
        }
        for title, noun, file, review, rows in [
            (
                "Letters",
                "letters",
                "data/letters.yml",
                content.letters.review,
                [
                    {"id": x.id, "text": x.title, "grade": grades[("letter", x.id)], "sources": x.sources}
                    for x in content.letters.letters.values()
                ],
            ),
            (
                "Comparison worksheet",
                "rows and questions",
                "data/compare.yml",
                worksheet.review,
                [
                    {"id": x.id, "text": x.label, "grade": grades[(kind, x.id)], "sources": worksheet.sources}
                    for kind, items in (("row", worksheet.rows), ("value", worksheet.values))
                    for x in items
                ],
            ),
            (
                "Dated plan",
                "steps",
                "data/plan.yml",
                plan.review,
                [
                    {"id": x.id, "text": x.title, "grade": grades[("step", x.id)], "sources": plan.sources}
                    for x in plan.steps
                ],
            ),
        ]
    ]


def footer(content: Content, site: Settings) -> str:
    """The organization's contacts and the feedback link, for the foot of every page (HTML)."""
    return render_template("footer.html.j2", content=content, site=site, help_line=help_line(content, site)).strip()


def _clinical(review: Review) -> str:
    """A review's clinical status, for the status page (English, like the rest of it)."""
    signed = review.clinical
    return f"by {signed.signature} on {signed.date}" if signed else "pending"


def untranslated_page_notice(content: Content) -> str:
    """For a hand-written page a translated edition shows in English."""
    return render_template("translation_notice.md.j2", content=content, missing=True)


def _untranslated(content: Content, keys: Sequence[tuple[str, str]]) -> bool:
    return any(key in content.untranslated for key in keys)


def problem_notice(problems: Sequence[Problem]) -> str:
    """A box for the top of every page of a local preview (`mkdocs serve`) while content has problems."""
    # The problems go into a code block, where Markdown shows every character as typed.
    return render_template("problem_notice.md.j2", problems=[Markup(str(problem)) for problem in problems])


def checklist_data(content: Content) -> dict:
    """How triggers, outcomes, questions and audiences relate, for the checklist script (each
    question's audience is on its template). No text: every word the script shows comes from the
    page's <template> elements, escaped at build time.

    Each trigger carries the outcome it brings (outcomes.brings), so the script's whole rule is to
    pick the earliest of them in `outcomes`, the last (none) when nothing is ticked."""
    order = list(content.outcomes)
    return {
        "outcomes": order,
        "outcomeGuides": {o.id: list(o.guides) for o in content.outcomes.values() if o.guides},
        "triggers": {
            t.id: {
                "strength": t.strength,
                "outcome": outcomes.brings(t.strength, t.outcome, order),
                "questions": list(t.questions),
                "guides": list(t.guides),
            }
            for t in content.triggers.values()
        },
        "audiences": list(content.audiences),
        "readNext": READ_NEXT,
    }


@dataclasses.dataclass(frozen=True)
class HelpContact:
    name: str
    phone: str
    link: str  # tel:


@dataclasses.dataclass(frozen=True)
class HelpGroup:
    country: str | None  # None: the hosting organization
    contacts: tuple[HelpContact, ...]


def help_line(content: Content, site: Settings) -> tuple[HelpGroup, ...]:
    """Who to call for "Need to talk to someone now?" (the checklist's result and every page's
    footer): the hosting organization when it gives a number, or else the helplines by country."""
    organization = site.organization
    if organization and organization.phone:
        return (HelpGroup(None, (HelpContact(organization.name, organization.phone, tel_link(organization.phone)),)),)
    return tuple(
        HelpGroup(country, tuple(HelpContact(h.name, h.phone, h.phone_link) for h in helplines))
        for country, helplines in itertools.groupby(content.helplines.values(), key=lambda h: h.country)
    )
