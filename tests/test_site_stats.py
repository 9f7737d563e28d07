"""The stats page's figures and charts, and the ledger files it reads: check and the build refuse
a bad one with the same line naming file and key."""

from __future__ import annotations

import datetime as dt
import json
import time
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from arxiv_digest.arxiv.listing import ListedPaper, Listing
from arxiv_digest.check import check_docs
from arxiv_digest.ops import ledger as ops_ledger
from arxiv_digest.pages import schema
from arxiv_digest.pages.ledger import Ledger, check_ledger, dump, ledger_path
from arxiv_digest.site import charts, stats
from arxiv_digest.site.index import PageIndex

from tests.site_support import (
    build_site,
    make_docs,
    mkdocs_serve,
    sample_paper,
    write_sample_pages,
)

SVG = "{http://www.w3.org/2000/svg}"


def ledger_entry(date: dt.date, **fields: Any) -> dict[str, Any]:
    """A valid ledger entry (as the daily run writes it); fields override."""
    entry: dict[str, Any] = {
        "date": date.isoformat(), "source": "rss", "status": "announced",
        "papers": {"listed": 700, "earlier": 2, "kept": 2},
        "feeds": {
            "cs.CL": {"items": 250, "new": 120, "cross": 80, "replace": 40, "replace-cross": 10,
                      "kept": 0, "first_new": "2604.20001", "last_new": "2604.20120"},
            "cs.LG": {"items": 520, "new": 300, "cross": 150, "replace": 50,
                      "replace-cross": 20, "kept": 2, "first_new": "2604.20121",
                      "last_new": "2604.20420"},
        },
    }
    entry.update(fields)
    return entry


def write_ledger(docs: Path, entry: dict[str, Any]) -> Path:
    path = ledger_path(docs, dt.date.fromisoformat(entry["date"]))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(entry, indent=1) + "\n", "utf-8")
    return path


# ---------------------------------------------------------------- the ledger files

MONDAY = dt.date(2026, 4, 27)


def test_the_daily_runs_ledger_passes_its_schema(tmp_path: Path) -> None:
    paper = ListedPaper("2604.30001", 1, "t", "a", ("cs.LG",), "new", "cs.LG")
    listing = Listing(date=MONDAY, papers=[paper], listed={"cs.LG": 3},
                      served={"cs.LG": {"new": 1, "replace": 2}}, new_ids={"cs.LG": ["2604.30001"]})
    text = ops_ledger.compose(listing, [paper], status="announced", earlier=0)
    path = ledger_path(tmp_path, MONDAY)
    path.parent.mkdir()
    path.write_text(text)
    found, problems = check_ledger(str(path))
    assert problems == []
    assert found is not None and found.feeds["cs.LG"].replace_cross == 0
    assert dump(found) == text  # what the run wrote is what the schema writes back


def _problems(tmp_path: Path, text: str, name: str = "2026-04-27.json") -> list[str]:
    path = tmp_path / "ledger" / name
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, "utf-8")
    return [str(p) for p in check_ledger(str(path))[1]]


@pytest.mark.parametrize(("edit", "line"), [
    (lambda e: e["feeds"]["cs.LG"].update(kept="2"),
     "feeds.cs.LG.kept: Input should be a valid integer (got '2')"),
    (lambda e: e["papers"].update(listed=True),
     "papers.listed: Input should be a valid integer (got True)"),
    (lambda e: e["feeds"]["cs.LG"].update(items=-1),
     "feeds.cs.LG.items: Input should be greater than or equal to 0 (got -1)"),
    (lambda e: e.update(sources="rss"), "sources: unknown key"),
    (lambda e: e["feeds"]["cs.CL"].pop("replace-cross"), "feeds.cs.CL.replace-cross: missing"),
    (lambda e: e.update(status="done"),
     "status: Input should be 'announced' or 'no-announcement' (got 'done')"),
    (lambda e: e.update(date=20260427),
     "date: Value error, a date is written YYYY-MM-DD, as a string (got 20260427)"),
    (lambda e: e.update(date="2026-04-28"),
     "date: 2026-04-28 does not match the file name (its ledger is ledger/2026-04-28.json)"),
    (lambda e: e["papers"].update(kept=699),
     "papers: Value error, kept (699) and earlier (2) exceed listed (700) (got {'listed': 700, "
     "'earlier': 2, 'kept': 699})"),
    (lambda e: e["feeds"].update({"<b>": e["feeds"]["cs.LG"]}),
     "feeds: Value error, not an arXiv category: '<b>'"),
])
def test_a_bad_ledger_is_one_line_naming_file_and_key(tmp_path: Path, edit, line: str) -> None:  # type: ignore[no-untyped-def]
    entry = ledger_entry(MONDAY)
    edit(entry)
    problems = _problems(tmp_path, json.dumps(entry))
    assert len(problems) == 1
    where = f"{tmp_path}/ledger/2026-04-27.json: "
    assert problems[0].startswith(where + line), problems[0]


