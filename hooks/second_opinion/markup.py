"""What text from content may become in a page, decided once and checked before anything is built.

Every text field is one of two kinds (the JSON Schemas mark each with its `format`):

- plain text (`format: plain-text`): labels, questions, hints, headings, titles, descriptions,
  source titles and publishers, reviewers, an organization's name and address. No Markdown and no HTML: Markdown that would make markup (**bold**, a
  [link](...), a list) is refused, and the build shows every character as typed (HTML too).
- limited Markdown (`format: markdown`): summaries, section bodies, reasons, advice, intros and the
  interface words. **Bold**, *italic*, lists, > quotes, line breaks, `code`, and links to other pages of the
  site or to https:, mailto: and tel: addresses. HTML is shown as typed, never run.

A Markdown field is rendered as its page renders it, and the HTML that comes out is checked
against an allow-list by nh3 (the Ammonia sanitizer): anything nh3 would remove (a tag, an
attribute, a javascript: or data: link, however it is encoded) refuses the field with a plain
message. The site's Markdown has no attr_list, so `{: onclick=... }` is text everywhere. Reference-style link definitions are refused too, because a definition in one
field would turn `[text][name]` in another into a live link that neither shows alone.

Hand-written pages (docs/*.md, and a hospital's local/docs/*.md) are Markdown with the same
extensions and a wider allow-list (headings, tables, images of the site's own files, `<div
markdown>` blocks with a class or a language): never scripts, styles, forms, frames, event
handlers, or links and images that lead outside the site but by https:, mailto: or tel:.

Sizes are limited so that no input makes the Markdown parser work for minutes: it is quadratic in
the `[` of a paragraph.
"""

from __future__ import annotations

import dataclasses
import functools
import html.parser
import re

import markdown
import nh3
from markupsafe import escape

# The Markdown of the site's pages: mkdocs.yml's markdown_extensions, and those MkDocs always adds.
# Not attr_list: its `{: onclick=... }` gives any element any attribute, and at the end of a
# heading it takes effect even in text that is harmless alone (see integrity.config_problems).
EXTENSIONS = ("admonition", "md_in_html", "toc", "tables", "fenced_code")
SCHEMES = frozenset({"https", "mailto", "tel"})

PLAIN_TEXT_LIMIT = 500  # characters; the longest shipped plain text is under 200
MARKDOWN_LIMIT = 5_000  # characters; the longest shipped Markdown field is under 1,200
PAGE_LIMIT = 500_000  # characters of a hand-written page
BRACKET_LIMIT = 32  # "[" in one paragraph; the shipped content has at most 6
PARAGRAPH_LIMIT = 20_000  # characters of one paragraph of a hand-written page

# Characters no text may hold: C0 controls but tab and line ends, DEL, C1 controls, and the
# Unicode bidirectional overrides that make text read differently from how it is stored.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# Markdown's inline punctuation (with the tables extension's |), escaped wherever it is: each
# shows as itself. Brackets and parentheses only make links with a ], and < and & become entities.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]#|])")
# What makes a list at the start of a line (a > is &gt; by then, never a quote).
_LINE_START = re.compile(r"^([-+]|\d+(?=\.))")
# What Markdown may read as markup in a line of text: without any of these, rendering is skipped.
_MAY_MAKE_MARKUP = re.compile(r"[*_\[\]`<>&!\\|~{}=#:\t]|^\s*([-+]|\d+[.)])|\n|^ {4}", re.M)
# A relative link in a field: a path of the site, and an anchor.
_RELATIVE = re.compile(r"^([A-Za-z0-9_.\-]+/)*[A-Za-z0-9_.\-]*(#[A-Za-z0-9_\-]+)?$")


@dataclasses.dataclass(frozen=True)
class Policy:
    """What rendered HTML may contain."""

    tags: frozenset[str]
    attributes: dict[str, frozenset[str]]
    uses: str  # what an editor may use, for messages


