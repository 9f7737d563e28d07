"""The hostile pages of test_faults_hostile.py that the page schema refuses, against a real
``mkdocs build --strict``: the same verdict as ``check``, one line naming the file and key."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.site_support import build_site, make_docs, write_sample_pages

pytestmark = pytest.mark.slow

PAGE = "papers/2604.00002.md"
DAY = "days/2026-04-27.md"


def _edit(docs: Path, page: str, old: str, new: str) -> None:
    path = docs / page
    text = path.read_text("utf-8")
    assert old in text, (old, text)
    path.write_text(text.replace(old, new, 1), "utf-8")


def _alias_bomb() -> str:
    levels = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for level in range(1, 8):
        name, previous = chr(ord("a") + level), chr(ord("a") + level - 1)
        levels.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    return "\n".join(levels) + "\n"


# name -> (edit, file and key the line names, words of the line)
CASES: dict[str, tuple[Callable[[Path], None], str, str]] = {
    "month 13": (lambda d: _edit(d, PAGE, "announced: 2026-04-27", "announced: 2026-13-45"),
                 f"docs/{PAGE}: front matter", "2026-13-45 is not a date"),
    "February 30": (lambda d: _edit(d, DAY, "date: 2026-04-27", "date: 2026-02-30"),
                    f"docs/{DAY}: front matter", "2026-02-30 is not a date"),
    "closed by '...'": (lambda d: _edit(d, PAGE, "\n---\n\n## Summary", "\n...\n---\n\n## Summary"),
                        f"docs/{PAGE}: front matter", "closed by '...'"),
    "U+FFFF in a bullet": (lambda d: _edit(d, PAGE, "Second sentence.", "Second\uffff sentence."),
                           f"docs/{PAGE}: line", "holds U+FFFF"),
    "U+FFFF escaped in the title": (
        lambda d: _edit(d, PAGE, "title: Pruning large models", 'title: "Pruning\\uFFFF"'),
        f"docs/{PAGE}: title", "holds U+FFFF"),
    "cs.LG and cs_LG": (lambda d: _edit(d, PAGE, "- cs.LG\n", "- cs.LG\n- cs_LG\n"),
                        f"docs/{PAGE}: categories", "would share one tag page"),
    "a key given twice": (lambda d: _edit(d, PAGE, "version: 1\n", "version: 1\nversion: 2\n"),
                          f"docs/{PAGE}: front matter", "key 'version' is given twice"),
    "an alias bomb": (lambda d: _edit(d, PAGE, "version: 1\n", "version: 1\n" + _alias_bomb()),
                      f"docs/{PAGE}: front matter", "an alias (*name) is not allowed"),
    "a day listing a path": (
        lambda d: _edit(d, DAY, "- '2604.00002'\n", "- '2604.00002'\n- ../../../tmp/x\n"),
        f"docs/{DAY}: papers", "not a bare arXiv id"),
    "a title of 5,000 characters": (
        lambda d: _edit(d, PAGE, "title: Pruning large models", "title: " + "long " * 1000),
        f"docs/{PAGE}: title", "at most 1000 characters"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_build_refuses_what_check_refuses_in_one_line(case: str, tmp_path: Path) -> None:
    edit, where, words = CASES[case]
    docs = make_docs(tmp_path / "docs")
    write_sample_pages(docs)
    edit(docs)
    result = build_site(docs, tmp_path / "site", check=False)
    assert result.returncode != 0, result.stdout
    assert "Traceback" not in result.stdout, result.stdout
    lines = [line for line in result.stdout.splitlines() if where in line]
    assert len(lines) == 1 and words in lines[0], result.stdout
