"""`make site`: build every edition of a copy into a new folder beside its site folder, and put it in
the site folder's place only when every edition built. The last good site stays, whatever fails:
a content mistake, a warning of the strict build, a full disk, a killed build.

    python -m second_opinion.publish [--config mkdocs.yml]

The config's editions (mkdocs.yml, then each mkdocs.LANG.yml beside it into LANG/) are built by
MkDocs itself, one process each, as `mkdocs build --strict` would build them, into a folder named
.SITE.building-PID-... beside the site folder (so on the same disk). Then the two folders trade
places in one step (Linux's renameat2 RENAME_EXCHANGE; elsewhere two renames, a moment apart),
and the old site is deleted. A build killed before that leaves its folder behind, and the next
build deletes it.
"""

from __future__ import annotations

import argparse
import ctypes
import ctypes.util
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from . import settings
from .problems import ContentError

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m second_opinion.publish", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--config", type=Path, default=Path("mkdocs.yml"), help="the copy's config (default: mkdocs.yml)"
    )
    config = parser.parse_args(argv).config.resolve()
    try:
        site = (config.parent / str(settings.load_config(config).get("site_dir") or "site")).resolve()
    except ContentError as error:
        print(error.report(), file=sys.stderr)
        return 1
    site.parent.mkdir(parents=True, exist_ok=True)
    _remove_abandoned(site)
    staging = Path(tempfile.mkdtemp(prefix=f".{site.name}.building-{os.getpid()}-", dir=site.parent))
    try:
        for edition, folder in editions(config):
            command = [
                sys.executable,
                "-m",
                "mkdocs",
                "build",
                "--strict",
                "-f",
                str(edition),
                "-d",
                str(staging / folder),
            ]
            if subprocess.run(command, check=False).returncode != 0:
                print(f"The build of {edition.name} failed: {site} was left as it was.", file=sys.stderr)
                return 1
        swap(staging, site)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    print(f"Built {site}.")
    return 0


def editions(config: Path) -> list[tuple[Path, str]]:
    """The configs to build, each with its folder below the site: the config itself into the site,
    and, for a copy's mkdocs.yml, each mkdocs.LANG.yml beside it into LANG/."""
    if config.name != "mkdocs.yml":
        return [(config, "")]
    others = sorted(p for p in config.parent.glob("mkdocs.??.yml") if re.fullmatch(r"mkdocs\.[a-z]{2}\.yml", p.name))
    return [(config, ""), *((p, p.name.split(".")[1]) for p in others)]


def swap(new: Path, site: Path) -> None:
    """Put the folder `new` where `site` is, at once; `new` then holds the old site, if any."""
    if not site.exists():
        new.rename(site)
        return
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is not None:
        result = renameat2(_AT_FDCWD, os.fsencode(new), _AT_FDCWD, os.fsencode(site), _RENAME_EXCHANGE)
        if result == 0:
            return
    # No atomic exchange here (another system, or a file system without it): two renames.
    old = new.with_name(new.name + "-old")
    site.rename(old)
    new.rename(site)
    old.rename(new)


def _remove_abandoned(site: Path) -> None:
    """Delete the folders of builds that were killed: their process is gone."""
    for folder in site.parent.glob(f".{site.name}.building-*"):
        pid = re.match(rf"\.{re.escape(site.name)}\.building-(\d+)-", folder.name)
        try:
            if pid:
                os.kill(int(pid.group(1)), 0)
                continue  # still building
        except ProcessLookupError:
            pass
        except PermissionError:
            continue
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
