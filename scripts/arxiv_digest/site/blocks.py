"""Ready HTML in a page's Markdown: a placeholder paragraph that the built page gets back as HTML.

Markdown would spend most of a build on the generated parts of pages (entity-encoded arXiv text,
links, lists, collapsible summaries) only to give back HTML written here anyway. So the generated
parts are HTML from the start: the Markdown holds one placeholder line per part (the headings stay
Markdown, for the table of contents and the permalinks), and ``expand`` puts the HTML in place of
the placeholders once the page is converted.
"""

from __future__ import annotations

import hashlib
import re

# Placeholder -> HTML of the page being rendered; dropped once it is.
_PAGE: dict[str, str] = {}
# Placeholders of generated list pages, by the hook that made them: replaced on each build.
_LISTS: dict[str, dict[str, str]] = {}
_PLACEHOLDER = re.compile(r"<p>(digestblock[0-9a-f]{20})</p>")
#: A placeholder's key wherever it stands.
PLACEHOLDER_KEY = re.compile(r"digestblock[0-9a-f]{20}")


def block(html: str, into: dict[str, str] | None = None) -> str:
    """A Markdown paragraph standing for ``html`` (blank lines around it are the caller's).

    The placeholder names the HTML's hash, so a generated page's Markdown changes when its HTML
    does (``mkdocs serve --dirty`` compares generated pages by their text). Blocks of generated
    pages go ``into`` a dict that their hook hands to ``keep``.
    """
    key = "digestblock" + hashlib.blake2b(html.encode(), digest_size=10).hexdigest()
    (_PAGE if into is None else into)[key] = html
    return key


def keep(owner: str, blocks: dict[str, str]) -> None:
    """The blocks of ``owner``'s generated pages for this build (those of the last are dropped)."""
    _LISTS[owner] = blocks


def expand(html: str) -> str:
    """The converted page with every placeholder paragraph replaced by its HTML."""
    if "digestblock" not in html:
        return html
    used: list[str] = []

    def replace(match: re.Match[str]) -> str:
        key = match[1]
        found = _PAGE.get(key)
        if found is None:
            found = next((b[key] for b in _LISTS.values() if key in b), None)
            if found is None:
                return match[0]
        used.append(key)
        return found

    out = _PLACEHOLDER.sub(replace, html)
    for key in used:
        _PAGE.pop(key, None)
    return out
