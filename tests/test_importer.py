"""``import-readme``: the old README digest becomes paper and day pages, page by page."""

from __future__ import annotations

import datetime as dt
import html
import sys
import tempfile
from pathlib import Path

import pytest
from arxiv_digest.cli import cli, main
from arxiv_digest.config import load_settings
from arxiv_digest.errors import DigestError
from arxiv_digest.legacy.importer import import_readme
from arxiv_digest.legacy.readme import convert_math, parse_date, parse_readme, repair_text
from arxiv_digest.pages import schema, store
from click.testing import CliRunner
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tests.fakes.arxiv_server import FakePaper

README = Path(__file__).parent / "data" / "legacy_readme.md"
D = dt.date
PAPER_IDS = ["2306.04815", "2306.11111", "2306.12929", "2306.22222", "2401.01234", "cs/0601001"]


def _import(docs: Path, **kwargs: object):
    return import_readme(README, load_settings(docs_dir=docs), **kwargs)  # type: ignore[arg-type]


def _paper(docs: Path, arxiv_id: str) -> schema.PaperPage:
    return schema.read_paper(schema.paper_path(docs, arxiv_id))


def _day(docs: Path, date: dt.date) -> schema.DayPage:
    return schema.read_day(schema.day_path(docs, date))


def _snapshot(docs: Path) -> dict[str, tuple[bytes, int]]:
    return {
        str(p.relative_to(docs)): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(docs.rglob("*.md"))
    }


# ---------------------------------------------------------------- pages, one by one


