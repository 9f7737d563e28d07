"""Paper pages: render title, authors, links, tags, summary, abstract and comment from the index."""

from __future__ import annotations

import functools
from typing import Any

from arxiv_digest.pages import schema
from arxiv_digest.site import index as page_index
from arxiv_digest.site import names, render, urls
from arxiv_digest.site.escape import html_text
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page


def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    entry = page_index.current().by_src.get(page.file.src_uri)
    if not isinstance(entry, schema.PaperPage):
        return markdown
    meta = entry.meta
    # The front matter as MkDocs would have read it (hooks/validate.py hands MkDocs the body).
    page.meta.update(meta.model_dump(mode="python", exclude_none=True))
    # MkDocs' templates print meta.title and meta.description unescaped: give them HTML.
    page.meta["title"] = html_text(meta.title)
    page.meta["description"] = render.description(meta)
    has_day = meta.announced in page_index.current().days
    return render.paper_page(entry, page.file.src_uri, has_day=has_day)


def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    if isinstance(page_index.current().by_src.get(page.file.src_uri), schema.PaperPage):
        # The title's class (Markdown's attribute lists would cost every page of the site).
        html = html.replace("<h1 id=", '<h1 class="digest-title" id=', 1)
    return html


def on_page_context(
    context: dict[str, Any], *, page: Page, config: MkDocsConfig, nav: Navigation
) -> dict[str, Any]:
    entry = page_index.current().by_src.get(page.file.src_uri)
    if isinstance(entry, schema.PaperPage):
        # Material's tag chips without the tags plugin (whose one index page grows with the site).
        directory_urls = config.use_directory_urls
        context["tags"] = [dict(_chip(tag, directory_urls))
                           for tag in dict.fromkeys([*entry.meta.categories, *entry.meta.topics])]
    return context


@functools.lru_cache(maxsize=1024)
def _chip(tag: str, directory_urls: bool) -> dict[str, str]:
    """A tag chip as Material's template reads it (the same for every page showing the tag)."""
    return {"name": html_text(names.tag_name(tag)),
            "url": urls.page_url(urls.tag_uri(tag), directory_urls)}
