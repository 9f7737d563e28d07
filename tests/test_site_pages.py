"""The site's page index, tag pages and markers, without a MkDocs build."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pytest
from arxiv_digest.config import Settings
from arxiv_digest.errors import DigestError
from arxiv_digest.pages import schema
from arxiv_digest.site import blocks, markers, render, tags, urls
from arxiv_digest.site import index as page_index

from tests.site_support import sample_paper, write_day, write_paper, write_sample_pages


def _uris(docs: Path) -> list[str]:
    return sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*.md"))


def test_index_reads_pages_once_and_rereads_a_changed_one(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    roles = write_sample_pages(docs)
    first = page_index.build(docs, _uris(docs))
    assert first.dates == [roles["saturday"], roles["monday"], roles["tuesday"]]
    assert [p.meta.arxiv_id for p in first.latest_papers(3)] == ["2604.00003", "cs/0601001",
                                                                 "2604.00001"]
    again = page_index.build(docs, _uris(docs))
    assert again.papers["2604.00002"] is first.papers["2604.00002"]  # from the cache
    path = docs / "papers" / "2604.00002.md"
    path.write_text(path.read_text("utf-8").replace("Second sentence.", "Changed."), "utf-8")
    os.utime(path, ns=(1, 1))  # a different mtime, whatever the clock's resolution
    changed = page_index.build(docs, _uris(docs))
    assert changed.papers["2604.00002"].bullets[1] == "Changed."
    assert page_index.current() is changed


def test_index_neighbours_and_latest_announced(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    roles = write_sample_pages(docs)
    write_day(docs, schema.Day(date=dt.date(2026, 4, 29), status="no-announcement"))
    index = page_index.build(docs, _uris(docs))
    assert index.latest_announced().meta.date == roles["tuesday"]
    assert index.neighbours(roles["monday"]) == (roles["saturday"], roles["tuesday"])
    assert index.neighbours(roles["saturday"])[0] is None


@pytest.mark.parametrize(
    ("name", "where"),
    [("2604.99999.md", "docs/papers/2604.99999.md: arxiv_id"),
     ("2604.00001.md", None)],
)
def test_index_checks_file_names(tmp_path: Path, name: str, where: str | None) -> None:
    docs = tmp_path / "docs"
    path = write_paper(docs, sample_paper("2604.00001"))
    path.rename(docs / "papers" / name)
    if where is None:
        page_index.build(docs, _uris(docs))
        return
    with pytest.raises(DigestError) as err:
        page_index.build(docs, _uris(docs))
    assert str(err.value).startswith(where)


def test_tag_pages_split_by_month_beyond_the_page_size(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    # 60 papers a month for three months: the tag page shows two months, links the third.
    for n in range(180):
        announced = dt.date(2026, 1 + n // 60, 1 + n % 28)
        write_paper(docs, sample_paper(f"2601.{n:05d}", announced=announced, topics=[]))
    index = page_index.build(docs, _uris(docs))
    lists: dict[str, str] = {}
    pages = dict(tags.generate(index, lists))
    assert set(pages) == {urls.TAGS_INDEX_URI, "tags/cs-lg/index.md", "tags/cs-ai/index.md",
                          "tags/cs-lg/2026-01.md", "tags/cs-ai/2026-01.md"}
    cs_lg = pages["tags/cs-lg/index.md"]
    assert cs_lg.index("## March 2026") < cs_lg.index("## February 2026")
    assert "## January 2026" not in cs_lg and "[January 2026](2026-01.md) — 60" in cs_lg
    # A month's papers are one list of ready HTML, put in place of its placeholder line.
    (placeholder,) = re.findall(r"^digestblock\w+$", pages["tags/cs-lg/2026-01.md"], re.M)
    assert lists[placeholder].count("<li><a href=\"../../../papers/2601.") == 60
    assert "search:\n  exclude: true" in pages["tags/cs-lg/2026-01.md"]
    assert "←" not in pages["tags/cs-lg/2026-01.md"]  # February is on the tag's own page


def test_markers_expand_and_unknown_markers_fail(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    write_sample_pages(docs)
    index = page_index.build(docs, _uris(docs))
    ctx = markers.MarkerContext(index, Settings(model="tiny-model"), "about.md",
                                "https://github.com/o/r")
    text = markers.expand("Model: <!-- digest:model -->. <!--digest:contributing-->", ctx, "x.md")
    assert text == ("Model: `tiny-model`. "
                    "[CONTRIBUTING.md](https://github.com/o/r/blob/main/CONTRIBUTING.md)")
    assert "    | llm | domain |" in markers.expand("<!-- digest:rules -->", ctx, "x.md")
    with pytest.raises(DigestError, match=r"^docs/about.md: unknown marker digest:oops"):
        markers.expand("<!-- digest:oops -->", ctx, "docs/about.md")


def test_links_are_between_source_files() -> None:
    assert urls.link("days/2026-04-27.md", urls.paper_uri("cs/0601001")) == \
        "../papers/cs-0601001.md"
    assert urls.link("index.md", urls.tag_uri("cs.LG", "2026-04")) == "tags/cs-lg/2026-04.md"
    assert urls.page_url("tags/cs-lg/index.md") == "tags/cs-lg/"
    assert urls.page_url("papers/2306.12929.md", directory_urls=False) == "papers/2306.12929.html"


def test_day_page_notes_for_incomplete_backfilled_and_empty_days() -> None:
    day = schema.DayPage(meta=schema.Day(date=dt.date(2026, 4, 27), status="announced",
                                         backfilled=True, incomplete=True))
    text = render.day_page(day, [], "days/2026-04-27.md", (None, None))
    assert '!!! warning "Back-filled"' in text and '!!! warning "Incomplete"' in text
    assert "No paper of this day matched" in text
    quiet = schema.DayPage(meta=schema.Day(date=dt.date(2026, 4, 25), status="no-announcement"))
    assert '!!! info "No new papers on arXiv"' in render.day_page(
        quiet, [], "days/2026-04-25.md", (None, dt.date(2026, 4, 27)))


def test_list_pages_stamp_ignores_summaries_but_not_titles(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    write_sample_pages(docs)
    before = page_index.build(docs, _uris(docs)).listing_stamp()
    path = docs / "papers" / "2604.00002.md"
    path.write_text(path.read_text("utf-8").replace("Second sentence.", "Changed."), "utf-8")
    os.utime(path, ns=(1, 1))
    assert page_index.build(docs, _uris(docs)).listing_stamp() == before  # tag pages reused
    path.write_text(path.read_text("utf-8").replace("title: ", "title: New ", 1), "utf-8")
    os.utime(path, ns=(2, 2))
    assert page_index.build(docs, _uris(docs)).listing_stamp() != before


def test_placeholders_become_their_html_once_converted() -> None:
    first = blocks.block("<p>one</p>")
    kept: dict[str, str] = {}
    listed = blocks.block("<ul>\n<li>two</li>\n</ul>", kept)
    blocks.keep("test", kept)
    page = f"<h2>x</h2>\n<p>{first}</p>\n<p>{listed}</p>\n<p>{first}</p>"
    assert blocks.expand(page) == "<h2>x</h2>\n<p>one</p>\n<ul>\n<li>two</li>\n</ul>\n<p>one</p>"
    # A page's own blocks go once it is built; list pages' blocks stay for the whole build.
    assert blocks.expand(f"<p>{listed}</p>") == "<ul>\n<li>two</li>\n</ul>"
    assert blocks.expand(f"<p>{first}</p>") == f"<p>{first}</p>"
    blocks.keep("test", {})
