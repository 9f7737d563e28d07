"""Day pages: notes, the hand-written intro, then the day's papers in listing order."""

from __future__ import annotations

from functools import partial

from arxiv_digest.pages import schema
from arxiv_digest.site import convert, render
from arxiv_digest.site import index as page_index
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page


def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    index = page_index.current()
    entry = index.by_src.get(page.file.src_uri)
    if not isinstance(entry, schema.DayPage):
        return markdown
    date = entry.meta.date
    page.meta.update(entry.meta.model_dump(mode="python", exclude_none=True))
    page.meta["title"] = render.long_date(date)
    page.meta["description"] = f"arXiv papers on efficient deep learning announced on {date}."
    head, entries, tail = render.day_sections(entry, index.ordered_papers(entry),
                                              page.file.src_uri, index.neighbours(date))
    if not entry.intro:
        # Without a hand-written intro the parts are independent blocks: the papers' entries
        # are converted apart from the rest (arxiv_digest.site.convert).
        page.render = partial(convert.render, page,  # type: ignore[method-assign]
                              sections=(head, entries, tail))
    return "\n".join([head, *entries, tail])
