"""Search records: what Pagefind indexes for a paper, and the service that indexes them."""

from __future__ import annotations

import datetime as dt
import json

from arxiv_digest.pages import schema
from arxiv_digest.site.search import Indexer, RecordFeed, paper_record, shard_of

from tests.site_support import sample_paper


def _page(**fields) -> schema.PaperPage:
    paper = sample_paper("2401.00001", **fields)
    bullets = ["Uses **four-bit** weights.", "See [the code](https://example.org/x).",
               "Runs `fast`."]
    return schema.parse_paper(schema.render_paper(paper, schema.render_body(bullets)))


def test_record_holds_title_authors_and_summary_not_the_abstract() -> None:
    page = _page(title="Tiny $O(n^2)$ transformers", abstract="We shrink attention.")
    record = paper_record(page, "/papers/2401.00001/")
    assert record["url"] == "/papers/2401.00001/"
    assert record["meta"] == {"title": "Tiny $O(n^2)$ transformers",
                              "authors": "Ada Lovelace, Alan Turing",
                              "day": "Monday, 27 April 2026", "topics": "Quantization"}
    # The id is indexed text: an id typed in the box finds its paper.
    assert record["content"].endswith(" 2401.00001")
    content = record["content"]
    for text in ("Tiny $O(n^2)$ transformers", "Ada Lovelace, Alan Turing"):
        assert text in content
    # The summary stands for the abstract (a tenth of the site's bytes, see paper_record).
    assert "We shrink attention." not in content
    # A reader's Markdown is indexed as its text.
    assert "Uses four-bit weights." in content and "See the code." in content
    assert "Runs fast." in content and "https://example.org" not in content


def test_record_of_a_paper_without_summary_holds_its_abstract() -> None:
    paper = sample_paper("2401.00002", abstract="We shrink attention.")
    page = schema.parse_paper(schema.render_paper(paper, schema.render_body([])))
    content = paper_record(page, "/papers/2401.00002/")["content"]
    assert "We shrink attention." in content and content.endswith(" 2401.00002")


def test_indexer_writes_a_bundle_with_one_fragment_per_record(tmp_path) -> None:
    pages = [_page(abstract=f"Abstract number {i} about sparsity.") for i in range(3)]
    indexer = Indexer()
    try:
        indexer.add_all(paper_record(p, f"/papers/{i}/") for i, p in enumerate(pages))
        indexer.write(tmp_path / "bundle")
    finally:
        indexer.close()
    assert (tmp_path / "bundle" / "pagefind.js").is_file()
    entry = json.loads((tmp_path / "bundle" / "pagefind-entry.json").read_text("utf-8"))
    assert entry["languages"]["en"]["page_count"] == 3
    assert len(list((tmp_path / "bundle" / "fragment").iterdir())) == 3


def test_a_feed_gives_each_shard_once_its_papers_are_in_and_the_rest_when_completed() -> None:
    """Records handed over as pages are written: a shard goes to the indexer when its last paper
    is in, in the order of the index; a paper whose page was not written comes from ``record``
    when the build completes the feed."""
    early = [_page(announced=dt.date(2026, 1, 5 + n)) for n in range(2)]
    late = [_page(announced=dt.date(2026, 4, 6 + n)) for n in range(2)]
    papers = {"2026-01": [(f"papers/a{n}.md", p) for n, p in enumerate(early)],
              "2026-04": [(f"papers/b{n}.md", p) for n, p in enumerate(late)]}
    feed = RecordFeed(papers)
    shards = iter(feed)
    feed.add("papers/b0.md", late[0], "/b0/")
    feed.add("papers/a0.md", early[0], "/a0/")
    feed.add("papers/a1.md", early[1], "/a1/")
    feed.add("papers/a1.md", early[1], "/a1/")  # given twice: indexed once
    name, records = next(shards)
    assert name == "2026-01" and [r["url"] for r in records] == ["/a0/", "/a1/"]
    feed.complete(lambda uri, page: paper_record(page, "/" + uri))
    name, records = next(shards)
    assert name == "2026-04" and [r["url"] for r in records] == ["/b0/", "/papers/b1.md"]
    assert next(shards, None) is None and not feed.folder.exists()


def test_a_paper_is_in_the_shard_of_its_announcement_month() -> None:
    """Monthly shards (an indexer holds one month's papers), named so that sorting the names
    puts them in time order: the search box takes them newest first."""
    days = [dt.date(2025, 9, 30), dt.date(2025, 10, 1), dt.date(2025, 12, 31), dt.date(2026, 1, 1)]
    names = [shard_of(_page(announced=day)) for day in days]
    assert names == ["2025-09", "2025-10", "2025-12", "2026-01"]
    assert sorted(names, reverse=True) == names[::-1]
