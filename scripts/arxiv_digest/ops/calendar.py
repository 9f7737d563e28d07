"""arXiv's announcement calendar: which dates have a listing, and which day pages are missing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

EASTERN = ZoneInfo("America/New_York")


def _thanksgiving(year: int) -> dt.date:
    """The fourth Thursday of November."""
    first = dt.date(year, 11, 1)
    return first + dt.timedelta(days=(3 - first.weekday()) % 7 + 21)


def holidays(year: int) -> set[dt.date]:
    """Weekdays of ``year`` on which arXiv announces nothing (New Year, Thanksgiving, Christmas).

    arXiv publishes its schedule each year; a date missing here is back-filled from the API like
    any weekday, and comes out with the papers of that submission window.
    """
    return {dt.date(year, 1, 1), _thanksgiving(year), dt.date(year, 12, 25)}


def is_announcement_day(day: dt.date) -> bool:
    """True when arXiv publishes a listing dated ``day`` (a weekday that is not a holiday)."""
    return day.weekday() < 5 and day not in holidays(day.year)


def today_eastern(now: dt.datetime | None = None) -> dt.date:
    """The date of arXiv's latest listing time: today in US Eastern time."""
    return (now or dt.datetime.now(dt.UTC)).astimezone(EASTERN).date()


def announcement_days_between(after: dt.date, until: dt.date) -> list[dt.date]:
    """Announcement days ``d`` with ``after < d <= until``, oldest first."""
    days = []
    day = after + dt.timedelta(days=1)
    while day <= until:
        if is_announcement_day(day):
            days.append(day)
        day += dt.timedelta(days=1)
    return days


@dataclass(frozen=True)
class Gap:
    """Dates without a day page before the latest listing, as one run will treat them."""

    announcement: list[dt.date] = field(default_factory=list)
    """Missing announcement days to back-fill from the API in this run, oldest first."""
    quiet: list[dt.date] = field(default_factory=list)
    """Missing weekends and holidays: written as ``no-announcement`` days, no request needed."""
    later: list[dt.date] = field(default_factory=list)
    """Missing announcement days over the per-run cap, left for the next runs."""


def find_gap(existing: Iterable[dt.date], until: dt.date, *, lookback: int, cap: int) -> Gap:
    """The dates missing in ``[until - lookback, until)`` after the site's first day page.

    ``existing`` are the dates that have a day page; ``until`` is the latest listing's date.
    Dates before the first day page are not missing (a new site does not fetch history).
    """
    have = set(existing)
    if not have:
        return Gap()
    start = max(min(have) + dt.timedelta(days=1), until - dt.timedelta(days=lookback))
    missing = []
    day = start
    while day < until:
        if day not in have:
            missing.append(day)
        day += dt.timedelta(days=1)
    announced = [d for d in missing if is_announcement_day(d)]
    quiet = [d for d in missing if not is_announcement_day(d)]
    return Gap(announcement=announced[:cap], quiet=quiet, later=announced[cap:])
