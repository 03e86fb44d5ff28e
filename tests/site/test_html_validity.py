"""Site level: the Nu Html Checker finds no error in any built page. Warnings are allowed.

The checker is the current vnu.jar from the npm package vnu-jar, pinned in tests/package.json and
installed by `make test` (npm ci, without its install script, which would download a Java runtime);
it runs with the machine's Java.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

from support import ROOT, html_pages

VNU = ROOT / "tests" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

# Errors in Material's own base template (base.html, outside any block a theme can override: only
# a copy of the whole template could change it), each with the reason it is harmless.
ACCEPTED = [
    # The hidden checkboxes that open Material's drawer and search carry autocomplete="off", so that
    # Firefox does not restore them open on reload. Browsers ignore what they do not use.
    re.compile(r"^Attribute “autocomplete” is only allowed when the input type is"),
]


def _errors(pages: list[Path]) -> list[dict]:
    run = subprocess.run(
        ["java", "-jar", str(VNU), "--format", "json", "--errors-only", *map(str, pages)],
        capture_output=True,
        text=True,
    )
    # vnu exits 1 when it finds errors; its report goes to stderr either way.
    assert run.returncode in (0, 1), run.stderr
    return [
        message
        for message in json.loads(run.stderr)["messages"]
        if message["type"] != "info" and not any(rule.search(message["message"]) for rule in ACCEPTED)
    ]


def test_every_page_is_valid_html(site: Path):
    errors = [
        f"{Path(e['url'].removeprefix('file:')).relative_to(site)}:{e.get('lastLine')}: {e['message']}"
        for e in _errors(html_pages(site))
    ]
    assert not errors
