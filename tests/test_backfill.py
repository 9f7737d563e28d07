"""Back-fill from the API: the submission window of a mailing, and a run against the fake API."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from arxiv_digest.arxiv.api import make_client
from arxiv_digest.arxiv.backfill import backfill_listing, search_query, submission_window
from arxiv_digest.errors import DigestError

from tests.fakes.arxiv_server import synthetic_papers


def _utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("day", "start", "end"),
    [
        # Monday's listing: Thursday 14:00 to Friday 14:00 ET (EDT = UTC-4).
        (date(2026, 4, 27), _utc(2026, 4, 23, 18), _utc(2026, 4, 24, 18)),
        # Tuesday's listing: Friday 14:00 to Monday 14:00 ET (the weekend's submissions).
        (date(2026, 4, 28), _utc(2026, 4, 24, 18), _utc(2026, 4, 27, 18)),
        (date(2026, 4, 29), _utc(2026, 4, 27, 18), _utc(2026, 4, 28, 18)),
        (date(2026, 4, 30), _utc(2026, 4, 28, 18), _utc(2026, 4, 29, 18)),
        (date(2026, 5, 1), _utc(2026, 4, 29, 18), _utc(2026, 4, 30, 18)),
        # Winter (EST = UTC-5), across a new year.
        (date(2027, 1, 4), _utc(2026, 12, 31, 19), _utc(2027, 1, 1, 19)),
        # DST starts Sunday 2026-03-08: Friday is EST, Monday EDT.
        (date(2026, 3, 9), _utc(2026, 3, 5, 19), _utc(2026, 3, 6, 19)),
        (date(2026, 3, 10), _utc(2026, 3, 6, 19), _utc(2026, 3, 9, 18)),
        (date(2026, 3, 11), _utc(2026, 3, 9, 18), _utc(2026, 3, 10, 18)),
        # DST ends Sunday 2026-11-01: Friday is EDT, Monday EST.
        (date(2026, 11, 2), _utc(2026, 10, 29, 18), _utc(2026, 10, 30, 18)),
        (date(2026, 11, 3), _utc(2026, 10, 30, 18), _utc(2026, 11, 2, 19)),
        (date(2026, 11, 4), _utc(2026, 11, 2, 19), _utc(2026, 11, 3, 19)),
        # Weekends have no listing.
        (date(2026, 4, 25), None, None),
        (date(2026, 4, 26), None, None),
    ],
)
def test_submission_window(day, start, end):
    window = submission_window(day)

    if start is None:
        assert window is None
    else:
        assert window == (start, end)
        assert all(t.utcoffset() == timedelta(0) for t in window)


def test_search_query_ends_a_minute_early_because_bounds_are_inclusive():
    assert search_query(date(2026, 4, 30), ("cs.LG", "cs.AI")) == (
        "(cat:cs.LG OR cat:cs.AI) AND submittedDate:[202604281800 TO 202604291759]"
    )
    assert search_query(date(2026, 5, 2), ("cs.LG",)) is None


def test_backfill_recorded_thursday(arxiv_server):
    settings = arxiv_server.settings(categories=("cs.LG", "cs.AI"))
    with make_client(settings) as client:
        listing = backfill_listing(date(2026, 4, 30), settings, client=client)

    assert listing.backfilled is True and listing.date == date(2026, 4, 30)
    assert len(listing.papers) == 20  # the recorded API answer for that window
    kinds = [p.announce_type for p in listing.papers]
    assert kinds == sorted(kinds, key=lambda k: k != "new")  # new submissions, then cross-lists
    by_id = {p.arxiv_id: p for p in listing.papers}
    assert by_id["2604.26951"].feed == "cs.AI" and by_id["2604.26951"].announce_type == "cross"
    assert by_id["2604.26942"].feed == "cs.LG" and by_id["2604.26942"].announce_type == "new"
    assert by_id["2604.26942"].categories[0] == "cs.LG"
    news = [p.arxiv_id for p in listing.papers if p.announce_type == "new"]
    assert news == sorted(news)
    assert listing.listed == {"cs.LG": 17, "cs.AI": 7}
    (request,) = arxiv_server.api_requests
    assert request.query["search_query"] == search_query(date(2026, 4, 30), ("cs.LG", "cs.AI"))
    assert request.query["sortBy"] == "submittedDate"
    assert client.requests_made == 1


def test_backfill_recorded_monday_matches_the_rss_listing(arxiv_server):
    listing = backfill_listing(date(2026, 4, 27), arxiv_server.settings())

    assert sorted(p.arxiv_id for p in listing.papers) == sorted(
        item.paper.arxiv_id for feed in arxiv_server.feeds.values() for item in feed.items
    )


def test_backfill_paginates_and_respects_window_edges(arxiv_server):
    settings = arxiv_server.settings(categories=("cs.NE",))
    inside = synthetic_papers(250, category="cs.NE", published=_utc(2026, 4, 28, 18, 0, 0))
    late = synthetic_papers(1, category="cs.NE", start=900,
                            published=_utc(2026, 4, 29, 18, 0, 0))  # the next mailing
    last = synthetic_papers(1, category="cs.NE", start=901,
                            published=_utc(2026, 4, 29, 17, 59, 59))
    arxiv_server.add_papers(inside + late + last)

    listing = backfill_listing(date(2026, 4, 30), settings)

    ids = [p.arxiv_id for p in listing.papers]
    assert set(ids) >= {p.arxiv_id for p in inside + last}
    assert late[0].arxiv_id not in ids
    assert len(ids) == 252  # plus one recorded paper cross-listed in cs.NE that day
    starts = [r.query["start"] for r in arxiv_server.api_requests]
    assert starts == ["0", "100", "200"]


def test_backfill_weekend_asks_nothing(arxiv_server):
    listing = backfill_listing(date(2026, 5, 2), arxiv_server.settings())

    assert listing.papers == [] and listing.backfilled is True
    assert listing.date == date(2026, 5, 2)
    assert arxiv_server.requests == []


def test_backfill_empty_window_is_retried_then_an_error(arxiv_server):
    settings = arxiv_server.settings(categories=("q-fin.XX",), retries=1)

    with pytest.raises(DigestError, match="no paper in the submission window"):
        backfill_listing(date(2026, 4, 30), settings)

    assert len(arxiv_server.api_requests) == 2


def test_backfill_retries_server_errors(arxiv_server):
    arxiv_server.fail(arxiv_server.API_PATH, 503, retry_after=0.2)
    settings = arxiv_server.settings(categories=("cs.LG", "cs.AI"))

    listing = backfill_listing(date(2026, 4, 30), replace(settings, backoff_seconds=0.01))

    assert len(listing.papers) == 20
    first, second = arxiv_server.api_requests
    assert second.time - first.time >= 0.2
