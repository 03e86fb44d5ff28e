"""Command line: `python -m second_opinion check` and `python -m second_opinion write OUTDIR`.

Run from the project root with PYTHONPATH=hooks (the Makefile sets it). `check` prints every
problem as `file:line: field: message` (as GitHub annotations when GITHUB_ACTIONS=true) and exits
1 if there is any; a review due soon is a warning and leaves the exit code at 0.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import os
import sys
from pathlib import Path

import yaml

from . import load, quality, render
from .problems import ContentError, Problem


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m second_opinion", description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("data"), help="the data folder (default: data)")
    parser.add_argument("--config", type=Path, default=Path("mkdocs.yml"),
                        help="the site config, for the site's name and address (default: mkdocs.yml)")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="check all content and print every problem as file:line: message")
    check.add_argument("--today", type=datetime.date.fromisoformat, metavar="YYYY-MM-DD",
                       help="check review dates as on this day (default: today)")
    write = commands.add_parser("write", help="write the generated pages as Markdown files into a folder")
    write.add_argument("outdir", type=Path)
    args = parser.parse_args(argv)

    site = _site(args.config)
    today = getattr(args, "today", None) or site.today
    try:
        content = load.load(args.data, today=today, root=Path.cwd())
    except ContentError as error:
        return _report(error.problems, [])
    if args.command == "check":
        report = quality.check(content, [args.data], today=today, root=Path.cwd())
        status = _report([*report.errors, *report.overdue], report.due_soon)
        if status == 0:
            print(f"All content is valid: {len(content.guides)} guides, {len(content.triggers)} triggers, "
                  f"{len(content.questions)} questions, {len(content.sheets)} sheets, {len(content.sources)} sources.")
        return status
    pages = render.pages(content, site)
    for path, text in pages.items():
        target = args.outdir / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    print(f"Wrote {len(pages)} pages to {args.outdir}. Copy docs/ beside them to build a whole site.")
    return 0


def _report(errors: list[Problem], warnings: list[Problem] | tuple[Problem, ...]) -> int:
    """Print errors, then warnings; the exit status is 1 if there is any error."""
    annotate = os.environ.get("GITHUB_ACTIONS") == "true"
    for problem in errors:
        print(problem.github_annotation() if annotate else problem)
    for problem in warnings:
        # A warning annotation is the error annotation with its other command word.
        print(problem.github_annotation().replace("::error ", "::warning ", 1) if annotate
              else dataclasses.replace(problem, message=f"warning: {problem.message}"))
    if errors or warnings:
        print(f"{_count(len(errors), 'problem')} and {_count(len(warnings), 'warning')} found."
              + (" Fix the problems before you open a pull request." if errors else ""), file=sys.stderr)
    return 1 if errors else 0


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'s' if number != 1 else ''}"


def _site(config_path: Path) -> render.Site:
    config = yaml.safe_load(config_path.read_text(encoding="utf-8")) if config_path.is_file() else {}
    return render.Site(name=config.get("site_name", "Second Opinion Guide"), today=render.build_date(),
                       url=config.get("site_url"))


if __name__ == "__main__":
    sys.exit(main())
