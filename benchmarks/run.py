"""The benchmark: `make benchmark` prints a table of figures and exits non-zero when a step fails.
It asserts nothing about time: figures go to the README by hand, with the machine's load.

Build time is measured as people feel it, whole processes: `mkdocs build` with our hooks against
plain MkDocs building the same pages (written out by `python -m second_opinion write`), at 1x, 10x
and 100x content, each plain build at the same scale; both run alternately (A B A B ...) so a
change in the machine's load hits both alike, and the median of RUNS is reported, wall time and
CPU time (user + system, the steadier figure on a busy machine). Then: every edition as `make site`
builds them, with a warm and with a cold PDF cache (cold PDFs render in parallel); a build after
one guide was edited (the stored output of output.py cannot be used, so the whole pipeline runs);
`mkdocs serve`'s delay from saving a guide's data file to serving its rebuilt page, next to plain
MkDocs serving the same pages after the same edit to the page itself; and the in-process build
time, PDF time per sheet, the content gates on hostile sizes (hard prose, a run of '['), page
weights, Lighthouse scores and, in a section of its own, the checklist's length as a reader meets
it (counts).
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import logging
import os
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(ROOT / "hooks"), str(ROOT / "tests"), str(ROOT / "tests" / "browser")]
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
# The processes timed: each project's own hooks/ come first on PYTHONPATH (MkDocs loads hook files
# by path), and SOURCE_DATE_EPOCH is left as the caller set it.
ENV = {**os.environ, "PYTHONPATH": "hooks"}

RUNS = 5  # whole-process runs of each command, alternated; the median is reported
IN_PROCESS_RUNS = 3
SCALES = [1, 10, 100]
MKDOCS = str(Path(sys.executable).parent / "mkdocs")
# The serve latency: how long after saving a file the rebuilt page is served, and how long to wait.
SERVE_EDITS = 5
SERVE_TIMEOUT = 120
LIGHTHOUSE_PAGES = {"home": "", "checklist": "checklist/", "sheet": "questions/current-doctor/"}
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-background-networking"


def build_seconds(config: Path, runs: int = IN_PROCESS_RUNS) -> float:
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


def plain_project(workdir: Path, config: Path = ROOT / "mkdocs.yml") -> Path:
    """The same site written out by `python -m second_opinion write` (pages, files and the config
    the hooks would make) from `config` and the hooks beside it, built with no hooks: MkDocs alone."""
    project = config.parent
    subprocess.run(
        [sys.executable, "-m", "second_opinion", "--config", str(config), "write", str(workdir)],
        cwd=project,
        check=True,
        env={**os.environ, "PYTHONPATH": str(project / "hooks")},
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
    # The English guides: a copy of a translation (timing.es.yml) would name a language es-x1.
    guides = {
        path.stem: _read(path) for path in sorted((ROOT / "data" / "guides").glob("*.yml")) if "." not in path.stem
    }
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
    for config in [ROOT / "mkdocs.yml", *sorted(ROOT.glob("mkdocs.??.yml"))]:
        shutil.copy(config, workdir / config.name)
    # One file per kind holds every trigger and question: at 100x, questions.yml is 1.7 MB, over
    # the 1 MB a data file may have (a guard against hostile input, 45 times the largest shipped
    # file). The copy's own hooks allow what its size needs; the project's are not touched.
    largest = max(path.stat().st_size for path in data.rglob("*.yml"))
    reader = workdir / "hooks" / "second_opinion" / "yamlfile.py"
    code, limit = reader.read_text(encoding="utf-8"), "SIZE_LIMIT = 1_000_000"
    if limit not in code:
        raise RuntimeError(f"{reader} no longer says {limit!r}: update synthetic_project")
    reader.write_text(code.replace(limit, f"SIZE_LIMIT = {max(largest, 1_000_000)}"), encoding="utf-8")
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
    """Each page's first view (gzip bytes), the most of our own JavaScript and of our own CSS any
    page loads on first view (the budgets are per page: tests/browser/test_page_weight.py), and
    the search index."""
    from test_page_weight import SEARCH_INDEX, first_views, own, transferred

    from support import launch_chromium, serve

    with serve(site) as url, launch_chromium() as browser:
        views = first_views(browser, site, url)
    return (
        {page: sum(files.values()) for page, files in views.items()},
        max(own(files, "javascripts") for files in views.values()),
        max(own(files, "stylesheets") for files in views.values()),
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


def editions(project: Path) -> list[Path]:
    """Every edition's config, as `make site` builds them: mkdocs.yml, then each translation."""
    return [project / "mkdocs.yml", *sorted(project.glob("mkdocs.??.yml"))]


