"""Hostile input where text enters a run (feed, API, model) and servers that trickle: the
day goes on or fails in one line, in bounded time, and what is written passes ``check``."""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path

import pytest
from arxiv_digest.pages import schema

from tests.fakes.arxiv_server import ArxivServer
from tests.faults_support import Rig, efficient_papers

API = ArxivServer.API_PATH
ROOT = Path(__file__).resolve().parent.parent


def _one_error_line(result) -> str:  # type: ignore[no-untyped-def]
    assert result.code == 1, result.out + result.err
    assert "Traceback" not in result.err
    line = result.last_line
    assert line.startswith("arxiv-digest: error: "), result.err
    return line


def test_a_guid_that_is_a_path_is_skipped_with_a_warning_and_the_day_goes_on(rig: Rig) -> None:
    good = efficient_papers(2)
    evil = dataclasses.replace(good[0], arxiv_id="../../../../tmp/x")
    rig.arxiv.set_feed("cs.LG", [evil, *good])
    result = rig.run("fetch")
    assert result.code == 0, result.err
    assert "Traceback" not in result.err
    warning = [line for line in result.err.splitlines() if "tmp/x" in line]
    assert len(warning) == 1 and "is not an arXiv id" in warning[0], result.err
    assert sorted(rig.pages()) == sorted(
        [f"days/{rig.arxiv.day}.md"] + [f"papers/{p.arxiv_id}.md" for p in good])
    assert not Path("/tmp/x.md").exists()
    assert rig.run("check").code == 0


def test_characters_xml_forbids_are_removed_where_text_enters(rig: Rig) -> None:
    paper = efficient_papers(1)[0]
    # C1 controls are valid XML in a feed or an API answer; the model's JSON may hold anything.
    dirty = dataclasses.replace(paper, title=paper.title + " \x80end",
                                abstract=paper.abstract + " \x9f\x85tail")
    rig.arxiv.set_feed("cs.LG", [dirty])
    # Bullets the grounding check accepts: they quote the abstract.
    rig.llm.answer("- We study \uffff quantization of large language models.\n"
                   "- Quantization of large \x1b language models, case 1.\n"
                   "- We study \ud800 large language models.", times=5)
    result = rig.run("fetch", key=rig.llm.api_key)
    assert result.code == 0, result.err
    text = schema.paper_path(rig.docs, paper.arxiv_id).read_text("utf-8")
    for bad in ("\x80", "\x9f", "\x85", "\uffff", "\x1b", "\\x80", "\\x9f", "\\uFFFF", "\\e"):
        assert bad not in text, (bad, text)
    page = schema.read_paper(schema.paper_path(rig.docs, paper.arxiv_id))
    assert page.meta.title.endswith("end") and page.meta.abstract.endswith("tail")
    assert page.bullets == ["We study quantization of large language models.",
                            "Quantization of large language models, case 1.",
                            "We study large language models."]
    assert rig.run("check").code == 0


@pytest.mark.parametrize("headers", [False, True], ids=["body", "headers too"])
def test_a_trickling_feed_costs_at_most_the_deadline_per_attempt(rig: Rig, headers: bool) -> None:
    rig.arxiv.set_feed("cs.LG", efficient_papers(1))
    rig.arxiv.trickle("/rss/cs.LG", times=10, interval=0.05, headers=headers)
    started = time.monotonic()
    result = rig.run("fetch", DIGEST_HTTP_DEADLINE="0.5")
    elapsed = time.monotonic() - started
    line = _one_error_line(result)
    assert "cs.LG feed: answer not complete within the deadline of 0.5 s" in line, line
    assert "/rss/cs.LG" in line and "after 3 attempts" in line
    assert elapsed < 5, elapsed  # three attempts of 0.5 s, not one byte a 50 ms to the end
    assert rig.pages() == {}


@pytest.mark.parametrize("headers", [False, True], ids=["body", "headers too"])
def test_a_trickling_api_costs_at_most_the_deadline_per_attempt(rig: Rig, headers: bool) -> None:
    rig.arxiv.set_feed("cs.LG", efficient_papers(2))
    rig.arxiv.trickle(API, times=10, interval=0.05, headers=headers)
    started = time.monotonic()
    result = rig.run("fetch", DIGEST_HTTP_DEADLINE="0.5")
    line = _one_error_line(result)
    assert "arXiv API: answer not complete within the deadline of 0.5 s" in line, line
    assert time.monotonic() - started < 5
    assert rig.pages() == {}


@pytest.mark.parametrize("headers", [False, True], ids=["body", "headers too"])
def test_a_trickling_model_costs_at_most_the_deadline_then_falls_back(
    rig: Rig, headers: bool
) -> None:
    paper = efficient_papers(1)[0]
    rig.arxiv.set_feed("cs.LG", [paper])
    rig.llm.trickle(0.05, times=10, headers=headers)
    started = time.monotonic()
    result = rig.run("fetch", key=rig.llm.api_key, DIGEST_HTTP_DEADLINE="0.5")
    assert result.code == 0, result.err
    assert time.monotonic() - started < 8
    page = schema.read_paper(schema.paper_path(rig.docs, paper.arxiv_id))
    assert page.meta.summary.by == "extractive"
    assert len(rig.llm.chat_requests) == 3  # each attempt ended by the deadline, then retried
