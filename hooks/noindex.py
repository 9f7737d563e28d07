"""Leave list pages (home, days) out of the search index, so that a hit leads to the paper."""

from __future__ import annotations

from arxiv_digest.pages import schema
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

# Generated list pages (tags, archive) carry `search: {exclude: true}` in their own front matter.


def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    if page.is_homepage or page.file.src_uri.startswith(f"{schema.DAYS_DIR}/"):
        page.meta["search"] = {**(page.meta.get("search") or {}), "exclude": True}
    return markdown