def test_importer_writes_each_paper_page(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    _import(docs)
    assert sorted(p.name for p in (docs / "papers").iterdir()) == sorted(
        f"{schema.paper_slug(i)}.md" for i in PAPER_IDS
    )
    expected = {
        # id: (title, version, announced, bullets)
        "2306.12929": (
            "Quantizable Transformers: Removing Outliers by Helping Attention Heads Do Nothing",
            2,  # the highest version among its links (v2 on June 23, none on June 26)
            D(2023, 6, 23),
            [
                "Name: attention outliers come from heads that do nothing.",
                "Two small changes to attention remove them.",
                "Full 8-bit quantization keeps accuracy.",
            ],
        ),
        "2306.04815": (
            "Sparse $\\ell_2$ Training Is 2× Faster",
            1,
            D(2023, 6, 26),
            [
                "Method: an ℓ penalty on the weights drives whole rows to zero.",  # was bold
                "🔥 Training runs 2× faster on GPUs.",
                "Works for ε-greedy schedules and naïve baselines alike, "
                "say the authors’ ablations.",
            ],
        ),
        "2306.11111": ("A Paper Listed Without a Summary", None, D(2023, 6, 26), []),
        "2401.01234": (
            "Scaling Laws for Sparse Mixtures",
            None,
            D(2023, 6, 26),
            [
                "Sparse mixtures follow their own scaling law.",
                "Routing $k$ experts costs $O(k)$ per token.",
                "Ε and λ are already right here.",
            ],
        ),
        "cs/0601001": (
            "An Old-Style Identifier",
            2,
            D(2023, 6, 23),
            [
                "A bullet that the author wrapped onto a second line.",
                "A second bullet.",
                "A third bullet closing the block.",
            ],
        ),
        "2306.22222": (
            "Mixture of Experts at $O(n \\log n)$ Cost",
            3,
            D(2023, 6, 23),
            [
                "Routing costs $O(n \\log n)$ instead of $O(n^2)$.",
                "Experts are pruned after training.",
                "Inference is 3× cheaper.",
            ],
        ),
    }
    for arxiv_id, (title, version, announced, bullets) in expected.items():
        page = _paper(docs, arxiv_id)
        meta = page.meta
        assert (meta.title, meta.arxiv_id, meta.version) == (title, arxiv_id, version), arxiv_id
        assert meta.announced == announced, arxiv_id
        assert page.bullets == bullets, arxiv_id
        assert meta.summary.by == "legacy"
        assert meta.summary.sha256 == schema.summary_sha256(bullets)
        assert page.reader_owned  # no later command rewrites an imported summary
        # Without --enrich the page holds only what the README had.
        assert (meta.authors, meta.categories, meta.topics) == ([], [], [])
        assert meta.abstract is meta.published is meta.relevance is None


def test_importer_writes_each_day_page(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    _import(docs)
    assert sorted(p.name for p in (docs / "days").iterdir()) == [
        f"2023-06-{d}.md" for d in (22, 23, 24, 25, 26)
    ]
    days = {
        D(2023, 6, 26): ("announced", ["2306.04815", "2306.11111", "2401.01234"]),
        D(2023, 6, 25): ("no-announcement", []),
        D(2023, 6, 24): ("no-announcement", []),
        # 2306.12929 is also under June 26: listed once, on its earliest day.
        D(2023, 6, 23): ("announced", ["2306.12929", "cs/0601001", "2306.22222"]),
        D(2023, 6, 22): ("no-announcement", []),
    }
    for date, (status, papers) in days.items():
        page = _day(docs, date)
        assert (page.meta.date, page.meta.status, page.meta.papers) == (date, status, papers)
        assert page.intro == ""


def test_importer_report_counts_and_line_numbers(tmp_path: Path) -> None:
    report = _import(tmp_path / "docs")
    assert (report.days, report.empty_days, report.papers, report.summaries) == (5, 3, 6, 5)
    # Title of 2306.04815 and four bullets (lines 20, 21, 22, 65).
    assert report.repaired == 5
    assert report.warnings == [
        "line 25: not understood, skipped: this line is not part of any entry",
        "line 36: not an arXiv link, skipped: [A workshop report](https://openreview.net/forum?id=abc123)",
        "line 13: 2306.12929 is listed on 2023-06-23 and on 2023-06-26; one page, listed on "
        "2023-06-23; summaries differ, kept the one of 2023-06-23",
        "line 68: 2023-06-22 has no papers; written as no-announcement",
    ]
    assert len(report.written) == 11
    lines = report.lines()
    assert lines[0].endswith(
        "5 days (3 empty), 6 papers, 5 summaries, 5 repaired strings, 4 warnings"
    )
    assert lines[-1] == "wrote 11 pages, 0 unchanged"


# ---------------------------------------------------------------- reruns and merges


def test_importer_second_import_changes_no_byte(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    _import(docs)
    before = _snapshot(docs)
    report = _import(docs)
    assert _snapshot(docs) == before  # same bytes, same mtimes: nothing rewritten
    assert (report.written, report.unchanged) == ([], 11)
    assert not list(docs.rglob("*.tmp"))


def test_importer_merges_into_existing_pages(tmp_path: Path) -> None:
    from tests.site_support import sample_paper, write_day, write_paper

    docs = tmp_path / "docs"
    # A fetched page with a model summary, and a page whose summary a reader edited.
    fetched = write_paper(docs, sample_paper("2306.12929", announced=D(2023, 6, 23)))
    edited = write_paper(
        docs,
        sample_paper("2306.04815", announced=D(2023, 6, 20), summary={"by": "human"}),
        ["A reader's own bullet."],
    )
    day = write_day(
        docs,
        schema.Day(
            date=D(2023, 6, 23),
            status="announced",
            papers=["2306.99999", "2306.12929"],
            listed={"cs.LG": 402},
        ),
        intro="A hand-written intro.",
    )
    kept = {p: p.read_bytes() for p in (fetched, edited)}
    report = _import(docs)

    for path, data in kept.items():
        assert path.read_bytes() == data
    assert _paper(docs, "2306.04815").bullets == ["A reader's own bullet."]
    assert "line 50: papers/2306.12929.md exists with a different summary; kept the page's" in (
        report.warnings
    )
    assert "line 19: papers/2306.04815.md exists with a different summary; kept the page's" in (
        report.warnings
    )
    assert (
        "line 19: papers/2306.04815.md says announced 2023-06-20, the README 2023-06-26; "
        "kept 2023-06-20" in report.warnings
    )
    merged = _day(docs, D(2023, 6, 23))
    # Existing order first, the README's new ids appended; intro and counts kept.
    assert merged.meta.papers == ["2306.99999", "2306.12929", "cs/0601001", "2306.22222"]
    assert (merged.intro, merged.meta.listed) == ("A hand-written intro.", {"cs.LG": 402})
    assert day.read_text("utf-8").count("2306.12929") == 1
    # The paper announced on June 20 is not listed a second time on June 26.
    assert _day(docs, D(2023, 6, 26)).meta.papers == ["2306.11111", "2401.01234"]
    # And merging again changes nothing.
    before = _snapshot(docs)
    assert _import(docs).written == []
    assert _snapshot(docs) == before


def test_importer_dry_run_writes_nothing(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    report = _import(docs, dry_run=True)
    assert not docs.exists()
    assert len(report.written) == 11
    assert f"would write {schema.paper_path(docs, 'cs/0601001')}" in report.lines()
    assert report.lines()[-1] == "would write 11 pages, 0 unchanged"


def test_importer_respects_the_docs_lock(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    with store.DocsLock(docs), pytest.raises(DigestError, match="another arxiv-digest run"):
        _import(docs)
    assert not (docs / "papers").exists()


# ---------------------------------------------------------------- the command line


def test_importer_command_prints_the_report(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    result = CliRunner().invoke(cli, ["import-readme", str(README), "--docs-dir", str(docs)])
    assert result.exit_code == 0, result.output
    assert "6 papers, 5 summaries, 5 repaired strings, 4 warnings" in result.output
    assert "warning: line 25: not understood, skipped: this line is not part of any entry" in (
        result.output
    )
    assert result.output.splitlines()[-1] == "wrote 11 pages, 0 unchanged"


def test_importer_command_error_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    not_a_digest = tmp_path / "notes.md"
    not_a_digest.write_text("# Notes\n\nNothing dated here.\n", "utf-8")
    docs = tmp_path / "docs"
    for path, message in [
        (not_a_digest, "no dated section ('## Month D, YYYY') found; is this the old README?"),
        (tmp_path / "missing.md", "cannot read (No such file or directory)"),
    ]:
        argv = ["arxiv-digest", "import-readme", str(path), "--docs-dir", str(docs)]
        monkeypatch.setattr(sys, "argv", argv)
        with pytest.raises(SystemExit) as exit_info:
            main()
        assert exit_info.value.code == 1
        assert capsys.readouterr().err == f"arxiv-digest: error: {path}: {message}\n"
    assert not (docs / "papers").exists()


# ---------------------------------------------------------------- the parser's pieces


@pytest.mark.parametrize(
    ("url", "arxiv_id", "version"),
    [
        ("https://arxiv.org/pdf/2306.12929.pdf", "2306.12929", None),
        ("https://arxiv.org/pdf/2306.12929v1.pdf", "2306.12929", 1),
        ("https://arxiv.org/pdf/2306.12929v12", "2306.12929", 12),
        ("https://arxiv.org/pdf/2306.12929", "2306.12929", None),
        ("https://arxiv.org/abs/2306.12929", "2306.12929", None),
        ("http://www.arxiv.org/abs/2306.12929v3/", "2306.12929", 3),
        ("https://export.arxiv.org/abs/0704.0001", "0704.0001", None),
        ("https://arxiv.org/abs/cs/0601001", "cs/0601001", None),
        ("https://arxiv.org/pdf/math.GT/0309136v2.pdf", "math.GT/0309136", 2),
        ("https://arxiv.org/abs/hep-th/9901001v1#abstract", "hep-th/9901001", 1),
    ],
)
def test_importer_reads_id_and_version_from_links(url: str, arxiv_id: str, version: int) -> None:
    parsed = parse_readme(f"## May 2, 2023\n\n[A title]({url})\n")
    (paper,) = parsed.days[0].papers
    assert (paper.arxiv_id, paper.version, paper.bullets) == (arxiv_id, version, [])
    assert parsed.skipped == []


@pytest.mark.parametrize(
    ("broken", "fixed"),
    [("Îµ", "ε"), ("â„“", "ℓ"), ("Ã—", "×"), ("ðŸ”¥", "🔥"), ("an â„“1 penalty", "an ℓ1 penalty")],
)
def test_importer_repairs_mojibake(broken: str, fixed: str) -> None:
    assert repair_text(broken) == fixed


@pytest.mark.parametrize(
    "text",
    ["ε-greedy", "ℓ₂", "naïve café", "the authors’ “quotes”", "ﬁne Ｆｕｌｌ", "A &amp; B", "plain"],
)
def test_importer_leaves_correct_text_alone(text: str) -> None:
    assert repair_text(text) == text


def test_importer_reads_a_summary_block_spread_over_lines() -> None:
    parsed = parse_readme(
        "## May 2, 2023\n\n[T](https://arxiv.org/abs/2305.00001)\n<details>\n"
        "<summary>Summary</summary>\n<p>\n\n* one\n* two\n</p>\n</details>\n\n"
        "[U](https://arxiv.org/abs/2305.00002) <details><summary>Summary</summary><p>* three"
        "</p></details>\n"
    )
    one, two = parsed.days[0].papers
    assert (one.bullets, two.bullets) == (["one", "two"], ["three"])
    assert (parsed.skipped, parsed.warnings) == ([], [])


def test_importer_keeps_lead_ins_as_plain_text() -> None:
    parsed = parse_readme(
        "## May 2, 2023\n\n"
        "[T](https://arxiv.org/abs/2305.00001) <details><summary>Summary</summary><p>\n"
        "* **Speed**: 2x.\n* **Memory:** half.\n* Name: text.\n* **Bold** in **text**.\n"
        "</p></details>\n"
    )
    assert parsed.days[0].papers[0].bullets == [
        "Speed: 2x.",
        "Memory: half.",
        "Name: text.",
        "**Bold** in **text**.",
    ]


def test_importer_converts_github_math_only() -> None:
    assert convert_math("Sparse $`\\ell_2`$ and $`O(n^2)`$") == "Sparse $\\ell_2$ and $O(n^2)$"
    assert convert_math("Cost $O(n)$ and `code`") == "Cost $O(n)$ and `code`"


@pytest.mark.parametrize(
    ("heading", "date"),
    [
        ("June 23, 2023", D(2023, 6, 23)),
        ("Jun 3, 2023", D(2023, 6, 3)),
        ("Sept 1, 2023", D(2023, 9, 1)),
        ("2023-06-23", D(2023, 6, 23)),
        ("Updates", None),
    ],
)
def test_importer_parses_date_headings(heading: str, date: dt.date | None) -> None:
    assert parse_date(heading) == date


def test_importer_reports_unclosed_summary_and_stray_headings() -> None:
    parsed = parse_readme(
        "# Digest\n\n## May 2, 2023\n\n"
        "[One](https://arxiv.org/abs/2305.00001) <details><summary>Summary</summary><p>\n"
        "* first\n\n"
        "[Two](https://arxiv.org/abs/2305.00002)\n"
        "## Links\n\n[Three](https://arxiv.org/abs/2305.00003)\n"
    )
    one, two = parsed.days[0].papers
    assert (one.bullets, two.bullets) == (["first"], [])
    assert parsed.warnings == [
        "line 5: summary of 2305.00001 not closed before line 8; kept 1 bullet(s)"
    ]
    assert parsed.skipped == [
        "line 9: heading is not a date, skipped: ## Links",
        "line 11: no dated section above, skipped: [Three](https://arxiv.org/abs/2305.00003)",
    ]


def test_importer_reads_a_file_saved_as_cp1252(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_bytes(
        "## May 2, 2023\n\n[Na\u00efve pruning](https://arxiv.org/abs/2305.00001)\n".encode(
            "cp1252"
        )
    )
    docs = tmp_path / "docs"
    import_readme(readme, load_settings(docs_dir=docs))
    assert _paper(docs, "2305.00001").meta.title == "Naïve pruning"


_FRAGMENTS = [
    "",
    "## June 23, 2023",
    "## Jun 24, 2023",
    "## Notes",
    "# Title",
    "No new papers on arXiv",
    "[A $`x`$](https://arxiv.org/pdf/2306.12929v1.pdf) <details><summary>Summary</summary><p>",
    "[ ](https://arxiv.org/abs/2306.00002)",
    "[Other](https://arxiv.org/abs/cs/0601001)",
    "[ ](https://arxiv.org/abs/2306.00001v0)",
    "[Broken](https://example.org/x)",
    "<details><summary>Summary</summary><p>",
    "* **Lead**: bullet Îµ",
    "* plain â„“ bullet",
    "  wrapped text",
    "</p></details>",
    "</details>",
    "garbage ðŸ”¥ line",
]


@settings(max_examples=60, deadline=None)
# A C1 control byte in a bullet's wrapped line: once written to a page that no reader accepted.
@example(lines=["## June 23, 2023", _FRAGMENTS[6], "* **Lead**: bullet \u00ce\u00b5", "\x8d"])
@given(
    lines=st.lists(
        st.one_of(st.sampled_from(_FRAGMENTS), st.text(max_size=30)), min_size=1, max_size=25
    )
)
def test_importer_survives_any_readme_and_reimports_identically(lines: list[str]) -> None:
    parsed = parse_readme("\n".join(lines))
    for day in parsed.days:
        for paper in day.papers:
            assert schema.Paper(  # every parsed paper fits the page schema
                title=paper.title,
                arxiv_id=paper.arxiv_id,
                version=paper.version,
                announced=day.date,
                summary={"by": "legacy"},
            )
    with tempfile.TemporaryDirectory() as tmp:
        readme, docs = Path(tmp) / "README.md", Path(tmp) / "docs"
        readme.write_text("\n".join(lines), "utf-8")
        settings_ = load_settings(docs_dir=docs)
        if not parsed.days:
            with pytest.raises(DigestError, match="no dated section"):
                import_readme(readme, settings_)
            return
        first = import_readme(readme, settings_)
        assert first.days == len(parsed.days)
        assert import_readme(readme, settings_).written == []


# ---------------------------------------------------------------- --enrich


def _register(arxiv_server) -> None:  # type: ignore[no-untyped-def]
    published = dt.datetime(2023, 6, 21, 17, 0, tzinfo=dt.UTC)
    arxiv_server.add_papers(
        [
            FakePaper(
                arxiv_id="2306.12929",
                title="Quantizable Transformers: Removing Outliers by Helping Attention Heads "
                "Do Nothing",
                abstract="We quantize transformers to 8-bit integers with post-training "
                "quantization of low-bit weights.",
                categories=["cs.LG", "cs.AI", "cs.CL"],
                authors=["Yelysei Bondarenko", "Markus Nagel", "Tijmen Blankevoort"],
                version=3,
                published=published,
                updated=published + dt.timedelta(days=30),
            ),
            FakePaper(
                arxiv_id="2401.01234",
                title="Scaling Laws for Sparse Mixtures",
                abstract="A sparse mixture-of-experts (MoE) with top-k routing for efficient "
                "inference.",
                categories=["cs.CL"],
                authors=["A. Author"],
                version=2,
                comment="ICML 2024",
                published=published,
            ),
            *(
                FakePaper(
                    arxiv_id=i,
                    title=f"Paper {i}",
                    abstract="An abstract.",
                    categories=["cs.LG"],
                    published=published,
                )
                for i in ("2306.04815", "2306.22222", "cs/0601001")
            ),
        ]
    )


def test_importer_enrich_fills_metadata_and_topics(tmp_path: Path, arxiv_server) -> None:  # type: ignore[no-untyped-def]
    _register(arxiv_server)  # 2306.11111 stays unknown to the API
    docs = tmp_path / "docs"
    settings = arxiv_server.settings(docs_dir=docs)
    report = import_readme(README, settings, enrich=True)

    page = _paper(docs, "2306.12929")
    meta = page.meta
    assert meta.authors == ["Yelysei Bondarenko", "Markus Nagel", "Tijmen Blankevoort"]
    assert meta.categories == ["cs.LG", "cs.AI", "cs.CL"]
    assert meta.abstract is not None and meta.abstract.startswith("We quantize transformers")
    assert meta.published == dt.datetime(2023, 6, 21, 17, 0, tzinfo=dt.UTC)
    assert meta.updated == dt.datetime(2023, 7, 21, 17, 0, tzinfo=dt.UTC)
    assert meta.topics == ["quantization"]
    # The README's title, link version and summary stay; the filter's score is not stored.
    assert (meta.version, meta.summary.by, meta.relevance) == (2, "legacy", None)
    assert page.bullets[0] == "Name: attention outliers come from heads that do nothing."
    sparse = _paper(docs, "2401.01234").meta
    assert (sparse.version, sparse.comment) == (2, "ICML 2024")  # no version in its link
    assert "mixture-of-experts" in sparse.topics
    assert _paper(docs, "cs/0601001").meta.authors == ["A. Author"]
    unknown = _paper(docs, "2306.11111").meta
    assert (unknown.authors, unknown.abstract) == ([], None)
    assert report.enriched == 5
    assert "2306.11111: arXiv has no entry for it; the page keeps the README's data" in (
        report.warnings
    )
    # One id_list request for all six, and one more asking again for the one left out.
    ids = [arxiv_server.api_ids(r) for r in arxiv_server.api_requests]
    assert [sorted(i) for i in ids] == [sorted(PAPER_IDS), ["2306.11111"]]
    assert all(0 < int(r.query["max_results"]) <= 100 for r in arxiv_server.api_requests)


def test_importer_enrich_fills_pages_of_an_earlier_import(tmp_path: Path, arxiv_server) -> None:  # type: ignore[no-untyped-def]
    _register(arxiv_server)
    arxiv_server.zero_entries()  # arXiv's occasional empty answer is asked again
    docs = tmp_path / "docs"
    _import(docs)
    bodies = {i: _paper(docs, i).body for i in PAPER_IDS}
    settings = arxiv_server.settings(docs_dir=docs)
    report = import_readme(README, settings, enrich=True)
    assert report.enriched == 5 and len(report.written) == 5
    assert {i: _paper(docs, i).body for i in PAPER_IDS} == bodies  # summaries untouched
    assert _paper(docs, "2306.22222").meta.categories == ["cs.LG"]
    # Enriched pages are complete: a rerun asks arXiv only for the unknown id, and writes nothing.
    before, asked = _snapshot(docs), len(arxiv_server.api_requests)
    assert import_readme(README, settings, enrich=True).written == []
    assert _snapshot(docs) == before
    later = arxiv_server.api_requests[asked:]
    assert {i for r in later for i in arxiv_server.api_ids(r)} == {"2306.11111"}


# ---------------------------------------------------------------- the site


@pytest.fixture(scope="module")
def imported_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The imported README built with ``mkdocs build --strict`` over the project's mkdocs.yml."""
    from tests.site_support import build_site, make_docs

    root = tmp_path_factory.mktemp("imported")
    docs = make_docs(root / "docs")
    _import(docs)
    build_site(docs, root / "site")
    return root / "site"


@pytest.mark.slow
def test_importer_pages_build_with_strict_mkdocs(imported_site: Path) -> None:
    site = imported_site

    def text(page: str) -> str:
        return html.unescape((site / page / "index.html").read_text("utf-8"))

    sparse = text("papers/2306.04815")
    assert "<li>Method: an ℓ penalty on the weights drives whole rows to zero.</li>" in sparse
    assert "<li>🔥 Training runs 2× faster on GPUs.</li>" in sparse
    assert '<span class="arithmatex">\\(\\ell_2\\)</span> Training Is 2× Faster' in sparse
    assert "A bullet that the author wrapped onto a second line." in text("papers/cs-0601001")
    assert "A Paper Listed Without a Summary" in text("papers/2306.11111")
    day = text("days/2023-06-23")
    for path in ("papers/2306.12929/", "papers/cs-0601001/", "papers/2306.22222/"):
        assert path in day


@pytest.mark.slow
@pytest.mark.browser
def test_importer_pages_show_in_the_browser(imported_site: Path) -> None:
    from playwright.sync_api import sync_playwright

    from tests.site_support import launch_chromium, serve_site

    with serve_site(imported_site) as base, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            page = browser.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda err: errors.append(str(err)))
            page.goto(base + "papers/2306.04815/")
            heading = page.locator("article h1")
            # KaTeX rendered the title's math; the visible text is the repaired title.
            heading.locator(".katex").first.wait_for(timeout=10_000)
            assert "Training Is 2× Faster" in heading.inner_text()
            bullets = page.locator("article li").all_inner_texts()
            assert "Method: an ℓ penalty on the weights drives whole rows to zero." in bullets
            assert "🔥 Training runs 2× faster on GPUs." in bullets
            page.goto(base + "days/2023-06-23/")
            hrefs = page.locator("article a[href*='papers/']").evaluate_all(
                "links => links.map(a => a.getAttribute('href'))"
            )
            listed = [
                i for h in hrefs for i in ("2306.12929", "cs-0601001", "2306.22222") if i in h
            ]
            assert list(dict.fromkeys(listed)) == ["2306.12929", "cs-0601001", "2306.22222"]
            page.goto(base + "days/2023-06-25/")
            assert "No new papers" in page.locator("article").inner_text()
            assert errors == []
        finally:
            browser.close()


def test_importer_command_enriches_through_the_configured_api(
    tmp_path: Path,
    arxiv_server,  # type: ignore[no-untyped-def]
) -> None:
    _register(arxiv_server)
    docs = tmp_path / "docs"
    result = CliRunner(env=arxiv_server.env()).invoke(
        cli, ["import-readme", str(README), "--docs-dir", str(docs), "--enrich"]
    )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == "wrote 11 pages, 0 unchanged, 5 enriched from arXiv"
    assert _paper(docs, "2306.22222").meta.authors == ["A. Author"]
    assert len(arxiv_server.api_requests) == 2
