"""Paper pages made from a converted skeleton equal their full Markdown conversion."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from arxiv_digest.pages import schema
from arxiv_digest.site import convert, convert_sections
from arxiv_digest.site import index as page_index
from mkdocs.config import load_config
from mkdocs.structure.files import get_files
from mkdocs.structure.pages import Page

from tests.site_support import ROOT, make_docs, sample_paper, write_day, write_paper

#: Titles that take the skeleton (most of them) or must fall back to a full conversion.
TITLES = [
    "Plain title of a paper",
    "Summary",  # its heading id is the Summary section's
    "Abstract",
    "Comment",
    "Zqxprobetitle and more",
    "What? A question: with (parentheses), commas, 'quotes' and \"double\" ones!",
    "Ünïcödé ﬁrst: café, naïve, Ελληνικά",
    "日本語のタイトル",
    "x > y and a & b",
    "C++ and C#: 2x faster",
    "A_B *c* `d` [e](f) $g$ \\(h\\) {i} |j| <k>",
    "1. Starts like a list",
    "- Starts like a bullet",
    "Ends with hashes ##",
    "A very long title that goes on and on about efficient transformers for many words",
    "Tabs\tand  spaces   folded",
    "digestblock0123456789abcdef0123 in a title",
    "Summary_1",
    "!!! note",
    "Title with trailing colon:",
    "Title with :emoji: and +/- and (c) and -->",
]


def _docs(tmp_path: Path) -> Path:
    docs = make_docs(tmp_path / "docs")
    day = dt.date(2026, 4, 27)
    ids: list[str] = []
    for number, title in enumerate(TITLES, start=1):
        arxiv_id = f"2604.{number:05d}"
        ids.append(arxiv_id)
        fields: dict = {"title": title, "announced": day}
        if number % 3 == 0:
            fields["summary"] = {"by": "extractive"}
        if number % 4 == 0:
            fields["comment"] = None
        if number % 5 == 0:
            fields["abstract"] = None
        write_paper(docs, sample_paper(arxiv_id, **fields))
    write_day(docs, schema.Day(date=day, status="announced", papers=ids))
    # Days whose entries' heading ids collide (the same title twice, a title like the date's).
    later = [dt.date(2026, 4, 28), dt.date(2026, 4, 29), dt.date(2026, 4, 30)]
    titles = [["Twin title", "Twin title", "Twin title", "Tuesday, 28 April 2026", ""],
              ["Wednesday, 29 April 2026", "A $x$ title", "Twin title"],
              []]
    for date, names in zip(later, titles, strict=True):
        day_ids = []
        for title in names:
            arxiv_id = f"2604.{len(ids) + len(day_ids) + 100:05d}"
            day_ids.append(arxiv_id)
            write_paper(docs, sample_paper(arxiv_id, title=title or "日本語", announced=date))
        ids.extend(day_ids)
        write_day(docs, schema.Day(date=date, status="announced", papers=day_ids,
                                   backfilled=date.day == 29, incomplete=date.day == 30))
    write_day(docs, schema.Day(date=dt.date(2026, 5, 2), status="no-announcement"))
    write_day(docs, schema.Day(date=dt.date(2026, 5, 3), status="announced",
                               papers=ids[:2]), "A hand-written *intro*.")
    return docs


def _toc(items) -> list:
    return [(i.title, i.id, i.level, _toc(i.children)) for i in items]


def _configured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # noqa: ANN202
    """The project's config and files over sample docs, as a build has them before rendering."""
    monkeypatch.setenv("DIGEST_DOCS_DIR", str(_docs(tmp_path)))
    config = load_config(str(ROOT / "mkdocs.yml"))
    config = config.plugins.on_config(config)
    return config, config.plugins.on_files(get_files(config), config=config)


def test_skeleton_pages_equal_full_conversion(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    config, files = _configured(tmp_path, monkeypatch)
    for file in files.documentation_pages():
        if not isinstance(page_index.current().by_src.get(file.src_uri), schema.PaperPage):
            continue
        page = Page(None, file, config)
        page.read_source(config)
        source = config.plugins.on_page_markdown(page.markdown, page=page, config=config,
                                                 files=files)
        full, made = Page(None, file, config), Page(None, file, config)
        full.markdown = made.markdown = source
        Page.render(full, config, files)
        convert.render(made, config, files, templated=True)
        assert made.content == full.content, file.src_uri
        assert _toc(made.toc) == _toc(full.toc), file.src_uri
        assert made._title_from_render == full._title_from_render, file.src_uri
        assert made.present_anchor_ids == full.present_anchor_ids, file.src_uri
        assert made.links_to_anchors == full.links_to_anchors, file.src_uri
    assert convert._current(config).skeletons, "no page was made from a skeleton"


def test_day_pages_in_sections_equal_full_conversion(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    config, files = _configured(tmp_path, monkeypatch)
    made_in_sections: list[bool] = []
    original = convert_sections.render

    def spy(*args, **kwargs) -> bool:
        made_in_sections.append(original(*args, **kwargs))
        return made_in_sections[-1]

    monkeypatch.setattr(convert_sections, "render", spy)
    for file in files.documentation_pages():
        if not isinstance(page_index.current().by_src.get(file.src_uri), schema.DayPage):
            continue
        made = Page(None, file, config)
        made.read_source(config)
        made.markdown = config.plugins.on_page_markdown(made.markdown, page=made, config=config,
                                                        files=files)
        full = Page(None, file, config)
        full.markdown = made.markdown
        Page.render(full, config, files)
        made.render(config, files)
        assert made.content == full.content, file.src_uri
        assert _toc(made.toc) == _toc(full.toc), file.src_uri
        assert made._title_from_render == full._title_from_render, file.src_uri
        assert made.present_anchor_ids == full.present_anchor_ids, file.src_uri
        assert made.links_to_anchors == full.links_to_anchors, file.src_uri
    # Every day page without an intro (the announced ones and the no-announcement one).
    assert made_in_sections == [True] * 5


def test_plain_titles_take_the_skeleton(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config, files = _configured(tmp_path, monkeypatch)
    taken = {}
    for file in files.documentation_pages():
        entry = page_index.current().by_src.get(file.src_uri)
        if not isinstance(entry, schema.PaperPage):
            continue
        page = Page(None, file, config)
        page.read_source(config)
        page.markdown = config.plugins.on_page_markdown(page.markdown, page=page, config=config,
                                                        files=files)
        taken[entry.meta.title] = convert._from_skeleton(page, convert._current(config), files)
    assert taken["Plain title of a paper"]
    assert taken["Ünïcödé ﬁrst: café, naïve, Ελληνικά"]
    assert not taken["Summary"]  # the Summary heading would get another id
    assert not taken["x > y and a & b"]
    assert not taken["A_B *c* `d` [e](f) $g$ \\(h\\) {i} |j| <k>"]
