"""The quick front-matter reader gives what the YAML library gives, or gives up."""

from __future__ import annotations

import sys
from pathlib import Path

import frontmatter
import pytest
from arxiv_digest.pages import schema
from hypothesis import given

from tests.site_support import ROOT, sample_paper, write_paper
from tests.test_properties import _SETTINGS, TRICKY, bullets, days, papers, text

sys.path.insert(0, str(ROOT / "scripts"))
from synthetic_docs import generate_docs  # noqa: E402


def _slow(page: str) -> tuple[dict, str]:
    post = frontmatter.loads(page)
    return dict(post.metadata), post.content


def _agrees(page: str) -> bool:
    """True when the quick reader read ``page``; it then equals the YAML library, types too."""
    quick = schema._quick_load(page)
    if quick is None:
        return False
    assert repr(quick) == repr(_slow(page))
    return True


def test_generated_pages_are_read_quickly(tmp_path: Path) -> None:
    generate_docs(tmp_path, 120)
    pages = sorted(tmp_path.glob("*/*.md"))
    assert pages
    for path in pages:
        assert _agrees(path.read_text("utf-8")), path
    for path in sorted((ROOT / "docs").glob(f"{schema.PAPERS_DIR}/*.md")):
        assert _agrees(path.read_text("utf-8")), path


@pytest.mark.parametrize("value", TRICKY + [
    "Turing's machine", 'say "hi"', "C# and F#", "a:b", "https://x.org/a#b", "x, y", "[x] y",
    "2024-01-01 12:00:00", "1:20", "0b101", "+1", "Yes", "NO", "Off", "trailing:", "x'", "é",
    "x\\ny", "'quoted'", "it''s",
])
def test_tricky_values_agree_or_fall_back(tmp_path: Path, value: str) -> None:
    for field in ("title", "comment", "abstract"):
        paper = sample_paper("2604.00001", **{field: value or "x"})
        path = write_paper(tmp_path, paper)
        _agrees(path.read_text("utf-8"))
    paper = sample_paper("2604.00001", authors=[value, "x"], categories=[value],
                         relevance={"score": 1.0, "matched": [value]})
    _agrees(write_paper(tmp_path, paper).read_text("utf-8"))


HAND_EDITED = [
    "---\ntitle: x # a comment\narxiv_id: '1'\n---\n",
    "---\ntitle: x\n\narxiv_id: '1'\n---\n",
    "---\nauthors: [a, b]\n---\n",
    "---\nauthors:\n  - a\n  - b\n---\n",
    "---\nabstract: |\n  text\n---\n",
    "---\ntitle: &a x\ncomment: *a\n---\n",
    "---\ntitle: !!str 12\n---\n",
    '---\ntitle: "x\\ty"\n---\n',
    "---\ntitle: x\n  continued\n---\n",
    "---\ntitle:\n---\n",
    "---\ntitle: x\nrelevance:\n---\n",
    "---\nrelevance:\n  matched:\n---\n",
    "---\non: x\n---\n",
    "---\ntitle: x\n----\nbody\n",
    "---\ntitle: x\n--- \nbody\n",
    "---\ntitle:  x\n---\n",
    "---\ntitle: x \n---\n",
    "---\ntitle: x\r\n---\n",
    "---\ntitle: a: b\n---\n",
    "---\n- a\n---\n",
    "---\ntitle: x\n- a\n---\n",
    "---\nrelevance:\n  score: 1\n- a\n---\n",
    "---\nsummary:\n    by: x\n---\n",
    "---\n---\n",
    "---\ntitle: x",
]


@pytest.mark.parametrize("page", HAND_EDITED)
def test_hand_edited_forms_fall_back(page: str) -> None:
    assert schema._quick_load(page) is None


@pytest.mark.parametrize("page", [
    "---\ntitle: x\ntitle: y\n---\n\nbody\n",
    "---\nauthors:\n- a\nauthors:\n- b\n---\n",
    "---\nrelevance:\n  score: 1\n  score: 2.5\n  matched: []\nlisted: {}\n---\n---\n",
    "---\nlisted:\n  cs.LG: 3\n  eess.AS: 0\nbackfilled: true\n---",
    "---\ntitle: x\n---\n\n\n  body  \n\n",
])
def test_simple_forms_agree(page: str) -> None:
    assert _agrees(page)


@_SETTINGS
@given(paper=papers, summary=bullets)
def test_written_papers_agree(paper: schema.Paper, summary: list[str]) -> None:
    _agrees(schema.render_paper(paper, schema.render_body(summary)))


@_SETTINGS
@given(day=days, intro=text)
def test_written_days_agree(day: schema.Day, intro: str) -> None:
    _agrees(schema.render_day(day, intro))
