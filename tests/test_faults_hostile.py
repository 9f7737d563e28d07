"""Hostile pull requests against ``arxiv-digest check``: each gives one line naming the file and
the key (and line), never a traceback, and nothing printed can command the CI."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from arxiv_digest.pages.schema import (
    Day,
    Paper,
    SummaryInfo,
    day_path,
    paper_path,
    render_body,
    render_day,
    render_paper,
    summary_sha256,
)

from tests.faults_support import CLI

DAY = dt.date(2026, 4, 27)
IDS = ["2604.00001", "2604.00002", "2604.00003"]
BULLETS = ["Heads that do nothing cause outliers.", "Clipped softmax removes them.",
           "Eight-bit models lose nothing."]


def _paper(arxiv_id: str, **fields: object) -> Paper:
    values: dict[str, object] = {
        "title": f"Paper {arxiv_id}", "arxiv_id": arxiv_id, "version": 1,
        "authors": ["Ada Lovelace"], "categories": ["cs.LG", "cs.AI"], "announced": DAY,
        "summary": SummaryInfo(by="gpt-4o-mini", at=dt.datetime(2026, 4, 27, tzinfo=dt.UTC),
                               sha256=summary_sha256(BULLETS)),
    }
    return Paper(**{**values, **fields})  # type: ignore[arg-type]


@pytest.fixture()
def docs(tmp_path: Path) -> Path:
    """A correct docs dir: one day, three papers, an assets folder."""
    docs = tmp_path / "docs"
    (docs / "papers").mkdir(parents=True)
    (docs / "days").mkdir()
    (docs / "assets").mkdir()
    (docs / "assets" / "style.css").write_text("body {}\n")
    day_path(docs, DAY).write_text(render_day(Day(date=DAY, status="announced", papers=IDS)))
    for arxiv_id in IDS:
        paper_path(docs, arxiv_id).write_text(render_paper(_paper(arxiv_id), render_body(BULLETS)))
    return docs


def _check(docs: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DIGEST_", "OPENAI_"))}
    return subprocess.run([*CLI, "check", "--docs-dir", str(docs), *args], capture_output=True,
                          text=True, env=env, timeout=60)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, (old, text)
    path.write_text(text.replace(old, new, 1), "utf-8")


def _page(docs: Path, number: int = 1) -> Path:
    return paper_path(docs, IDS[number - 1])


def _rewrite(docs: Path, **fields: object) -> None:
    _page(docs).write_text(render_paper(_paper(IDS[0], **fields), render_body(BULLETS)))


# name -> (how the pull request breaks the docs dir, file in the line, key, words of the line)
Case = tuple[Callable[[Path], object], str, str, str]
CASES: dict[str, Case] = {
    "symlink to the environment": (
        lambda d: (d / "assets" / "env.txt").symlink_to("/proc/self/environ"),
        "assets/env.txt", "file", "symbolic link (to /proc/self/environ) is refused"),
    "symlink out of docs": (
        lambda d: (d / "assets" / "config.txt").symlink_to("../../.git/config"),
        "assets/config.txt", "file", "symbolic link (to ../../.git/config) is refused"),
    "dangling symlink as a page": (
        lambda d: (d / "papers" / "2604.09999.md").symlink_to(d / "nowhere.md"),
        "papers/2604.09999.md", "file", "symbolic link"),
    "symlinked folder": (
        lambda d: (d / "papers2").symlink_to("/etc"),
        "docs/papers2", "file", "symbolic link (to /etc) is refused"),
    "a pipe in docs": (
        lambda d: os.mkfifo(d / "assets" / "pipe.txt"),
        "assets/pipe.txt", "file", "not a regular file"),
    "U+FFFF in a bullet": (
        lambda d: _edit(_page(d), BULLETS[1], BULLETS[1] + "\uffff"),
        "papers/2604.00001.md", "line 21", "holds U+FFFF"),
    "U+FFFF escaped in the front matter": (
        lambda d: _edit(_page(d), "title: Paper 2604.00001", 'title: "Paper\\uFFFF"'),
        "papers/2604.00001.md", "title", "holds U+FFFF"),
    "empty first bullet": (
        lambda d: _edit(_page(d), f"- {BULLETS[0]}\n", "- \n"),
        "papers/2604.00001.md", "## Summary", "bullet 1 is empty"),
    "page in a subfolder of papers": (
        lambda d: (d / "papers" / "old").mkdir() or shutil.copy(
            _page(d), d / "papers" / "old" / "2604.00001.md"),
        "papers/old/2604.00001.md", "file", "not a page"),
    "month 13": (
        lambda d: _edit(_page(d), "announced: 2026-04-27", "announced: 2026-13-45"),
        "papers/2604.00001.md", "front matter",
        "not valid YAML at line 10: 2026-13-45 is not a date"),
    "February 30": (
        lambda d: _edit(day_path(d, DAY), "date: 2026-04-27", "date: 2026-02-30"),
        "days/2026-04-27.md", "front matter", "2026-02-30 is not a date"),
    "front matter closed by '...'": (
        lambda d: _edit(_page(d), "\n---\n\n## Summary", "\n...\n---\n\n## Summary"),
        "papers/2604.00001.md", "front matter", "closed by '...'"),
    "cs.LG and cs_LG": (
        lambda d: _rewrite(d, categories=["cs.LG"]) or _edit(_page(d), "- cs.LG\n",
                                                             "- cs.LG\n- cs_LG\n"),
        "papers/2604.00001.md", "categories", "'cs.LG' and 'cs_LG' would share one tag page"),
    "cs.lg on one page, cs.LG on others": (
        lambda d: _edit(_page(d, 3), "- cs.LG\n", "- cs.lg\n"),
        "papers/2604.00003.md", "categories", "'cs.lg' and 'cs.LG' (.*) would share one tag page"),
    "a key given twice": (
        lambda d: _edit(_page(d), "version: 1\n", "version: 1\ntitle: Another\n"),
        "papers/2604.00001.md", "front matter", "key 'title' is given twice"),
    "a day listing a path": (
        lambda d: _edit(day_path(d, DAY), "- '2604.00003'\n",
                        "- '2604.00003'\n- ../../../tmp/x\n"),
        "days/2026-04-27.md", "papers", "not a bare arXiv id"),
    "a title of 5,000 characters": (
        lambda d: _edit(_page(d), "title: Paper 2604.00001", "title: " + "long " * 1000),
        "papers/2604.00001.md", "title", "at most 1000 characters"),
    "a bullet of 5,000 characters": (
        lambda d: _edit(_page(d), BULLETS[1], "long " * 1000),
        "papers/2604.00001.md", "## Summary", "bullet 2 is 4999 characters"),
    "a run stopped before the day page": (
        lambda d: day_path(d, DAY).unlink(),
        "days/2026-04-27.md", "file",
        "3 paper pages (.*) are announced on 2026-04-27: day not finished; rerun fetch"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_hostile_page_gives_one_line_naming_file_and_key(docs: Path, case: str) -> None:
    edit, where, key, words = CASES[case]
    edit(docs)
    result = _check(docs)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 1, result.stdout + result.stderr
    problems = result.stdout.splitlines()[:-1]
    assert len(problems) == 1, result.stdout
    pattern = rf"{re.escape(str(docs))}/(.*/)?{re.escape(where.removeprefix('docs/'))}: " \
              rf"{re.escape(key)}: .*{words if '(.*)' in words else re.escape(words)}.*"
    assert re.fullmatch(pattern, problems[0]), (pattern, problems[0])
    assert result.stdout.splitlines()[-1].startswith("check: 1 problem in ")


def test_a_page_saved_with_a_byte_order_mark_passes_as_in_the_build(docs: Path) -> None:
    page = _page(docs)
    page.write_bytes(b"\xef\xbb\xbf" + page.read_bytes())
    result = _check(docs)
    assert result.returncode == 0, result.stdout + result.stderr


def test_an_alias_bomb_is_refused_at_once_and_not_expanded(docs: Path) -> None:
    levels = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for level in range(1, 8):
        name, previous = chr(ord("a") + level), chr(ord("a") + level - 1)
        levels.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    _edit(_page(docs), "version: 1\n", "version: 1\n" + "\n".join(levels) + "\n")
    started = time.monotonic()
    result = _check(docs)
    assert time.monotonic() - started < 5
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "an alias (*name) is not allowed" in result.stdout
    assert len(result.stdout) < 1000, result.stdout  # the expansion is not printed


NEWLINE_KEY = '"x\\n::add-mask::x\\n::error title=pwned::owned": 1\n'


@pytest.mark.parametrize("github", [False, True])
def test_a_newline_in_a_key_or_a_file_name_cannot_start_a_workflow_command(
    docs: Path, github: bool
) -> None:
    _edit(_page(docs), "version: 1\n", "version: 1\n" + NEWLINE_KEY)
    stray = docs / "papers" / "2604.00003.md\n::add-mask::y\n::error::z.md"
    _page(docs, 3).rename(stray)
    result = _check(docs, *(["--github"] if github else []))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    lines = result.stdout.splitlines()
    problems = [line for line in lines if line.startswith(str(docs))]
    assert len(problems) >= 2 and any("unknown key" in line for line in problems)
    commands = [line for line in lines if line.startswith("::")]
    # Only the annotations --github asks for, one per problem, each naming a file.
    assert len(commands) == (len(problems) if github else 0), lines
    assert all(line.startswith(f"::error file={docs}") for line in commands), commands


def test_a_hand_written_page_with_a_key_given_twice_is_refused_as_the_build_does(
    docs: Path,
) -> None:
    about = docs / "about.md"
    about.write_text("---\ntitle: About\ntitle: Other\n---\n\n# About\n")
    result = _check(docs)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stdout.splitlines()[0] == (
        f"{about}: front matter: not valid YAML at line 3: key 'title' is given twice")
    about.write_text("# About\n\nNo front matter is fine.\n")
    assert _check(docs).returncode == 0
