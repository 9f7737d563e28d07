"""A day page converted in parts: its head once, each paper entry apart, then put together.

A day page without a hand-written intro is a head (date heading, notes, count line), one entry
per paper (``### [title](../papers/<id>.md)`` and a placeholder paragraph) and a tail (the
placeholder of the links to the neighbouring days), all separated by blank lines. Converted
whole, Markdown spends most of the time matching inline syntax in thirty entries that differ
only in their title, link and placeholder. Here the head is converted as it is, an entry whose
title ``convert._PLAIN_TITLE`` lets through is made from a converted probe entry, and any other
entry is converted on its own. What depends on the whole page is done as Markdown's toc
extension and MkDocs do it for the whole page: heading ids made unique in page order (the
toc's own ``unique``), the table of contents nested (its ``nest_toc_tokens``), links resolved
by MkDocs' link processor, the page's anchors and the links to them collected in page order.
tests/test_site_convert.py compares the result with converting the page whole.
"""

from __future__ import annotations

import html
import logging
import re
from dataclasses import dataclass
from typing import Any

from markdown.extensions.toc import nest_toc_tokens, unique
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page, _RelativePathTreeprocessor
from mkdocs.structure.toc import get_toc

from . import convert

log = logging.getLogger("mkdocs.structure.pages")

_ENTRY = re.compile(r"(?P<hashes>#{1,6}) \[(?P<title>[^\n]*)\]\((?P<href>[\w./-]+)\)\n\n"
                    r"(?P<key>digestblock[0-9a-f]{20})\n\n")
# A URL that the serializer writes as it is.
_PLAIN_URL = re.compile(r"[\w./-]+")
_TAIL = re.compile(r"(digestblock[0-9a-f]{20})\n")
_PROBE_HREF = "zqxprobehref"
_PROBE_KEY = "digestblock" + "0" * 20


@dataclass
class _Template:
    """A converted probe entry with its title, id, link and key made into fields."""

    html: str
    """``str.format`` fields: title, id, href (as MkDocs wrote it), key."""
    token_html: str
    """The toc token's ``html`` (the link as written in Markdown): fields title, link."""
    self_link: bool
    """Whether the heading links to itself (its permalink), which MkDocs notes."""


def render(page: Page, parser: Any, files: Files, head: str, entries: list[str],
           tail: str) -> bool:
    """Fill ``page`` from its sections; False (``page`` untouched) to convert it whole."""
    matches = [_ENTRY.fullmatch(entry) for entry in entries]
    tail_match = _TAIL.fullmatch(tail)
    if (tail_match is None or any(m is None for m in matches)
            or "toc" not in parser.md.treeprocessors):
        return False
    config, md = parser.config, parser.md
    saved = _state(page)
    links = convert._convert(page, head, md, config, files)
    head_links = dict(links.links_to_anchors)
    if (set(head_links) - {page.file}) or not _only_own_ids(page, md):
        _restore(page, saved)
        return False
    head_tokens = _flatten(getattr(md, "toc_tokens", []))
    used = set(page.present_anchor_ids or ())
    if any(not _unchanged_id(token, md) for token in head_tokens):
        _restore(page, saved)
        return False  # the head's ids already needed a suffix: the toc's counters are not empty
    own = dict(head_links.get(page.file, {}))
    parts, tokens, counters = [page.content or ""], head_tokens, {}
    resolver = _RelativePathTreeprocessor(page.file, files, config)
    title, toc_md = page._title_from_render, md.treeprocessors["toc"]
    for match in matches:
        made = _entry(match, page, parser, files, resolver, used, counters, toc_md)
        if made is None:
            _restore(page, saved)
            return False
        html_part, token, anchor = made
        parts.append(html_part)
        tokens.append(token)
        if anchor is not None:
            own.setdefault(anchor, f"#{anchor}")
    parts.append(f"<p>{tail_match[1]}</p>")
    page.content = "\n".join(parts)
    page.toc = get_toc(nest_toc_tokens(tokens))
    page._title_from_render = title
    page.present_anchor_ids = used
    if log.getEffectiveLevel() > logging.DEBUG:
        page.links_to_anchors = {page.file: own} if own else {}
    return True


