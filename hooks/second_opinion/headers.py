"""The Content-Security-Policy and the other security headers, and the check that the built pages
hold no script, handler or script address that is not the site's own.

A policy that hashed every inline script found in the output would allow a script injected by
content. So the allowed inline scripts are computed from the templates instead: Material's and the
overrides' `<script>` blocks, rendered for each page depth (Material writes the page's relative
base address into one of them) with the build's config, Material's only where its templates
include them for this config. A built page with any other inline script
stops the build.

The policy goes three ways: in a <meta http-equiv> tag of every page (GitHub Pages and the copy
opened from disk send no headers), in a `_headers` file (Netlify, Cloudflare Pages) and in an
nginx snippet to `include`. What a meta policy cannot carry (frame-ancestors) is only in the last
two. Every page also says `<meta name="referrer" content="no-referrer">` (overrides/main.html).
"""

from __future__ import annotations

import base64
import hashlib
import html.parser
import importlib.util
import posixpath
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from urllib.parse import urlsplit

import jinja2

from . import cache

# A <script> block of a template: its attributes and text.
_TEMPLATE_SCRIPT = re.compile(r"<script(?P<attributes>[^>]*)>(?P<text>.*?)</script>", re.S | re.I)
# Address schemes that run code or carry a whole document, wherever a page could load or open one.
_SCRIPT_URL = re.compile(r"^(javascript|vbscript|data):", re.I)
_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcset", "background"}
_FORBIDDEN_TAGS = {"iframe", "frame", "object", "embed", "base", "applet"}
_PASSED = "built-pages"  # cache.py's name for the verdicts of pages that passed

