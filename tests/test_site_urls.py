"""Links between source files are what posixpath.relpath makes of them."""

from __future__ import annotations

import itertools
import posixpath

from arxiv_digest.site import urls

URIS = ["index.md", "about.md", "archive.md", "tags/index.md", "tags/cs-lg/index.md",
        "tags/cs-lg/2026-01.md", "days/2026-04-27.md", "papers/2604.00001.md",
        "papers/cs-0601001.md", "feed.xml", "a/b/c/d.md", "a/./b.md", "a//b.md", "tags/", "../x.md"]


def test_links_equal_relpath() -> None:
    for source, target in itertools.product(URIS, URIS):
        expected = posixpath.relpath(target, posixpath.dirname(source) or ".")
        assert urls.link(source, target) == expected, (source, target)
