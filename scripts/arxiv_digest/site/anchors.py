"""Heading ids: Markdown's slugs, cut after a few words.

A paper title's slug is written into its page twice (the heading's id and the skip link) and
into its day page: at 20,000 papers, whole-title slugs cost megabytes and make no better anchor.
A slug is one string however many pages hold it (MkDocs keeps every page's anchors to the end
of the build, and a paper's slug is among those of its page, its day page and its tags' pages).
"""

from __future__ import annotations

import sys

from markdown.extensions.toc import slugify

#: Longest id kept whole; a longer slug is cut at the last separator before it.
MAX_LENGTH = 32


def heading_id(value: str, separator: str) -> str:
    """The id of a heading (the ``slugify`` of Markdown's toc extension, in mkdocs.yml)."""
    slug = slugify(value, separator)
    if len(slug) > MAX_LENGTH:
        slug = slug[: MAX_LENGTH + 1].rsplit(separator, 1)[0] or slug[:MAX_LENGTH]
    return sys.intern(slug)