OTHER_HEADERS = {
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def base_urls(pages: Iterable[str], site_url: str | None) -> set[str]:
    """Material's `base_url` of each built page (by its path in the site, like checklist/index.html):
    the way up to the site's root, and for 404.html the site's path (it is served at any depth)."""
    result = set()
    for page in pages:
        if page == "404.html":
            result.add(urlsplit(site_url or "/").path)
        else:
            depth = page.count("/")
            result.add("/".join([".."] * depth) or ".")
    return result


# Material's (9.8.1) script partials, and when its templates include each (base.html, header.html):
# only those a build's config turns on are allowed, so that the policy stays short. A Material
# that adds one fails tests/site/test_integrity.py; an override that includes one under other
# conditions fails the build (its script is not in the policy), never a looser policy.
_MATERIAL_SCRIPTS = {
    "partials/javascripts/base.html": lambda config, overrides: True,
    "partials/javascripts/content.html": lambda config, overrides: True,
    "partials/javascripts/palette.html": lambda config, overrides: (
        not isinstance(_theme(config).get("palette"), Mapping)
    ),
    "partials/javascripts/announce.html": lambda config, overrides: (
        "announce.dismiss" in (_theme(config).get("features") or []) and "block announce" in overrides
    ),
    "partials/javascripts/outdated.html": lambda config, overrides: bool(_extra(config).get("version")),
    "partials/javascripts/consent.html": lambda config, overrides: bool(_extra(config).get("consent")),
}


def own_scripts(
    environment: jinja2.Environment, overrides: Path | None, config: Mapping, bases: Iterable[str]
) -> set[str]:
    """The text of every inline script the templates can write in this build: Material's script
    partials that the config turns on, and each `<script>` block without a src in the overrides,
    rendered (by `environment`, the theme's) for each page's base_url."""
    features = _theme(config).get("features") or []
    override_texts = [p.read_text(encoding="utf-8") for p in sorted(overrides.rglob("*.html"))] if overrides else []
    sources = [
        environment.get_template(name)
        for name, included in _MATERIAL_SCRIPTS.items()
        if included(config, "\n".join(override_texts))
    ]
    for text in override_texts:
        for match in _TEMPLATE_SCRIPT.finditer(text):
            if "src=" not in match.group("attributes") and "application/json" not in match.group("attributes"):
                sources.append(environment.from_string(match.group(0)))
    scripts = set()
    for template in sources:
        for base in bases:
            rendered = template.render(config=config, base_url=base, features=features)
            scripts |= {
                m.group("text") for m in _TEMPLATE_SCRIPT.finditer(rendered) if "src=" not in m.group("attributes")
            }
    return scripts


def template_environment(custom_dir: Path | None) -> jinja2.Environment:
    """A Jinja environment over a Material theme's templates, overrides first, for a build
    without MkDocs (the `write` command): the script partials use only Jinja's own filters."""
    spec = importlib.util.find_spec("material")
    material = Path(spec.origin).parent / "templates" if spec and spec.origin else None
    folders = [str(path) for path in (custom_dir, material) if path]
    return jinja2.Environment(loader=jinja2.FileSystemLoader(folders))


def built_pages(pages: Iterable[str], directory_urls: bool) -> list[str]:
    """Where MkDocs writes each page (a path under docs/, like timing.md), and its 404 page."""
    built = []
    for page in pages:
        stem = page.removesuffix(".md")
        if not directory_urls or stem == "index" or stem.endswith("/index"):
            built.append(stem + ".html")
        else:
            built.append(stem + "/index.html")
    return [*built, "404.html"]


def _theme(config: Mapping) -> Mapping:
    theme = config.get("theme")
    return theme if isinstance(theme, Mapping) else {}


def _extra(config: Mapping) -> Mapping:
    extra = config.get("extra")
    return extra if isinstance(extra, Mapping) else {}


def script_hashes(scripts: Iterable[str]) -> list[str]:
    """The CSP source expressions ('sha256-...') of the scripts, sorted."""
    digests = {hashlib.sha256(text.encode("utf-8")).digest() for text in scripts}
    return sorted(f"'sha256-{base64.b64encode(d).decode()}'" for d in digests)


def content_security_policy(scripts: Iterable[str], *, meta: bool = False) -> str:
    """A policy under which the pages work with nothing from another host and no inline code but
    the templates' own scripts. Styles may be set by script (Material positions its sidebars),
    and images may be data: URIs (Material's icons in CSS). `meta`: for a <meta> tag, which
    browsers read without frame-ancestors."""
    directives = [
        "default-src 'self'",
        "script-src 'self' " + " ".join(script_hashes(scripts)),
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "worker-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ]
    if not meta:
        directives.append("frame-ancestors 'self'")
    return "; ".join(directives)


def site_problems(site: Path, scripts: set[str]) -> list[str]:
    """Every built page's problems, each line naming its page. A page whose very HTML passed
    before, against the same scripts and this module, is not parsed again: its verdict is kept by
    cache.py, so a rebuild pays only for the pages that changed."""
    checker = cache.code(__file__)
    allowed = cache.key(*sorted(scripts))
    problems = []
    for path in sorted(site.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        verdict = cache.key(checker, allowed, text)
        if cache.get(_PASSED, verdict):
            continue
        found = page_problems(text, scripts)
        problems += [f"  {page_path(site, path)}: {problem}" for problem in found]
        if not found:
            cache.put(_PASSED, verdict, True)
    return problems


def page_problems(html: str, scripts: set[str]) -> list[str]:
    """What a built page holds that is not the site's own: inline scripts the templates do not
    write, event handler attributes, script addresses, frames and objects."""
    finder = _Finder(scripts)
    finder.feed(html)
    finder.close()
    return finder.problems


def nginx_snippet(policy: str) -> str:
    lines = [
        f'add_header {name} "{value}" always;'
        for name, value in {"Content-Security-Policy": policy, **OTHER_HEADERS}.items()
    ]
    return (
        "# Written by the build (hooks/headers.py): include it in the location that serves the site.\n"
        + "\n".join(lines)
        + "\n"
    )


def netlify_headers(policy: str) -> str:
    lines = [f"  {name}: {value}" for name, value in {"Content-Security-Policy": policy, **OTHER_HEADERS}.items()]
    return "/*\n" + "\n".join(lines) + "\n"


def page_path(site: Path, file: Path) -> str:
    """A built file's path in the site, as base_urls takes it."""
    return posixpath.join(*file.relative_to(site).parts)


class _Finder(html.parser.HTMLParser):
    def __init__(self, scripts: set[str]):
        super().__init__(convert_charrefs=False)
        self.scripts = scripts
        self.problems: list[str] = []
        self._script: list[str] | None = None  # the text of the inline script being read

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f'an event handler attribute {name}="{value}" on <{tag}>')
            elif name in _URL_ATTRIBUTES and value and _SCRIPT_URL.match(re.sub(r"[\x00-\x20]", "", value)):
                self.problems.append(f'a script address {name}="{value}" on <{tag}>')
        if tag in _FORBIDDEN_TAGS:
            self.problems.append(f"a <{tag}> element")
        if tag == "meta" and (attributes.get("http-equiv") or "").lower() == "refresh":
            self.problems.append("a <meta http-equiv=refresh> redirect")
        if tag == "script" and "src" not in attributes:
            kind = (attributes.get("type") or "").lower()
            data = kind == "application/json" and attributes.get("id") == "__config"
            self._script = None if data else []

    def handle_data(self, data):
        if self._script is not None:
            self._script.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            text = "".join(self._script)
            if text not in self.scripts:
                self.problems.append(f"an inline script that is not the site's own: <script>{text[:80]}")
            self._script = None
