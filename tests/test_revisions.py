"""Provenance in the front matter, the daily re-check of versions, ``resummarize --revised``."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import os
from pathlib import Path

import pytest
from arxiv_digest.pages import schema, writer
from arxiv_digest.summaries.prompt import load_prompt

from tests.fakes.arxiv_server import RECORDED_DAY, synthetic_papers
from tests.test_fetch import RELEVANT, Env, env  # noqa: F401 - the fixture below uses it

GOLDEN = Path(__file__).parent / "golden"
EARLIER = dt.date(2026, 4, 20)  # a Monday, a week before the recorded day
LATER = dt.date(2026, 4, 28)


@pytest.fixture
def digest(env: Env) -> Env:  # noqa: F811 - test_fetch's fixture: the CLI against fake servers
    return env


def test_provenance_is_in_the_front_matter(digest: Env) -> None:
    assert digest.run("fetch").code == 0
    page = schema.read_paper(schema.paper_path(digest.docs, RELEVANT))
    info = page.meta.summary
    assert info.by == digest.llm.model and info.prompt == load_prompt().version
    assert info.version == page.meta.version == 1
    assert info.input == schema.input_sha256(page.meta.title, page.meta.abstract or "")
    assert (info.grounding, info.failed) == ("passed", None)
    assert page.meta.newer_version is None and page.meta.revised is None
    text = schema.paper_path(digest.docs, RELEVANT).read_text("utf-8")
    assert "  prompt: " in text and "  grounding: passed\n" in text and "failed" not in text
    assert digest.run("check").code == 0


def _earlier_day(digest: Env, n: int) -> list[str]:
    """Fetch ``n`` papers (extractive, no key) announced on EARLIER; their ids."""
    papers = synthetic_papers(n, prefix="2604.6")  # numbered before the later days
    digest.arxiv.set_day(EARLIER, {"cs.LG": papers})
    result = digest.run("fetch", "--all", key=False)
    assert result.code == 0, result.err
    return [p.arxiv_id for p in papers]


def _revise(digest: Env, arxiv_id: str, version: int) -> None:
    paper = digest.arxiv.papers[arxiv_id]
    digest.arxiv.add_papers([dataclasses.replace(
        paper, version=version, abstract=paper.abstract + f" Version {version} adds pruning.",
        updated=dt.datetime(2026, 4, 27, 9, 0, tzinfo=dt.UTC))])


def _edit(path: Path) -> None:
    text = path.read_text("utf-8")
    path.write_text(text[: text.index("## Summary")] + "## Summary\n\n- A reader's point.\n",
                    "utf-8")


def test_revised_papers_get_the_notice_in_the_days_own_requests(digest: Env) -> None:
    ids = _earlier_day(digest, 150)
    edited, unedited = ids[3], ids[7]
    _edit(schema.paper_path(digest.docs, edited))
    for arxiv_id in (edited, unedited):
        _revise(digest, arxiv_id, 3)
    before = digest.files()
    asked = len(digest.arxiv.api_requests)
    digest.arxiv.set_day(LATER, {"cs.LG": synthetic_papers(3, prefix="2604.7")})
    result = digest.run("fetch", "--all")
    assert result.code == 0, result.err
    requests = digest.arxiv.api_requests[asked:]
    # 3 papers of the day and 150 of the week before, in batches of at most 100:
    # ceil(153 / 100) = 2 requests, never one per paper.
    assert len(requests) == math.ceil(153 / 100) == 2
    batches = [digest.arxiv.api_ids(r) for r in requests]
    assert all(len(b) <= 100 for b in batches)
    assert sorted(i for b in batches for i in b) == sorted(
        ids + [f"2604.7{n:04d}" for n in (1, 2, 3)])
    assert "2 revised on arXiv" in result.out
    after = digest.files()
    changed = {name for name in after if before.get(name) != after[name]}
    assert changed == {f"papers/{edited}.md", f"papers/{unedited}.md", "days/2026-04-28.md",
                       *(f"papers/2604.7{n:04d}.md" for n in (1, 2, 3))}
    for arxiv_id in (edited, unedited):
        old = before[f"papers/{arxiv_id}.md"].decode()
        new = after[f"papers/{arxiv_id}.md"].decode()
        page = schema.parse_paper(new)
        assert page.meta.newer_version == 3 and page.meta.revised == 3
        assert page.meta.version == 1 and page.meta.summary.version == 1
        assert page.body == schema.parse_paper(old).body  # the summary is not touched
    # The edited page is the reader's (marked human by the same run); the other only gained a key.
    assert schema.read_paper(schema.paper_path(digest.docs, edited)).meta.summary.by == "human"
    unedited_old = before[f"papers/{unedited}.md"].decode()
    assert after[f"papers/{unedited}.md"].decode() == unedited_old.replace(
        "\n---\n", "\nnewer_version: 3\n---\n", 1)
    # The next run finds nothing new: no page changes.
    digest.arxiv.set_day(LATER, {"cs.LG": synthetic_papers(3, prefix="2604.7")})
    again = digest.run("fetch", "--all")
    assert again.code == 0 and digest.files() == after and "0 revised" in again.out


def test_recheck_reaches_back_the_configured_days(digest: Env) -> None:
    ids = _earlier_day(digest, 2)
    _revise(digest, ids[0], 2)
    digest.monkeypatch.setenv("DIGEST_RECHECK_DAYS", "7")  # EARLIER is 8 days before LATER
    digest.arxiv.set_day(LATER)
    assert digest.run("fetch").code == 0
    assert schema.read_paper(schema.paper_path(digest.docs, ids[0])).meta.newer_version is None
    asked = len(digest.arxiv.api_requests)
    digest.monkeypatch.setenv("DIGEST_RECHECK_DAYS", "8")
    digest.arxiv.set_day(LATER)  # a day without announcement: the re-check still runs
    result = digest.run("fetch")
    assert result.code == 0, result.err
    assert len(digest.arxiv.api_requests) == asked + 1
    assert schema.read_paper(schema.paper_path(digest.docs, ids[0])).meta.newer_version == 2


def test_resummarize_revised_upgrades_only_unedited_summaries(digest: Env) -> None:
    ids = _earlier_day(digest, 120)
    edited, revised = ids[0], ids[1:103]
    _edit(schema.paper_path(digest.docs, edited))
    for arxiv_id in (edited, *revised):
        _revise(digest, arxiv_id, 2)
    digest.arxiv.set_day(LATER)
    assert digest.run("fetch").code == 0
    edited_text = schema.paper_path(digest.docs, edited).read_text("utf-8")
    untouched = {i: schema.paper_path(digest.docs, i).read_bytes() for i in ids[103:]}
    asked, calls = len(digest.arxiv.api_requests), len(digest.llm.chat_requests)
    dry = digest.run("resummarize", "--revised", "--dry-run")
    assert dry.code == 0 and all(i in dry.out for i in revised) and edited not in dry.out
    # A dry run asks neither arXiv nor the model.
    assert (len(digest.arxiv.api_requests), len(digest.llm.chat_requests)) == (asked, calls)
    result = digest.run("resummarize", "--revised")
    assert result.code == 0, result.err
    # One API request per 100 pages (102 pages: 2), one chat request each.
    requests = digest.arxiv.api_requests[asked:]
    assert len(requests) == math.ceil(102 / 100) == 2
    assert sorted(i for r in requests for i in digest.arxiv.api_ids(r)) == sorted(revised)
    assert len(digest.llm.chat_requests) == calls + 102
    for arxiv_id in revised:
        page = schema.read_paper(schema.paper_path(digest.docs, arxiv_id))
        meta = page.meta
        assert meta.version == 2 and meta.newer_version is None and meta.revised is None
        assert meta.abstract is not None and meta.abstract.endswith("Version 2 adds pruning.")
        assert meta.summary.by == digest.llm.model and meta.summary.version == 2
        assert meta.summary.input == schema.input_sha256(meta.title, meta.abstract)
        assert meta.updated == dt.datetime(2026, 4, 27, 9, 0, tzinfo=dt.UTC)
        assert meta.announced == EARLIER and not page.reader_owned
    # The reader's summary is never touched: it keeps its notice.
    assert schema.paper_path(digest.docs, edited).read_text("utf-8") == edited_text
    assert schema.read_paper(schema.paper_path(digest.docs, edited)).meta.revised == 2
    assert {i: schema.paper_path(digest.docs, i).read_bytes() for i in ids[103:]} == untouched
    # Nothing left to do: no request at all.
    asked, calls = len(digest.arxiv.api_requests), len(digest.llm.chat_requests)
    assert digest.run("resummarize", "--revised").code == 0
    assert (len(digest.arxiv.api_requests), len(digest.llm.chat_requests)) == (asked, calls)
    assert digest.run("check").code == 0


def test_golden_page_with_provenance_and_notice() -> None:
    paper = schema.Paper(
        title="Rotated Quantization: $W4A8$ LLMs Without Outliers",
        arxiv_id="2604.00001",
        version=1,
        authors=["Ada Lovelace"],
        categories=["cs.LG"],
        announced=RECORDED_DAY,
        abstract="Outliers make low-bit quantization of LLMs hard: we rotate weights first.",
        summary=schema.SummaryInfo(
            by="gpt-4o-mini", prompt=2, version=1, grounding="repaired", failed=[3],
            input=schema.input_sha256("Rotated Quantization: $W4A8$ LLMs Without Outliers",
                                      "Outliers make low-bit quantization of LLMs hard: we "
                                      "rotate weights first."),
        ),
        newer_version=3,
    )
    bullets = ["Low-bit LLMs lose accuracy to outliers.", "Rotate weights before $W4A8$.",
               "Outliers make low-bit quantization of LLMs hard: we rotate weights first."]
    at = dt.datetime(2026, 4, 27, 6, 30, tzinfo=dt.UTC)
    text = writer.compose_paper(paper, bullets, None, at=at)
    path = GOLDEN / "paper_provenance.md"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_text(text, "utf-8")
    assert path.read_text("utf-8") == text, f"{path} differs; rerun with UPDATE_GOLDEN=1 and review"
    page = schema.parse_paper(text)
    assert page.meta == paper.model_copy(update={"summary": paper.summary.model_copy(
        update={"at": at, "sha256": schema.summary_sha256(bullets)})})


def test_legacy_summaries_and_missing_pages_are_not_rechecked(digest: Env) -> None:
    ids = _earlier_day(digest, 3)
    legacy, gone = ids[0], ids[1]
    path = schema.paper_path(digest.docs, legacy)
    # As the importer writes them: by legacy, no version of the summary's input.
    text = path.read_text("utf-8").replace("by: extractive", "by: legacy")
    path.write_text(text.replace("\n  version: 1\n", "\n"), "utf-8")
    schema.paper_path(digest.docs, gone).unlink()
    for arxiv_id in ids:
        _revise(digest, arxiv_id, 2)
    asked = len(digest.arxiv.api_requests)
    digest.arxiv.set_day(LATER)
    assert digest.run("fetch").code == 0
    [request] = digest.arxiv.api_requests[asked:]
    assert sorted(digest.arxiv.api_ids(request)) == sorted([legacy, ids[2]])
    assert schema.read_paper(path).meta.newer_version is None
    assert schema.read_paper(schema.paper_path(digest.docs, ids[2])).meta.newer_version == 2