FIELD = Policy(
    tags=frozenset({"p", "br", "strong", "em", "code", "a", "ul", "ol", "li", "blockquote"}),
    attributes={"a": frozenset({"href", "title"}), "ol": frozenset({"start"})},
    uses="**bold**, *italic*, `code`, lists, > quotes and [links](timing.md)",
)
PAGE = Policy(
    tags=frozenset(
        {
            *("h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "blockquote", "pre", "code", "kbd"),
            *("strong", "em", "b", "i", "small", "sub", "sup", "abbr", "a", "img", "ul", "ol", "li"),
            *("dl", "dt", "dd", "table", "thead", "tbody", "tr", "th", "td", "caption"),
            *("div", "span", "section", "details", "summary", "figure", "figcaption"),
        }
    ),
    attributes={
        "*": frozenset({"class", "id", "lang", "title"}),
        "a": frozenset({"href"}),
        "img": frozenset({"src", "alt", "width", "height"}),
        "ol": frozenset({"start"}),
        "td": frozenset({"colspan", "rowspan"}),
        "th": frozenset({"colspan", "rowspan"}),
    },
    uses='Markdown, and HTML blocks such as <div class="..." markdown>',
)


@functools.lru_cache(maxsize=8192)
def plain_text_problem(text: str) -> str | None:
    """Why `text` cannot be a plain-text field, or None."""
    if problem := _text_problem(text, PLAIN_TEXT_LIMIT):
        return problem
    if not _MAY_MAKE_MARKUP.search(text):
        return None  # most plain text: nothing in it that Markdown reads
    rendered = render(str(escape(text)))
    if rendered is None:
        return _NESTED
    made = [(tag, attributes) for kind, tag, attributes in _Tokens.of(rendered) if kind == "start"]
    if any(tag != "p" or attributes for tag, attributes in made):
        tag, attributes = next((tag, attributes) for tag, attributes in made if tag != "p" or attributes)
        what = f"<{tag}>" if tag != "p" else f'the attribute {attributes[0][0]}="{attributes[0][1]}"'
        return (
            f"this is plain text, shown exactly as typed: Markdown that makes {what} does not work here. "
            "Remove it (only fields marked Markdown may use Markdown)"
        )
    return None


@functools.lru_cache(maxsize=8192)
def markdown_problem(text: str) -> str | None:
    """Why `text` cannot be a Markdown field, or None."""
    if problem := _text_problem(text, MARKDOWN_LIMIT):
        return problem
    rendered = render(markdown_source(text))
    if rendered is None:
        return _NESTED
    if _MARKDOWN.references:
        name, (url, _) = next(iter(_MARKDOWN.references.items()))
        return (
            f"reference-style link definitions ('[{name}]: {url}') are not allowed here; "
            "write the link in place, like [text](timing.md)"
        )
    return sanitize_problem(rendered, FIELD)


def page_problems(text: str) -> list[tuple[str, str]]:
    """Problems of a hand-written page's Markdown, as (message, text to find its line by)."""
    if len(text) > PAGE_LIMIT:
        return [(f"this page has {len(text):,} characters; the most a page may have is {PAGE_LIMIT:,}", "")]
    problems = []
    for paragraph in re.split(r"\n[ \t]*\n", text):
        if len(paragraph) > PARAGRAPH_LIMIT:
            problems.append(
                (f"this paragraph has {len(paragraph):,} characters; split it (at most {PARAGRAPH_LIMIT:,})", paragraph)
            )
        elif paragraph.count("[") > BRACKET_LIMIT:
            problems.append((_brackets(paragraph.count("[")), paragraph))
    if match := _CONTROL.search(text):
        problems.append((_control(match.group()), match.group()))
    if problems:
        return problems
    rendered = render(text)
    if rendered is None:
        return [(_NESTED, "")]
    problem = sanitize_problem(rendered, PAGE, images=True)
    return [(problem, _needle(problem))] if problem else []


def markdown_source(text: str) -> str:
    """A Markdown field as it goes into a page: Markdown kept, HTML and entities shown as typed."""
    return text.replace("&", "&amp;").replace("<", "&lt;")


def plain_markdown(text: str) -> str:
    """A plain text for a Markdown page: on one line, every character shown as typed."""
    return str(escape(_LINE_START.sub(_escape_marker, _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split())))))


def _escape_marker(match: re.Match) -> str:
    marker = match.group(1)
    return "\\" + marker if marker in "-+" else marker + "\\"


def sanitize_problem(rendered: str, policy: Policy, *, images: bool = False) -> str | None:
    """Why the HTML `rendered` is not allowed by `policy`, or None. nh3 decides: the HTML must come
    through it unchanged; the first difference is put in words."""
    cleaned = nh3.clean(
        rendered,
        tags=set(policy.tags),
        attributes={tag: set(names) for tag, names in policy.attributes.items()},
        url_schemes=set(SCHEMES),
        link_rel=None,
        strip_comments=True,
    )
    before, after = _Tokens.of(rendered), _Tokens.of(cleaned)
    for kind, tag, attributes in before:
        if kind == "start" and tag not in policy.tags:
            return f"<{tag}> is not allowed here; use {policy.uses}"
        for name, value in attributes:
            if name in ("href", "src") and (problem := url_problem(value, image=name == "src")):
                return problem
    if before == after:
        return None
    index = next(
        (i for i, (b, a) in enumerate(zip(before, after, strict=False)) if b != a), min(len(before), len(after))
    )
    kind, tag, attributes = before[index] if index < len(before) else ("", "", ())
    kept = dict(after[index][2]) if index < len(after) and after[index][1] == tag else {}
    name, value = next(((n, v) for n, v in attributes if kept.get(n) != v), ("", ""))
    if name in ("href", "src"):
        return url_problem(value, image=name == "src", strict=True)
    if name:
        return f'the attribute {name}="{value}" on <{tag}> is not allowed here; use {policy.uses}'
    return f"this text makes HTML that is not allowed here; use {policy.uses}"


