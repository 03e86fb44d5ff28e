"""The Content-Security-Policy of the site (see second_opinion/headers.py): computed from the
templates' own scripts before any page is written, put in a <meta> tag of every page (through
config.extra, which overrides/main.html prints), checked against every built page, and written
for hosts as site/_headers and site/_security/nginx.conf."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files

from second_opinion import headers

_scripts: set[str] = set()  # this build's own inline scripts, between on_env and on_post_build
_serving = False


def on_startup(*, command: str, dirty: bool) -> None:
    global _serving
    _serving = command == "serve"


def on_env(env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
    global _scripts
    pages = [file.dest_uri for file in files.documentation_pages()] + ["404.html"]
    overrides = Path(config.theme.custom_dir) if config.theme.custom_dir else None
    _scripts = headers.own_scripts(env, overrides, config, headers.base_urls(pages, config.site_url))
    # Not in the page: while `mkdocs serve` adds its own inline script to reload pages, and in the
    # copy opened from disk, where Material's offline search writes an inline script into a frame
    # as it runs (and 'self' means little at a file: address). Both keep the referrer rule.
    offline = any(name in config.plugins for name in ("offline", "material/offline"))
    config.extra["content_security_policy"] = (
        None if _serving or offline else headers.content_security_policy(_scripts, meta=True)
    )
    return env


def on_post_build(*, config: MkDocsConfig) -> None:
    site = Path(config.site_dir)
    problems = headers.site_problems(site, _scripts)
    if problems:
        raise PluginError(
            "The built pages hold markup that is not the site's own, so nothing is published:\n" + "\n".join(problems)
        )
    policy = headers.content_security_policy(_scripts)
    (site / "_security").mkdir(exist_ok=True)
    (site / "_security" / "nginx.conf").write_text(headers.nginx_snippet(policy), encoding="utf-8")
    (site / "_headers").write_text(headers.netlify_headers(policy), encoding="utf-8")
