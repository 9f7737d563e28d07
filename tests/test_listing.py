"""The day's listing from the RSS feeds: recorded day, merges, and every way a feed can fail."""

from __future__ import annotations

import socket
import time
from datetime import UTC, date, datetime, timedelta
from email.utils import format_datetime

import pytest
from arxiv_digest.arxiv.listing import fetch_listing
from arxiv_digest.errors import DigestError
from arxiv_digest.retry import retry_after_seconds

from tests.fakes.arxiv_server import FakePaper, FeedItem, synthetic_papers

RECORDED_IDS = [
    "2604.21935", "2604.21936", "2604.21937",  # cs.AI
    "2604.22002", "2604.22027", "2604.22038",  # cs.CL
    "2604.21952", "2604.21953", "2604.21956",  # cs.LG
]


def _gaps(requests) -> list[float]:
    return [b.time - a.time for a, b in zip(requests, requests[1:], strict=False)]


def test_listing_recorded_day(arxiv_server):
    listing = fetch_listing(arxiv_server.settings())

    assert listing.date == date(2026, 4, 27)
    assert [p.arxiv_id for p in listing.papers] == RECORDED_IDS
    assert listing.listed == {"cs.AI": 3, "cs.CL": 3, "cs.LG": 3}
    assert listing.capped == [] and listing.backfilled is False
    first = listing.papers[0]
    assert first.version == 1 and first.announce_type == "new" and first.feed == "cs.AI"
    assert first.title == ("Math Takes Two: A test for emergent mathematical reasoning in "
                           "communication")
    assert first.abstract.startswith("Although language models demonstrate")
    assert first.categories == ("cs.AI", "cs.LG")
    lg = listing.papers[6]
    assert "visual resolution & stride" in lg.abstract  # XML entity decoded once
    assert [r.path for r in arxiv_server.requests] == ["/rss/cs.AI", "/rss/cs.CL", "/rss/cs.LG"]


def test_listing_keeps_arxiv_text_verbatim_and_folds_title(arxiv_server):
    paper = FakePaper("2604.11111", title="A  title\n   on   two lines",
                      abstract="We show a<b & c>d; <script>alert(1)</script> {{ x }} stays.",
                      categories=["cs.AI"], version=3)
    arxiv_server.set_feed("cs.AI", [paper])

    (listed,) = [p for p in fetch_listing(arxiv_server.settings()).papers if p.feed == "cs.AI"]

    assert listed.title == "A title on two lines"
    assert listed.abstract == paper.abstract
    assert (listed.arxiv_id, listed.version) == ("2604.11111", 3)


def test_listing_weekend_is_empty_day_dated_by_pubdate(arxiv_server):
    arxiv_server.set_day(date(2026, 4, 25))

    listing = fetch_listing(arxiv_server.settings())

    assert listing.date == date(2026, 4, 25)
    assert listing.papers == []
    assert listing.listed == {"cs.AI": 0, "cs.CL": 0, "cs.LG": 0}


def test_listing_unrecorded_category_is_an_empty_feed_of_the_day(arxiv_server):
    listing = fetch_listing(arxiv_server.settings(categories=("cs.AI", "cs.ET")))

    assert listing.date == date(2026, 4, 27)
    assert listing.listed == {"cs.AI": 3, "cs.ET": 0}


def test_listing_merges_cross_lists_and_drops_replacements(arxiv_server):
    shared = arxiv_server.cross_listing_variant()

    listing = fetch_listing(arxiv_server.settings())
    ids = [p.arxiv_id for p in listing.papers]

    # One entry for the paper listed in three feeds, where it first appears (cs.AI, a cross-list),
    # but recorded as the `new` announcement of cs.LG.
    assert ids.count(shared.arxiv_id) == 1
    assert ids[:5] == RECORDED_IDS[:3] + [shared.arxiv_id, "2604.90002"]
    merged = listing.papers[3]
    assert (merged.announce_type, merged.feed) == ("new", "cs.LG")
    assert merged.categories == ("cs.LG", "cs.AI", "cs.CL")
    assert listing.papers[4].announce_type == "cross"
    # replace (2604.90003) and replace-cross (2604.90004) are not papers of the day ...
    assert "2604.90003" not in ids and "2604.90004" not in ids
    assert len(ids) == 11
    # ... but every item counts in `listed`.
    assert listing.listed == {"cs.AI": 6, "cs.CL": 4, "cs.LG": 5}


def test_listing_capped_feed_is_reported(arxiv_server):
    arxiv_server.capped_feed("cs.LG", 2000)

    listing = fetch_listing(arxiv_server.settings())

    assert listing.capped == ["cs.LG"]
    assert listing.listed["cs.LG"] == 2000
    assert len(listing.papers) == 2006


def test_listing_failing_feed_names_category_and_url(arxiv_server):
    arxiv_server.fail("/rss/cs.CL", 500, times=10)
    settings = arxiv_server.settings(retries=2)

    with pytest.raises(DigestError) as caught:
        fetch_listing(settings)

    message = str(caught.value)
    assert "cs.CL" in message and settings.rss_url.format(category="cs.CL") in message
    assert "HTTP 500" in message and "3 attempts" in message
    assert [r.path for r in arxiv_server.requests].count("/rss/cs.CL") == 3
    assert "/rss/cs.LG" not in [r.path for r in arxiv_server.requests]


def test_listing_recovers_from_transient_errors(arxiv_server):
    arxiv_server.fail("/rss/cs.AI", 503)
    arxiv_server.fail("/rss/cs.AI", 502)

    listing = fetch_listing(arxiv_server.settings(retries=2))

    assert [p.arxiv_id for p in listing.papers] == RECORDED_IDS
    assert [r.status for r in arxiv_server.requests[:3]] == [503, 502, 200]


