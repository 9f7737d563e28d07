"""Back-fill a past announcement day from the API, using the submission window of its mailing."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from ..config import Settings
from ..retry import Retry
from .api import ArxivClient, Metadata, make_client
from .listing import EASTERN, ListedPaper, Listing

CUTOFF = time(14, 0)
"""arXiv's daily submission deadline, US Eastern."""
MAX_RESULTS = 20_000
"""Upper bound on one mailing's papers (a busy day in these categories is ~2,000)."""


def submission_window(day: date) -> tuple[datetime, datetime] | None:
    """``[start, end)`` in UTC of submissions announced in the listing dated ``day``.

    The listing dated D (Monday to Friday) is announced the evening before and holds what was
    submitted between the 14:00 ET deadline of the weekday before the deadline day and the
    deadline day's 14:00 ET; the deadline day is the last weekday on or before D - 1 (so
    Monday's listing covers Thursday 14:00 to Friday 14:00). Weekends have no listing: None.
    Each end is converted on its own date, so a window across a DST change is 23 or 25 hours.
    """
    if day.weekday() >= 5:
        return None
    deadline = _previous_weekday(day)
    opening = _previous_weekday(deadline)
    return _utc(opening), _utc(deadline)


def search_query(day: date, categories: tuple[str, ...]) -> str | None:
    """The API query for that mailing; arXiv's bounds are inclusive minutes, so end 1 min early."""
    window = submission_window(day)
    if window is None:
        return None
    start, end = window
    cats = " OR ".join(f"cat:{c}" for c in categories)
    stamp = "%Y%m%d%H%M"
    return (f"({cats}) AND submittedDate:[{start.strftime(stamp)} TO "
            f"{(end - timedelta(minutes=1)).strftime(stamp)}]")


def backfill_listing(day: date, settings: Settings, *, client: ArxivClient | None = None
                     ) -> Listing:
    """The listing of ``day`` rebuilt from the API (held or late papers can be missing)."""
    query = search_query(day, settings.categories)
    if query is None:
        return Listing(date=day, papers=[], listed={}, capped=[], backfilled=True)
    own = client is None
    client = client or make_client(settings)
    what = f"arXiv API back-fill of {day}"

    def attempt() -> list[Metadata]:
        found = client.search(query, what=what, limit=MAX_RESULTS)
        if not found:
            # An empty answer for a weekday is an API glitch or an arXiv holiday: retry, then
            # say so rather than record a day without papers.
            raise Retry("no paper in the submission window (an arXiv holiday?)")
        return found

    try:
        results = client.http.policy.run(attempt, what=what, where=settings.api_url)
    finally:
        if own:
            client.close()
    return _listing(day, results, settings)


def _listing(day: date, results: list[Metadata], settings: Settings) -> Listing:
    wanted = set(settings.categories)
    new: dict[str, ListedPaper] = {}
    cross: dict[str, ListedPaper] = {}
    listed = dict.fromkeys(settings.categories, 0)
    for meta in results:
        if not meta.categories:
            continue
        primary = meta.categories[0]
        ours = [c for c in meta.categories if c in wanted]
        for category in ours:
            listed[category] += 1
        # As in the daily listing: new submissions first, then cross-lists, each in id order.
        target = new if primary in wanted else cross
        target.setdefault(meta.arxiv_id, ListedPaper(
            arxiv_id=meta.arxiv_id, version=meta.version, title=meta.title,
            abstract=meta.abstract, categories=tuple(meta.categories),
            announce_type="new" if primary in wanted else "cross",
            feed=primary if primary in wanted else (ours[0] if ours else primary),
        ))
    papers = sorted(new.values(), key=_order) + sorted(cross.values(), key=_order)
    return Listing(date=day, papers=papers, listed=listed, capped=[], backfilled=True)


def _order(paper: ListedPaper) -> tuple[int, str]:
    return len(paper.arxiv_id), paper.arxiv_id


def _previous_weekday(day: date) -> date:
    day -= timedelta(days=1)
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def _utc(day: date) -> datetime:
    return datetime.combine(day, CUTOFF, EASTERN).astimezone(UTC)
