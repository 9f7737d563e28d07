"""The completeness ledger: what each feed served on a day, what was kept, and stale-feed refusal.

One JSON file per day, ``docs/ledger/YYYY-MM-DD.json``. MkDocs copies every file of the docs dir
that is not Markdown to the site unchanged, so the ledger is published at
``<site>/ledger/YYYY-MM-DD.json`` without a hook. Its keys are defined by ``pages/ledger.py``,
through which it is written here and read by ``check``, the build and the stats page.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from pydantic import ValidationError

from ..arxiv.listing import ListedPaper, Listing
from ..errors import DigestError
from ..pages.ledger import LEDGER_DIR as LEDGER_DIR
from ..pages.ledger import Ledger, check_ledger, dump
from ..pages.ledger import ledger_path as ledger_path

STALE_SHARE = 0.5
"""A feed whose ``new`` items are more than this share old (listed before) is stale."""
SHORT_SHARE = 0.25
"""A feed serving less than this share of its usual items (median of recent days) is short."""

_NEW_STYLE = re.compile(r"^(\d{4})\.(\d{4,5})$")


def compose(listing: Listing, kept: Iterable[ListedPaper], *, status: str, earlier: int) -> str:
    """The ledger file of ``listing``'s day: per feed, what it served and how much was kept."""
    kept = list(kept)
    feeds = {}
    for category, items in sorted(listing.listed.items()):
        served = listing.served.get(category, {})
        new_ids = sorted(listing.new_ids.get(category, []), key=_order)
        feeds[category] = {
            "items": items,
            **{kind: served.get(kind, 0) for kind in ("new", "cross", "replace", "replace-cross")},
            "kept": sum(category in p.categories for p in kept),
            "first_new": new_ids[0] if new_ids else None,
            "last_new": new_ids[-1] if new_ids else None,
        }
    entry = {
        "date": listing.date.isoformat(),
        "source": "api" if listing.backfilled else "rss",
        "status": status,
        "papers": {"listed": len(listing.papers), "earlier": earlier, "kept": len(kept)},
        "feeds": feeds,
    }
    try:  # through the ledger's schema (pages/ledger.py): what is written, check reads
        return dump(Ledger.model_validate(entry))
    except ValidationError as err:
        first = err.errors()[0]
        key = ".".join(str(part) for part in first["loc"])
        raise DigestError(f"{key}: {first['msg']}",
                          where=f"{LEDGER_DIR}/{listing.date}.json") from None


def check_fresh(listing: Listing, listed_before: Mapping[str, dt.date], docs_dir: Path,
                rss_url: str) -> None:
    """Refuse a feed that serves an earlier batch: most of its ``new`` papers were listed before.

    A ``new`` paper counts as listed before when an earlier day page lists it, or when its id is
    at or below the highest ``new`` id an earlier day's ledger recorded: arXiv numbers papers in
    announcement order, so a fresh listing's new papers all come after the previous day's.
    """
    if listing.backfilled:
        return
    floor = _ledger_floor(listing.date, docs_dir)
    for category, ids in sorted(listing.new_ids.items()):
        old = [i for i in ids if _listed_before(i, listing.date, listed_before, floor)]
        if ids and len(old) > STALE_SHARE * len(ids):
            day = listed_before.get(old[0]) or (floor[1] if floor else listing.date)
            raise DigestError(
                f"the feed dated {listing.date} serves {len(old)} of {len(ids)} new papers "
                f"already announced (e.g. {old[0]}, on {day}): a stale listing; nothing "
                "written, a later run tries again",
                where=rss_url.format(category=category),
            )


def short_feeds(listing: Listing, docs_dir: Path, *, days: int = 10) -> list[str]:
    """Warnings for feeds that served far fewer items than on the last announced days.

    A short feed is not refused (a quiet day is possible): the day is written and the warning
    shown; the day's second run rewrites it if the feed has filled up by then.
    """
    if listing.backfilled or not listing.papers:
        return []
    folder = docs_dir / LEDGER_DIR
    earlier = sorted(p for p in folder.glob("*.json") if p.stem < listing.date.isoformat()) \
        if folder.is_dir() else []
    usual: dict[str, list[int]] = {}
    for path in earlier[-days:]:
        entry = _read(path)
        if entry.source == "rss" and entry.status == "announced":
            for category, feed in entry.feeds.items():
                usual.setdefault(category, []).append(feed.items)
    warnings = []
    for category, items in sorted(listing.listed.items()):
        counts = sorted(usual.get(category, []))
        if len(counts) < 3:
            continue
        median = counts[len(counts) // 2]
        if median >= 20 and items < SHORT_SHARE * median:
            warnings.append(
                f"WARNING: {category}: the feed served {items} items, against {median} on a "
                f"usual day (median of the last {len(counts)}): a partial listing? The day is "
                "written; its later run rewrites it if the feed fills up"
            )
    return warnings


def _listed_before(arxiv_id: str, date: dt.date, listed_before: Mapping[str, dt.date],
                   floor: tuple[str, dt.date] | None) -> bool:
    day = listed_before.get(arxiv_id)
    if day is not None and day < date:
        return True
    key = _order(arxiv_id)
    return floor is not None and key[0] >= 0 and key <= _order(floor[0])


def _ledger_floor(date: dt.date, docs_dir: Path) -> tuple[str, dt.date] | None:
    """The highest ``new`` id the ledgers of the last days before ``date`` recorded, and its day."""
    folder = docs_dir / LEDGER_DIR
    if not folder.is_dir():
        return None
    earlier = sorted(p for p in folder.glob("*.json") if p.stem < date.isoformat())
    best: tuple[str, dt.date] | None = None
    for path in earlier[-3:]:  # the newest days before: ids only grow
        entry = _read(path)
        day = entry.date
        for arxiv_id in (feed.last_new for feed in entry.feeds.values()):
            if arxiv_id and _order(arxiv_id)[0] >= 0 and (
                    best is None or _order(arxiv_id) > _order(best[0])):
                best = (arxiv_id, day)
    return best


def _read(path: Path) -> Ledger:
    """An earlier day's ledger, through the schema ``check`` reads it with."""
    entry, problems = check_ledger(str(path))
    if entry is None:
        raise problems[0].error()
    return entry


def _order(arxiv_id: str) -> tuple[int, int]:
    """Sort key of a new-style id (``2604.21935`` -> (2604, 21935)); old-style ids: (-1, 0)."""
    match = _NEW_STYLE.match(arxiv_id)
    return (int(match[1]), int(match[2])) if match else (-1, 0)
