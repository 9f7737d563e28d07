"""The stats page's figures: papers kept per announcement day, per topic over time, and what the
ledgers recorded of the last days' listings, computed once per build from the page index.

Every figure is bounded whatever the size of the site: the last ``CHART_DAYS`` announcement days,
at most ``MAX_BUCKETS`` weeks, months or years for the topics, the last ``TABLE_DAYS`` days in
the table; one pass over the papers makes them (``scripts/bench_stats.py`` times it).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from ..pages import schema
from ..pages.ledger import Ledger
from . import names
from .index import PageIndex

#: Announcement days in the chart of papers per day.
CHART_DAYS = 60
#: Days in the table of listed and kept papers per category.
TABLE_DAYS = 14
#: Most bars a row of the topics chart has: weeks, else months, else years.
MAX_BUCKETS = 60


@dataclass(frozen=True)
class DayFigures:
    """One day of the table: what its listing held and what was kept, per category feed."""

    date: dt.date
    has_page: bool
    """The day has a page (a ledger is written before it: a run cut short leaves one alone)."""
    source: str
    """``rss``, ``api`` (back-filled) from its ledger, or ``page`` when it has none."""
    listed: int | None
    """Distinct papers the listing held (recorded by the ledger only)."""
    kept: int
    feeds: tuple[tuple[str, int, int], ...]
    """(category, items the feed served, kept papers in that category), by category."""


@dataclass(frozen=True)
class Series:
    """A row of the topics chart: a topic and its papers per bucket."""

    tag: str
    counts: tuple[int, ...]

    @property
    def name(self) -> str:
        return names.tag_name(self.tag) if self.tag else "No topic"

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass(frozen=True)
class Stats:
    """Everything the stats page shows; equal figures, equal page (a dirty rebuild compares)."""

    papers: int
    announced: int
    """Announcement days that have a page."""
    days: tuple[tuple[dt.date, int], ...]
    """The last ``CHART_DAYS`` announcement days and their papers, oldest first."""
    bucket: str
    """``week``, ``month`` or ``year``: the unit of the topics chart."""
    buckets: tuple[dt.date, ...]
    """First day of each bucket, oldest first; every bucket from the first paper to the last."""
    totals: tuple[int, ...]
    """Papers per bucket (a paper with two topics counts once here)."""
    topics: tuple[Series, ...]
    """Most papers first; papers without a topic last, as the tag ``""``."""
    table: tuple[DayFigures, ...]
    """The last ``TABLE_DAYS`` days, newest first."""

    @property
    def categories(self) -> tuple[str, ...]:
        return tuple(sorted({c for row in self.table for c, _, _ in row.feeds}))


def compute(index: PageIndex, ledgers: dict[dt.date, Ledger]) -> Stats:
    """The figures of the site whose pages are ``index`` and whose ledgers are ``ledgers``."""
    announced = [d for d in index.dates if index.days[d].meta.status == "announced"]
    days = tuple((d, len(index.days[d].meta.papers)) for d in announced[-CHART_DAYS:])
    bucket, buckets, totals, topics = _topics(index)
    return Stats(papers=len(index.papers), announced=len(announced), days=days, bucket=bucket,
                 buckets=buckets, totals=totals, topics=topics, table=_table(index, ledgers))


def bucket_start(date: dt.date, bucket: str) -> dt.date:
    """The first day of the week (Monday), month or year holding ``date``."""
    if bucket == "week":
        return date - dt.timedelta(days=date.weekday())
    if bucket == "month":
        return date.replace(day=1)
    return date.replace(month=1, day=1)


def choose_bucket(first: dt.date, last: dt.date) -> str:
    """The finest unit that gives at most ``MAX_BUCKETS`` bars from ``first`` to ``last``."""
    weeks = (bucket_start(last, "week") - bucket_start(first, "week")).days // 7 + 1
    if weeks <= MAX_BUCKETS // 2:  # up to 30 weeks: a month would give 7 bars
        return "week"
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    return "month" if months <= MAX_BUCKETS else "year"


def _next(start: dt.date, bucket: str) -> dt.date:
    if bucket == "week":
        return start + dt.timedelta(days=7)
    if bucket == "month":
        return (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return start.replace(year=start.year + 1)


def _topics(index: PageIndex,
            ) -> tuple[str, tuple[dt.date, ...], tuple[int, ...], tuple[Series, ...]]:
    # Counted per announcement day first (Counter's loop runs in C), then per bucket: a few
    # thousand days, not 100,000 papers, go through bucket_start.
    metas = [page.meta for page in index.papers.values()]
    per_day = Counter(meta.announced for meta in metas)
    if not per_day:
        return "month", (), (), ()
    by_topic = Counter((topic, meta.announced) for meta in metas
                       for topic in (dict.fromkeys(meta.topics) if meta.topics else ("",)))
    bucket = choose_bucket(min(per_day), max(per_day))
    start_of = {date: bucket_start(date, bucket) for date in per_day}
    totals: Counter[dt.date] = Counter()
    for date, count in per_day.items():
        totals[start_of[date]] += count
    counts: Counter[tuple[str, dt.date]] = Counter()
    for (topic, date), count in by_topic.items():
        counts[topic, start_of[date]] += count
    buckets = [bucket_start(min(per_day), bucket)]
    while buckets[-1] < bucket_start(max(per_day), bucket):
        buckets.append(_next(buckets[-1], bucket))
    series = [Series(tag, tuple(counts[tag, start] for start in buckets))
              for tag in sorted({tag for tag, _ in counts})]
    series.sort(key=lambda s: (not s.tag, -s.total, s.name))
    return bucket, tuple(buckets), tuple(totals[start] for start in buckets), tuple(series)


def _table(index: PageIndex, ledgers: dict[dt.date, Ledger]) -> tuple[DayFigures, ...]:
    dates = sorted({d for d in index.dates if index.days[d].meta.status == "announced"}
                   | {d for d, ledger in ledgers.items() if ledger.status == "announced"})
    return tuple(_day_figures(index, ledgers, d) for d in reversed(dates[-TABLE_DAYS:]))


def _day_figures(index: PageIndex, ledgers: dict[dt.date, Ledger],
                 date: dt.date) -> DayFigures:
    ledger, day = ledgers.get(date), index.days.get(date)
    if ledger is not None:  # as the fetch recorded it
        feeds = tuple((c, f.items, f.kept) for c, f in sorted(ledger.feeds.items()))
        return DayFigures(date, day is not None, ledger.source, ledger.papers.listed,
                          ledger.papers.kept, feeds)
    # A day without a ledger (fetched before ledgers were kept, or imported): its page says
    # how many items each feed served, and its papers' categories what was kept of each.
    day = index.days[date]
    papers: list[schema.PaperPage] = index.ordered_papers(day)
    feeds = tuple((c, items, sum(c in p.meta.categories for p in papers))
                  for c, items in sorted(day.meta.listed.items()))
    return DayFigures(date, True, "page", None, len(day.meta.papers), feeds)