def url_problem(url: str, *, image: bool = False, strict: bool = False) -> str | None:
    """Why a link (or, with `image`, an image) may not lead to `url`, or None; read as a browser
    reads it: tabs and line breaks dropped, spaces and controls trimmed, scheme in any case."""
    seen = re.sub(r"[\t\n\r]", "", url).strip("\x00\x20")
    scheme = re.match(r"([A-Za-z][A-Za-z0-9+.\-]*):", seen)
    if image and (scheme or seen.startswith(("//", "\\", "/\\"))):
        return f"the image '{url}' is not one of the site's own files; put the image beside the page and use its path"
    if scheme and scheme.group(1).lower() not in SCHEMES:
        return _bad_link(url)
    if not scheme and not _RELATIVE.match(seen):
        return _bad_link(url)
    if scheme and scheme.group(1).lower() == "https" and not re.match(r"https://[^/?#\\\s]", seen, re.I):
        return _bad_link(url)
    return _bad_link(url) if strict else None


def link_targets(rendered: str) -> list[tuple[str, str]]:
    """Every (attribute, url) of links and images in rendered HTML."""
    return [
        (name, value)
        for kind, _, attributes in _Tokens.of(rendered)
        if kind == "start"
        for name, value in attributes
        if name in ("href", "src")
    ]


def element_ids(rendered: str) -> set[str]:
    """The ids of rendered HTML: the anchors a link may point at."""
    return {
        value for kind, _, attributes in _Tokens.of(rendered) if kind == "start" for n, value in attributes if n == "id"
    }


_MARKDOWN = markdown.Markdown(extensions=list(EXTENSIONS))
_NESTED = "this text nests lists or quotes too deeply to be read; simplify it"


def render(text: str) -> str | None:
    """Markdown as the site renders it (without MkDocs' link rewriting), or None when it nests too
    deeply for the parser."""
    _MARKDOWN.reset()
    try:
        return _MARKDOWN.convert(text)
    except RecursionError:
        return None


def _text_problem(text: str, limit: int) -> str | None:
    if len(text) > limit:
        return f"this text has {len(text):,} characters; the most it may have is {limit:,}. Shorten it or split it"
    if match := _CONTROL.search(text):
        return _control(match.group())
    for paragraph in re.split(r"\n[ \t]*\n", text):
        if paragraph.count("[") > BRACKET_LIMIT:
            return _brackets(paragraph.count("["))
    return None


def _control(character: str) -> str:
    return f"this text has an invisible control character (U+{ord(character):04X}); delete it and retype the text around it"


def _brackets(count: int) -> str:
    return f"this paragraph has {count} '[' characters; the most one paragraph may have is {BRACKET_LIMIT}"


def _bad_link(url: str) -> str:
    return (
        f"the link '{url}' is not allowed: link to another page of the site (like timing.md) "
        "or to an https://, mailto: or tel: address"
    )


def _needle(problem: str) -> str:
    """The text a problem quotes ('...'), to find its line in the page."""
    quoted = re.search(r"'([^']+)'|=\"([^\"]*)\"|<(\w+)>", problem)
    return next((group for group in quoted.groups() if group), "") if quoted else ""


class _Tokens(html.parser.HTMLParser):
    """HTML as a list of (kind, tag, attributes) tokens, text and entities decoded, so that two
    serializations of the same markup compare equal."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tokens: list[tuple[str, str, tuple]] = []
        self._text: list[str] = []

    @classmethod
    def of(cls, rendered: str) -> list[tuple[str, str, tuple]]:
        parser = cls()
        parser.feed(rendered)
        parser.close()
        parser._flush()
        return parser.tokens

    def _flush(self) -> None:
        if text := " ".join("".join(self._text).split()):
            self.tokens.append(("text", text, ()))
        self._text = []

    def handle_starttag(self, tag, attrs):
        self._flush()
        self.tokens.append(("start", tag, tuple(sorted((name, value or "") for name, value in attrs))))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)  # <br /> is <br>

    def handle_endtag(self, tag):
        self._flush()
        self.tokens.append(("end", tag, ()))

    def handle_data(self, data):
        self._text.append(data)
