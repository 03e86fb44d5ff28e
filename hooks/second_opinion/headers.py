"""Security headers for hosts, with a Content-Security-Policy that allows no inline script
except the ones the built pages really contain, by hash.

Material writes a few small inline scripts whose text depends on the page's depth, so their
hashes are only known after the build; this module computes them from the built HTML and writes
the headers in the forms hosts read: an nginx snippet to `include`, and a `_headers` file
(Netlify, Cloudflare Pages).
"""

from __future__ import annotations

import base64
import hashlib
import re

# Executable inline scripts: no src, and no data type such as application/json (never run).
_INLINE_SCRIPT = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*\btype=\"application/(?:ld\+)?json\")[^>]*>(.*?)</script>", re.S | re.I
)

OTHER_HEADERS = {
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def script_hashes(pages: list[str]) -> list[str]:
    """The CSP source expressions ('sha256-...') of every inline script in `pages`, sorted."""
    digests = {hashlib.sha256(body.encode("utf-8")).digest() for page in pages for body in _INLINE_SCRIPT.findall(page)}
    return sorted(f"'sha256-{base64.b64encode(d).decode()}'" for d in digests)


def content_security_policy(pages: list[str]) -> str:
    """A policy under which the pages work with nothing from another host and no inline code
    but their own known scripts. Styles may be set by script (Material positions its sidebars),
    and images may be data: URIs (Material's icons in CSS)."""
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self' " + " ".join(script_hashes(pages)),
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "worker-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'self'",
        ]
    )


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
