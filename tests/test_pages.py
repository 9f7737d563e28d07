"""Writing pages: summary ownership, byte-stable output, the earlier-days index, golden files."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from arxiv_digest.pages import schema, writer
from arxiv_digest.pages.schema import Day, Paper, SummaryInfo

GOLDEN = Path(__file__).parent / "golden"
DAY = dt.date(2026, 4, 27)
AT = dt.datetime(2026, 4, 27, 6, 30, tzinfo=dt.UTC)
BULLETS = [
    "Low-bit LLMs lose accuracy to outliers.",
    "Rotate weights before $W4A8$ quantization.",
    "Matches FP16 within 0.5 points at 3.1x the throughput.",
]


def _paper(**changes: object) -> Paper:
    values: dict[str, object] = dict(
        title="Rotated Quantization: $W4A8$ LLMs Without Outliers",
        arxiv_id="2604.00001",
        version=2,
        authors=["Ada Lovelace", "Alan Turing"],
        categories=["cs.LG", "cs.CL"],
        announced=DAY,
        published=dt.datetime(2026, 4, 20, 17, 59, 1, tzinfo=dt.UTC),
        updated=dt.datetime(2026, 4, 24, 9, 0, tzinfo=dt.UTC),
        comment="12 pages; code: https://x.y",
        topics=["quantization"],
        relevance=schema.Relevance(
            score=17.0,
            matched=["quantization", "llm"],
            evidence=["quantization +12 (title, abstract x2)", "llm +5 (title, abstract x2)"],
            rank=2,
        ),
        abstract="Outliers make low-bit quantization of LLMs hard: we rotate weights first.",
        summary=SummaryInfo(by="gpt-4o-mini"),
    )
    values.update(changes)
    return Paper(**values)  # type: ignore[arg-type]


def _store(docs: Path, text: str, arxiv_id: str = "2604.00001") -> schema.PaperPage:
    path = schema.paper_path(docs, arxiv_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return schema.read_paper(path)


def _golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, "utf-8")
    assert path.read_text("utf-8") == text, f"{path} differs; rerun with UPDATE_GOLDEN=1 and review"


def test_golden_paper_page() -> None:
    text = writer.compose_paper(_paper(), BULLETS, None, at=AT)
    _golden("paper.md", text)
    page = schema.parse_paper(text)
    assert page.bullets == BULLETS and not page.reader_owned
    assert page.meta.summary == SummaryInfo(
        by="gpt-4o-mini", at=AT, sha256=schema.summary_sha256(BULLETS)
    )


def test_golden_day_page() -> None:
    day = Day(
        date=DAY,
        status="announced",
        papers=["2604.00001", "cs/0601001"],
        listed={"cs.LG": 402, "cs.CL": 150},
    )
    existing = schema.DayPage(meta=day, intro="A quiet Monday: two papers.")
    text = writer.compose_day(day, existing)
    _golden("day.md", text)
    assert schema.parse_day(text).intro == "A quiet Monday: two papers."


def test_same_input_same_bytes_and_summary_time_kept(tmp_path: Path) -> None:
    first = writer.compose_paper(_paper(), BULLETS, None, at=AT)
    existing = _store(tmp_path, first)
    later = AT + dt.timedelta(days=3)
    assert writer.compose_paper(_paper(), BULLETS, existing, at=later) == first
    changed = writer.compose_paper(_paper(), [*BULLETS[:2], "New result."], existing, at=later)
    assert schema.parse_paper(changed).meta.summary.at == later


@pytest.mark.parametrize("edit", ["bullets", "human", "legacy", "extra-section"])
def test_reader_owned_summary_is_never_rewritten(tmp_path: Path, edit: str) -> None:
    text = writer.compose_paper(_paper(), BULLETS, None, at=AT)
    if edit == "bullets":
        text = text.replace("Rotate weights", "Rotating the weights")
    elif edit in ("human", "legacy"):
        text = text.replace("by: gpt-4o-mini", f"by: {edit}")
    else:
        text += "\n## Notes\n\nSee also the follow-up paper.\n"
    existing = _store(tmp_path, text)
    assert writer.is_protected(existing)
    assert writer.reusable_summary(existing, DAY) is None
    new = writer.compose_paper(
        _paper(version=3), ["Other.", "Bullets.", "Here."], existing, at=AT + dt.timedelta(days=1)
    )
    page = schema.parse_paper(new)
    assert page.body == existing.body
    assert page.meta.version == 3  # arXiv metadata still follows arXiv
    expected_by = {
        "bullets": "human",
        "human": "human",
        "legacy": "legacy",
        "extra-section": "gpt-4o-mini",
    }[edit]
    assert page.meta.summary == existing.meta.summary.model_copy(update={"by": expected_by})


def test_reusable_summary_only_for_a_model_summary_of_the_same_day(tmp_path: Path) -> None:
    page = _store(tmp_path, writer.compose_paper(_paper(), BULLETS, None, at=AT))
    assert writer.reusable_summary(page, DAY) == (BULLETS, page.meta.summary)
    assert writer.reusable_summary(page, DAY + dt.timedelta(days=1)) is None
    assert writer.reusable_summary(None, DAY) is None
    extractive = _paper(summary=SummaryInfo(by=schema.EXTRACTIVE))
    page = _store(tmp_path, writer.compose_paper(extractive, BULLETS, None, at=AT))
    assert writer.reusable_summary(page, DAY) is None


def test_compose_day_keeps_intro_and_writes_without_one() -> None:
    day = Day(date=DAY, status="no-announcement")
    assert (
        writer.compose_day(day, None) == "---\ndate: 2026-04-27\nstatus: no-announcement\n"
        "papers: []\nlisted: {}\nbackfilled: false\nincomplete: false\n---\n"
    )
    kept = writer.compose_day(day, schema.DayPage(meta=day, intro="Easter Monday."))
    assert kept.endswith("---\n\nEaster Monday.\n")


def _day(docs: Path, date: dt.date, ids: list[str]) -> None:
    path = schema.day_path(docs, date)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(schema.render_day(Day(date=date, status="announced", papers=ids)), "utf-8")


def test_listed_on_other_days(tmp_path: Path) -> None:
    assert writer.listed_on_other_days(tmp_path, DAY) == {}
    _day(tmp_path, dt.date(2026, 4, 23), ["2604.00001", "2604.00002"])
    _day(tmp_path, dt.date(2026, 4, 24), ["2604.00002", "2604.00003"])
    _day(tmp_path, DAY, ["2604.00004"])
    index = writer.listed_on_other_days(tmp_path, DAY)
    assert index == {
        "2604.00001": dt.date(2026, 4, 23),
        "2604.00002": dt.date(2026, 4, 23),
        "2604.00003": dt.date(2026, 4, 24),
    }


def test_hand_edited_pages_are_marked_human(tmp_path: Path) -> None:
    untouched = writer.compose_paper(_paper(), BULLETS, None, at=AT)
    _store(tmp_path, untouched)
    edited = writer.compose_paper(_paper(arxiv_id="2604.00002"), BULLETS, None, at=AT)
    _store(tmp_path, edited.replace("3.1x", "3.2x"), "2604.00002")
    legacy = writer.compose_paper(
        _paper(arxiv_id="2604.00003", summary=SummaryInfo(by="legacy")), BULLETS, None, at=AT
    ).replace("3.1x", "3.3x")
    _store(tmp_path, legacy, "2604.00003")
    marks = writer.hand_edited_pages(tmp_path)
    assert [m.path.name for m in marks] == ["2604.00002.md"] and marks[0].status == "changed"
    assert writer.write_pages(marks) == (1, 0)
    page = schema.read_paper(marks[0].path)
    assert page.meta.summary.by == "human" and "3.2x" in page.body
    assert page.meta.summary.sha256 == schema.summary_sha256(BULLETS)  # what was generated
    assert writer.hand_edited_pages(tmp_path) == []


def test_extractive_pages(tmp_path: Path) -> None:
    offline = _paper(summary=SummaryInfo(by=schema.EXTRACTIVE))
    _store(tmp_path, writer.compose_paper(offline, BULLETS, None, at=AT))
    edited = writer.compose_paper(
        offline.model_copy(update={"arxiv_id": "2604.00002"}), BULLETS, None, at=AT
    ).replace("3.1x", "three times")
    _store(tmp_path, edited, "2604.00002")
    _store(
        tmp_path,
        writer.compose_paper(_paper(arxiv_id="2604.00003"), BULLETS, None, at=AT),
        "2604.00003",
    )
    assert [p.name for p, _ in writer.extractive_pages(tmp_path)] == ["2604.00001.md"]


def test_plan_and_write_pages(tmp_path: Path) -> None:
    path = tmp_path / "papers" / "x.md"
    new = writer.plan(path, "one\n")
    assert new.status == "new" and not path.exists()
    assert writer.write_pages([new]) == (1, 0)
    mtime = path.stat().st_mtime_ns
    assert writer.plan(path, "one\n").status == "unchanged"
    assert writer.write_pages([writer.plan(path, "one\n")]) == (0, 1)
    assert path.stat().st_mtime_ns == mtime
    assert writer.plan(path, "two\n").status == "changed"


def test_now_utc_honours_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1777276800")
    assert writer.now_utc() == dt.datetime(2026, 4, 27, 8, 0, tzinfo=dt.UTC)
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert writer.now_utc().microsecond == 0 and writer.now_utc().tzinfo is not None


def test_a_model_bullet_longer_than_the_bound_is_cut_at_a_word() -> None:
    long = "word " * 400
    text = writer.compose_paper(_paper(), [long, "b", "c"], None, at=AT)
    page = schema.parse_paper(text)
    assert len(page.bullets[0]) <= schema.MAX_BULLET and page.bullets[0].endswith("word…")
    assert page.bullets[1:] == ["b", "c"] and not page.summary_by_reader
