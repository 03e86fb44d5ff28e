"""Command line: `python -m second_opinion check` and `python -m second_opinion write OUTDIR`.

Run from the project root with PYTHONPATH=hooks (the Makefile sets it).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import yaml

from . import load, render
from .problems import ContentError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m second_opinion", description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("data"), help="the data folder (default: data)")
    parser.add_argument("--config", type=Path, default=Path("mkdocs.yml"),
                        help="the site config, for the site's name and address (default: mkdocs.yml)")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("check", help="check all content and print every problem as file:line: message")
    write = commands.add_parser("write", help="write the generated pages as Markdown files into a folder")
    write.add_argument("outdir", type=Path)
    args = parser.parse_args(argv)

    site = _site(args.config)
    try:
        content = load.load(args.data, today=site.today, root=Path.cwd())
    except ContentError as error:
        annotate = os.environ.get("GITHUB_ACTIONS") == "true"
        for problem in error.problems:
            print(problem.github_annotation() if annotate else problem)
        print(f"{len(error.problems)} problem{'s' if len(error.problems) != 1 else ''} found.", file=sys.stderr)
        return 1
    if args.command == "check":
        print(f"All content is valid: {len(content.guides)} guides, {len(content.triggers)} triggers, "
              f"{len(content.questions)} questions, {len(content.sheets)} sheets, {len(content.sources)} sources.")
        return 0
    pages = render.pages(content, site)
    for path, text in pages.items():
        target = args.outdir / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    print(f"Wrote {len(pages)} pages to {args.outdir}. Copy docs/ beside them to build a whole site.")
    return 0


def _site(config_path: Path) -> render.Site:
    config = yaml.safe_load(config_path.read_text(encoding="utf-8")) if config_path.is_file() else {}
    return render.Site(name=config.get("site_name", "Second Opinion Guide"), today=render.build_date(),
                       url=config.get("site_url"))


if __name__ == "__main__":
    sys.exit(main())
