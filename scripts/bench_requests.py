"""Count the arXiv requests a day of N papers costs, against the local fake arXiv server.

Usage: .venv/bin/python scripts/bench_requests.py [N ...]   (default: 50 250 1000)

Each day spreads N new papers over the default categories, cross-lists every fifth paper in a
second feed and adds replacements (neither adds papers); the listing and metadata steps run
against a real local HTTP server. Target: one request per category + ceil(N / 100).
"""

from __future__ import annotations

import math
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # for tests.fakes

from arxiv_digest.arxiv.api import fetch_metadata, make_client  # noqa: E402
from arxiv_digest.arxiv.listing import fetch_listing  # noqa: E402
from arxiv_digest.config import DEFAULT_CATEGORIES  # noqa: E402

from tests.fakes.arxiv_server import (  # noqa: E402
    RECORDED_DAY,
    ArxivServer,
    FeedItem,
    synthetic_papers,
)


def _day(server: ArxivServer, n: int, categories: tuple[str, ...]) -> None:
    papers = synthetic_papers(n)
    feeds: dict[str, list[FeedItem]] = {c: [] for c in categories}
    for i, paper in enumerate(papers):
        home = categories[i % len(categories)]
        paper.categories = [home]
        feeds[home].append(FeedItem(paper, "new"))
        if i % 5 == 0:  # cross-listed in the next feed too
            other = categories[(i + 1) % len(categories)]
            paper.categories.append(other)
            feeds[other].append(FeedItem(paper, "cross"))
    for category, old in zip(categories, synthetic_papers(len(categories), start=9000),
                             strict=True):
        feeds[category].append(FeedItem(old, "replace"))
    server.set_day(RECORDED_DAY, feeds)


def bench(n: int) -> tuple[int, int, int, int, float]:
    categories = DEFAULT_CATEGORIES
    with ArxivServer() as server:
        _day(server, n, categories)
        settings = server.settings(categories=categories)
        started = time.monotonic()
        listing = fetch_listing(settings)
        client = make_client(settings)
        found = fetch_metadata([p.arxiv_id for p in listing.papers], settings, client=client)
        client.close()
        elapsed = time.monotonic() - started
        assert len(listing.papers) == len(found) == n, (len(listing.papers), len(found))
        target = len(categories) + math.ceil(n / 100)
        return len(server.rss_requests), len(server.api_requests), target, client.requests_made, \
            elapsed


def main(argv: list[str]) -> int:
    sizes = [int(a) for a in argv] or [50, 250, 1000]
    print(f"{'papers':>7} {'rss':>4} {'api':>4} {'total':>6} {'target':>7}  result  time")
    worst = 0
    for n in sizes:
        rss, api, target, counted, elapsed = bench(n)
        assert counted == api  # the client's own count agrees with the server's log
        ok = rss + api <= target
        worst |= not ok
        print(f"{n:>7} {rss:>4} {api:>4} {rss + api:>6} {target:>7}  "
              f"{'ok' if ok else 'OVER':>6}  {elapsed:.2f}s")
    return worst


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
