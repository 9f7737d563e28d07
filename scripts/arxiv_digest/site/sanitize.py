"""HTML converted from a pull request's Markdown, kept to the tags Markdown writes: no script runs.

Python-Markdown 3 passes raw HTML through and has no safe mode, so a day's intro is converted as
usual and its HTML then rewritten from an allow-list: allowed tags keep only allowed attributes
(links and images only ``http``, ``https``, ``mailto`` or relative addresses); any other tag,
``<script>`` and its content included, is shown as text, as a reader wrote it. The output is
written here, never passed through, so the browser parses it exactly as this module reads it.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

# What Markdown and the configured extensions (admonition, tables, toc, details, arithmatex)
# write, plus the inline tags people use in Markdown.
_TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "details", "div", "dl", "dt", "em",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p",
    "pre", "s", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td",
    "tfoot", "th", "thead", "tr", "u", "ul",
})
_VOID = frozenset({"br", "hr", "img"})
_GLOBAL_ATTRS = frozenset({"class", "id", "title"})
_ATTRS = {"a": {"href"}, "img": {"src", "alt"}, "ol": {"start"}, "details": {"open"},
          "td": {"style", "align"}, "th": {"style", "align"}}
_URL_ATTRS = frozenset({"href", "src"})
_SCHEMES = frozenset({"http", "https", "mailto"})
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
# Browsers ignore ASCII whitespace and control characters inside a scheme ("java\tscript:").
_IGNORED = re.compile(r"[\x00-\x20\x7f]+")
# The only style Markdown's tables extension writes.
_ALIGN = re.compile(r"^text-align: (left|right|center);?$")


def _safe_url(url: str) -> bool:
    scheme = _SCHEME.match(_IGNORED.sub("", url))
    return scheme is None or scheme[1].lower() in _SCHEMES


def _attr_allowed(tag: str, name: str, value: str | None) -> bool:
    if name not in _GLOBAL_ATTRS and name not in _ATTRS.get(tag, ()):
        return False
    if name in _URL_ATTRS:
        return value is not None and _safe_url(value)
    if name == "style":
        return value is not None and _ALIGN.match(value.strip()) is not None
    return True


class _Cleaner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.open: list[str] = []
        """Allowed tags open: a stray end tag must not close the page's own elements."""

    def _tag(self, tag: str, attrs: list[tuple[str, str | None]], close: str) -> None:
        if tag not in _TAGS:
            self.out.append(html.escape(self.get_starttag_text() or ""))
            return
        kept = "".join(
            f' {name}="{html.escape(value or "", quote=True)}"' if value is not None else f" {name}"
            for name, value in attrs if _attr_allowed(tag, name, value))
        self.out.append(f"<{tag}{kept}{close}>")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag(tag, attrs, " /" if tag in _VOID else "")
        if tag in _TAGS and tag not in _VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag(tag, attrs, " /" if tag in _VOID else f"></{tag}")

    def handle_endtag(self, tag: str) -> None:
        if tag not in _TAGS:
            self.out.append(html.escape(f"</{tag}>"))
        elif tag in self.open:  # closes what it closes in the browser, the tags inside too
            while self.open:
                inner = self.open.pop()
                self.out.append(f"</{inner}>")
                if inner == tag:
                    break

    def handle_data(self, data: str) -> None:
        # Also the content of <script> and <style>, which the parser hands over raw.
        self.out.append(html.escape(data, quote=False))

    # Comments, declarations and processing instructions are dropped.


def clean_html(markup: str) -> str:
    """``markup`` with only allow-listed tags and attributes; anything else shown as text."""
    cleaner = _Cleaner()
    cleaner.feed(markup)
    cleaner.close()
    cleaner.out.extend(f"</{tag}>" for tag in reversed(cleaner.open))
    return "".join(cleaner.out)
