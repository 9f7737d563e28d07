"""What a rebuild reuses from the last one equals what it would make afresh."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from arxiv_digest.pages import schema
from arxiv_digest.site import index as page_index
from arxiv_digest.site import tags

from tests.site_support import sample_paper, write_paper


def _uris(docs: Path) -> list[str]:
    return [p.relative_to(docs).as_posix() for p in sorted(docs.rglob("*.md"))]


def _fresh(index: page_index.PageIndex) -> tuple[dict[str, str], dict[str, str]]:
    tags._lists.clear()
    lists: dict[str, str] = {}
    return dict(tags.generate(index, lists)), lists


def test_tag_pages_after_an_edit_equal_a_fresh_generation(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    for n in range(150):
        announced = dt.date(2026, 1 + n // 50, 1 + n % 28)
        write_paper(docs, sample_paper(f"2601.{n:05d}", announced=announced,
                                       topics=["quantization"] if n % 2 else []))
    index = page_index.build(docs, _uris(docs))
    first = dict(tags.generate(index, {}))
    # A new author and a new title: every list holding the paper changes, the others do not.
    edited = sample_paper("2601.00007", announced=dt.date(2026, 1, 8), topics=["quantization"],
                          authors=["Grace Hopper"], title="A renamed paper")
    write_paper(docs, edited)
    index = page_index.build(docs, _uris(docs))
    lists: dict[str, str] = {}
    again = dict(tags.generate(index, lists))
    expected, expected_lists = _fresh(index)
    assert again == expected and lists == expected_lists
    assert again != first
    assert any("Grace Hopper" in html for html in lists.values())
    assert isinstance(index.papers["2601.00007"], schema.PaperPage)
