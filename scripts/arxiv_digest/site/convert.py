"""Markdown to HTML with one parser per build, as MkDocs' ``Page.render`` does with one per page.

Setting up Python-Markdown with the site's extensions costs about as much as converting a paper
page. A parser is reset between documents (``Markdown.reset``, which every extension with state
implements), so one parser serves every page of a build; MkDocs' own per-page processors (links,
anchors, title) are registered afresh for each page, as ``Page.render`` registers them.

A paper page's Markdown is the same for every paper but for its title line and the keys of its
HTML blocks (``blocks``): a ``# title`` line and fixed headings and notes around placeholder
paragraphs. Such a page is converted once per build and shape with a probe title and probe keys
(a *skeleton*), and every paper page of that shape gets the skeleton's HTML and table of contents
with its own title, heading id and keys put in. Only titles that no Markdown syntax of the site's
extensions can touch take this way (``_PLAIN_TITLE``); any other page is converted in full.
"""

from __future__ import annotations

import copy
import logging
import re
from dataclasses import dataclass
from typing import Any

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

from . import blocks
from . import convert_sections as _sections

log = logging.getLogger("mkdocs.structure.pages")

#: Extensions whose inline syntax needs a character that ``_PLAIN_TITLE`` keeps out of a title
#: (or that never act inside a heading): with any other, every page is converted in full.
SKELETON_SAFE_EXTENSIONS = frozenset({
    "toc", "tables", "fenced_code", "admonition", "attr_list", "def_list", "footnotes",
    "md_in_html", "sane_lists", "codehilite", "pymdownx.details", "pymdownx.arithmatex",
    "pymdownx.superfences", "pymdownx.highlight", "pymdownx.inlinehilite", "pymdownx.tabbed",
})
#: A title that Markdown passes through as it is: none of the characters that start inline
#: syntax (code, escapes, emphasis, links, raw HTML, entities, math, attributes, tables, heading
#: hashes) nor those its serializer escapes. ``escape.md_text`` writes them as references, so
#: such a title line holds an ``&``.
_PLAIN_TITLE = re.compile(r"[^\s&<>\\`*_{}\[\]$|#!\x00-\x1f](?:[^&<>\\`*_{}\[\]$|#!\x00-\x1f]*"
                          r"[^\s&<>\\`*_{}\[\]$|#!\x00-\x1f])?")
_SAFE_ID = re.compile(r"[\w-]+")
_PROBE_TITLE = "Zqxprobetitle"
_PROBE_KEY = "digestblock{:020x}"


@dataclass
class _Skeleton:
    """A paper page converted with the probe title and probe keys."""

    html: str
    toc_tokens: list[Any]
    anchor_ids: set[str]
    title: str | None
    probe_id: str
    self_links: dict[str, str] | None
    """Links of the page to its own anchors (the headings' permalinks), as MkDocs notes them."""


@dataclass
class _Parser:
    """The build's parser and the skeletons it made (a new build makes a new parser)."""

    config: MkDocsConfig
    md: markdown.Markdown
    skeletons: dict[Any, Any]
    """Skeletons by shape (``_Skeleton`` or None), and what ``convert_sections`` keeps."""
    skeletons_allowed: bool


_parser: list[_Parser] = []


def _current(config: MkDocsConfig) -> _Parser:
    if not _parser or _parser[0].config is not config:
        md = markdown.Markdown(extensions=config["markdown_extensions"],
                               extension_configs=config["mdx_configs"] or {})
        allowed = all(isinstance(name, str) and name in SKELETON_SAFE_EXTENSIONS
                      for name in config["markdown_extensions"])
        _parser[:] = [_Parser(config, md, {}, allowed)]
    return _parser[0]


def render(page: Page, config: MkDocsConfig, files: Files, *, templated: bool = False,
           sections: tuple[str, list[str], str] | None = None) -> None:
    """``Page.render`` with the build's parser: the same content, toc, title and anchors.

    ``templated`` pages (paper pages) are made from their shape's skeleton when they can be.
    A page given as ``sections`` (a day page: head, paper entries, tail, joined by line breaks,
    each a run of whole blocks) has its entries converted apart from the head (``_sections``).
    """
    if page.markdown is None:
        raise RuntimeError("`markdown` field hasn't been set (via `read_source`)")
    parser = _current(config)
    if templated and parser.skeletons_allowed and _from_skeleton(page, parser, files):
        return
    if (sections is not None and parser.skeletons_allowed
            and "\n".join([sections[0], *sections[1], sections[2]]) == page.markdown
            and _sections.render(page, parser, files, *sections)):
        return
    _convert(page, page.markdown, parser.md, config, files)


