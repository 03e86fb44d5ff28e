"""The benchmark: `make benchmark` prints a table of figures. It asserts nothing about time.

Rows: build time of the real site (median of a few runs); our hooks' overhead against a plain MkDocs
build of the same generated pages written out as Markdown; page weights (gzip, first view, as the
page-weight test counts them); build time for 1x, 10x and 100x synthetic content with the growth
ratio; the content gates on hostile sizes (hard prose, a run of '['); PDF time per sheet; Lighthouse
performance and accessibility for the home page, the checklist and one sheet (npm's lighthouse,
installed here with `npm ci` if missing); and, in a section of its own, the checklist's length as
a reader meets it (counts).
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import logging
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(ROOT / "hooks"), str(ROOT / "tests")]
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

RUNS = 3
SCALES = [1, 10, 100]
LIGHTHOUSE_PAGES = {"home": "", "checklist": "checklist/", "sheet": "questions/current-doctor/"}
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-background-networking"


def build_seconds(config: Path, runs: int = RUNS) -> float:
    """Median wall time of an in-process `mkdocs build` (not strict: synthetic pages are not in nav)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    times = []
    with tempfile.TemporaryDirectory() as out:
        for _ in range(runs):
            start = time.perf_counter()
            with contextlib.redirect_stdout(io.StringIO()):
                build(load_config(str(config), site_dir=out))
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def plain_project(workdir: Path) -> Path:
    """The same site written out by `python -m second_opinion write` (pages, files and the config
    the hooks would make), built with no hooks: MkDocs alone."""
    subprocess.run(
        [sys.executable, "-m", "second_opinion", "write", str(workdir)],
        cwd=ROOT,
        check=True,
        env={**os.environ, "PYTHONPATH": str(ROOT / "hooks")},
        stdout=subprocess.DEVNULL,
    )
    return workdir / "mkdocs.yml"


def synthetic_project(workdir: Path, scale: int) -> Path:
    """A copy of the project whose triggers, questions, sheets and guides are repeated `scale` times.

    Copy n renames every id with the suffix -xn, points its references at the renamed ids and marks
    its titles and texts, so the content stays valid against the schemas and the cross-checks.
    """
    for name in ("docs", "overrides", "hooks"):
        shutil.copytree(ROOT / name, workdir / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "data", workdir / "data")
    data = workdir / "data"
    guides = {path.stem: _read(path) for path in sorted((ROOT / "data" / "guides").glob("*.yml"))}
    triggers, questions, sheets = (_read(ROOT / "data" / f"{n}.yml") for n in ("triggers", "questions", "sheets"))
    originals = {
        "triggers": list(triggers["triggers"]),
        "questions": list(questions["questions"]),
        "sheets": list(sheets["sheets"]),
    }
    for n in range(1, scale):
        suffix = f"-x{n}"
        triggers["triggers"] += [
            _renamed(t, suffix, ("questions", "guides"), ("label",)) for t in originals["triggers"]
        ]
        questions["questions"] += [_renamed(q, suffix, (), ("text",)) for q in originals["questions"]]
        for sheet in originals["sheets"]:
            copied = _renamed(sheet, suffix, (), ("title",))
            for section in copied["sections"]:
                section["questions"] = [q + suffix for q in section["questions"]]
            sheets["sheets"].append(copied)
        for slug, guide in guides.items():
            copied = copy.deepcopy(guide)
            copied["title"] = f"{guide['title']} ({n})"
            # One page lists every trigger; copies of it that did too would grow as n squared,
            # which no real content does.
            copied["sections"] = [section for section in copied["sections"] if "include" not in section]
            _write(data / "guides" / f"{slug}{suffix}.yml", copied)
    for name, document in (("triggers", triggers), ("questions", questions), ("sheets", sheets)):
        _write(data / f"{name}.yml", document)
    shutil.copy(ROOT / "mkdocs.yml", workdir / "mkdocs.yml")
    return workdir / "mkdocs.yml"


