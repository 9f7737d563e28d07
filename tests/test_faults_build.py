"""The hostile pages of test_faults_hostile.py that the page schema refuses, against a real
``mkdocs build --strict``: the same verdict as ``check``, one line naming the file and key; and
the hostile pages it accepts (deep TeX, script in a day intro), built into inert HTML (their
run in chromium is test_faults_browser.py)."""

from __future__ import annotations

import html
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from arxiv_digest.site.escape import tex_within_limits

from tests.faults_support import CLI
from tests.site_support import (
    DEEP_TEX,
    DEEPER_TEX,
    HUGE_RULE,
    build_site,
    make_docs,
    write_hostile_tex_and_intro,
    write_sample_pages,
)

pytestmark = pytest.mark.slow

PAGE = "papers/2604.00002.md"
DAY = "days/2026-04-27.md"


def _edit(docs: Path, page: str, old: str, new: str) -> None:
    path = docs / page
    text = path.read_text("utf-8")
    assert old in text, (old, text)
    path.write_text(text.replace(old, new, 1), "utf-8")


def _nested(docs: Path, page: str) -> None:
    """A page below papers/ or days/, which MkDocs alone would build with its raw HTML."""
    path = docs / page
    path.parent.mkdir()
    path.write_text("# Notes\n\n<script>window.__pwned = 21</script>\n", "utf-8")


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
    "a page with script in a subfolder of papers": (
        lambda d: _nested(d, "papers/old/2604.00002.md"),
        "docs/papers/old/2604.00002.md: file", "not a page"),
    "a page with script in a subfolder of days": (
        lambda d: _nested(d, "days/notes/intro.md"),
        "docs/days/notes/intro.md: file", "not a page"),
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


def _math_spans(page: str) -> list[str]:
    """The TeX of every math span of a built page, delimiters dropped."""
    return [html.unescape(tex)[2:-2]
            for tex in re.findall(r'<span class="arithmatex">(.*?)</span>', page, re.S)]


def test_deep_tex_and_a_hostile_intro_pass_check_and_build_inert(tmp_path: Path) -> None:
    docs = make_docs(tmp_path / "docs")
    roles = write_hostile_tex_and_intro(docs)
    check = subprocess.run([*CLI, "check", "--docs-dir", str(docs)], capture_output=True,
                           text=True, timeout=120)
    assert check.returncode == 0, check.stdout + check.stderr
    build_site(docs, tmp_path / "site")
    pages = {name: (tmp_path / "site" / uri / "index.html").read_text("utf-8")
             for name, uri in (("home", ""), ("day", roles["day"]), ("paper", roles["paper"]))}
    for name, page in pages.items():
        text = html.unescape(re.sub(r"<[^>]+>", "", page))
        # The deep roots of the title and bullets show as text; no math span asks KaTeX to
        # typeset them (the intro's own math is left to math.js's cap, tested in chromium).
        assert f"${DEEP_TEX}$" in text, name
        spans = _math_spans(page)
        assert HUGE_RULE in spans and "x^2" in spans, name
        over = [tex for tex in spans if not tex_within_limits(tex)]
        assert over == ([DEEPER_TEX] if name == "day" else []), name
    day = pages["day"]
    # The intro's raw HTML is text; only Markdown's own tags and safe addresses are left.
    assert "&lt;script&gt;window.__pwned = 11;" in day and "<script>window" not in day
    for handler in ("onerror=", "onload=", "onmouseover="):
        assert handler not in day.replace("&lt;svg onload=", "")
    assert not re.search(r"href=\"[^\"]*script:", day, re.I)
    assert '<a href="https://example.org/">a link</a>' in day and "<em>notes</em>" in day