def mkdocs_builds(configs: list[Path], out: Path) -> list[list[str]]:
    """One `mkdocs build` per config, each into its own folder (not strict: this times the build,
    `make site` and the tests judge its warnings)."""
    return [[MKDOCS, "build", "--quiet", "-f", str(c), "-d", str(out / c.stem)] for c in configs]


def run_processes(commands: list[list[str]], cwd: Path) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system, with every child process's, such as PDF
    workers) of running the commands one after another, as a shell would."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    for command in commands:
        result = subprocess.run(command, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if result.returncode:
            raise RuntimeError(f"{' '.join(command)} failed:\n{result.stderr[-2000:]}")
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def alternated(
    variants: dict[str, list[list[str]]], cwd: Path, before: Callable[[str], None] | None = None
) -> dict[str, tuple[float, float]]:
    """{variant: (median wall, median CPU)} over RUNS runs of each, alternated A B A B ...;
    `before(variant)` prepares each run untimed (a cold run empties the caches)."""
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in variants}
    for _ in range(RUNS):
        for name, commands in variants.items():
            if before:
                before(name)
            times[name].append(run_processes(commands, cwd))
    return {
        name: (statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs))
        for name, runs in times.items()
    }


def ratio_row(timing: dict[str, tuple[float, float]], ours: str, theirs: str) -> str:
    (wall, cpu), (plain_wall, plain_cpu) = timing[ours], timing[theirs]
    return (
        f"{wall:.2f} s vs {plain_wall:.2f} s = {wall / plain_wall:.2f}x wall; "
        f"CPU {cpu:.2f} s vs {plain_cpu:.2f} s = {cpu / plain_cpu:.2f}x"
    )


