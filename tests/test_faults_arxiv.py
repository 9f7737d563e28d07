"""arXiv failing in every way it does, in whole ``fetch`` runs: retried, then nothing written."""

from __future__ import annotations

import pytest
from arxiv_digest.pages import schema

from tests.fakes.arxiv_feeds import render_atom
from tests.fakes.arxiv_server import RECORDED_DAY, ArxivServer, FakePaper
from tests.faults_support import Rig, efficient_papers, gaps

RSS = "/rss/cs.CL"  # the second feed: the first was read fine, and still nothing may be written
API = ArxivServer.API_PATH
ATTEMPTS = 3  # DIGEST_RETRIES=2 in the rig


def _inject(server: ArxivServer, path: str, fault: str, times: int) -> None:
    if fault == "hang":
        server.hang(path, times=times, seconds=5)
    elif fault == "429":
        server.fail(path, 429, retry_after=0.2, times=times)
    else:
        server.fail(path, int(fault), times=times)


def _assert_failed_cleanly(rig: Rig, result, *words: str) -> str:  # type: ignore[no-untyped-def]
    assert result.code == 1, result.err
    line = result.last_line
    assert line.startswith("arxiv-digest: error: "), result.err
    assert "Traceback" not in result.err
    for word in words:
        assert word in line, line
    assert rig.pages() == {}, "a failed day wrote pages"
    return line


@pytest.mark.parametrize("path", [RSS, API], ids=["rss", "api"])
@pytest.mark.parametrize("fault", ["429", "500", "503", "hang"])
def test_failing_after_the_retry_budget_names_the_url_and_writes_nothing(
    rig: Rig, path: str, fault: str
) -> None:
    _inject(rig.arxiv, path, fault, ATTEMPTS)
    result = rig.run("fetch", DIGEST_HTTP_TIMEOUT="0.3")
    line = _assert_failed_cleanly(rig, result, rig.arxiv.base_url + path,
                                  f"after {ATTEMPTS} attempts")
    assert ("no answer within 0.3 s" if fault == "hang" else f"HTTP {fault}") in line
    assert len([r for r in rig.arxiv.requests if r.path == path]) == ATTEMPTS


@pytest.mark.parametrize("path", [RSS, API], ids=["rss", "api"])
@pytest.mark.parametrize("status", [429, 500, 503])
def test_transient_failure_is_retried_honouring_retry_after_and_the_delay(
    rig: Rig, path: str, status: int
) -> None:
    rig.arxiv.fail(path, status, retry_after=0.4, times=2)
    result = rig.run("fetch", ARXIV_DELAY_SECONDS="0.15")
    assert result.code == 0, result.err
    retried = [r.time for r in rig.arxiv.requests if r.path == path]
    assert len(retried) == 3
    assert min(gaps(retried)) >= 0.4  # Retry-After, measured by the server
    # Every request of the run, feeds and API alike, at least the configured delay apart.
    assert min(gaps([r.time for r in rig.arxiv.requests])) >= 0.15
    assert schema.day_path(rig.docs, RECORDED_DAY).exists()


def test_backoff_without_retry_after_doubles(rig: Rig) -> None:
    rig.arxiv.fail(RSS, 503, times=2)
    assert rig.run("fetch", DIGEST_BACKOFF_SECONDS="0.2").code == 0
    first, second = gaps([r.time for r in rig.arxiv.requests if r.path == RSS])
    assert first >= 0.2 and second >= 0.4


@pytest.mark.parametrize("kind", ["truncate", "html"])
def test_broken_feed_is_a_failure_not_an_empty_day(rig: Rig, kind: str) -> None:
    getattr(rig.arxiv, kind)(RSS, times=ATTEMPTS)
    _assert_failed_cleanly(rig, rig.run("fetch"), rig.arxiv.base_url + RSS, "cs.CL feed")


def test_every_feed_broken_is_a_failure_not_a_weekend(rig: Rig) -> None:
    rig.arxiv.html("*", times=10)
    _assert_failed_cleanly(rig, rig.run("fetch"), "HTML")
    assert not schema.day_path(rig.docs, RECORDED_DAY).exists()


