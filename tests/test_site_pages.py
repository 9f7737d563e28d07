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
from arxiv_digest.site import index as page_index
from arxiv_digest.site import markers, render, tags, urls
from arxiv_digest.site.content import Content

from tests.site_support import sample_paper, write_day, write_paper, write_sample_pages


def _uris(docs: Path) -> list[str]:
    return sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*.md"))


def _index(docs: Path) -> page_index.PageIndex:
    return page_index.PageReader().build(docs, _uris(docs))


def test_index_reads_pages_once_and_rereads_a_changed_one(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    roles = write_sample_pages(docs)
    reader = page_index.PageReader()
    first = reader.build(docs, _uris(docs))
    assert first.dates == [roles["saturday"], roles["monday"], roles["tuesday"]]
    assert [p.meta.arxiv_id for p in first.latest_papers(3)] == ["2604.00003", "cs/0601001",
                                                                 "2604.00001"]
    again = reader.build(docs, _uris(docs))
    assert again.papers["2604.00002"] is first.papers["2604.00002"]  # from the cache
    path = docs / "papers" / "2604.00002.md"
    path.write_text(path.read_text("utf-8").replace("Second sentence.", "Changed."), "utf-8")
    os.utime(path, ns=(1, 1))  # a different mtime, whatever the clock's resolution
    changed = reader.build(docs, _uris(docs))
    assert changed.papers["2604.00002"].bullets[1] == "Changed."
    assert changed.fresh == {"papers/2604.00002.md"} and again.fresh == set()
    # What the reader keeps from the last build equals what a fresh reader reads.
    afresh = _index(docs)
    assert (changed.papers, changed.days, changed.dates) == (afresh.papers, afresh.days,
                                                             afresh.dates)
    assert afresh.fresh == set(changed.by_src)


def test_index_neighbours_and_latest_announced(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    roles = write_sample_pages(docs)
    write_day(docs, schema.Day(date=dt.date(2026, 4, 29), status="no-announcement"))
    index = _index(docs)
    assert index.latest_announced().meta.date == roles["tuesday"]
    assert index.neighbours(roles["monday"]) == (roles["saturday"], roles["tuesday"])
    assert index.neighbours(roles["saturday"])[0] is None
    # Paging through announcement days skips weekends and holidays (Saturday, Wednesday 29).
    write_day(docs, schema.Day(date=dt.date(2026, 4, 30), status="announced"))
    write_day(docs, schema.Day(date=dt.date(2026, 4, 24), status="announced"))
    index = _index(docs)
    assert index.announcement_neighbours(roles["monday"]) == (dt.date(2026, 4, 24),
                                                               roles["tuesday"])
    assert index.announcement_neighbours(roles["tuesday"]) == (roles["monday"],
                                                                dt.date(2026, 4, 30))
    assert index.announcement_neighbours(roles["saturday"]) == (dt.date(2026, 4, 24),
                                                                 roles["monday"])
    assert index.announcement_neighbours(dt.date(2026, 4, 30)) == (roles["tuesday"], None)


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
        _index(docs)
        return
    with pytest.raises(DigestError) as err:
        _index(docs)
    assert str(err.value).startswith(where)


def test_tag_pages_split_by_month_beyond_the_page_size(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    # 60 papers a month for three months: the tag page shows two months, links the third.
    for n in range(180):
        announced = dt.date(2026, 1 + n // 60, 1 + n % 28)
        write_paper(docs, sample_paper(f"2601.{n:05d}", announced=announced, topics=[]))
    index = _index(docs)
    pages = {listing.uri: listing for listing in tags.generate(index)}
    assert set(pages) == {urls.TAGS_INDEX_URI, "tags/cs-lg/index.md", "tags/cs-ai/index.md",
                          "tags/cs-lg/2026-01.md", "tags/cs-ai/2026-01.md"}

    def html(uri: str) -> str:
        return pages[uri].content(urls.Links(uri)).html

    cs_lg = html("tags/cs-lg/index.md")
    assert cs_lg.index(">March 2026<") < cs_lg.index(">February 2026<")
    assert ">January 2026<" not in cs_lg.replace('/">January 2026</a>', "")
    assert '<li><a href="2026-01/">January 2026</a> — 60</li>' in cs_lg
    january = html("tags/cs-lg/2026-01.md")
    assert january.count('<li><a href="../../../papers/2601.') == 60
    assert "←" not in january  # February is on the tag's own page
    assert pages["tags/cs-lg/2026-01.md"].title == "cs.LG — Machine Learning: January 2026"


def test_markers_expand_and_unknown_markers_fail(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    write_sample_pages(docs)
    index = _index(docs)
    ctx = markers.MarkerContext(index, Settings(model="tiny-model"), urls.Links("about.md"),
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
    text = render.day_content(day, [], urls.Links("days/2026-04-27.md"), (None, None)).html
    assert '<div class="admonition warning">\n<p class="admonition-title">Back-filled</p>' in text
    assert '<p class="admonition-title">Incomplete</p>' in text
    assert "No paper of this day matched" in text
    quiet = schema.DayPage(meta=schema.Day(date=dt.date(2026, 4, 25), status="no-announcement"))
    text = render.day_content(quiet, [], urls.Links("days/2026-04-25.md"),
                              (None, dt.date(2026, 4, 27))).html
    assert '<p class="admonition-title">No new papers on arXiv</p>' in text
    # Named by weekday at the top; the note names the next announcement day and links it.
    assert '<a href="../2026-04-27/">Monday, 27 April →</a>' in text
    assert 'next announcement day is <a href="../2026-04-27/">Monday, 27 April 2026</a>' in text
    assert text.index('class="digest-daynav"') < text.index("No new papers on arXiv")


def test_headings_get_the_toc_extensions_ids_and_table_of_contents() -> None:
    out = Content()
    out.heading(1, "Tags &amp; topics")
    out.heading(2, "Topics")
    out.heading(2, "Topics")
    out.heading(3, '<a href="x/">A <span class="arithmatex">&#92;(x&#92;)</span> b</a>')
    ids = re.findall(r' id="([^"]+)"', out.html)
    assert ids == ["tags-topics", "topics", "topics_1", "a-x-b"]
    assert '<a class="headerlink" href="#topics_1" title="Permanent link">&para;</a>' in out.html
    (top,) = out.toc
    assert top.title == "Tags &amp; topics" and [c.id for c in top.children] == ids[1:3]
    assert [c.id for c in top.children[1].children] == ["a-x-b"]
    quiet = Content(permalinks=False)
    quiet.heading(1, "Title", ' class="digest-title"')
    assert quiet.html == '<h1 class="digest-title" id="title">Title</h1>'
    # A heading left out of the table of contents keeps its unique id (a day's papers: their
    # entries are written by palette.js from the headings).
    quiet.heading(2, "Entry", toc=False)
    quiet.heading(2, "Entry", toc=False)
    assert quiet.ids == {"title", "entry", "entry_1"} and 'id="entry_1"' in quiet.html
    (only,) = quiet.toc
    assert only.id == "title" and not only.children


def test_a_list_page_changes_only_when_a_paper_it_lists_does(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    # 50 papers a month for three months; odd ones are on quantization.
    for n in range(150):
        write_paper(docs, sample_paper(f"2601.{n:05d}", announced=dt.date(2026, 1 + n // 50,
                                                                          1 + n % 28),
                                       topics=["quantization"] if n % 2 else []))
    reader = page_index.PageReader()
    first = {listing.uri: listing for listing in tags.generate(reader.build(docs, _uris(docs)))}
    write_paper(docs, sample_paper("2601.00007", announced=dt.date(2026, 1, 8),
                                   topics=["quantization"], title="A renamed paper"))
    os.utime(docs / "papers" / "2601.00007.md", ns=(1, 1))
    again = {listing.uri: listing for listing in tags.generate(reader.build(docs, _uris(docs)))}
    changed = {uri for uri, listing in again.items() if listing.args != first[uri].args}
    # January is on a page of its own for both categories; quantization shows every month.
    # The tags index and the tags' own pages show only counts of January's papers.
    assert changed == {"tags/cs-lg/2026-01.md", "tags/cs-ai/2026-01.md",
                       "tags/quantization/index.md"}
    for uri, listing in again.items():
        made = listing.content(urls.Links(uri)).html
        assert (made == first[uri].content(urls.Links(uri)).html) == (uri not in changed), uri
    assert "A renamed paper" in again["tags/cs-lg/2026-01.md"].content(urls.Links("x.md")).html


def test_a_paper_revised_on_arxiv_shows_which_version_was_summarized() -> None:
    paper = sample_paper("2604.00009", newer_version=3)
    page = schema.PaperPage(meta=paper, bullets=["a.", "b.", "c."],
                            body=schema.render_body(["a.", "b.", "c."]))
    html = render.paper_content(page, urls.Links("papers/2604.00009.md", True),
                                has_day=False).html
    assert "summary of v1" in html and 'href="https://arxiv.org/abs/2604.00009v3"' in html


def test_a_day_names_its_summaries_source_once_when_they_share_one() -> None:
    def page(arxiv_id: str, by: str = "gpt-4o-mini") -> schema.PaperPage:
        bullets = ["a.", "b.", "c."]
        return schema.PaperPage(meta=sample_paper(arxiv_id, summary={"by": by}),
                                bullets=bullets, body=schema.render_body(bullets))

    day = schema.DayPage(meta=schema.Day(date=dt.date(2026, 4, 27), status="announced"))
    links = urls.Links("days/2026-04-27.md")
    shared = render.day_content(day, [page("2604.00001"), page("2604.00002")], links,
                                (None, None)).html
    assert shared.count('class="digest-label') == 1
    assert '<p class="digest-label digest-label--all">Summaries (gpt-4o-mini)</p>' in shared
    assert shared.index("Summaries (gpt-4o-mini)") < shared.index("papers/2604.00001/")
    # Two sources: each summary says its own; one paper: its own label.
    mixed = render.day_content(day, [page("2604.00001"), page("2604.00002", "gpt-4o")], links,
                               (None, None)).html
    assert "Summaries (" not in mixed
    assert mixed.count('<p class="digest-label">Summary (') == 2
    assert "Summary (gpt-4o)" in mixed and "Summary (gpt-4o-mini)" in mixed
    one = render.day_content(day, [page("2604.00001")], links, (None, None)).html
    assert '<p class="digest-label">Summary (gpt-4o-mini)</p>' in one
