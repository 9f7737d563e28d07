"""The synthetic pages of the benchmarks are as long as real ones: never shorter, so that a
page's bytes per paper are not a cut made by the generator."""

from __future__ import annotations

import json
import statistics
import sys
from pathlib import Path

import frontmatter
import pytest

ROOT = Path(__file__).resolve().parent.parent
RELEVANCE = ROOT.parent / "shared" / "relevance"
sys.path.insert(0, str(ROOT / "scripts"))

from synthetic_docs import generate_docs  # noqa: E402


def _records(pattern: str) -> list[dict]:
    return [json.loads(line) for path in sorted(RELEVANCE.glob(pattern))
            for line in path.read_text("utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> list[frontmatter.Post]:
    docs = tmp_path_factory.mktemp("synthetic")
    generate_docs(docs, 600)
    return [frontmatter.load(path) for path in sorted((docs / "papers").glob("*.md"))]


@pytest.mark.skipif(not RELEVANCE.is_dir(), reason="needs ../shared/relevance/")
def test_abstracts_titles_and_bullets_are_as_long_as_real_ones(
        generated: list[frontmatter.Post]) -> None:
    listings = _records("listing_2026-*.jsonl")
    picks = [b for r in _records("human_picks_*.jsonl") for b in r.get("bullets") or []]
    assert len(listings) > 1000 and len(picks) > 100
    real = {
        "abstract": statistics.mean(len(r["abstract"]) for r in listings if r.get("abstract")),
        "title": statistics.mean(len(r["title"]) for r in listings),
        "bullet": statistics.mean(len(b) for b in picks),
    }
    bullets = [line[2:] for post in generated for line in post.content.splitlines()
               if line.startswith("- ")]
    made = {
        "abstract": statistics.mean(len(post["abstract"]) for post in generated),
        "title": statistics.mean(len(post["title"]) for post in generated),
        "bullet": statistics.mean(len(b) for b in bullets),
    }
    for what, length in real.items():
        # At or above the real mean, and not far above it (the bytes would be inflated).
        assert length <= made[what] <= length * 1.05, (what, made[what], length)
    assert len(bullets) == 3 * len(generated)


def test_author_names_are_as_long_as_real_ones(generated: list[frontmatter.Post]) -> None:
    # 13.2 characters over the 197 names of the recorded arXiv API and RSS responses.
    names = [len(author) for post in generated for author in post["authors"]]
    assert 13.2 <= statistics.mean(names) <= 14.0
