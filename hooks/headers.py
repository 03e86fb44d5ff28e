"""After the build, write the security headers hosts need, with the hashes of the inline scripts
the pages really contain (see second_opinion/headers.py): site/_headers and
site/_security/nginx.conf."""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig

from second_opinion import headers


def on_post_build(*, config: MkDocsConfig) -> None:
    site = Path(config.site_dir)
    pages = [path.read_text(encoding="utf-8") for path in sorted(site.rglob("*.html"))]
    policy = headers.content_security_policy(pages)
    (site / "_security").mkdir(exist_ok=True)
    (site / "_security" / "nginx.conf").write_text(headers.nginx_snippet(policy), encoding="utf-8")
    (site / "_headers").write_text(headers.netlify_headers(policy), encoding="utf-8")