def test_a_ledger_that_is_not_json_names_line_and_column(tmp_path: Path) -> None:
    assert _problems(tmp_path, '{"date": "2026-04-27",\n "source": rss}') == [
        f"{tmp_path}/ledger/2026-04-27.json: file: not valid JSON (Expecting value: line 2 "
        "column 12 (char 34))"]
    assert _problems(tmp_path, "[1, 2]") == [
        f"{tmp_path}/ledger/2026-04-27.json: file: not a JSON object"]
    assert _problems(tmp_path, "\xff") == [
        f"{tmp_path}/ledger/2026-04-27.json: file: not valid JSON (Expecting value: line 1 "
        "column 1 (char 0))"]


def test_check_reads_the_ledgers_with_the_pages(tmp_path: Path) -> None:
    docs = make_docs(tmp_path / "docs")
    write_sample_pages(docs)
    write_ledger(docs, ledger_entry(MONDAY))
    (docs / "ledger" / "notes.txt").write_text("not a ledger: published as it is")
    assert check_docs(docs).problems == []
    entry = ledger_entry(MONDAY)
    entry["feeds"]["cs.LG"]["kept"] = "2"
    write_ledger(docs, entry)
    assert [str(p) for p in check_docs(docs).problems] == [
        f"{docs}/ledger/2026-04-27.json: feeds.cs.LG.kept: Input should be a valid integer "
        "(got '2')"]


@pytest.mark.slow
def test_the_build_refuses_a_bad_ledger_with_checks_line(tmp_path: Path) -> None:
    docs = make_docs(tmp_path / "docs")
    write_sample_pages(docs)
    entry = ledger_entry(MONDAY)
    del entry["papers"]["earlier"]
    write_ledger(docs, entry)
    line = str(check_docs(docs).problems[0])
    assert line.endswith("ledger/2026-04-27.json: papers.earlier: missing")
    result = build_site(docs, tmp_path / "site", check=False)
    assert result.returncode != 0
    assert line in result.stdout
    assert "Traceback" not in result.stdout


@pytest.mark.slow
def test_a_dirty_preview_shows_a_new_ledger_on_the_stats_page(tmp_path: Path) -> None:
    docs = make_docs(tmp_path / "docs")
    write_sample_pages(docs)
    with mkdocs_serve(docs, "--dirty") as base:
        page = _get(f"{base}stats/")
        assert "2 / 520" not in page and "day page" in page
        write_ledger(docs, ledger_entry(MONDAY))  # the run's ledger of Monday arrives
        deadline = time.monotonic() + 30
        while "2 / 520" not in (page := _get(f"{base}stats/")):
            assert time.monotonic() < deadline, "the ledger did not show within 30 s"
            time.sleep(0.2)
        assert "<td>RSS</td><td>700</td>" in page


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")


# ---------------------------------------------------------------- the figures


def _index(papers: list[schema.Paper], days: list[schema.Day]) -> PageIndex:
    index = PageIndex()
    for paper in papers:
        index.papers[paper.arxiv_id] = schema.PaperPage(meta=paper, bullets=[], body="")
    for day in days:
        index.days[day.date] = schema.DayPage(meta=day)
    index.dates = sorted(index.days)
    return index


def _site(first: dt.date, announcement_days: int, per_day: int) -> PageIndex:
    """Weekdays from ``first``, each with ``per_day`` papers (topics alternate), and weekends."""
    papers, days, date, number = [], [], first, 0
    while len([d for d in days if d.status == "announced"]) < announcement_days:
        if date.weekday() >= 5:
            days.append(schema.Day(date=date, status="no-announcement"))
        else:
            ids = []
            for _ in range(per_day):
                number += 1
                arxiv_id = f"{date:%y%m}.{number:05d}"
                topics = [["quantization"], ["distillation", "quantization"], []][number % 3]
                papers.append(sample_paper(arxiv_id, announced=date, topics=topics))
                ids.append(arxiv_id)
            days.append(schema.Day(date=date, status="announced", papers=ids,
                                   listed={"cs.LG": 400}))
        date += dt.timedelta(days=1)
    return _index(papers, days)


def test_papers_per_day_are_the_last_announcement_days() -> None:
    index = _site(dt.date(2026, 1, 5), 70, 3)
    figures = stats.compute(index, {})
    assert figures.announced == 70 and figures.papers == 210
    assert len(figures.days) == stats.CHART_DAYS
    announced = [d for d in index.dates if index.days[d].meta.status == "announced"]
    assert [d for d, _ in figures.days] == announced[-stats.CHART_DAYS:]
    assert {count for _, count in figures.days} == {3}


