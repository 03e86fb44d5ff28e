"""The site's navigation, derived from the content, in the edition's language.

It is the `nav` MkDocs builds the menu from: guides come from data/guides/ in their `order`, sheets
from data/sheets.yml, letters from data/letters.yml, section titles from data/ui.yml by key, and a hospital's own pages join the
sheets or get a section named after it, and any other hand-written page goes under About. So a new guide needs only its YAML file, and no config has
to repeat (and keep in step with) the core's pages. Titles are HTML-escaped here, as Markup:
Material's templates print nav titles as they are, and leave Markup as it is where they escape.
"""

from __future__ import annotations

from markupsafe import escape

from .editions import ordered_guides
from .model import Content, Organization


def navigation(
    content: Content, hand_written: set[str], local_pages: list[str], organization: Organization | None
) -> list:
    """The nav, in mkdocs.yml's form: [{title: page}, {section title: [pages]}, ...]."""
    ui = content.ui

    def title(key: str) -> str:
        return escape(ui[key])

    sheets = ["questions/index.md", *(f"questions/{s.id}.md" for s in content.sheets.values())]
    about: list = ["about.md"] if "about.md" in hand_written else []
    if "hosting.md" in hand_written:
        about.append({title("nav_hosting"): "hosting.md"})
    # Any other hand-written page of the core is about the site too.
    about += sorted(hand_written - {"index.md", "about.md", "hosting.md", *local_pages})
    about.append({title("nav_status"): "content-status.md"})
    nav: list = [
        {title("nav_home"): "index.md"},
        {title("nav_checklist"): "checklist.md"},
        {title("nav_my_questions"): "my-questions.md"},
        {title("nav_guides"): [f"{g.slug}.md" for g in ordered_guides(content) if not g.local]},
        {title("nav_sheets"): sheets},
        {title("nav_letters"): ["letters.md", *(f"letters/{letter}.md" for letter in content.letters.letters)]},
        {title("nav_compare"): "compare.md"},
        {title("nav_plan"): "plan.md"},
        {title("nav_about"): about},
    ]
    own = [page for page in local_pages if not page.startswith("questions/")]
    if own:
        heading = (
            ui["nav_local"].replace("{organization}", organization.name) if organization else ui["nav_local_unnamed"]
        )
        nav.append({escape(heading): own})
    return nav