def test_listing_client_error_is_not_retried(arxiv_server):
    arxiv_server.fail("/rss/cs.AI", 404)

    with pytest.raises(DigestError, match="cs.AI feed: HTTP 404"):
        fetch_listing(arxiv_server.settings())

    assert len(arxiv_server.requests) == 1


def test_listing_honours_retry_after(arxiv_server):
    arxiv_server.fail("/rss/cs.AI", 429, retry_after=0.4)

    fetch_listing(arxiv_server.settings(backoff_seconds=0.01))

    first, second = arxiv_server.requests[:2]
    assert first.status == 429 and second.path == "/rss/cs.AI"
    assert second.time - first.time >= 0.4


def test_retry_after_accepts_seconds_and_http_dates():
    soon = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    past = format_datetime(datetime.now(UTC) - timedelta(hours=1), usegmt=True)

    assert retry_after_seconds({"retry-after": "7"}) == 7.0
    assert 28 <= retry_after_seconds({"retry-after": soon}) <= 30  # type: ignore[operator]
    assert retry_after_seconds({"retry-after": past}) == 0.0
    assert retry_after_seconds({}) is None
    assert retry_after_seconds({"retry-after": "soon-ish"}) is None
    # The model's servers may say it in milliseconds; that header wins.
    assert retry_after_seconds({"retry-after-ms": "250", "retry-after": "9"}) == 0.25


def test_listing_huge_retry_after_fails_instead_of_stalling(arxiv_server):
    arxiv_server.fail("/rss/cs.AI", 503, retry_after=86400)

    with pytest.raises(DigestError, match="retry after 86400 s"):
        fetch_listing(arxiv_server.settings())


def test_listing_never_faster_than_delay(arxiv_server):
    arxiv_server.fail("/rss/cs.CL", 503)  # the retry waits for the delay, not the tiny backoff

    fetch_listing(arxiv_server.settings(delay_seconds=0.15, backoff_seconds=0.001))

    assert len(arxiv_server.requests) == 4
    assert min(_gaps(arxiv_server.requests)) >= 0.15


def test_listing_hanging_server_times_out(arxiv_server):
    arxiv_server.hang("/rss/cs.AI", times=2, seconds=5)
    settings = arxiv_server.settings(http_timeout=0.2, retries=1)
    started = time.monotonic()

    with pytest.raises(DigestError) as caught:
        fetch_listing(settings)

    assert time.monotonic() - started < 1.5
    assert "no answer within 0.2 s" in str(caught.value)
    assert settings.rss_url.format(category="cs.AI") in str(caught.value)


def test_listing_hang_then_answer_recovers(arxiv_server):
    arxiv_server.hang("/rss/cs.LG", seconds=5)

    listing = fetch_listing(arxiv_server.settings(http_timeout=0.2))

    assert len(listing.papers) == 9
    assert [r.path for r in arxiv_server.requests].count("/rss/cs.LG") == 2


def test_listing_connection_refused_names_url(arxiv_server):
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}/rss/{{category}}"

    with pytest.raises(DigestError, match=f"127.0.0.1:{port}/rss/cs.AI.*connection failed"):
        fetch_listing(arxiv_server.settings(rss_url=url, retries=1))


def test_listing_truncated_xml_is_a_failure(arxiv_server):
    arxiv_server.truncate("/rss/cs.CL")

    with pytest.raises(DigestError, match="cs.CL feed: malformed XML"):
        fetch_listing(arxiv_server.settings())


def test_listing_truncated_empty_feed_is_a_failure_not_an_empty_day(arxiv_server):
    arxiv_server.set_day(date(2026, 4, 25))
    arxiv_server.truncate("/rss/cs.AI")

    with pytest.raises(DigestError, match="cs.AI feed"):
        fetch_listing(arxiv_server.settings())


def test_listing_html_page_with_200_is_a_failure(arxiv_server):
    arxiv_server.html("/rss/cs.LG")

    with pytest.raises(DigestError, match="cs.LG feed: got an HTML page"):
        fetch_listing(arxiv_server.settings())


def test_listing_xml_that_is_not_a_feed_is_a_failure(arxiv_server):
    arxiv_server.fail("/rss/cs.AI", 200, body=b"<?xml version='1.0'?><error>busy</error>")

    with pytest.raises(DigestError, match="cs.AI feed: not an arXiv RSS feed"):
        fetch_listing(arxiv_server.settings())


def test_listing_feeds_dated_differently_name_both(arxiv_server):
    arxiv_server.set_feed("cs.CL", synthetic_papers(2, category="cs.CL"), day=date(2026, 4, 24))

    with pytest.raises(DigestError) as caught:
        fetch_listing(arxiv_server.settings())

    message = str(caught.value)
    assert "cs.CL feed is dated 2026-04-24" in message
    assert "cs.AI feed" in message and "2026-04-27" in message
    assert arxiv_server.rss_url.format(category="cs.CL") in message


def test_listing_item_types_other_than_new_and_cross_are_left_out(arxiv_server):
    papers = synthetic_papers(3, category="cs.AI")
    arxiv_server.set_feed("cs.AI", [FeedItem(papers[0], "replace"), FeedItem(papers[1], "new"),
                                    FeedItem(papers[2], "replace-cross")])

    listing = fetch_listing(arxiv_server.settings(categories=("cs.AI",)))

    assert [p.arxiv_id for p in listing.papers] == [papers[1].arxiv_id]
    assert listing.listed == {"cs.AI": 3}
