"""``arxiv-digest fetch`` and ``resummarize`` end to end, through the command line's main()."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from arxiv_digest import cli
from arxiv_digest.arxiv.backfill import submission_window
from arxiv_digest.filter import load_rules
from arxiv_digest.pages import schema
from arxiv_digest.pages.store import DocsLock

from tests.fakes.arxiv_server import (
    RECORDED_DAY,
    ArxivServer,
    FakePaper,
    FeedItem,
    synthetic_papers,
)
from tests.fakes.llm_server import FakeLLMServer

EPOCH = "1777300000"  # SOURCE_DATE_EPOCH: summary.at of every run, so runs compare byte for byte
RELEVANT = "2604.21952"  # the one recorded paper of 2026-04-27 on efficient deep learning


@dataclass
class Result:
    code: int
    out: str
    err: str


@dataclass
class Env:
    arxiv: ArxivServer
    llm: FakeLLMServer
    docs: Path
    monkeypatch: pytest.MonkeyPatch
    capsys: pytest.CaptureFixture[str]

    def run(self, *args: str, key: bool = True, docs: Path | None = None) -> Result:
        """``arxiv-digest ARGS --docs-dir DOCS`` in this process; exit code and output."""
        if key:
            self.monkeypatch.setenv("OPENAI_API_KEY", self.llm.api_key)
        else:
            self.monkeypatch.delenv("OPENAI_API_KEY", raising=False)
        self.monkeypatch.setattr(
            sys, "argv", ["arxiv-digest", *args, "--docs-dir", str(docs or self.docs)]
        )
        self.capsys.readouterr()
        try:
            cli.main()
            code = 0
        except SystemExit as exc:
            code = int(exc.code or 0)
        captured = self.capsys.readouterr()
        return Result(code, captured.out, captured.err)

    def files(self, docs: Path | None = None) -> dict[str, bytes]:
        root = docs or self.docs
        return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*.md"))}


@pytest.fixture
def env(
    arxiv_server: ArxivServer,
    llm_server: FakeLLMServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> Env:
    monkeypatch.chdir(tmp_path)
    for name, value in {
        **arxiv_server.env(),
        "OPENAI_BASE_URL": llm_server.base_url,
        "DIGEST_MODEL": llm_server.model,
        "DIGEST_CACHE_DIR": str(tmp_path / "cache"),
        "SOURCE_DATE_EPOCH": EPOCH,
    }.items():
        monkeypatch.setenv(name, value)
    for name in ("DIGEST_DOCS_DIR", "DIGEST_LLM_FILTER", "DIGEST_CONCURRENCY"):
        monkeypatch.delenv(name, raising=False)
    return Env(arxiv_server, llm_server, tmp_path / "docs", monkeypatch, capsys)


def _efficient_papers(n: int, start: int = 1) -> list[FakePaper]:
    return synthetic_papers(n, category="cs.LG", start=start)


def test_normal_day(env: Env) -> None:
    shared = env.arxiv.cross_listing_variant()  # one paper in three feeds, plus replacements
    result = env.run("fetch")
    assert result.code == 0, result.err
    day = schema.read_day(schema.day_path(env.docs, RECORDED_DAY))
    assert day.meta.status == "announced" and not day.meta.backfilled and not day.meta.incomplete
    # Listing order (cs.AI, cs.CL, cs.LG feeds), merged, without the replacements.
    assert day.meta.papers == [shared.arxiv_id, "2604.90002", RELEVANT]
    assert day.meta.listed == {"cs.AI": 6, "cs.CL": 4, "cs.LG": 5}
    assert sorted(env.files()) == [
        "days/2026-04-27.md",
        f"papers/{RELEVANT}.md",
        f"papers/{shared.arxiv_id}.md",
        "papers/2604.90002.md",
    ]
    page = schema.read_paper(schema.paper_path(env.docs, RELEVANT))
    meta = page.meta
    assert meta.title.startswith("Focus Session: Hardware and Software Techniques")
    assert meta.authors[0] == "Muhammad Shafique" and meta.categories[0] == "cs.LG"
    assert meta.announced == RECORDED_DAY and meta.version == 1
    assert {"quantization", "hardware-systems"} <= set(meta.topics)
    # The day's best, well above the lowest score a kept paper may have.
    threshold = load_rules().model.threshold
    assert (
        meta.relevance is not None
        and meta.relevance.rank == 1
        and meta.relevance.score >= threshold + 30
        and "quantization" in meta.relevance.matched
    )
    assert meta.summary.by == env.llm.model and meta.summary.at == dt.datetime.fromtimestamp(
        int(EPOCH), dt.UTC
    )
    assert len(page.bullets) == 3 and "Focus Session" in page.bullets[0] and not page.reader_owned
    assert len(env.llm.chat_requests) == 3
    assert "listed 11" in result.out and "kept 3" in result.out and "3 by the model" in result.out
    assert "files: 4 written, 0 unchanged" in result.out and "tokens:" in result.out
    # Not a terminal: plain progress lines in the log.
    assert "summaries: 3/3" in result.err and "reading the listing" in result.err


def test_rerun_changes_no_byte_and_calls_no_model(env: Env) -> None:
    assert env.run("fetch").code == 0
    before = env.files()
    stamps = {p: p.stat().st_mtime_ns for p in env.docs.rglob("*.md")}
    calls = len(env.llm.chat_requests)
    # A fresh cache too: the pages themselves are the record of this day's summaries.
    env.monkeypatch.setenv("DIGEST_CACHE_DIR", str(env.docs.parent / "other-cache"))
    result = env.run("fetch")
    assert result.code == 0, result.err
    assert env.files() == before
    assert {p: p.stat().st_mtime_ns for p in env.docs.rglob("*.md")} == stamps
    assert len(env.llm.chat_requests) == calls
    assert "0 written, 2 unchanged" in result.out and "0 by the model, 1 cached" in result.out
    # A hand-written intro on the day page stays through the next run of that day.
    day = schema.day_path(env.docs, RECORDED_DAY)
    day.write_text(
        day.read_text("utf-8") + "\nA short week: arXiv was closed on Friday.\n", "utf-8"
    )
    with_intro = day.read_bytes()
    assert env.run("fetch").code == 0 and day.read_bytes() == with_intro


def test_weekend_writes_a_no_announcement_day(env: Env) -> None:
    saturday = dt.date(2026, 5, 2)
    env.arxiv.set_day(saturday)
    result = env.run("fetch")
    assert result.code == 0, result.err
    assert list(env.files()) == ["days/2026-05-02.md"]
    day = schema.read_day(schema.day_path(env.docs, saturday))
    assert day.meta.status == "no-announcement" and day.meta.papers == []
    assert not env.llm.chat_requests and not env.arxiv.api_requests
    assert "no-announcement" in result.out


def test_failing_feed_writes_nothing(env: Env) -> None:
    env.arxiv.fail("/rss/cs.CL", 503, times=10)
    result = env.run("fetch")
    assert result.code == 1
    lines = result.err.strip().splitlines()
    assert lines[-1].startswith("arxiv-digest: error:") and "/rss/cs.CL" in lines[-1]
    assert env.files() == {}


def test_empty_api_answer_fails_naming_the_ids(env: Env) -> None:
    env.arxiv.zero_entries(times=10)
    result = env.run("fetch")
    assert result.code == 1
    assert RELEVANT in result.err.strip().splitlines()[-1]
    assert env.files() == {}


def test_paper_on_an_earlier_day_is_not_listed_again(env: Env) -> None:
    earlier = schema.day_path(env.docs, dt.date(2026, 4, 24))
    earlier.parent.mkdir(parents=True)
    earlier.write_text(
        schema.render_day(
            schema.Day(date=dt.date(2026, 4, 24), status="announced", papers=[RELEVANT])
        ),
        "utf-8",
    )
    result = env.run("fetch", "--all")
    assert result.code == 0, result.err
    day = schema.read_day(schema.day_path(env.docs, RECORDED_DAY))
    assert RELEVANT not in day.meta.papers and len(day.meta.papers) == 8
    assert not schema.paper_path(env.docs, RELEVANT).exists()
    assert "on earlier days 1" in result.out


def test_all_keeps_every_paper(env: Env) -> None:
    result = env.run("fetch", "--all", key=False)
    assert result.code == 0, result.err
    day = schema.read_day(schema.day_path(env.docs, RECORDED_DAY))
    assert len(day.meta.papers) == 9
    kept = schema.read_paper(schema.paper_path(env.docs, RELEVANT)).meta
    other = schema.read_paper(schema.paper_path(env.docs, "2604.21935")).meta  # a math benchmark
    assert kept.relevance is not None and other.relevance is None and other.topics == []
    assert other.summary.by == schema.EXTRACTIVE and not env.llm.chat_requests


def test_dry_run_writes_nothing(env: Env) -> None:
    result = env.run("fetch", "--dry-run")
    assert result.code == 0, result.err
    assert not env.docs.exists() and not env.llm.chat_requests
    assert f"new       {env.docs / 'papers' / (RELEVANT + '.md')}" in result.out
    assert "2 would write" in result.out
    assert env.run("fetch").code == 0
    again = env.run("fetch", "--dry-run")
    assert again.out.count("unchanged ") == 2 and "0 would write" in again.out


def test_two_runs_at_once_get_a_lock_message(env: Env) -> None:
    with DocsLock(env.docs):
        result = env.run("fetch")
    assert result.code == 1
    assert "another arxiv-digest run" in result.err and str(env.docs) in result.err
    assert env.files() == {}


@pytest.mark.slow
def test_capped_feed_fails_unless_allowed(env: Env) -> None:
    planets = [
        FakePaper(
            f"2604.{80000 + i}", f"Hot Jupiter survey {i}", "Transit photometry.", ["astro-ph.EP"]
        )
        for i in range(2000)
    ]
    env.arxiv.set_feed("cs.LG", planets + [FeedItem(p) for p in _efficient_papers(0)])
    result = env.run("fetch")
    assert result.code == 1 and "cs.LG" in result.err and "2000" in result.err
    assert env.files() == {}
    result = env.run("fetch", "--allow-incomplete")
    assert result.code == 0, result.err
    assert "WARNING: cs.LG" in result.err
    day = schema.read_day(schema.day_path(env.docs, RECORDED_DAY))
    assert day.meta.incomplete and day.meta.listed["cs.LG"] == 2000


def test_backfill_with_date(env: Env) -> None:
    day = dt.date(2026, 4, 21)  # a Tuesday
    start, _ = submission_window(day)
    papers = synthetic_papers(
        3, category="cs.LG", prefix="2604.7", published=start + dt.timedelta(hours=1)
    )
    env.arxiv.add_papers(papers)
    result = env.run("fetch", "--date", "2026-04-21", "--categories", "cs.LG")
    assert result.code == 0, result.err
    page = schema.read_day(schema.day_path(env.docs, day))
    assert page.meta.backfilled and page.meta.papers == [p.arxiv_id for p in papers]
    assert schema.read_paper(schema.paper_path(env.docs, papers[0].arxiv_id)).meta.announced == day
    assert not env.arxiv.rss_requests


def test_extractive_without_key_then_resummarize_upgrades_exactly_those(env: Env) -> None:
    env.arxiv.set_feed("cs.LG", _efficient_papers(3))
    assert env.run("fetch", key=False).code == 0
    ids = schema.read_day(schema.day_path(env.docs, RECORDED_DAY)).meta.papers
    assert len(ids) == 3 and not env.llm.chat_requests
    edited = schema.paper_path(env.docs, ids[0])
    edited.write_text(edited.read_text("utf-8").replace("case 1.", "case one, edited."), "utf-8")
    human_text = edited.read_text("utf-8")
    no_key = env.run("resummarize", key=False)
    assert no_key.code == 1 and "OPENAI_API_KEY" in no_key.err
    dry = env.run("resummarize", "--dry-run")
    assert dry.code == 0 and not env.llm.chat_requests
    assert str(schema.paper_path(env.docs, ids[1])) in dry.out and str(edited) in dry.out  # marked
    result = env.run("resummarize")
    assert result.code == 0, result.err
    assert len(env.llm.chat_requests) == 2
    for arxiv_id in ids[1:]:
        page = schema.read_paper(schema.paper_path(env.docs, arxiv_id))
        assert page.meta.summary.by == env.llm.model and not page.reader_owned
    page = schema.read_paper(edited)
    assert page.meta.summary.by == "human" and "case one, edited." in page.body
    assert human_text.replace("by: extractive", "by: human") == edited.read_text("utf-8")
    assert env.run("resummarize").code == 0 and len(env.llm.chat_requests) == 2


def test_human_edited_summary_survives_fetch_and_resummarize(env: Env) -> None:
    assert env.run("fetch").code == 0
    path = schema.paper_path(env.docs, RELEVANT)
    text = path.read_text("utf-8")
    body_start = text.index("## Summary")
    edited = text[:body_start] + "## Summary\n\n- A reader's first point.\n- Second.\n- Third.\n"
    path.write_text(edited, "utf-8")
    calls = len(env.llm.chat_requests)
    assert env.run("fetch").code == 0
    after = path.read_text("utf-8")
    assert after == edited.replace(f"by: {env.llm.model}", "by: human")
    assert env.run("resummarize").code == 0 and env.run("fetch", "--all").code == 0
    assert schema.read_paper(path).body == schema.parse_paper(edited).body
    assert schema.read_paper(path).meta.summary.by == "human"
    assert len(env.llm.chat_requests) == calls + 8  # --all summarized the other 8, not this one


@pytest.mark.slow
def test_killed_run_then_rerun_completes_the_day_identically(env: Env, tmp_path: Path) -> None:
    env.arxiv.set_feed("cs.LG", _efficient_papers(300))
    child_env = {**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent / "scripts")}
    child_env.pop("OPENAI_API_KEY", None)
    command = [
        sys.executable,
        "-c",
        "from arxiv_digest.cli import main; main()",
        "fetch",
        "--all",  # every paper of the day: many pages, so the kill lands mid-way
        "--docs-dir",
        str(env.docs),
    ]
    child = subprocess.Popen(
        command, env=child_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    papers = env.docs / "papers"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and child.poll() is None:
        if papers.is_dir() and any(papers.iterdir()):
            child.send_signal(signal.SIGKILL)
            break
        time.sleep(0.001)
    child.wait(10)
    assert child.returncode == -signal.SIGKILL, "the run finished before it could be killed"
    assert not schema.day_path(env.docs, RECORDED_DAY).exists()
    for page in papers.glob("*.md"):
        schema.read_paper(page)  # every page on disk is whole
    result = env.run("fetch", "--all", key=False)
    assert result.code == 0, result.err
    assert not list(env.docs.rglob("*.tmp"))
    clean = tmp_path / "clean-docs"
    assert env.run("fetch", "--all", key=False, docs=clean).code == 0
    # The 300 papers, the recorded day's other papers and the day page.
    assert env.files() == env.files(clean) and len(env.files()) > 301


def test_llm_judge_rules_on_kept_and_near_miss_papers_when_enabled(env: Env) -> None:
    near_miss = FakePaper(
        "2604.95001",
        "A Toolkit for Citation Checking",
        # A realistic length: abstract points count per word, so a one-line abstract with the
        # same two mentions would score as a keep rather than a near miss.
        "Built on large language models, it runs quantization of its checker; the quantization "
        "is standard. Authors cite papers they have not read, and reviewers rarely have the "
        "time to open every reference. The toolkit reads a manuscript, finds each citation, "
        "retrieves the cited paper and marks the sentences whose claims the cited text does "
        "not support, so that a reviewer can look at the few places that matter. We describe "
        "the design of the toolkit, how it matches citation keys to papers, how it shows its "
        "findings to a reviewer, and what a study with volunteers found about the citations "
        "it flagged in submitted manuscripts.",
        ["cs.CL"],
    )
    env.arxiv.set_feed("cs.CL", [near_miss])
    assert env.run("fetch").code == 0
    day = schema.day_path(env.docs, RECORDED_DAY)
    assert near_miss.arxiv_id not in schema.read_day(day).meta.papers
    env.monkeypatch.setenv("DIGEST_LLM_FILTER", "1")
    ruling = {"id": near_miss.arxiv_id, "keep": True, "reason": "an efficiency method"}
    env.llm.answer(json.dumps(ruling), match=near_miss.arxiv_id)
    result = env.run("fetch")
    assert result.code == 0, result.err
    assert "judged 1 in 1 calls" in result.out
    assert near_miss.arxiv_id in schema.read_day(day).meta.papers
    page = schema.read_paper(schema.paper_path(env.docs, near_miss.arxiv_id))
    assert page.meta.relevance is not None and page.meta.relevance.judge == "an efficiency method"
    assert page.meta.relevance.rank is not None and page.meta.relevance.evidence
    judged = [r for r in env.llm.chat_requests if "optimization for training" in str(r.body)]
    assert len(judged) == 1 and near_miss.arxiv_id in judged[0].user_text


def test_progress_is_lines_in_logs_and_a_bar_on_a_terminal(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from arxiv_digest.progress import LogProgress, TerminalProgress

    def drive(progress: LogProgress | TerminalProgress) -> None:
        progress.step("summarizing 20 papers")
        tick = progress.count("summaries", 20)
        for i in range(20):
            tick(f"2604.{i:05d}")
        progress.step("writing 21 files")

    drive(LogProgress())
    lines = capsys.readouterr().err.splitlines()
    assert lines[:3] == [
        "summarizing 20 papers",
        "summaries: 2/20 (2604.00001)",
        "summaries: 4/20 (2604.00003)",
    ]
    assert lines[-2:] == ["summaries: 20/20 (2604.00019)", "writing 21 files"]

    main, child = os.openpty()
    with open(child, "w") as terminal:
        drive(TerminalProgress(terminal))
    screen = ""
    while True:  # until the closed terminal reports the end (EIO on Linux)
        try:
            chunk = os.read(main, 65536)
        except OSError:
            break
        if not chunk:
            break
        screen += chunk.decode()
    os.close(main)
    assert "summaries  [#####" in screen and "20/20" in screen
    assert screen.index("summarizing 20 papers") < screen.index("20/20") < screen.index("writing")


def test_rejected_key_stops_the_run_and_writes_nothing(env: Env) -> None:
    env.llm.unauthorized(times=20)
    result = env.run("fetch")
    assert result.code == 1
    last = result.err.strip().splitlines()[-1]
    assert last.startswith("arxiv-digest: error:") and "OPENAI_API_KEY" in last
    assert env.llm.api_key not in result.err
    assert env.files() == {}


def test_empty_listing_never_replaces_an_announced_day(env: Env) -> None:
    assert env.run("fetch").code == 0
    before = env.files()
    env.arxiv.set_day(RECORDED_DAY)  # same date, every feed empty
    result = env.run("fetch")
    assert result.code == 1 and "not replacing it" in result.err
    assert env.files() == before
