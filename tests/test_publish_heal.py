"""Self-healing days, stale feeds refused, and the run's report in the step summary."""
# ruff: noqa: F811 - the fixtures imported below are parameters of the tests

from __future__ import annotations

import datetime as dt
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from arxiv_digest.pages import schema

from tests.fakes.arxiv_feeds import load_recorded_feeds
from tests.fakes.arxiv_server import synthetic_papers
from tests.publish_support import DAY, daily, env, git, repo  # noqa: F401

pytestmark = pytest.mark.slow


def _seed_day(repo: Path, day: dt.date) -> None:
    """The site's newest day page before the outage (no papers needed for the calendar)."""
    path = schema.day_path(repo / "docs", day)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(schema.render_day(schema.Day(date=day, status="no-announcement")))
    git(repo, "add", "docs")
    git(repo, "commit", "--quiet", "-m", f"digest: {day}")


def test_two_missed_days_are_backfilled_oldest_first(
    repo: Path, env: dict[str, str], tmp_path: Path, arxiv_server  # type: ignore[no-untyped-def]
) -> None:
    # The last page is Wednesday 22 April; both runs of Thursday and Friday were lost. Their
    # mailings' submissions (Tue 14:00 ET to Wed 14:00 ET, Wed to Thu) are in the API.
    _seed_day(repo, dt.date(2026, 4, 22))
    thursday = synthetic_papers(2, prefix="2604.1", published=datetime(2026, 4, 22, 12, tzinfo=UTC))
    friday = synthetic_papers(2, prefix="2604.1", start=3,
                              published=datetime(2026, 4, 23, 12, tzinfo=UTC))
    arxiv_server.add_papers(thursday + friday)
    summary = tmp_path / "step-summary.md"
    summary.write_text("earlier step\n")

    # A cap of one announcement day per run: Thursday now, Friday in the next run.
    run = daily(repo, env, "--backfill-cap", "1", GITHUB_STEP_SUMMARY=str(summary))
    assert run.returncode == 0, run.stdout + run.stderr
    days = repo / "docs" / "days"
    thu = schema.read_day(days / "2026-04-23.md").meta
    assert thu.backfilled and thu.status == "announced"
    assert set(thu.papers) == {p.arxiv_id for p in thursday}
    assert not (days / "2026-04-24.md").exists()
    for weekend in ("2026-04-25", "2026-04-26"):
        page = schema.read_day(days / f"{weekend}.md").meta
        assert page.status == "no-announcement" and page.backfilled
    assert "daily: back-filled days: 2026-04-23, 2026-04-25, 2026-04-26" in run.stdout
    assert "1 more missed day(s) left for the next runs: 2026-04-24" in run.stderr
    subject = git(repo, "log", "-1", "--format=%s").strip()
    assert subject.startswith("digest: 2026-04-23 (2 papers, back-filled); 2026-04-25 (no "
                              "announcement, back-filled); 2026-04-26 (no announcement, "
                              f"back-filled); {DAY} (")
    # The report reached the step summary as a table, after what an earlier step wrote.
    text = summary.read_text()
    assert text.startswith("earlier step\n## Daily digest: digest: 2026-04-23")
    assert ("| run | day | status | listed | kept | summarized | cached | extractive | tokens in "
            "| tokens out | files written |") in text
    latest = schema.read_day(days / f"{DAY}.md").meta
    assert f"| fetch | {DAY} | announced | 9 | {len(latest.papers)} | " in text
    assert "| fetch | 2026-04-23 | announced | 2 | 2 | 2 | 0 | 0 |" in text
    assert "Back-filled days: 2026-04-23, 2026-04-25, 2026-04-26." in text
    assert "Left for the next runs: 2026-04-24." in text
    assert "- WARNING: 1 more missed day(s) left for the next runs: 2026-04-24" in text

    # The next run heals Friday; the day itself is unchanged.
    again = daily(repo, env, "--no-build")
    assert again.returncode == 0, again.stdout + again.stderr
    fri = schema.read_day(days / "2026-04-24.md").meta
    assert fri.backfilled and set(fri.papers) == {p.arxiv_id for p in friday}
    assert "daily: back-filled days: 2026-04-24" in again.stdout
    assert git(repo, "log", "-1", "--format=%s").strip() == \
        "digest: 2026-04-24 (2 papers, back-filled)"
    ledger = json.loads((repo / "docs" / "ledger" / "2026-04-24.json").read_text())
    assert ledger["source"] == "api" and ledger["papers"] == {"listed": 2, "earlier": 0, "kept": 2}


def test_stale_feed_is_refused_and_nothing_written(
    repo: Path, env: dict[str, str], tmp_path: Path, arxiv_server  # type: ignore[no-untyped-def]
) -> None:
    assert daily(repo, env, "--no-build").returncode == 0
    head = git(repo, "rev-parse", "HEAD")
    # Next day, the feeds carry the new date but serve Monday's batch again.
    recorded = load_recorded_feeds()
    arxiv_server.set_day(dt.date(2026, 4, 28), {c: f.items for c, f in recorded.items()})
    summary = tmp_path / "step-summary.md"
    run = daily(repo, env, "--no-build", GITHUB_STEP_SUMMARY=str(summary))
    assert run.returncode == 1
    error = run.stderr.strip().splitlines()[-1]
    assert error.startswith(f"arxiv-digest: error: {arxiv_server.base_url}/rss/cs.AI: the feed "
                            "dated 2026-04-28 serves 3 of 3 new papers already announced")
    assert "a stale listing; nothing written, a later run tries again" in error
    assert not (repo / "docs" / "days" / "2026-04-28.md").exists()
    assert not (repo / "docs" / "ledger" / "2026-04-28.json").exists()
    assert git(repo, "rev-parse", "HEAD") == head
    assert summary.read_text().startswith("## Daily digest: failed\n\n" + error.removeprefix(
        "arxiv-digest: error: "))


def test_a_fresh_next_day_is_not_taken_for_stale(
    repo: Path, env: dict[str, str], arxiv_server  # type: ignore[no-untyped-def]
) -> None:
    # The same check lets a real next day through: its new papers are numbered higher.
    assert daily(repo, env, "--no-build").returncode == 0
    arxiv_server.set_day(dt.date(2026, 4, 28), {"cs.LG": synthetic_papers(3)})
    run = daily(repo, env, "--no-build")
    assert run.returncode == 0, run.stderr
    ledger = json.loads((repo / "docs" / "ledger" / "2026-04-28.json").read_text())
    assert ledger["feeds"]["cs.LG"] == {
        "items": 3, "new": 3, "cross": 0, "replace": 0, "replace-cross": 0, "kept": 3,
        "first_new": "2604.90001", "last_new": "2604.90003"}