def _renamed(item: dict, suffix: str, references: tuple[str, ...], texts: tuple[str, ...]) -> dict:
    copied = copy.deepcopy(item)
    copied["id"] += suffix
    for key in references:
        if key in copied:
            copied[key] = [ref + suffix for ref in copied[key]]
    for key in texts:
        copied[key] = f"{copied[key]} ({suffix[2:]})"
    return copied


class _NoAliases(yaml.SafeDumper):
    def ignore_aliases(self, data) -> bool:
        return True  # the project's strict loader rejects YAML aliases


def _read(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _write(path: Path, document: dict) -> None:
    path.write_text(
        yaml.dump(document, Dumper=_NoAliases, sort_keys=False, allow_unicode=True, width=100), encoding="utf-8"
    )


def site_weights(site: Path) -> tuple[dict[str, int], int, int, int]:
    from test_page_weight import SEARCH_INDEX, own_total, page_weights, transferred

    from support import launch_chromium, serve

    with serve(site) as url, launch_chromium() as browser:
        weights = page_weights(browser, site, url)
    assets = ROOT / "docs" / "assets"
    return (
        weights,
        own_total(assets / "javascripts"),
        own_total(assets / "stylesheets"),
        transferred(site / SEARCH_INDEX),
    )


def checklist_figures(site: Path) -> dict[str, float]:
    """Words before the first checkbox, Tab stops inside the form, screens to the result at 320 px."""
    from support import checklist_figures as measure
    from support import launch_chromium, serve

    with serve(site) as url, launch_chromium() as browser:
        return measure(browser.new_page(), url + "checklist/")


def lighthouse(site: Path) -> dict[str, tuple[int, int]]:
    """{page: (performance, accessibility)} scores out of 100. `make benchmark` installs Lighthouse
    (benchmarks/package-lock.json) first."""
    from support import chromium_executable, serve

    chrome_path = chromium_executable()  # the tests' browser
    scores = {}
    with serve(site, compress=True) as url:  # as a web server sends it (gzip)
        for name, page in LIGHTHOUSE_PAGES.items():
            result = subprocess.run(
                [
                    str(HERE / "node_modules" / ".bin" / "lighthouse"),
                    url + page,
                    "--output=json",
                    "--quiet",
                    "--only-categories=performance,accessibility",
                    f"--chrome-flags={CHROME_FLAGS}",
                ],
                env={**os.environ, "CHROME_PATH": chrome_path},
                capture_output=True,
                text=True,
                check=True,
            )
            categories = json.loads(result.stdout)["categories"]
            scores[name] = (
                round(categories["performance"]["score"] * 100),
                round(categories["accessibility"]["score"] * 100),
            )
    return scores


def pdf_seconds_per_sheet() -> str:
    """WeasyPrint's time per sheet with no cache, as a cold build pays it (benchmarks/sheet_pdfs.py)."""
    from sheet_pdfs import sheet_pdf_seconds

    with contextlib.redirect_stdout(io.StringIO()):
        seconds = sheet_pdf_seconds()
    regular = [s for name, s in seconds.items() if not name.endswith("-large-print")]
    large = [s for name, s in seconds.items() if name.endswith("-large-print")]
    return (
        f"{statistics.mean(regular) * 1000:.0f} ms (large print {statistics.mean(large) * 1000:.0f} ms), "
        f"mean of {len(regular)} sheets"
    )


def gate_seconds(sentences: int) -> float:
    """The reading-level gate on one guide of hard prose, `sentences` long (all different, as the
    gate's cache would otherwise answer): grading it and finding its hardest sentences."""
    from second_opinion import quality, readability

    formula = readability.formula("en")
    assert formula is not None
    texts = [
        f"Consultation number {n} necessitates comprehensive multidisciplinary histopathological reevaluation."
        for n in range(sentences)
    ]
    start = time.perf_counter()
    found = tuple(quality.Sentence(("body",), text, readability.counts(text, "en")) for text in texts)
    total = sum((s.counts for s in found), readability.Counts())
    quality.Reading("guide", "hard", found, formula, formula.score(total), 8.0).hardest()
    return time.perf_counter() - start


def brackets_seconds(count: int) -> float:
    """Refusing a Markdown field that is a run of `count` '[' (Markdown's parser is quadratic in them)."""
    from second_opinion import markup

    start = time.perf_counter()
    assert markup.markdown_problem("[" * count)
    return time.perf_counter() - start


def main() -> int:
    rows: list[tuple[str, str]] = []
    failed: list[str] = []

    def row(name: str, value: str) -> None:
        rows.append((name, value))
        print(f"{name:<48} {value}", flush=True)

    real = build_seconds(ROOT / "mkdocs.yml")
    row("build, real site (median of 3)", f"{real:.2f} s")
    with tempfile.TemporaryDirectory() as workdir:
        plain = build_seconds(plain_project(Path(workdir)))
    row("build, same pages as Markdown, no hooks", f"{plain:.2f} s")
    row("hook overhead", f"{real - plain:+.2f} s ({(real / plain - 1) * 100:+.0f}%)")

    row("PDF time per sheet", pdf_seconds_per_sheet())
    gate_seconds(10)  # loads the syllable dictionary, which the first build pays once
    small, large = gate_seconds(1_000), gate_seconds(10_000)
    row("reading gate, 1,000 hard sentences", f"{small:.2f} s")
    row("reading gate, 10,000 (10 would be linear)", f"{large:.2f} s ({large / small:.1f}x)")
    row("refusing a field of 5,000 '[' (its size limit)", f"{brackets_seconds(5_000) * 1000:.1f} ms")

    with tempfile.TemporaryDirectory() as out:
        from support import build_site

        site = build_site(ROOT / "mkdocs.yml", Path(out) / "site")
        weights, js, css, index = site_weights(site)
        for page, weight in sorted(weights.items()):
            row(f"first view gzip: {page}", f"{weight / 1000:.1f} KB")
        row("first view gzip: heaviest page", f"{max(weights.values()) / 1000:.1f} KB (budget 100)")
        row("own JavaScript, gzip", f"{js / 1000:.1f} KB (budget 10)")
        row("own CSS, gzip", f"{css / 1000:.1f} KB (budget 10)")
        row("search index, gzip (fetched once per visit)", f"{index / 1000:.1f} KB (budget 50)")
        checklist = checklist_figures(site)
        try:
            for page, (performance, accessibility) in lighthouse(site).items():
                row(f"Lighthouse {page}: performance / accessibility", f"{performance} / {accessibility}")
        except (subprocess.CalledProcessError, OSError) as error:
            # The other figures are still worth printing; the exit status says the run failed.
            row("Lighthouse", f"failed: {error}")
            failed.append(f"Lighthouse: {error}\n{getattr(error, 'stderr', '') or ''}".strip())

    timings = {}
    for scale in SCALES:
        with tempfile.TemporaryDirectory() as workdir:
            config = synthetic_project(Path(workdir), scale)
            # Every scale is timed the same way: after one untimed build has filled the PDF cache,
            # as in `mkdocs serve` and on any machine that built before. (A cold build adds the
            # PDF time per sheet above for each sheet, which grows linearly by construction.)
            build_seconds(config, runs=1)
            timings[scale] = build_seconds(config, runs=1 if scale == 100 else RUNS)
        row(f"build, {scale}x synthetic content", f"{timings[scale]:.2f} s")
    row("growth 1x -> 100x (100 would be linear)", f"{timings[100] / timings[1]:.1f}x")
    for failure in failed:
        print(f"\nFAILED: {failure}", file=sys.stderr)
    return 1 if failed else 0

    from support import CHECKLIST_BUDGETS

    print("\n-- The checklist as a reader meets it: counts, not times (budgets: tests/support.py)")
    for name, value in checklist.items():
        row(f"checklist: {name}", f"{value:g} (budget {CHECKLIST_BUDGETS[name]:g})")


if __name__ == "__main__":
    sys.exit(main())
