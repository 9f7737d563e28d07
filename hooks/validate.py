"""Validate every paper and day page with the page schema and build the page index for the hooks.

Also converts every page with the build's one Markdown parser (``arxiv_digest.site.convert``)
and puts the generated HTML blocks (``arxiv_digest.site.blocks``) into it.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from arxiv_digest.errors import DigestError
from arxiv_digest.pages import schema
from arxiv_digest.site import blocks, convert, urls
from arxiv_digest.site import index as page_index
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    urls.use_directory_urls(config.use_directory_urls)
    return config


@event_priority(100)  # Before every hook that reads the index.
def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    docs_dir = Path(config.docs_dir)
    pages = [f for f in files if f.is_documentation_page()]
    try:
        page_index.build(docs_dir, [f.src_uri for f in pages])
        # MkDocs drops unparsable front matter silently; hand-written pages are checked here.
        for file in pages:
            if file.generated_by is None and not _is_record(file.src_uri):
                page_index.check_yaml(Path(file.abs_src_path), f"{docs_dir.name}/{file.src_uri}")
    except DigestError as err:
        raise PluginError(str(err)) from None
    return files


def on_pre_page(page: Page, *, config: MkDocsConfig, files: Files) -> Page:
    # Paper pages differ only in their title and blocks: they are made from a converted skeleton.
    paper = isinstance(page_index.current().by_src.get(page.file.src_uri), schema.PaperPage)
    page.render = partial(convert.render, page, templated=paper)  # type: ignore[method-assign]
    return page


def on_page_read_source(*, page: Page, config: MkDocsConfig) -> str | None:
    # Paper and day pages were parsed once, by the schema, in on_files: hand MkDocs the body
    # only, so it does not parse the same front matter again (a large share of a 20,000-page
    # build). The hooks that render these pages set the page's meta themselves.
    entry = page_index.current().by_src.get(page.file.src_uri)
    if isinstance(entry, schema.PaperPage):
        return "\n" + entry.body
    if isinstance(entry, schema.DayPage):
        return "\n" + entry.intro
    return None


def _is_record(src_uri: str) -> bool:
    return src_uri.startswith((f"{schema.PAPERS_DIR}/", f"{schema.DAYS_DIR}/"))


@event_priority(100)  # Before any hook that reads the page's HTML.
def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    return blocks.expand(html)
