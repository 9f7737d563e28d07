"""A listed paper (``PaperPage.listed``): plain slots that read as the model they come from."""

from __future__ import annotations

import datetime as dt
import json
import pickle
from pathlib import Path

import pytest
from arxiv_digest.pages import schema
from arxiv_digest.pages.problems import PageCheck
from arxiv_digest.site.incremental import BuildState

AT = dt.datetime(2026, 4, 27, 6, 30, tzinfo=dt.UTC)
BULLETS = ["Rotates weights before $W4A8$ quantization.", "Matches FP16 at 3.1x the speed."]


def _page(**changes: object) -> schema.PaperPage:
    values: dict[str, object] = dict(
        title="Rotated Quantization", arxiv_id="2604.00001", version=1,
        authors=["Ada Lovelace"], categories=["cs.LG"], announced=dt.date(2026, 4, 27),
        published=AT, comment="12 pages", topics=["quantization"], abstract="We rotate.",
        relevance=schema.Relevance(score=17.0, matched=["quantization"]),
        summary=schema.SummaryInfo(by="gpt-4o-mini", at=AT,
                                   sha256=schema.summary_sha256(BULLETS), version=1),
    )
    values.update(changes)
    meta = schema.Paper.model_validate(values)
    return schema.PaperPage(meta=meta, bullets=BULLETS, body=schema.render_body(BULLETS))


def test_it_holds_the_page_without_abstract_comment_relevance_and_body() -> None:
    page = _page()
    listed = page.listed()
    assert isinstance(listed, schema.ListedPaper) and listed.listed() is listed
    assert isinstance(listed, schema.PAPER_PAGES) and isinstance(page, schema.PAPER_PAGES)
    assert (listed.meta.abstract, listed.meta.comment, listed.meta.relevance, listed.body) == (
        None, None, None, "")
    # What the model without those fields gives, field for field (the paper page's front
    # matter is made from it before its file is read again).
    stripped = page.meta.model_copy(update={"abstract": None, "comment": None,
                                            "relevance": None})
    assert listed.meta.model_dump(exclude_none=True) == stripped.model_dump(exclude_none=True)
    assert listed.meta.model_dump() == stripped.model_dump()
    assert list(listed.meta.model_dump()) == list(schema.Paper.model_fields)
    assert (listed.meta.abs_url, listed.meta.pdf_url, listed.meta.summarized_version) == (
        page.meta.abs_url, page.meta.pdf_url, page.meta.summarized_version)
    assert listed.bullets == page.bullets and not listed.summary_by_reader


def test_derived_fields_follow_the_model() -> None:
    revised = _page(newer_version=3).listed()
    assert revised.meta.revised == 3
    edited = schema.PaperPage(meta=_page().meta, bullets=["A person's bullet."], body="")
    assert edited.listed().summary_by_reader and edited.listed().reader_owned


def test_equal_by_value_read_only_and_pickled_by_value() -> None:
    # `mkdocs serve --dirty` tells a changed list page by comparing what it was made from.
    one, two = _page().listed(), _page().listed()
    assert one == two and one is not two and hash(one.meta.summary) == hash(two.meta.summary)
    assert one != _page(title="Another Title").listed()
    with pytest.raises(AttributeError):
        one.meta.title = "changed"  # type: ignore[misc]
    # The validator's second process sends its checks pickled.
    back = pickle.loads(pickle.dumps(one, protocol=pickle.HIGHEST_PROTOCOL))
    assert back == one and type(back.meta.summary) is schema.ListedSummary
    with pytest.raises(TypeError, match="unknown fields"):
        schema.ListedSummary(**{**one.meta.summary.model_dump(), "extra": 1})


def test_the_build_state_keeps_listed_papers(tmp_path: Path) -> None:
    listed = _page().listed()
    day = schema.DayPage(meta=schema.Day(date=dt.date(2026, 4, 27), status="announced",
                                         papers=["2604.00001"]))
    state = BuildState("key")
    state.checks = {"papers/2604.00001.md": ("d1", PageCheck("/p", listed)),
                    "days/2026-04-27.md": ("d2", PageCheck("/d", day))}
    state.save(tmp_path)
    line = (tmp_path / "checks.jsonl").read_text("utf-8").splitlines()[0]
    assert json.loads(line.partition("\t")[2])["meta"]["announced"] == "2026-04-27"
    loaded = BuildState.load(tmp_path, "key")
    assert loaded is not None
    assert loaded.checks["papers/2604.00001.md"][1].page == listed
    assert loaded.checks["days/2026-04-27.md"][1].page == day