def _entry(match: re.Match[str], page: Page, parser: Any, files: Files,
           resolver: _RelativePathTreeprocessor, used: set[str], counters: dict[str, int],
           toc_md: Any) -> tuple[str, dict[str, Any], str | None] | None:
    """One entry's HTML, toc token and the anchor its permalink links to (None without one),
    its heading id made unique among ``used``."""
    title, link, key = match["title"], match["href"], match["key"]
    level = len(match["hashes"])
    plain = (convert._PLAIN_TITLE.fullmatch(title) and title == " ".join(title.split())
             and not any(probe in title.lower() for probe in (
                 "digestblock", convert._PROBE_TITLE.lower(), _PROBE_HREF)))
    template = _template(level, link, page, parser, files) if plain else None
    if template is not None:
        name, self_link = title, template.self_link
        token_html = template.token_html.format(title=title, link=link)
    else:
        alone = _alone(match[0], page, parser, files)
        if alone is None:
            return None
        html_part, token, self_link = alone
        name, token_html = token["name"], token["html"]
    slug = toc_md.slugify(html.unescape(name), toc_md.sep)
    heading_id = unique(slug, used, counters)
    if not convert._SAFE_ID.fullmatch(heading_id):
        return None
    if template is not None:
        href = resolver.path_to_url(link)
        if resolver.links_to_anchors or not _PLAIN_URL.fullmatch(href):
            return None  # a link to an anchor (MkDocs notes it), or one the serializer escapes
        html_part = template.html.format(title=title, id=heading_id, href=href, key=key)
    else:
        first = token["id"]
        if first != heading_id:
            renamed = html_part.replace(f' id="{first}"', f' id="{heading_id}"', 1).replace(
                f'href="#{first}"', f'href="#{heading_id}"', 1)
            if renamed.count(f' id="{heading_id}"') != 1:
                return None
            html_part = renamed
    token = {"level": level, "id": heading_id, "name": name, "html": token_html,
             "data-toc-label": ""}
    return html_part, token, heading_id if self_link else None


def _template(level: int, link: str, page: Page, parser: Any,
              files: Files) -> _Template | None:
    """The probe entry of this heading level, converted once per build (None if unusable)."""
    cache = parser.skeletons
    key = ("day-entry", level)
    if key not in cache:
        cache[key] = _make_template(level, link, page, parser, files)
    return cache[key]


def _make_template(level: int, link: str, page: Page, parser: Any,
                   files: Files) -> _Template | None:
    probe = convert._PROBE_TITLE
    source = f"{'#' * level} [{probe}]({link})\n\n{_PROBE_KEY}\n"
    saved = _state(page)
    links = convert._convert(page, source, parser.md, parser.config, files)
    out, tokens = page.content or "", _flatten(getattr(parser.md, "toc_tokens", []))
    anchors, own = set(page.present_anchor_ids or ()), dict(links.links_to_anchors)
    _restore(page, saved)
    href = _RelativePathTreeprocessor(page.file, files, parser.config).path_to_url(link)
    if len(tokens) != 1 or tokens[0]["name"] != probe or set(own) - {page.file}:
        return None
    probe_id = tokens[0]["id"]
    self_links = set(own.get(page.file, {}))
    if self_links - {probe_id} or not _PLAIN_URL.fullmatch(href):
        return None
    fields = {probe: "{title}", probe_id: "{id}", f'"{href}"': '"{href}"', _PROBE_KEY: "{key}"}
    if anchors != {probe_id} or any(out.count(marker) != 1 for marker in (probe, _PROBE_KEY)):
        return None
    if out.count(f'"{href}"') != 1 or tokens[0]["html"].count(link) != 1:
        return None
    text = out.replace("{", "{{").replace("}", "}}")
    for marker, field in fields.items():
        text = text.replace(marker, field)
    token_html = tokens[0]["html"].replace("{", "{{").replace("}", "}}")
    token_html = token_html.replace(probe, "{title}").replace(link, "{link}")
    return _Template(text, token_html, bool(self_links))


def _alone(source: str, page: Page, parser: Any,
           files: Files) -> tuple[str, dict[str, Any], bool] | None:
    """An entry converted on its own: its HTML, its one toc token, whether it links to itself."""
    saved = _state(page)
    links = convert._convert(page, source, parser.md, parser.config, files)
    out, tokens = page.content or "", _flatten(getattr(parser.md, "toc_tokens", []))
    own = links.links_to_anchors
    anchors = set(page.present_anchor_ids or ())
    _restore(page, saved)
    if len(tokens) != 1 or anchors != {tokens[0]["id"]} or set(own) - {page.file}:
        return None
    self_links = set(own.get(page.file, {}))
    if self_links - {tokens[0]["id"]}:
        return None
    return out, tokens[0], bool(self_links)


def _only_own_ids(page: Page, md: Any) -> bool:
    """The head's anchors are its headings' ids (no raw HTML or attribute ids)."""
    ids = {token["id"] for token in _flatten(getattr(md, "toc_tokens", []))}
    return set(page.present_anchor_ids or ()) == ids


def _unchanged_id(token: dict[str, Any], md: Any) -> bool:
    toc = md.treeprocessors["toc"]
    return token["id"] == toc.slugify(html.unescape(token["name"]), toc.sep) != ""


def _flatten(tokens: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Toc tokens in page order, without their nesting (``nest_toc_tokens`` nests them again)."""
    flat = []
    for token in tokens:
        flat.append({k: v for k, v in token.items() if k != "children"})
        flat.extend(_flatten(token.get("children", [])))
    return flat


def _state(page: Page) -> tuple[Any, ...]:
    return (page.content, page.toc, page._title_from_render, page.present_anchor_ids,
            page.links_to_anchors)


def _restore(page: Page, state: tuple[Any, ...]) -> None:
    (page.content, page.toc, page._title_from_render, page.present_anchor_ids,
     page.links_to_anchors) = state
