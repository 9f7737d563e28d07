"""A page's content written as HTML: headings with the ids, permalinks and table of contents that
Markdown's toc extension gives a heading, and the blocks between them."""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from markdown.extensions.toc import nest_toc_tokens, strip_tags, unique
from mkdocs.structure.toc import TableOfContents, get_toc

from .anchors import heading_id


def admonition(kind: str, title: str, text: str) -> str:
    """The HTML of Markdown's ``!!! kind "title"`` block holding one paragraph of ``text``."""
    return (f'<div class="admonition {kind}">\n<p class="admonition-title">{title}</p>\n'
            f"<p>{text}</p>\n</div>")


@dataclass
class Content:
    """HTML in the making, with its headings' table of contents."""

    permalinks: bool = True
    """Whether headings get the toc extension's pilcrow link (mkdocs.yml ``permalink: true``)."""
    parts: list[str] = field(default_factory=list)
    tokens: list[dict[str, Any]] = field(default_factory=list)
    """The headings as Markdown's toc extension lists them, in page order, not nested."""
    ids: set[str] = field(default_factory=set)
    """Ids used on the page (a heading's id is made unique among them, as the toc does it)."""

    def heading(self, level: int, inner: str, attrs: str = "", *, toc: bool = True) -> None:
        """A heading holding the HTML ``inner``; ``attrs`` go before its id. ``toc`` false: left
        out of the table of contents (a day page's script lists its papers, ``palette.js``)."""
        name = strip_tags(inner)
        anchor = unique(heading_id(html.unescape(name), "-"), self.ids)
        link = (f'<a class="headerlink" href="#{anchor}" title="Permanent link">&para;</a>'
                if self.permalinks else "")
        self.parts.append(f'<h{level}{attrs} id="{anchor}">{inner}{link}</h{level}>')
        if toc:
            self.tokens.append({"level": level, "id": anchor, "name": name, "html": inner,
                                "data-toc-label": ""})

    def add(self, *blocks: str) -> None:
        self.parts.extend(block for block in blocks if block)

    def add_toc(self, toc: TableOfContents, clean: Callable[[str], str] = str) -> None:
        """Headings converted elsewhere (a hand-written intro) join the table of contents, their
        titles passed through ``clean`` (the theme prints them unescaped)."""
        def flat(items: Any) -> None:
            for item in items:
                title = clean(item.title)
                self.tokens.append({"level": item.level, "id": item.id, "name": title,
                                    "html": title, "data-toc-label": ""})
                self.ids.add(item.id)
                flat(item.children)
        flat(toc)

    @property
    def html(self) -> str:
        return "".join(self.parts)  # blocks: a line break between them would never show

    @property
    def toc(self) -> TableOfContents:
        return get_toc(nest_toc_tokens([dict(token) for token in self.tokens]))