def _convert(page: Page, source: str, md: markdown.Markdown, config: MkDocsConfig,
             files: Files) -> _RelativePathTreeprocessor:
    md.reset()
    raw_html_ext = _RawHTMLPreprocessor()
    raw_html_ext._register(md)
    extract_anchors_ext = _ExtractAnchorsTreeprocessor(page.file, files, config)
    extract_anchors_ext._register(md)
    relative_path_ext = _RelativePathTreeprocessor(page.file, files, config)
    relative_path_ext._register(md)
    extract_title_ext = _ExtractTitleTreeprocessor()
    extract_title_ext._register(md)
    page.content = md.convert(source)
    page.toc = get_toc(getattr(md, "toc_tokens", []))
    page._title_from_render = extract_title_ext.title
    page.present_anchor_ids = (extract_anchors_ext.present_anchor_ids
                               | raw_html_ext.present_anchor_ids)
    if log.getEffectiveLevel() > logging.DEBUG:
        page.links_to_anchors = relative_path_ext.links_to_anchors
    return relative_path_ext


def _from_skeleton(page: Page, parser: _Parser, files: Files) -> bool:
    """Fill ``page`` from its shape's skeleton; False when the page must be converted in full."""
    source = page.markdown or ""
    first, newline, rest = source.partition("\n")
    title = first[2:]
    if not (first.startswith("# ") and newline and _PLAIN_TITLE.fullmatch(title)):
        return False
    if ("digestblock" in title or _PROBE_TITLE.lower() in title.lower()
            or title != " ".join(title.split()) or "toc" not in parser.md.treeprocessors):
        return False
    keys: list[str] = []

    def probe(match: re.Match[str]) -> str:
        keys.append(match[0])
        return _PROBE_KEY.format(len(keys) - 1)

    shape = blocks.PLACEHOLDER_KEY.sub(probe, rest)
    if shape not in parser.skeletons:
        parser.skeletons[shape] = _make_skeleton(page, shape, parser, files)
    skeleton = parser.skeletons[shape]
    if skeleton is None:
        return False
    toc = parser.md.treeprocessors["toc"]
    heading_id = toc.slugify(title, toc.sep)
    if (not _SAFE_ID.fullmatch(heading_id) or heading_id in skeleton.anchor_ids
            or "digestblock" in heading_id):
        return False
    html = skeleton.html.replace(skeleton.probe_id, heading_id).replace(_PROBE_TITLE, title)
    for number, key in enumerate(keys):
        html = html.replace(_PROBE_KEY.format(number), key)
    page.content = html
    page.toc = get_toc(_tokens(skeleton.toc_tokens, skeleton.probe_id, heading_id, title))
    page._title_from_render = title if skeleton.title == _PROBE_TITLE else skeleton.title
    page.present_anchor_ids = {heading_id if a == skeleton.probe_id else a
                               for a in skeleton.anchor_ids}
    if log.getEffectiveLevel() > logging.DEBUG:
        links = skeleton.self_links
        page.links_to_anchors = {} if links is None else {page.file: {
            (heading_id if anchor == skeleton.probe_id else anchor):
            url.replace(skeleton.probe_id, heading_id) for anchor, url in links.items()}}
    return True


def _make_skeleton(page: Page, shape: str, parser: _Parser, files: Files) -> _Skeleton | None:
    """Convert a shape with the probe title (in ``page``'s place, then restored); None when
    the shape holds links or raw HTML, whose conversion depends on more than the title."""
    if "[" in shape or "<" in shape:
        return None
    saved = (page.content, page.toc, page._title_from_render, page.present_anchor_ids,
             page.links_to_anchors)
    links = _convert(page, f"# {_PROBE_TITLE}\n{shape}", parser.md, parser.config, files)
    html, title = page.content or "", page._title_from_render
    anchors = set(page.present_anchor_ids or ())
    tokens = copy.deepcopy(getattr(parser.md, "toc_tokens", []))
    (page.content, page.toc, page._title_from_render, page.present_anchor_ids,
     page.links_to_anchors) = saved
    first = tokens[0] if tokens else None
    if first is None or first["html"] != _PROBE_TITLE or first["name"] != _PROBE_TITLE:
        return None
    if set(links.links_to_anchors) - {page.file}:
        return None
    own = links.links_to_anchors.get(page.file)
    return _Skeleton(html, tokens, anchors, title, first["id"], own)


def _tokens(tokens: list[Any], probe_id: str, heading_id: str, title: str) -> list[Any]:
    out = []
    for token in tokens:
        token = {**token, "children": _tokens(token["children"], probe_id, heading_id, title)}
        if token["id"] == probe_id:
            token.update(id=heading_id, name=title, html=title)
        out.append(token)
    return out
