"""Command line: `python -m second_opinion check | translate LANG | write OUTDIR`.

Run from the project root with PYTHONPATH=hooks (the Makefile sets it). Each command reads the
site's settings from a config file (--config, default mkdocs.yml; a hospital's copy passes its
own) exactly as the build does. `check` prints every problem as `file:line: field: message` (as
GitHub annotations when GITHUB_ACTIONS=true) and exits 1 if there is any; a review due soon or a
translation that lags behind is a warning and leaves the exit code at 0.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import os
import shutil
import sys
from pathlib import Path

import yaml
from markupsafe import Markup

from . import headers, output, pipeline, settings, translations
from .problems import ContentError, Problem


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m second_opinion", description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, help="the data folder (default: the project's data/)")
    parser.add_argument(
        "--config",
        type=Path,
        default=Path("mkdocs.yml"),
        help="the site's config, as MkDocs builds it: a hospital's copy gives its own (default: mkdocs.yml)",
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
    write = commands.add_parser(
        "write", help="write the site's pages, files and config into a folder, for MkDocs without the hooks"
    )
    write.add_argument("outdir", type=Path)
    args = parser.parse_args(argv)

    try:
        site = _settings(args.config, args.data)
        if args.command == "check":
            return _check(site, args.today or site.today)
        if args.command == "translate":
            return _translate(site, args.language)
        return _write(site, args.config, args.outdir)
    except ContentError as error:
        return _report(error.problems, [])


def _settings(config: Path, data: Path | None) -> settings.Settings:
    """The config's settings; with no config file (a bare data folder), the defaults."""
    if config.is_file():
        return settings.read(config, data_dir=data)
    return settings.Settings(
        name="Second Opinion Guide", today=settings.build_date(), data_dir=(data or Path("data")).resolve()
    )


def _check(site: settings.Settings, today: datetime.date) -> int:
    """The build of every edition, without PDFs, as on `today`: the build's errors and overdue
    reviews are problems; reviews due soon and translations that lag are warnings."""
    site = dataclasses.replace(site, today=today)
    errors: list[Problem] = []
    warnings: list[Problem] = []
    if site.config_file:
        # Each edition's config, as the strict build of each validates it.
        folder = site.config_file.parent
        for config in [site.config_file, *(folder / f"mkdocs.{e.language}.yml" for e in site.editions if e.path)]:
            errors += settings.refused_by_mkdocs(config)
    try:
        build = pipeline.build(site, pdfs=False)
    except ContentError as error:
        overdue, due_soon = error.reviews
        return _report([*errors, *error.problems, *overdue], due_soon)
    errors += build.report.overdue
    warnings += [*build.report.due_soon, *build.report.hard_sentences]
    languages = sorted(
        {*translations.languages(site.local_dir or site.data_dir), *(e.language for e in site.editions)}
        - {settings.SOURCE_LANGUAGE}
    )
    for language in languages:
        try:
            translated = pipeline.build(dataclasses.replace(site, language=language), pdfs=False)
        except ContentError as error:
            errors += error.problems
            continue
        edition = translated.translation
        assert edition is not None  # every edition but the source language's is a translation
        # A translation that lags behind is shown in English, with a notice: a warning, so
        # that an English fix is never held up by its translation.
        warnings += [*(gap.problem(language) for gap in edition.gaps), *translated.report.hard_sentences]
        print(
            f"{language}: {edition.translated} of {edition.total} texts translated "
            f"({edition.translated * 100 // edition.total}%), {len(edition.gaps)} shown in English."
        )
    status = _report(errors, warnings)
    if status == 0:
        content = build.content
        print(
            f"All content is valid: {len(content.guides)} guides, {len(content.triggers)} triggers, "
            f"{len(content.questions)} questions, {len(content.sheets)} sheets, {len(content.sources)} sources."
        )
    return status


def _translate(site: settings.Settings, language: str) -> int:
    content = pipeline.build(site, pdfs=False).content
    written = []
    for name, text in translations.skeletons(content, language, today=site.today.isoformat()).items():
        target = site.data_dir / name
        if not target.exists():
            target.write_text(text, encoding="utf-8")
            written.append(str(target))
    print("Wrote", len(written), "files to translate (existing files are left alone):", *written, sep="\n  ")
    return 0


class _Dumper(yaml.SafeDumper):
    """Writes texts escaped for Material (Markup) as the plain strings they are."""


_Dumper.add_representer(Markup, yaml.representer.SafeRepresenter.represent_str)


def _write(site: settings.Settings, config: Path, outdir: Path) -> int:
    """OUTDIR/docs/ with every page and file of the build, and OUTDIR/mkdocs.yml: the config as
    the hooks leave it (navigation, language switcher, address, styles), without the hooks."""
    made = output.produce(site)
    docs = outdir / "docs"
    outputs: list[tuple[str, str | bytes]] = [*made.pages.items(), *made.files.items()]
    for path, data in outputs:
        target = docs / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    for path, source in made.static.items():
        (docs / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, docs / path)
    values = settings.load_config(config)
    for key in ("hooks", "watch", "nav"):
        values.pop(key, None)
    theme = values.setdefault("theme", {})
    if isinstance(theme, dict) and theme.get("custom_dir"):
        theme["custom_dir"] = os.path.relpath((config.parent / theme["custom_dir"]).resolve(), outdir.resolve())
    values["docs_dir"] = "docs"
    values.setdefault("extra", {})
    output.configure(values, site, made)
    # The Content-Security-Policy the hooks would put in every page (see hooks/headers.py).
    custom_dir = theme.get("custom_dir") if isinstance(theme, dict) else None
    overrides = (outdir / custom_dir).resolve() if custom_dir else None
    pages = headers.built_pages(made.pages, site.directory_urls)
    scripts = headers.own_scripts(
        headers.template_environment(overrides), overrides, values, headers.base_urls(pages, site.url)
    )
    values["extra"]["content_security_policy"] = headers.content_security_policy(scripts, meta=True)
    (outdir / "mkdocs.yml").write_text(
        yaml.dump(values, Dumper=_Dumper, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    print(
        f"Wrote {len(made.pages)} pages and {len(made.files) + len(made.static)} files to {docs}, and {outdir / 'mkdocs.yml'}."
    )
    return 0


def _report(errors: list[Problem], warnings: list[Problem]) -> int:
    """Print errors, then warnings; the exit status is 1 if there is any error."""
    annotate = os.environ.get("GITHUB_ACTIONS") == "true"
    for problem in sorted(set(errors)):
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
            f"{_count(len(set(errors)), 'problem')} and {_count(len(warnings), 'warning')} found."
            + (" Fix the problems before you open a pull request." if errors else ""),
            file=sys.stderr,
        )
    return 1 if errors else 0


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'s' if number != 1 else ''}"


if __name__ == "__main__":
    sys.exit(main())
