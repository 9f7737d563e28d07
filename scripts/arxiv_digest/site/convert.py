"""Markdown to HTML with one parser per build, as MkDocs' ``Page.render`` does with one per page.

Setting up Python-Markdown with the site's extensions costs about as much as converting a paper
page. A parser is reset between documents (``Markdown.reset``, which every extension with state
implements), so one parser serves every page of a build; MkDocs' own per-page processors (links,
anchors, title) are registered afresh for each page, as ``Page.render`` registers them.
"""

from __future__ import annotations

import logging

import markdown
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import (
    Page,
    _ExtractAnchorsTreeprocessor,
    _ExtractTitleTreeprocessor,
    _RawHTMLPreprocessor,
    _RelativePathTreeprocessor,
)
from mkdocs.structure.toc import get_toc

log = logging.getLogger("mkdocs.structure.pages")

#: The parser of the build in progress: (config it was made for, parser). A new build (a
#: ``mkdocs serve`` rebuild loads mkdocs.yml again) makes a new one.
_parser: list[tuple[MkDocsConfig, markdown.Markdown]] = []


def _markdown(config: MkDocsConfig) -> markdown.Markdown:
    if not _parser or _parser[0][0] is not config:
        md = markdown.Markdown(extensions=config["markdown_extensions"],
                               extension_configs=config["mdx_configs"] or {})
        _parser[:] = [(config, md)]
    md = _parser[0][1]
    md.reset()
    return md


def render(page: Page, config: MkDocsConfig, files: Files) -> None:
    """``Page.render`` with the build's parser: the same content, toc, title and anchors."""
    if page.markdown is None:
        raise RuntimeError("`markdown` field hasn't been set (via `read_source`)")
    md = _markdown(config)
    raw_html_ext = _RawHTMLPreprocessor()
    raw_html_ext._register(md)
    extract_anchors_ext = _ExtractAnchorsTreeprocessor(page.file, files, config)
    extract_anchors_ext._register(md)
    relative_path_ext = _RelativePathTreeprocessor(page.file, files, config)
    relative_path_ext._register(md)
    extract_title_ext = _ExtractTitleTreeprocessor()
    extract_title_ext._register(md)
    page.content = md.convert(page.markdown)
    page.toc = get_toc(getattr(md, "toc_tokens", []))
    page._title_from_render = extract_title_ext.title
    page.present_anchor_ids = (extract_anchors_ext.present_anchor_ids
                               | raw_html_ext.present_anchor_ids)
    if log.getEffectiveLevel() > logging.DEBUG:
        page.links_to_anchors = relative_path_ext.links_to_anchors
