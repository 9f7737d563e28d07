"""The completeness ledger on its own: what it records, when a feed is stale or short."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from arxiv_digest.arxiv.listing import ListedPaper, Listing
from arxiv_digest.errors import DigestError
from arxiv_digest.ops import ledger

DAY = dt.date(2026, 4, 28)
URL = "http://127.0.0.1:1/rss/{category}"


def _paper(arxiv_id: str, *cats: str) -> ListedPaper:
    return ListedPaper(arxiv_id, 1, "t", "a", cats, "new", cats[0])


def _listing(day: dt.date, ids: list[str], *, items: int | None = None) -> Listing:
    return Listing(
        date=day, papers=[_paper(i, "cs.LG") for i in ids],
        listed={"cs.LG": items if items is not None else len(ids), "cs.CL": 0},
        served={"cs.LG": {"new": len(ids), "replace": 2}, "cs.CL": {}},
        new_ids={"cs.LG": ids, "cs.CL": []},
    )


def _write(docs: Path, listing: Listing, status: str = "announced") -> None:
    path = ledger.ledger_path(docs, listing.date)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(ledger.compose(listing, listing.papers[:1], status=status, earlier=0))


def test_ledger_records_each_feed(tmp_path: Path) -> None:
    listing = _listing(DAY, ["2604.30002", "2604.30001"])
    entry = json.loads(ledger.compose(listing, [listing.papers[0]], status="announced",
                                      earlier=1))
    assert entry == {
        "date": "2026-04-28", "source": "rss", "status": "announced",
        "papers": {"listed": 2, "earlier": 1, "kept": 1},
        "feeds": {
            "cs.CL": {"items": 0, "new": 0, "cross": 0, "replace": 0, "replace-cross": 0,
                      "kept": 0, "first_new": None, "last_new": None},
            "cs.LG": {"items": 2, "new": 2, "cross": 0, "replace": 2, "replace-cross": 0,
                      "kept": 1, "first_new": "2604.30001", "last_new": "2604.30002"},
        },
    }


def test_feed_numbered_below_the_last_days_ledger_is_stale(tmp_path: Path) -> None:
    _write(tmp_path, _listing(DAY - dt.timedelta(days=1), ["2604.20001", "2604.29999"]))
    fresh = _listing(DAY, ["2604.30000", "2604.30001", "2604.29999"])  # one held back: fine
    ledger.check_fresh(fresh, {}, tmp_path, URL)
    stale = _listing(DAY, ["2604.20001", "2604.29999", "2604.30000"])
    with pytest.raises(DigestError) as err:
        ledger.check_fresh(stale, {}, tmp_path, URL)
    assert str(err.value) == (
        "http://127.0.0.1:1/rss/cs.LG: the feed dated 2026-04-28 serves 2 of 3 new papers "
        "already announced (e.g. 2604.20001, on 2026-04-27): a stale listing; nothing written, "
        "a later run tries again")


def test_feed_whose_papers_are_on_earlier_day_pages_is_stale(tmp_path: Path) -> None:
    # No ledger yet (a site from before it): the day pages tell.
    listing = _listing(DAY, ["2604.30001", "2604.30002"])
    ledger.check_fresh(listing, {"2604.30001": DAY - dt.timedelta(days=1)}, tmp_path, URL)
    with pytest.raises(DigestError, match="serves 2 of 2 new papers already announced"):
        ledger.check_fresh(listing, dict.fromkeys(listing.new_ids["cs.LG"],
                                                  DAY - dt.timedelta(days=3)), tmp_path, URL)
    # Pages of later days (a back-fill running after them) do not count.
    ledger.check_fresh(listing, dict.fromkeys(listing.new_ids["cs.LG"],
                                              DAY + dt.timedelta(days=1)), tmp_path, URL)


def test_short_feed_is_a_warning_after_three_usual_days(tmp_path: Path) -> None:
    ids = [f"2604.3{n:04d}" for n in range(5)]
    for back, items in ((4, 400), (3, 380), (2, 420)):
        _write(tmp_path, _listing(DAY - dt.timedelta(days=back), ids, items=items))
    assert ledger.short_feeds(_listing(DAY, ids, items=150), tmp_path) == []
    assert ledger.short_feeds(_listing(DAY, ids, items=90), tmp_path) == [
        "WARNING: cs.LG: the feed served 90 items, against 400 on a usual day (median of the "
        "last 3): a partial listing? The day is written; its later run rewrites it if the feed "
        "fills up"]
    # Weekends (no-announcement) are not usual days.
    _write(tmp_path, _listing(DAY - dt.timedelta(days=1), ids, items=0), "no-announcement")
    assert len(ledger.short_feeds(_listing(DAY, ids, items=90), tmp_path)) == 1


def test_a_bad_earlier_ledger_stops_the_run_with_checks_line(tmp_path: Path) -> None:
    ids = ["2604.30001", "2604.30002"]
    before = DAY - dt.timedelta(days=1)
    _write(tmp_path, _listing(before, ["2604.20001"]))
    path = ledger.ledger_path(tmp_path, before)
    path.write_text(path.read_text().replace('"items": 1', '"items": "1"', 1))
    expected = (f"{path}: feeds.cs.LG.items: Input should be a valid integer (got '1')")
    for run in (lambda: ledger.check_fresh(_listing(DAY, ids), {}, tmp_path, URL),
                lambda: ledger.short_feeds(_listing(DAY, ids), tmp_path)):
        with pytest.raises(DigestError) as err:
            run()
        assert str(err.value) == expected