@pytest.mark.parametrize("kind", ["zero_entries", "truncate", "html"])
def test_api_answer_without_the_entries_is_retried_then_names_the_ids(
    rig: Rig, kind: str
) -> None:
    papers = efficient_papers(4)
    rig.arxiv.set_feed("cs.LG", papers)
    fault = getattr(rig.arxiv, kind)
    if kind == "zero_entries":
        fault(times=ATTEMPTS)
    else:
        fault(API, times=ATTEMPTS)
    line = _assert_failed_cleanly(rig, rig.run("fetch"), rig.arxiv.api_url)
    if kind == "truncate":
        assert "malformed XML answer" in line
    else:
        for paper in papers:
            assert paper.arxiv_id in line
    assert len(rig.arxiv.api_requests) == ATTEMPTS


def test_api_leaving_out_some_ids_is_retried(rig: Rig) -> None:
    papers = efficient_papers(4)
    rig.arxiv.set_feed("cs.LG", papers)
    rig.arxiv.drop_ids([papers[2].arxiv_id], times=2)
    assert rig.run("fetch").code == 0
    day = schema.read_day(schema.day_path(rig.docs, RECORDED_DAY))
    assert {p.arxiv_id for p in papers} <= set(day.meta.papers)
    # The retries asked only for what was missing.
    assert [rig.arxiv.api_ids(r) for r in rig.arxiv.api_requests[1:]] == [[papers[2].arxiv_id]] * 2


def test_api_leaving_out_some_ids_for_good_names_only_those(rig: Rig) -> None:
    papers = efficient_papers(4)
    rig.arxiv.set_feed("cs.LG", papers)
    rig.arxiv.drop_ids([papers[1].arxiv_id], times=ATTEMPTS)
    line = _assert_failed_cleanly(rig, rig.run("fetch"), papers[1].arxiv_id, "no entry for 1 of")
    assert papers[0].arxiv_id not in line and papers[3].arxiv_id not in line


@pytest.mark.slow
def test_feed_of_exactly_2000_items_is_incomplete_and_said_loudly(rig: Rig) -> None:
    # Off-topic papers, so the day is about the cap and not about 2000 summaries.
    planets = [FakePaper(f"2604.{70000 + i}", f"Exoplanet transit survey {i}",
                         "Photometry of hot Jupiters.", ["astro-ph.EP"]) for i in range(2000)]
    rig.arxiv.set_feed("cs.CL", planets)
    _assert_failed_cleanly(rig, rig.run("fetch"), "cs.CL", "2000", "incomplete")
    result = rig.run("fetch", "--allow-incomplete")
    assert result.code == 0, result.err
    assert "WARNING: cs.CL" in result.err and "incomplete" in result.err
    day = schema.read_day(schema.day_path(rig.docs, RECORDED_DAY))
    assert day.meta.incomplete and day.meta.listed["cs.CL"] == 2000
    # 1999 items is a complete feed.
    rig.arxiv.set_feed("cs.CL", planets[:1999])
    assert rig.run("fetch").code == 0
    assert not schema.read_day(schema.day_path(rig.docs, RECORDED_DAY)).meta.incomplete


def test_api_answer_cut_inside_an_entry_is_retried_not_written(rig: Rig) -> None:
    """A connection dropped mid-answer leaves an entry with its abstract but no authors."""
    papers = efficient_papers(3)
    rig.arxiv.set_feed("cs.LG", papers)
    whole = render_atom(papers, title="cut", total=3, start=0, per_page=3).decode()
    cut = whole[: whole.index("<author>", whole.rindex("<entry>"))].encode()
    rig.arxiv.fail(API, 200, body=cut, times=ATTEMPTS)
    _assert_failed_cleanly(rig, rig.run("fetch"), rig.arxiv.api_url, "malformed XML answer")
    rig.arxiv.fail(API, 200, body=cut, times=1)
    assert rig.run("fetch").code == 0
    for paper in papers:
        page = schema.read_paper(schema.paper_path(rig.docs, paper.arxiv_id))
        assert page.meta.authors == paper.authors
