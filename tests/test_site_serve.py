"""`mkdocs serve` previews the digest and shows an edited summary on every page that shows it."""

from __future__ import annotations

import html
import time
import urllib.request
from pathlib import Path

import pytest

from tests.site_support import make_docs, mkdocs_serve, write_sample_pages

pytestmark = pytest.mark.slow


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return html.unescape(response.read().decode("utf-8"))


def _wait_for(url: str, text: str, seconds: float) -> float:
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        if text in _get(url):
            return time.monotonic() - start
        time.sleep(0.2)
    raise AssertionError(f"{text!r} did not appear on {url} within {seconds} s")


def test_serve_shows_an_edited_summary_on_paper_day_and_home(tmp_path: Path) -> None:
    docs = make_docs(tmp_path / "docs")
    roles = write_sample_pages(docs)
    paper = docs / "papers" / f"{roles['latest']}.md"
    with mkdocs_serve(docs) as base:
        assert "Quantizes weights to four bits." in _get(f"{base}papers/{roles['latest']}/")
        text = paper.read_text("utf-8")
        paper.write_text(text.replace("Quantizes weights to four bits.",
                                      "A reader's better first point."), "utf-8")
        _wait_for(f"{base}papers/{roles['latest']}/", "A reader's better first point.", 30)
        day = _get(f"{base}days/{roles['tuesday'].isoformat()}/")
        assert "A reader's better first point." in day
        assert "Summary (edited by readers)" in day
        assert "A reader's better first point." in _get(base)


def test_dirty_serve_rerenders_the_edited_paper_and_the_pages_that_list_it(
    tmp_path: Path,
) -> None:
    docs = make_docs(tmp_path / "docs")
    roles = write_sample_pages(docs)
    paper = docs / "papers" / f"{roles['latest']}.md"
    with mkdocs_serve(docs, "--dirty") as base:
        tag = f"{base}tags/distillation/"
        assert "Distilling a tokenizer-free student" in _get(tag)
        assert 'rel="edit"' not in _get(tag)  # generated pages have no file to edit
        text = paper.read_text("utf-8")
        paper.write_text(text.replace("Quantizes weights to four bits.", "Dirty bullet.")
                         .replace("title: Distilling", "title: Renamed and distilling"), "utf-8")
        _wait_for(f"{base}papers/{roles['latest']}/", "Dirty bullet.", 30)
        _wait_for(tag, "Renamed and distilling", 10)
        # The day page and the home page list the paper: they are rendered again too.
        assert "Dirty bullet." in _get(f"{base}days/{roles['tuesday'].isoformat()}/")
        assert "Dirty bullet." in _get(base)


class _Server:
    """What DocsWatcher uses of MkDocs' live server: its public watch and unwatch."""

    def __init__(self) -> None:
        self.watched: list[str] = []

    def watch(self, path: str) -> None:
        self.watched.append(path)

    def unwatch(self, path: str) -> None:
        self.watched.remove(path) if path in self.watched else None


def test_dirty_serve_shows_an_edit_of_the_sites_css_on_pages_it_leaves_alone(
    tmp_path: Path,
) -> None:
    # Under serve the joined stylesheet keeps one name (site/styles.py): a page a dirty rebuild
    # does not render again still links the stylesheet that holds the edit.
    docs = make_docs(tmp_path / "docs")
    write_sample_pages(docs)
    sheet = docs / "assets" / "stylesheets" / "digest.css"
    with mkdocs_serve(docs, "--dirty") as base:
        page = _get(f"{base}days/2026-04-27/")
        assert page.count('rel="stylesheet"') == 1
        assert 'href="../../assets/stylesheets/site.css"' in page
        sheet.write_text(sheet.read_text("utf-8") + ".servemark { color: red; }\n", "utf-8")
        _wait_for(f"{base}assets/stylesheets/site.css", ".servemark", 30)
        assert 'href="../../assets/stylesheets/site.css"' in _get(f"{base}days/2026-04-27/")


def test_the_watcher_signals_a_save_but_not_a_read(tmp_path: Path) -> None:
    """A build reads pages (feeds, search records): a read must not start another build."""
    from arxiv_digest.site.serve import DocsWatcher

    docs = make_docs(tmp_path / "docs")
    page = docs / "about.md"
    page.write_text("# About\n", "utf-8")
    watcher = DocsWatcher(str(docs))
    watcher.attach(_Server())
    try:
        before = watcher.signal.read_text("utf-8")
        for _ in range(5):
            page.read_text("utf-8")
        time.sleep(1)
        assert watcher.signal.read_text("utf-8") == before
        page.write_text("# About us\n", "utf-8")
        deadline = time.monotonic() + 10
        while watcher.signal.read_text("utf-8") == before and time.monotonic() < deadline:
            time.sleep(0.05)
        assert watcher.signal.read_text("utf-8") != before
    finally:
        watcher.stop()
