"""How the stats page scales: figures, HTML and ledger reading for N papers (30 a weekday).

    .venv/bin/python scripts/bench_stats.py 20000 100000

Prints, per N: announcement days, the time to compute the figures from a page index held in
memory, to write the page's HTML, the page's size, and the time the validator takes to read one
ledger per day (written to a temporary docs dir).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import tempfile
import time
from pathlib import Path

from arxiv_digest.filter import TOPICS
from arxiv_digest.pages import schema
from arxiv_digest.pages.ledger import LEDGER_DIR, Ledger, dump, ledger_path
from arxiv_digest.pages.validate import validate_docs
from arxiv_digest.site import stats
from arxiv_digest.site.index import PageIndex
from arxiv_digest.site.stats_page import stats_content
from arxiv_digest.site.urls import STATS_URI, Links

PER_DAY = 30


def site(papers: int, seed: int = 0) -> tuple[PageIndex, dict[dt.date, Ledger]]:
    rng = random.Random(seed)
    topics = sorted(TOPICS)
    index, ledgers = PageIndex(), {}
    date, number = dt.date(2014, 1, 6), 0
    while number < papers:
        if date.weekday() >= 5:
            index.days[date] = schema.DayPage(meta=schema.Day(date=date, status="no-announcement"))
        else:
            ids = []
            for _ in range(min(PER_DAY, papers - number)):
                number += 1
                arxiv_id = f"{date:%y%m}.{number % 100000:05d}"
                meta = schema.Paper(title="t", arxiv_id=arxiv_id, announced=date,
                                    categories=["cs.LG"], summary={"by": "extractive"},
                                    topics=rng.sample(topics, rng.randint(0, 2)))
                index.papers[arxiv_id] = schema.PaperPage(meta=meta, bullets=[], body="")
                ids.append(arxiv_id)
            index.days[date] = schema.DayPage(meta=schema.Day(
                date=date, status="announced", papers=ids, listed={"cs.LG": 500}))
            ledgers[date] = Ledger.model_validate({
                "date": date.isoformat(), "source": "rss", "status": "announced",
                "papers": {"listed": 900, "earlier": 0, "kept": len(ids)},
                "feeds": {c: {"items": 400, "new": 200, "cross": 100, "replace": 50,
                              "replace-cross": 50, "kept": 5, "first_new": None,
                              "last_new": None}
                          for c in ("cs.AI", "cs.CL", "cs.ET", "cs.LG", "cs.NE", "stat.ML")}})
        date += dt.timedelta(days=1)
    index.dates = sorted(index.days)
    return index, ledgers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("papers", type=int, nargs="+")
    args = parser.parse_args()
    print("papers  days  figures s  HTML s  page KB  ledgers read s")
    for count in args.papers:
        index, ledgers = site(count)
        start = time.perf_counter()
        figures = stats.compute(index, ledgers)
        computed = time.perf_counter() - start
        start = time.perf_counter()
        html = stats_content(figures, Links(STATS_URI)).html
        written = time.perf_counter() - start
        with tempfile.TemporaryDirectory(prefix="bench-stats-") as folder:
            docs = Path(folder)
            (docs / LEDGER_DIR).mkdir()
            for date, ledger in ledgers.items():
                ledger_path(docs, date).write_text(dump(ledger), "utf-8")
            start = time.perf_counter()
            found = validate_docs(docs)
            read = time.perf_counter() - start
            assert not found.problems and len(found.ledgers) == len(ledgers)
        print(f"{count:>6,}  {len(ledgers):>4}  {computed:>9.3f}  {written:>6.3f}  "
              f"{len(html.encode()) / 1024:>7.1f}  {read:>14.3f}")


if __name__ == "__main__":
    main()
