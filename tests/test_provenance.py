"""The provenance line and the version notice of a paper page (site/provenance.py)."""

from __future__ import annotations

import datetime as dt
import html
import re

from arxiv_digest.pages.schema import Paper, SummaryInfo
from arxiv_digest.site.provenance import history_url, provenance_html, version_notice_html

REPO = "https://github.com/someone/arxiv-digest"
AT = dt.datetime(2026, 4, 27, 6, 30, tzinfo=dt.UTC)


def _paper(page_version: int | None = 1, newer: int | None = None, **summary: object) -> Paper:
    values: dict[str, object] = {"by": "gpt-4o-mini", "at": AT, "sha256": "0" * 64}
    values.update(summary)
    return Paper(title="A <b>bold</b> title", arxiv_id="2604.00001", version=page_version,
                 announced=dt.date(2026, 4, 27), summary=SummaryInfo(**values),  # type: ignore[arg-type]
                 newer_version=newer)


def _text(markup: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


def test_model_summary_line() -> None:
    line = provenance_html(_paper(prompt=2, version=1, grounding="passed"))
    assert line.startswith('<p class="digest-provenance">') and line.endswith("</p>")
    # The history link is palette.js's (history_url below, test_site_cite_browser.py).
    assert _text(line) == ("Summary by gpt-4o-mini on 2026-04-27 · prompt v2 · from the abstract "
                           "of v1 · checked against the abstract")
    assert '<time datetime="2026-04-27">' in line and "<a " not in line


def test_repaired_and_failed_summaries_say_so() -> None:
    repaired = _text(provenance_html(_paper(prompt=2, grounding="repaired", failed=[3])))
    assert "bullet 3 replaced by a sentence of the abstract (not found in it)" in repaired
    failed = _text(provenance_html(_paper(by="extractive", grounding="failed", failed=[1, 2])))
    assert failed.startswith("Summary: sentences of the abstract (the model's summary did not "
                             "match the abstract)")
    assert "prompt" not in failed
    offline = _text(provenance_html(_paper(by="extractive", version=2)))
    assert "(no model)" in offline and "from the abstract of v2" in offline


def test_reader_summaries_say_so() -> None:
    human = provenance_html(_paper(by="human", prompt=2, grounding="passed"))
    assert _text(human) == "Summary edited by readers"
    legacy = _text(provenance_html(_paper(page_version=None, by="legacy", at=None)))
    assert legacy == "Summary from the digest's first edition"
    assert history_url(REPO + "/", "2604.00001") == (
        f"{REPO}/commits/main/docs/papers/2604.00001.md")


def test_old_pages_without_provenance_fields() -> None:
    # Pages written before summary.prompt/version/grounding existed: what is known, nothing more.
    assert _text(provenance_html(_paper(page_version=3))) == (
        "Summary by gpt-4o-mini on 2026-04-27 · from the abstract of v3")


def test_model_name_is_escaped() -> None:
    line = provenance_html(_paper(by='evil"<script>'))
    assert "<script>" not in line and "&lt;script&gt;" in line and "&quot;" in line


def test_version_notice() -> None:
    assert version_notice_html(_paper(1)) == ""
    assert version_notice_html(_paper(2, version=2)) == ""
    notice = version_notice_html(_paper(1, newer=3, version=1))
    assert _text(notice) == "summary of v1 · v3 available"
    assert 'href="https://arxiv.org/abs/2604.00001v3"' in notice
    # Pages written before summary.version existed summarize their own version.
    assert _text(version_notice_html(_paper(2, newer=4))) == "summary of v2 · v4 available"
    # A reader's summary of v1 on a page refetched at v2: the notice says so.
    assert _text(version_notice_html(_paper(2, by="human", version=1))) == (
        "summary of v1 · v2 available")


def test_history_url_of_old_style_id() -> None:
    assert history_url(REPO, "cs/0601001", branch="trunk", docs_dir="site/docs/") == (
        f"{REPO}/commits/trunk/site/docs/papers/cs-0601001.md")
