"""Metadata from the arXiv API through the arxiv package: batches, retries, errors."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest
from arxiv_digest.arxiv.api import fetch_metadata, make_client
from arxiv_digest.errors import DigestError

from tests.fakes.arxiv_server import synthetic_papers

DAY_IDS = ["2604.21935", "2604.21936", "2604.21937", "2604.22002", "2604.22027", "2604.22038",
           "2604.21952", "2604.21953", "2604.21956"]


def test_make_client_is_pointed_at_settings(arxiv_server):
    client = make_client(arxiv_server.settings(delay_seconds=0.5, retries=2))

    assert client.settings.api_url == arxiv_server.api_url
    assert client.http.pacer.delay == 0.5
    assert (client.http.policy.attempts, client.http.policy.min_pause) == (3, 0.5)
    client.close()


def test_metadata_of_a_recorded_day_in_one_request(arxiv_server):
    settings = arxiv_server.settings()

    with make_client(settings) as client:
        found = fetch_metadata(DAY_IDS, settings, client=client)

    assert sorted(found) == sorted(DAY_IDS)
    meta = found["2604.21935"]
    assert meta.authors == ["Michael Cooper", "Samuel Cooper"]
    assert meta.categories == ["cs.AI", "cs.LG"]
    assert meta.title.startswith("Math Takes Two")
    assert client.requests_made == 1
    (request,) = arxiv_server.api_requests
    assert arxiv_server.api_ids(request) == DAY_IDS
    assert request.query["max_results"] == "100"


def test_metadata_fields_from_a_recorded_api_answer(arxiv_server):
    found = fetch_metadata(["2604.26932v1", "astro-ph/0601001"], arxiv_server.settings())

    opt = found["2604.26932"]
    assert opt.version == 1
    assert opt.categories[0] == "math.OC"  # primary first, even when listed later by the API
    assert opt.published.tzinfo is not None and opt.updated >= opt.published
    old = found["astro-ph/0601001"]
    assert old.authors[:2] == ["Andrew Gould", "Susan Dorsher"]
    assert old.comment is not None and old.comment.startswith("62 pages including 16 figures")
    assert old.abstract.startswith("We derive the frequencies")  # leading whitespace folded
    assert old.published == datetime(2006, 1, 2, 14, 57, 58, tzinfo=UTC)


def test_metadata_batches_of_one_hundred(arxiv_server):
    papers = synthetic_papers(250)
    arxiv_server.add_papers(papers)
    ids = [p.arxiv_id for p in papers]

    found = fetch_metadata(ids, arxiv_server.settings())

    assert sorted(found) == sorted(ids)
    batches = [arxiv_server.api_ids(r) for r in arxiv_server.api_requests]
    assert [len(b) for b in batches] == [100, 100, 50]
    assert sum(batches, []) == ids
    assert all(r.query["max_results"] == "100" for r in arxiv_server.api_requests)


def test_metadata_zero_entries_is_retried(arxiv_server):
    arxiv_server.zero_entries()

    found = fetch_metadata(DAY_IDS, arxiv_server.settings())

    assert len(found) == 9
    assert len(arxiv_server.api_requests) == 2


def test_metadata_zero_entries_every_time_fails_naming_ids(arxiv_server):
    arxiv_server.zero_entries(times=10)

    with pytest.raises(DigestError) as caught:
        fetch_metadata(DAY_IDS[:3], arxiv_server.settings(retries=2))

    message = str(caught.value)
    assert "no entry for 3 of 3 ids: 2604.21935, 2604.21936, 2604.21937" in message
    assert arxiv_server.api_url in message and "3 attempts" in message
    assert len(arxiv_server.api_requests) == 3


def test_metadata_missing_ids_are_asked_again_alone(arxiv_server):
    arxiv_server.drop_ids(["2604.21936", "2604.22038"])

    found = fetch_metadata(DAY_IDS, arxiv_server.settings())

    assert len(found) == 9
    first, second = arxiv_server.api_requests
    assert len(arxiv_server.api_ids(first)) == 9
    assert arxiv_server.api_ids(second) == ["2604.21936", "2604.22038"]


def test_metadata_fewer_entries_every_time_fails_naming_only_missing(arxiv_server):
    arxiv_server.drop_ids(["2604.21936"], times=10)

    with pytest.raises(DigestError) as caught:
        fetch_metadata(DAY_IDS, arxiv_server.settings(retries=1))

    assert "no entry for 1 of 9 ids: 2604.21936 " in str(caught.value)
    assert "2604.21935" not in str(caught.value)


def test_metadata_unknown_id_fails_after_retries(arxiv_server):
    with pytest.raises(DigestError, match="0000.00001"):
        fetch_metadata(["0000.00001"], arxiv_server.settings(retries=1))


def test_metadata_429_honours_retry_after(arxiv_server):
    arxiv_server.fail(arxiv_server.API_PATH, 429, retry_after=0.4)

    found = fetch_metadata(DAY_IDS, arxiv_server.settings(backoff_seconds=0.01))

    assert len(found) == 9
    first, second = arxiv_server.api_requests
    assert first.status == 429 and second.time - first.time >= 0.4


def test_metadata_503_after_retries_names_url(arxiv_server):
    arxiv_server.fail(arxiv_server.API_PATH, 503, times=10, retry_after=0)

    with pytest.raises(DigestError) as caught:
        fetch_metadata(DAY_IDS, arxiv_server.settings(retries=2))

    assert "HTTP 503" in str(caught.value) and arxiv_server.api_url in str(caught.value)
    assert len(arxiv_server.api_requests) == 3


def test_metadata_never_faster_than_delay(arxiv_server):
    arxiv_server.fail(arxiv_server.API_PATH, 500)
    arxiv_server.add_papers(synthetic_papers(150))

    fetch_metadata([f"2604.9{i:04d}" for i in range(1, 151)],
                   arxiv_server.settings(delay_seconds=0.15, backoff_seconds=0.001))

    times = [r.time for r in arxiv_server.api_requests]
    assert len(times) == 3
    assert min(b - a for a, b in zip(times, times[1:], strict=False)) >= 0.15


def test_metadata_hanging_api_times_out(arxiv_server):
    arxiv_server.hang(arxiv_server.API_PATH, times=5, seconds=5)
    started = time.monotonic()

    with pytest.raises(DigestError, match="no answer within 0.2 s"):
        fetch_metadata(DAY_IDS, arxiv_server.settings(http_timeout=0.2, retries=1))

    assert time.monotonic() - started < 1.5


def test_metadata_truncated_answer_is_retried(arxiv_server):
    arxiv_server.truncate(arxiv_server.API_PATH)

    found = fetch_metadata(DAY_IDS, arxiv_server.settings())

    assert len(found) == 9
    assert len(arxiv_server.api_requests) == 2


def test_metadata_html_page_fails_naming_ids(arxiv_server):
    arxiv_server.html(arxiv_server.API_PATH, times=10)

    with pytest.raises(DigestError, match="no entry for 2 of 2 ids: 2604.21935, 2604.21936"):
        fetch_metadata(DAY_IDS[:2], arxiv_server.settings(retries=1))


def test_metadata_error_feed_is_a_clear_error_without_retry(arxiv_server):
    with pytest.raises(DigestError, match="rejected the query: incorrect id format for abc"):
        fetch_metadata(["2604.21935", "abc"], arxiv_server.settings())

    assert len(arxiv_server.api_requests) == 1


def test_metadata_keys_are_bare_ids_and_duplicates_are_asked_once(arxiv_server):
    found = fetch_metadata(["2604.21935v1", "2604.21935", "2604.21952v1"],
                           arxiv_server.settings())

    assert sorted(found) == ["2604.21935", "2604.21952"]
    assert arxiv_server.api_ids(arxiv_server.api_requests[0]) == ["2604.21935", "2604.21952"]


def test_metadata_of_nothing_makes_no_request(arxiv_server):
    assert fetch_metadata([], arxiv_server.settings()) == {}
    assert arxiv_server.requests == []