def test_topics_are_counted_per_week_month_or_year_and_stay_bounded() -> None:
    short = stats.compute(_site(dt.date(2026, 1, 5), 10, 3), {})  # two weeks
    assert short.bucket == "week"
    assert short.buckets == (dt.date(2026, 1, 5), dt.date(2026, 1, 12))
    assert short.totals == (15, 15)
    by_tag = {s.tag: s.counts for s in short.topics}
    # Papers 1..30: number % 3 == 0 -> quantization, 1 -> both, 2 -> none.
    assert by_tag == {"quantization": (10, 10), "distillation": (5, 5), "": (5, 5)}
    assert [s.name for s in short.topics] == ["Quantization", "Distillation", "No topic"]

    year = stats.compute(_site(dt.date(2025, 1, 1), 261, 1), {})  # one year of weekdays
    assert year.bucket == "month" and len(year.buckets) == 12
    assert sum(year.totals) == 261
    assert year.buckets[0] == dt.date(2025, 1, 1) and year.buckets[-1] == dt.date(2025, 12, 1)

    assert stats.choose_bucket(dt.date(2020, 1, 1), dt.date(2024, 12, 31)) == "month"
    assert stats.choose_bucket(dt.date(2020, 1, 1), dt.date(2025, 1, 1)) == "year"
    assert stats.choose_bucket(dt.date(2026, 1, 1), dt.date(2026, 7, 26)) == "week"
    assert stats.choose_bucket(dt.date(2026, 1, 1), dt.date(2026, 8, 10)) == "month"


def test_ten_years_make_ten_bars_a_topic() -> None:
    months = [dt.date(2015 + n // 12, n % 12 + 1, 1) for n in range(120)]
    papers = [sample_paper(f"{date:%y%m}.{n:05d}", announced=date)
              for n, date in enumerate(months)]
    figures = stats.compute(_index(papers, []), {})
    assert figures.bucket == "year" and len(figures.buckets) == 10
    assert figures.totals == (12,) * 10


def test_the_table_takes_the_ledger_else_the_day_page() -> None:
    index = _site(dt.date(2026, 4, 20), 16, 2)
    last = index.dates[-1]
    recorded = Ledger.model_validate(ledger_entry(last, source="api"))
    only_ledger = last + dt.timedelta(days=3)  # a run cut short: a ledger, no day page
    ledgers = {last: recorded,
               only_ledger: Ledger.model_validate(ledger_entry(only_ledger))}
    table = stats.compute(index, ledgers).table
    assert len(table) == stats.TABLE_DAYS
    assert [r.date for r in table][:2] == [only_ledger, last]
    assert not table[0].has_page and table[1].has_page
    assert (table[1].source, table[1].listed, table[1].kept) == ("api", 700, 2)
    assert table[1].feeds == (("cs.CL", 250, 0), ("cs.LG", 520, 2))
    # Without a ledger: the feeds' items from the day page, kept counted from its papers.
    assert (table[2].source, table[2].listed, table[2].kept) == ("page", None, 2)
    assert table[2].feeds == (("cs.LG", 400, 2),)


# ---------------------------------------------------------------- the charts


def test_scale_has_round_steps_above_the_peak() -> None:
    assert charts.scale_max(0) == (1, 1)
    assert charts.scale_max(4) == (4, 1)
    assert charts.scale_max(12) == (15, 5)
    assert charts.scale_max(30) == (30, 10)
    assert charts.scale_max(101) == (150, 50)


def test_bar_chart_is_an_image_with_its_name_and_proportional_bars() -> None:
    bars = [charts.Bar(v, f"day {n}: {v} papers", "x" if n == 0 else "")
            for n, v in enumerate([10, 0, 5, 15])]
    svg = ET.fromstring(charts.bar_chart("c1", "Papers <per> day", "Four days & more.", bars))
    assert svg.get("role") == "img" and svg.get("aria-labelledby") == "c1-title c1-desc"
    assert svg.find(f"{SVG}title").text == "Papers <per> day"
    assert svg.find(f"{SVG}desc").text == "Four days & more."
    rects = svg.findall(f".//{SVG}rect")
    assert [r.find(f"{SVG}title").text for r in rects] == [
        "day 0: 10 papers", "day 2: 5 papers", "day 3: 15 papers"]
    heights = [float(r.get("height")) for r in rects]
    assert heights[0] == pytest.approx(2 * heights[1], abs=0.2)  # drawn to 0.1 of a unit
    assert heights[2] == pytest.approx(3 * heights[1], abs=0.2)
    bottoms = {round(float(r.get("y")) + float(r.get("height")), 1) for r in rects}
    assert len(bottoms) == 1  # all on one baseline


def test_rows_chart_shares_one_scale_and_fits_its_labels() -> None:
    rows = [("Efficient architectures (SSMs, linear RNNs)", [4, 0, 2]), ("Quantization", [1, 1, 1])]
    svg = ET.fromstring(charts.rows_chart("c2", "By topic", "Rows.", ["Jan", "", "Mar"], rows))
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert texts == ["Efficient architectures", "6", "Quantization", "3", "Jan", "Mar"]
    paths = svg.findall(f"{SVG}path")
    assert [p.get("d").count("z") for p in paths] == [2, 3]  # one box per non-empty bucket
    assert charts.fit("A" * 80, 120).endswith("…") and len(charts.fit("A" * 80, 120)) <= 19
