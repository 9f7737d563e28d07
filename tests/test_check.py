"""`arxiv-digest check`: a clean docs dir passes, each kind of broken page gives its exact line."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from arxiv_digest.check import annotation, check_docs
from arxiv_digest.cli import cli
from arxiv_digest.pages.schema import (
    Day,
    Paper,
    Relevance,
    SummaryInfo,
    day_path,
    paper_path,
    render_body,
    render_day,
    render_paper,
    summary_sha256,
)
from click.testing import CliRunner

D1 = dt.date(2023, 6, 22)
D2 = dt.date(2023, 6, 23)
BULLETS = [
    "Attention heads that learn to do nothing cause the activation outliers.",
    "Clipped softmax and gated attention remove them during pre-training.",
    "The models then quantize to 8 bits with no loss in accuracy.",
]
# day -> ids, in listing order; cs/0601001 checks the old-style id and its file name.
LAYOUT = {D1: ["2306.12929", "cs/0601001"], D2: ["2306.13000"]}


def _paper(arxiv_id: str, announced: dt.date, bullets: list[str] = BULLETS) -> Paper:
    return Paper(
        title=f"Paper {arxiv_id} on $O(n^2)$ attention",
        arxiv_id=arxiv_id,
        version=1,
        authors=["Ada Lovelace", "Alan Turing"],
        categories=["cs.LG", "cs.AI"],
        announced=announced,
        published=dt.datetime(2023, 6, 21, 17, 59, 1, tzinfo=dt.UTC),
        topics=["quantization"],
        relevance=Relevance(score=3.0, matched=["quantization"]),
        abstract="We study outliers. They hurt quantization. We remove them.",
        summary=SummaryInfo(
            by="gpt-4o-mini",
            at=dt.datetime(2023, 6, 22, 6, 0, tzinfo=dt.UTC),
            sha256=summary_sha256(bullets),
        ),
    )


@pytest.fixture()
def docs(tmp_path: Path) -> Path:
    """A small, correct docs dir: two announced days, three papers, a weekend day."""
    docs = tmp_path / "docs"
    (docs / "papers").mkdir(parents=True)
    (docs / "days").mkdir()
    for day, ids in LAYOUT.items():
        day_path(docs, day).write_text(
            render_day(Day(date=day, status="announced", papers=ids, listed={"cs.LG": 400}))
        )
        for arxiv_id in ids:
            paper_path(docs, arxiv_id).write_text(
                render_paper(_paper(arxiv_id, day), render_body(BULLETS))
            )
    weekend = dt.date(2023, 6, 24)
    day_path(docs, weekend).write_text(render_day(Day(date=weekend, status="no-announcement")))
    return docs


def _lines(docs: Path) -> list[str]:
    return [str(problem) for problem in check_docs(docs).problems]


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def test_clean_docs_dir_passes(docs: Path) -> None:
    report = check_docs(docs)
    assert report.problems == []
    assert (report.papers, report.days) == (3, 3)


def test_clean_docs_dir_command_exits_zero(docs: Path) -> None:
    result = CliRunner().invoke(cli, ["check", "--docs-dir", str(docs)])
    assert result.exit_code == 0, result.output
    assert result.output == "check: no problems in 3 paper pages, 3 day pages\n"


def test_hand_edited_summary_passes(docs: Path) -> None:
    page = paper_path(docs, "2306.12929")
    # A reader rewrites a bullet and adds a fourth: the hash no longer matches, the page is theirs.
    _edit(page, BULLETS[0], "Outliers come from heads that attend to delimiter tokens.")
    page.write_text(page.read_text() + "- A fourth bullet written by hand.\n")
    assert _lines(docs) == []


def test_summary_marked_human_with_two_bullets_passes(docs: Path) -> None:
    page = paper_path(docs, "2306.13000")
    _edit(page, "by: gpt-4o-mini", "by: human")
    _edit(page, f"- {BULLETS[2]}\n", "")
    assert _lines(docs) == []


def test_missing_paper_page(docs: Path) -> None:
    paper_path(docs, "2306.13000").unlink()
    assert _lines(docs) == [
        f"{docs}/days/2023-06-23.md: papers: 2306.13000 has no paper page (papers/2306.13000.md)"
    ]


def test_paper_not_listed_by_its_day(docs: Path) -> None:
    _edit(day_path(docs, D1), "- cs/0601001\n", "")
    assert _lines(docs) == [
        f"{docs}/papers/cs-0601001.md: announced: {docs}/days/2023-06-22.md does not list "
        "cs/0601001"
    ]


def test_paper_listed_by_another_day(docs: Path) -> None:
    _edit(day_path(docs, D1), "- cs/0601001\n", "")
    _edit(day_path(docs, D2), "- '2306.13000'\n", "- '2306.13000'\n- cs/0601001\n")
    assert _lines(docs) == [
        f"{docs}/days/2023-06-23.md: papers: cs/0601001 is announced on 2023-06-22 "
        f"({docs}/papers/cs-0601001.md)",
        f"{docs}/papers/cs-0601001.md: announced: {docs}/days/2023-06-22.md does not list "
        "cs/0601001",
    ]


def test_paper_announced_on_a_day_with_no_page(docs: Path) -> None:
    _edit(paper_path(docs, "2306.13000"), "announced: 2023-06-23", "announced: 2023-06-26")
    assert _lines(docs) == [
        f"{docs}/days/2023-06-23.md: papers: 2306.13000 is announced on 2023-06-26 "
        f"({docs}/papers/2306.13000.md)",
        f"{docs}/days/2023-06-26.md: file: missing, but 1 paper page "
        f"({docs}/papers/2306.13000.md) is announced on 2023-06-26: day not finished; "
        "rerun fetch",
    ]


def test_paper_on_two_days(docs: Path) -> None:
    _edit(day_path(docs, D2), "- '2306.13000'\n", "- '2306.13000'\n- '2306.12929'\n")
    assert _lines(docs) == [
        f"{docs}/days/2023-06-23.md: papers: 2306.12929 is also listed on 2023-06-22 "
        f"({docs}/days/2023-06-22.md)"
    ]


def test_paper_listed_twice_on_one_day(docs: Path) -> None:
    _edit(day_path(docs, D2), "- '2306.13000'\n", "- '2306.13000'\n- '2306.13000'\n")
    assert _lines(docs) == [f"{docs}/days/2023-06-23.md: papers: 2306.13000 is listed twice"]


def test_no_announcement_day_with_papers(docs: Path) -> None:
    _edit(day_path(docs, dt.date(2023, 6, 24)), "papers: []", "papers: ['2306.99999']")
    assert _lines(docs) == [
        f"{docs}/days/2023-06-24.md: papers: 2306.99999 has no paper page "
        "(papers/2306.99999.md)",
        f"{docs}/days/2023-06-24.md: papers: a no-announcement day lists 1 papers",
    ]


def test_day_listing_what_is_not_an_arxiv_id(docs: Path) -> None:
    # Ids become file names: one that is not an id never reaches a path.
    _edit(day_path(docs, D2), "- '2306.13000'\n", "- '2306.13000'\n- ../../etc/passwd\n")
    assert _lines(docs) == [
        f"{docs}/days/2023-06-23.md: papers: Value error, not a bare arXiv id: "
        "'../../etc/passwd' (got ['2306.13000', '../../etc/passwd'])"
    ]


def test_empty_summary_section(docs: Path) -> None:
    page = paper_path(docs, "2306.12929")
    page.write_text(page.read_text().split("## Summary")[0] + "## Summary\n\n")
    assert _lines(docs) == [
        f"{page}: ## Summary: has no bullets (write them as '- text' lines)"
    ]


def test_empty_bullet(docs: Path) -> None:
    page = paper_path(docs, "2306.12929")
    _edit(page, f"- {BULLETS[1]}\n", "- \n")
    assert _lines(docs) == [f"{page}: ## Summary: bullet 2 is empty"]


def test_missing_summary_section(docs: Path) -> None:
    page = paper_path(docs, "2306.12929")
    page.write_text(page.read_text().split("## Summary")[0])
    assert _lines(docs) == [
        f"{page}: ## Summary: missing (the page needs a '## Summary' section)"
    ]


def test_legacy_paper_without_summary_passes(docs: Path) -> None:
    # The old README listed some papers with no summary; the import keeps them as they were.
    page = paper_path(docs, "2306.12929")
    front = page.read_text().split("## Summary")[0]
    page.write_text(front.replace("by: gpt-4o-mini", "by: legacy"))
    assert _lines(docs) == []


def test_model_summary_with_two_bullets(docs: Path) -> None:
    page = paper_path(docs, "2306.12929")
    two = BULLETS[:2]
    page.write_text(render_paper(_paper("2306.12929", D1, two), render_body(two)))
    assert _lines(docs) == [
        f"{page}: ## Summary: 2 bullets, expected 3 in a summary by gpt-4o-mini"
    ]


def test_bad_yaml(docs: Path) -> None:
    page = paper_path(docs, "2306.12929")
    _edit(page, "title: ", "title: [unclosed\n")
    assert _lines(docs) == [
        f"{page}: front matter: not valid YAML at line 4: did not find expected ',' or ']'"
    ]


def test_no_front_matter(docs: Path) -> None:
    page = paper_path(docs, "2306.12929")
    page.write_text("## Summary\n\n- just a bullet\n")
    assert _lines(docs) == [
        f"{page}: front matter: missing (the page must start with a '---' line)"
    ]


def test_front_matter_not_closed(docs: Path) -> None:
    page = paper_path(docs, "2306.12929")
    _edit(page, "---\n\n## Summary", "--\n\n## Summary")
    assert _lines(docs) == [f"{page}: front matter: not closed (a '---' line must end it)"]


def test_unknown_key(docs: Path) -> None:
    page = paper_path(docs, "2306.12929")
    _edit(page, "version: 1\n", "version: 1\nauthor: Ada Lovelace\n")
    _edit(page, "  by: gpt-4o-mini\n", "  by: gpt-4o-mini\n  reviewer: ada\n")
    assert _lines(docs) == [
        f"{page}: author: unknown key",
        f"{page}: summary.reviewer: unknown key",
    ]


def test_wrong_types(docs: Path) -> None:
    page = paper_path(docs, "2306.12929")
    _edit(page, "version: 1\n", "version: first\n")
    _edit(page, "announced: 2023-06-22", "announced: next Thursday")
    day = day_path(docs, D2)
    _edit(day, "status: announced", "status: maybe")
    assert _lines(docs) == [
        f"{day}: status: Input should be 'announced' or 'no-announcement' (got 'maybe')",
        f"{page}: announced: Input should be a valid date or datetime, invalid character in year "
        "(got 'next Thursday')",
        f"{page}: version: Input should be a valid integer, unable to parse string as an "
        "integer (got 'first')",
    ]


def test_key_given_twice(docs: Path) -> None:
    page = paper_path(docs, "2306.12929")
    _edit(page, "version: 1\n", "version: 1\ntitle: Another title\n")
    assert _lines(docs) == [
        f"{page}: front matter: not valid YAML at line 5: key 'title' is given twice"
    ]


def test_missing_key(docs: Path) -> None:
    page = paper_path(docs, "2306.12929")
    _edit(page, "announced: 2023-06-22\n", "")
    assert _lines(docs) == [f"{page}: announced: missing"]


def test_paper_file_name_mismatch(docs: Path) -> None:
    page = paper_path(docs, "2306.12929")
    page.rename(page.with_name("2306.12929v1.md"))
    assert _lines(docs) == [
        f"{docs}/papers/2306.12929v1.md: arxiv_id: 2306.12929 does not match the file name "
        "(its page is papers/2306.12929.md)"
    ]


def test_old_style_id_file_name_mismatch(docs: Path) -> None:
    page = paper_path(docs, "cs/0601001")
    assert page.name == "cs-0601001.md"
    page.rename(page.with_name("0601001.md"))
    assert _lines(docs) == [
        f"{docs}/papers/0601001.md: arxiv_id: cs/0601001 does not match the file name "
        "(its page is papers/cs-0601001.md)"
    ]


def test_day_file_name_mismatch(docs: Path) -> None:
    day = day_path(docs, D2)
    day.rename(day.with_name("2023-06-23-copy.md"))
    assert _lines(docs) == [
        f"{docs}/days/2023-06-23-copy.md: date: 2023-06-23 does not match the file name "
        "(its page is days/2023-06-23.md)"
    ]


def test_not_utf8(docs: Path) -> None:
    page = paper_path(docs, "2306.12929")
    page.write_bytes(page.read_bytes().replace(b"Ada", b"Ad\xe9"))
    assert _lines(docs) == [
        f"{page}: file: not UTF-8 text (invalid continuation byte)"
    ]


def test_command_prints_lines_and_count_and_exits_one(docs: Path) -> None:
    paper_path(docs, "2306.13000").unlink()
    _edit(paper_path(docs, "2306.12929"), "version: 1\n", "version: 1\nauthor: x\n")
    result = CliRunner().invoke(cli, ["check", "--docs-dir", str(docs)])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{docs}/days/2023-06-23.md: papers: 2306.13000 has no paper page (papers/2306.13000.md)",
        f"{docs}/papers/2306.12929.md: author: unknown key",
        "check: 2 problems in 2 paper pages, 3 day pages",
    ]


def test_github_annotations(docs: Path) -> None:
    _edit(paper_path(docs, "2306.12929"), "version: 1\n", "version: 1\nauthor: x\n")
    result = CliRunner().invoke(cli, ["check", "--github", "--docs-dir", str(docs)])
    assert result.exit_code == 1
    assert f"::error file={docs}/papers/2306.12929.md,title=author::unknown key" in result.output
    problem = check_docs(docs).problems[0]
    assert annotation(problem).count("::") == 2


def test_no_docs_dir_is_one_line_error(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", "from arxiv_digest.cli import main; main()", "check",
         "--docs-dir", str(tmp_path / "nowhere")],
        capture_output=True, text=True,
    )
    assert result.returncode == 1
    assert result.stderr == (
        f"arxiv-digest: error: {tmp_path / 'nowhere'}: no such folder (the docs dir holds "
        "papers/ and days/)\n"
    )


def test_docs_dir_of_a_new_site_passes(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    report = check_docs(tmp_path / "docs")
    assert (report.problems, report.papers, report.days) == ([], 0, 0)


def test_legacy_paper_with_empty_summary_section_passes(docs: Path) -> None:
    page = paper_path(docs, "2306.12929")
    front = page.read_text().split("## Summary")[0]
    page.write_text(front.replace("by: gpt-4o-mini", "by: legacy") + render_body([]))
    assert _lines(docs) == []


def test_pages_imported_from_the_old_readme_pass(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    readme = Path(__file__).parent / "data" / "legacy_readme.md"
    result = CliRunner().invoke(cli, ["import-readme", str(readme), "--docs-dir", str(docs)])
    assert result.exit_code == 0, result.output
    report = check_docs(docs)
    assert [str(p) for p in report.problems] == []
    assert report.papers > 0 and report.days > 0


def test_the_lines_quoted_in_contributing_are_what_check_prints(
    docs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    contributing = (Path(__file__).parent.parent / "CONTRIBUTING.md").read_text()
    quoted = re.findall(r"^\| `(docs/papers/2306\.12929\.md: [^`]+)` \|", contributing, re.M)
    page = "papers/2306.12929.md"
    summary = f"- {BULLETS[0]}\n- {BULLETS[1]}\n- {BULLETS[2]}\n"
    breakages = {  # how a reader's edit can go wrong, as the table lists them
        "bullet 2 is empty": (f"- {BULLETS[1]}\n", "- \n"),
        "has no bullets": (summary, "Some text instead of bullets.\n"),
        "## Summary: missing": ("## Summary", "## Sumary"),
        "not valid YAML": ("arxiv_id: '2306.12929'", "arxiv_id: 2306.12929: v1"),
        "titel: unknown key": ("title:", "titel:"),
        "version: Input should be": ("version: 1", "version: two"),
    }
    assert len(quoted) == len(breakages)
    for line in quoted:
        (old, new), = [edit for phrase, edit in breakages.items() if phrase in line]
        case = tmp_path / f"case{quoted.index(line)}"
        shutil.copytree(docs, case / "docs")
        _edit(case / "docs" / page, old, new)
        monkeypatch.chdir(case)
        printed = [str(p) for p in check_docs(Path("docs")).problems]
        # "..." in the documentation stands for the rest of the line.
        pattern = ".*".join(re.escape(part) for part in line.split("..."))
        assert any(re.fullmatch(pattern, p) for p in printed), (line, printed)


def test_the_validator_gives_the_build_its_pages_and_first_problem(docs: Path) -> None:
    from arxiv_digest.errors import DigestError
    from arxiv_digest.pages import refused_files, validate_docs

    found = validate_docs(docs)
    assert sorted(found.papers) == ["papers/2306.12929.md", "papers/2306.13000.md",
                                    "papers/cs-0601001.md"]
    assert sorted(found.days) == ["days/2023-06-22.md", "days/2023-06-23.md",
                                  "days/2023-06-24.md"]
    assert found.papers["papers/2306.12929.md"].bullets == BULLETS
    found.raise_first()  # nothing to raise
    (docs / "secret.txt").symlink_to("/etc/hostname")
    assert [str(p) for p in refused_files(docs)] == [
        f"{docs}/secret.txt: file: a symbolic link (to /etc/hostname) is refused: only regular "
        "files under the docs dir are published"
    ]
    with pytest.raises(DigestError, match=r"secret\.txt: file: a symbolic link"):
        validate_docs(docs).raise_first()
