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

from . import load, pdf, pipeline, quality, render, translations
from .problems import ContentError, Problem


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m second_opinion", description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("data"), help="the data folder (default: data)")
    parser.add_argument(
        "--config",
        type=Path,
        default=Path("mkdocs.yml"),
        help="the site config, for the site's name, address and paper size (default: mkdocs.yml)",
    )
    parser.add_argument(
        "--local",
        type=Path,
        metavar="DIR",
        help="a hosting organization's local content folder, checked with the core data",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="check all content and print every problem as file:line: message")
    check.add_argument(
        "--today",
        type=datetime.date.fromisoformat,
        metavar="YYYY-MM-DD",
        help="check review dates as on this day (default: today)",
    )
    start = commands.add_parser("translate", help="start a translation: write NAME.LANG.yml files to fill in")
    start.add_argument("language", help="a two-letter language code, like es")
    write = commands.add_parser("write", help="write the generated pages (Markdown) and PDFs into a folder")
    write.add_argument("outdir", type=Path)
    args = parser.parse_args(argv)

    config = yaml.safe_load(args.config.read_text(encoding="utf-8")) if args.config.is_file() else {}
    site = render.Site(
        name=config.get("site_name", "Second Opinion Guide"), today=render.build_date(), url=config.get("site_url")
    )
    today = getattr(args, "today", None) or site.today
    if args.command == "check":
        try:
            content = load.load(args.data, today=today, root=Path.cwd(), local_dir=args.local)
        except ContentError as error:
            return _report(error.problems, [])
        report = quality.check(content, [args.data, *filter(None, [args.local])], today=today, root=Path.cwd())
        errors, warnings = [*report.errors, *report.overdue], list(report.due_soon)
        for language in translations.languages(args.data):
            try:
                edition = translations.translate(content, args.data, language, root=Path.cwd())
            except ContentError as error:
                errors.extend(error.problems)
                continue
            # A translation that lags behind is shown in English, with a notice: a warning, so
            # that an English fix is never held up by its translation.
            warnings.extend(gap.problem(language) for gap in edition.gaps)
            print(
                f"{language}: {edition.translated} of {edition.total} texts translated "
                f"({edition.translated * 100 // edition.total}%), {len(edition.gaps)} shown in English."
            )
        status = _report(errors, warnings)
        if status == 0:
            print(
                f"All content is valid: {len(content.guides)} guides, {len(content.triggers)} triggers, "
                f"{len(content.questions)} questions, {len(content.sheets)} sheets, {len(content.sources)} sources."
            )
        return status
    if args.command == "translate":
        try:
            content = load.load(args.data, today=today, root=Path.cwd())
        except ContentError as error:
            return _report(error.problems, [])
        written = []
        for name, text in translations.skeletons(content, args.language, today=today.isoformat()).items():
            target = args.data / name
            if not target.exists():
                target.write_text(text, encoding="utf-8")
                written.append(str(target))
        print(f"Wrote {len(written)} files to translate (existing files are left alone):", *written, sep="\n  ")
        return 0
    extra = config.get("extra") or {}
    try:
        generated = pipeline.generate(
            args.data,
            site,
            root=Path.cwd(),
            local_dir=args.local,
            paper=pdf.paper(extra.get("paper")),
            language=(config.get("theme") or {}).get("language", "en"),
            pdf_cache=Path(".cache") / "pdf",
        )
    except ContentError as error:
        return _report(error.problems, [])
    except pdf.PdfError as error:
        print(f"{args.config}: {error}", file=sys.stderr)
        return 1
    outputs: list[tuple[str, str | bytes]] = [*generated.pages.items(), *generated.files.items()]
    for path, data in outputs:
        target = args.outdir / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    print(
        f"Wrote {len(generated.pages)} pages and {len(generated.files)} PDFs to {args.outdir}. "
        "Copy docs/ beside them to build a whole site."
    )
    return 0


def _report(errors: list[Problem], warnings: list[Problem] | tuple[Problem, ...]) -> int:
    """Print errors, then warnings; the exit status is 1 if there is any error."""
    annotate = os.environ.get("GITHUB_ACTIONS") == "true"
    for problem in errors:
        print(problem.github_annotation() if annotate else problem)
    for problem in warnings:
        # A warning annotation is the error annotation with its other command word.
        print(
            problem.github_annotation().replace("::error ", "::warning ", 1)
            if annotate
            else dataclasses.replace(problem, message=f"warning: {problem.message}")
        )
    if errors or warnings:
        print(
            f"{_count(len(errors), 'problem')} and {_count(len(warnings), 'warning')} found."
            + (" Fix the problems before you open a pull request." if errors else ""),
            file=sys.stderr,
        )
    return 1 if errors else 0


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'s' if number != 1 else ''}"


if __name__ == "__main__":
    sys.exit(main())