def serve_latency(config: Path, source: Path, page: str, before: str, edits: int = SERVE_EDITS) -> float:
    """Median seconds from saving `source` with a new sentence (after the first match of the
    regular expression `before`) to `mkdocs serve -f config` serving `page` with it (polled every
    20 ms), over `edits` edits."""
    original = source.read_text(encoding="utf-8")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/{page}"
    server = subprocess.Popen(
        [MKDOCS, "serve", "--quiet", "-f", str(config), "-a", f"127.0.0.1:{port}"],
        cwd=config.parent,
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_for(url, lambda page: True, server)
        delays = []
        for n in range(1, edits + 1):
            marker = f"Check {n}."
            edited, count = re.subn(f"({before})", rf"\g<1>{marker} ", original, count=1, flags=re.S)
            if not count:
                raise RuntimeError(f"{source} has no match for {before!r} to edit after")
            start = time.perf_counter()
            source.write_text(edited, encoding="utf-8")
            _wait_for(url, lambda page, marker=marker: marker in page, server)
            delays.append(time.perf_counter() - start)
        return statistics.median(delays)
    finally:
        source.write_text(original, encoding="utf-8")
        server.terminate()
        server.wait(timeout=30)


def edited_guide(project: Path) -> Path:
    """The guide the serve and edit figures change: the first English one of the project's own
    (the synthetic copies, guide-x1.yml, are not written with a folded summary)."""
    guides = (project / "data" / "guides").glob("*.yml")
    return sorted(path for path in guides if "." not in path.stem and not re.search(r"-x[0-9]+$", path.stem))[0]


# Where an edit goes: a guide's summary in its data file, and the same guide's page written out
# for plain MkDocs, just after its front matter.
DATA_EDIT = r"summary: >-\n\s+"
PAGE_EDIT = r"\A---\n.*?\n---\n"


def _wait_for(url: str, ready: Callable[[str], bool], server: subprocess.Popen) -> None:
    deadline = time.perf_counter() + SERVE_TIMEOUT
    while time.perf_counter() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"mkdocs serve stopped:\n{server.stderr.read()[-2000:] if server.stderr else ''}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if ready(response.read().decode("utf-8", "replace")):
                    return
        except OSError:
            pass  # not serving yet
        time.sleep(0.02)
    raise RuntimeError(f"{url} did not show the edit within {SERVE_TIMEOUT} s")


def load_average() -> str:
    return " / ".join(f"{value:.1f}" for value in os.getloadavg())


def main() -> int:
    rows: list[tuple[str, str]] = []
    failed: list[str] = []

    def row(name: str, value: str) -> None:
        rows.append((name, value))
        print(f"{name:<52} {value}", flush=True)

    def step(name: str, action: Callable[[], None]) -> None:
        """Run one part of the benchmark; a failure is reported, the other parts still run."""
        try:
            action()
        except Exception as error:  # any failure: reported, and it hides no other part's figures
            row(name, "FAILED")
            failed.append(f"{name}: {error}\n{getattr(error, 'stderr', '') or ''}".strip())

    row("load average (1 / 5 / 15 min) at start", load_average())
    row("CPUs this process may use", str(len(os.sched_getaffinity(0))))

    def whole_process(scale: int) -> None:
        with tempfile.TemporaryDirectory() as workdir:
            work = Path(workdir)
            config = synthetic_project(work / "project", scale)
            plain = plain_project(work / "plain", config)
            hooked = mkdocs_builds([config], work / "out")
            run_processes(hooked, config.parent)  # fills the caches: every timed run is warm
            timing = alternated({"hooks": hooked, "plain": mkdocs_builds([plain], work / "out-plain")}, config.parent)
        row(f"whole process, English, {scale}x content (median of {RUNS})", ratio_row(timing, "hooks", "plain"))

    def after_an_edit() -> None:
        """What an editor feels after changing a sentence: every hooked run first edits one guide
        (untimed), so the pipeline runs whole; plain MkDocs builds the same pages each time."""
        with tempfile.TemporaryDirectory() as workdir:
            work = Path(workdir)
            config = synthetic_project(work / "project", 1)
            plain = plain_project(work / "plain", config)
            hooked = mkdocs_builds([config], work / "out")
            run_processes(hooked, config.parent)
            guide = edited_guide(config.parent)
            original = guide.read_text(encoding="utf-8")
            edits = iter(range(1, 2 * RUNS + 1))

            def edit(variant: str) -> None:
                if variant == "edited":
                    text = re.sub(f"({DATA_EDIT})", rf"\g<1>Check {next(edits)}. ", original, count=1)
                    guide.write_text(text, encoding="utf-8")

            timing = alternated(
                {"edited": hooked, "plain": mkdocs_builds([plain], work / "out-plain")}, config.parent, before=edit
            )
        row("whole process, English, 1x, one guide edited before each run", ratio_row(timing, "edited", "plain"))

    for scale in SCALES:
        step(f"whole process, {scale}x content", lambda scale=scale: whole_process(scale))
    step("whole process after an edit", after_an_edit)

    def all_editions() -> None:
        with tempfile.TemporaryDirectory() as workdir:
            work = Path(workdir)
            project = synthetic_project(work / "project", 1).parent
            configs = editions(project)
            plains = [plain_project(work / f"plain-{c.stem}", c) for c in configs]
            hooked = mkdocs_builds(configs, work / "out")
            run_processes(hooked, project)

            def empty_cache(variant: str) -> None:
                if variant == "cold":
                    shutil.rmtree(project / ".cache", ignore_errors=True)

            timing = alternated(
                {"warm": hooked, "plain": mkdocs_builds(plains, work / "out-plain"), "cold": hooked},
                project,
                before=empty_cache,
            )
        names = ", ".join(c.name for c in configs)
        row(f"every edition ({names}), warm", ratio_row(timing, "warm", "plain"))
        row(
            "every edition, cold (no cache, PDFs in parallel)",
            ratio_row(timing, "cold", "warm").replace(" vs ", " vs warm "),
        )

    step("every edition", all_editions)

    def serving(scale: int) -> None:
        with tempfile.TemporaryDirectory() as workdir:
            config = synthetic_project(Path(workdir) / "project", scale)
            plain = plain_project(Path(workdir) / "plain", config)
            run_processes(mkdocs_builds([config], Path(workdir) / "out"), config.parent)
            guide = edited_guide(config.parent)
            page = f"{guide.stem}/"
            ours = serve_latency(config, guide, page, DATA_EDIT)
            theirs = serve_latency(plain, plain.parent / "docs" / f"{guide.stem}.md", page, PAGE_EDIT)
        row(
            f"mkdocs serve, save to served, {scale}x (median of {SERVE_EDITS})",
            f"{ours:.2f} s vs plain {theirs:.2f} s = {ours / theirs:.2f}x",
        )

    for scale in (1, 10):
        step(f"mkdocs serve {scale}x", lambda scale=scale: serving(scale))

    def in_process() -> None:
        real = build_seconds(ROOT / "mkdocs.yml")
        with tempfile.TemporaryDirectory() as workdir:
            plain = build_seconds(plain_project(Path(workdir)))
        row(
            f"in-process build after imports (median of {IN_PROCESS_RUNS})",
            f"{real:.2f} s vs plain {plain:.2f} s = {real / plain:.2f}x",
        )

    step("in-process build", in_process)
    step("PDF time per sheet", lambda: row("PDF time per sheet (one process, no cache)", pdf_seconds_per_sheet()))

    def gates() -> None:
        gate_seconds(10)  # loads the syllable dictionary, which the first build pays once
        small, large = gate_seconds(1_000), gate_seconds(10_000)
        row("reading gate, 1,000 hard sentences", f"{small:.2f} s")
        row("reading gate, 10,000 (10 would be linear)", f"{large:.2f} s ({large / small:.1f}x)")
        row("refusing a field of 5,000 '[' (its size limit)", f"{brackets_seconds(5_000) * 1000:.1f} ms")

    step("content gates on hostile sizes", gates)

    def weights() -> None:
        with tempfile.TemporaryDirectory() as out:
            from support import build_site

            site = build_site(ROOT / "mkdocs.yml", Path(out) / "site")
            weights, js, css, index = site_weights(site)
            for page, weight in sorted(weights.items()):
                row(f"first view gzip: {page}", f"{weight / 1000:.1f} KB")
            row("first view gzip: heaviest page", f"{max(weights.values()) / 1000:.1f} KB (budget 100)")
            row("own JavaScript on one page, gzip, the most", f"{js / 1000:.1f} KB (budget 10)")
            row("own CSS on one page, gzip, the most", f"{css / 1000:.1f} KB (budget 10)")
            row("search index, gzip (fetched once per visit)", f"{index / 1000:.1f} KB (budget 50)")
            checklist = checklist_figures(site)
            for page, (performance, accessibility) in lighthouse(site).items():
                row(f"Lighthouse {page}: performance / accessibility", f"{performance} / {accessibility}")
        from support import CHECKLIST_BUDGETS

        print("\n-- The checklist as a reader meets it: counts, not times (budgets: tests/support.py)")
        for name, value in checklist.items():
            row(f"checklist: {name}", f"{value:g} (budget {CHECKLIST_BUDGETS[name]:g})")

    step("page weights and Lighthouse", weights)
    row("load average (1 / 5 / 15 min) at end", load_average())
    for failure in failed:
        print(f"\nFAILED: {failure}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
