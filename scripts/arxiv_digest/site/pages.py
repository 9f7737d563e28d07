"""The pages made from the page index: MkDocs ``Page`` subclasses that write their own HTML.

MkDocs builds a page by calling its ``read_source`` and then its ``render``, both public methods
of ``Page`` (``mkdocs.commands.build``); a subclass overrides them, as the views and posts of
Material's blog plugin do. A page made before the navigation is its file's ``File.page``, which
MkDocs' navigation takes as it is. Markdown is converted only for what people write (a day's
intro); paper, day and list pages are written from the schema's data. The hand-written pages
(``index.md``, ``about.md``) are the maintainers' own and keep their raw HTML; a day's intro
comes by pull request and is sanitized.
"""

from __future__ import annotations

from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import TableOfContents

from ..errors import DigestError
from ..pages import schema
from . import cite, names, render, urls
from .content import Content
from .escape import html_text
from .index import PageIndex
from .sanitize import clean_html
from .stats import Stats
from .stats_page import stats_content
from .tags import Listing


class WrittenPage(Page):
    """A page whose HTML is written, not converted from Markdown: ``content_of`` makes it."""

    def __init__(self, title: str | None, file: File, config: MkDocsConfig) -> None:
        super().__init__(title, file, config)
        # Every attribute a page gets is set now, in one order: Python then keeps the pages'
        # attribute names once for all of them. One set later (its anchors, when it is written)
        # gives each page a whole dict of its own: 630 bytes more a page.
        self.files: Files | None = None
        self.present_anchor_ids = None

    def links(self, config: MkDocsConfig) -> urls.Links:
        return urls.Links(self.file.src_uri, config.use_directory_urls)

    def content_of(self, config: MkDocsConfig, files: Files) -> Content:
        raise NotImplementedError

    def render(self, config: MkDocsConfig, files: Files) -> None:
        # MkDocs renders every page before it writes any: the HTML is made when the page is
        # written (``write``, from the site's on_page_context), so that only one page's is in
        # memory at a time (at 100,000 papers, all of them would be a GB).
        self.files, self.content = files, ""

    def write(self, config: MkDocsConfig) -> None:
        """Make the page's HTML, table of contents and anchors, just before its template."""
        made = self.content_of(config, self.files)
        self.content, self.toc, self.present_anchor_ids = made.html, made.toc, set(made.ids)

    def release(self, no_toc: TableOfContents) -> None:
        """Drop what only its own template needed, once its HTML is out: MkDocs keeps every
        page object to the end of the build, and at 100,000 papers their HTML, front matter,
        tables of contents and addresses would be GBs. Its anchors stay (other pages' links are
        checked against them at the end), and the title of a page in the nav (every page's menu
        shows it). ``no_toc``: an empty table of contents, one for every page of the build."""
        title = self.meta.get("title") if self.file.inclusion.is_in_nav() else None
        self.meta = {"title": title} if title else {}
        self.content, self.markdown, self.toc = None, "", no_toc
        # Its own template wrote them; the sitemap took its address before the pages were built.
        self.canonical_url = self.abs_url = self.edit_url = None
        self.update_date = ""
        # MkDocs only asks whether an anchor is among them (``in``): a tuple of a page's few
        # ids is a seventh of a set's size (at 100,000 papers, ~60 MB).
        self.present_anchor_ids = tuple(self.present_anchor_ids or ())  # type: ignore[assignment]


class RecordPage(WrittenPage):
    """The page of a paper or day file, made from its entry in the page index."""

    def __init__(self, file: File, config: MkDocsConfig, index: PageIndex) -> None:
        super().__init__(None, file, config)
        self.index = index
        self.entry: Any = index.by_src[file.src_uri]


class PaperPage(RecordPage):
    """``papers/<id>.md``: nothing is left to convert; the index holds the page without its
    abstract, so its file is read again when its HTML is made."""

    entry: schema.PaperPage

    def read_source(self, config: MkDocsConfig) -> None:
        self.markdown = ""
        self.meta = self._front_matter()

    def _front_matter(self) -> dict[str, Any]:
        # The front matter as MkDocs would read it; the theme prints the title unescaped, so it
        # is given as HTML. A table of contents would list two sections. paper.html is the
        # theme's page without what a paper page does not use; its description is one of the
        # head's meta tags (``head_meta``).
        meta = self.entry.meta
        return {**meta.model_dump(mode="python", exclude_none=True),
                "title": html_text(meta.title), "hide": ["toc"], "template": "paper.html"}

    def write(self, config: MkDocsConfig) -> None:
        # The index holds the page without its abstract and body (``PaperPage.listed``): its
        # file is read again, one page at a time, when its HTML is made.
        try:
            self.entry = self.index.full(self.entry)
        except DigestError as err:
            raise PluginError(str(err)) from None
        self.meta = self._front_matter()
        super().write(config)

    def release(self, no_toc: TableOfContents) -> None:
        super().release(no_toc)
        self.entry = self.index.by_src[self.file.src_uri]

    def content_of(self, config: MkDocsConfig, files: Files) -> Content:
        has_day = self.entry.meta.announced in self.index.days
        return render.paper_content(self.entry, self.links(config), has_day=has_day)

    def head_meta(self, config: MkDocsConfig) -> list[tuple[str, str]]:
        """The citation, OpenGraph and Twitter meta tags of the page's head (main.html)."""
        return cite.head_meta(self.entry.meta, self.entry.bullets, config.site_name)

    def chips(self, directory_urls: bool) -> list[dict[str, str]]:
        """Tag chips as Material's template reads them (without its tags plugin, whose one index
        page grows with the site)."""
        return [{"name": html_text(names.tag_name(tag)),
                 "url": urls.page_url(urls.tag_uri(tag), directory_urls)}
                for tag in render.paper_tags(self.entry.meta)]


class DayPage(RecordPage):
    """``days/<date>.md``: notes, the hand-written intro, then the day's papers."""

    entry: schema.DayPage

    def read_source(self, config: MkDocsConfig) -> None:
        meta = self.entry.meta
        self.markdown = self.entry.intro
        self.meta = {**meta.model_dump(mode="python", exclude_none=True),
                     "title": render.long_date(meta.date),
                     "description": f"arXiv papers on efficient deep learning announced on "
                                    f"{meta.date}.",
                     "search": {"exclude": True},  # a search hit leads to a paper
                     # j / k / o move through the papers, and a button makes the list
                     # compact (main.html loads the scripts)
                     "digest_keys": bool(meta.papers), "digest_view": bool(meta.papers)}

    def content_of(self, config: MkDocsConfig, files: Files) -> Content:
        intro = None
        if self.markdown:
            # The intro is written by people: MkDocs converts it (links checked and resolved).
            # It comes by pull request, so its HTML keeps only what Markdown writes: raw HTML
            # shows as text and no script runs (sanitize.py).
            super(WrittenPage, self).render(config, files)
            intro = Content()
            intro.add(clean_html(self.content or ""))
            intro.add_toc(self.toc, clean=clean_html)
            intro.ids |= self.present_anchor_ids or set()
        date = self.entry.meta.date
        return render.day_content(self.entry, self.index.ordered_papers(self.entry),
                                  self.links(config), self.index.announcement_neighbours(date),
                                  intro)


class ListPage(WrittenPage):
    """A generated list page (tags, a tag, a month of a tag, the archive)."""

    def __init__(self, file: File, config: MkDocsConfig, listing: Listing) -> None:
        super().__init__(None, file, config)
        self.listing = listing

    def read_source(self, config: MkDocsConfig) -> None:
        self.markdown = ""
        self.meta = {"title": html_text(self.listing.title), "search": {"exclude": True}}

    def content_of(self, config: MkDocsConfig, files: Files) -> Content:
        return self.listing.content(self.links(config))


class StatsPage(WrittenPage):
    """``stats.md``: papers per day and per topic as charts, and the last days' listings, made
    from the page index and the ledgers the validator read (``stats.Stats``)."""

    def __init__(self, file: File, config: MkDocsConfig, stats: Stats) -> None:
        super().__init__(None, file, config)
        self.stats = stats

    def read_source(self, config: MkDocsConfig) -> None:
        self.markdown = ""
        self.meta = {"title": "Stats", "search": {"exclude": True},
                     "description": "Papers of the digest per announcement day and per topic, "
                                    "and what arXiv listed on the last days."}

    def content_of(self, config: MkDocsConfig, files: Files) -> Content:
        return stats_content(self.stats, self.links(config))


class SiteFile(File):
    """A file whose page is re-rendered by `mkdocs serve --dirty` when the site says it changed.

    MkDocs' dirty build renders the pages whose ``File.is_modified()`` (a public method) is
    true: for a generated file, always; for a docs file, when it is newer than its built page.
    A list page changes when a paper it lists does, and a day page when one of its papers does.
    """

    changed = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Its page and the addresses MkDocs works out once and keeps on a file, set now in one
        # order: the files then share their attribute names (as for pages, ``WrittenPage``), a
        # dict of 264 bytes a file instead of 464.
        self.page = None
        _ = self.name, self.dest_uri, self.url, self.abs_dest_path

    def is_modified(self) -> bool:
        return self.changed

    @classmethod
    def like(cls, file: File) -> SiteFile:
        """A docs file, as this class (its page is made afresh for it)."""
        return cls(file.src_uri, file.src_dir, file.dest_dir, file.use_directory_urls,
                   inclusion=file.inclusion)


def page_for(file: File, config: MkDocsConfig, index: PageIndex) -> RecordPage | None:
    """The page of a paper or day file (None for other files); it becomes ``file.page``."""
    entry = index.by_src.get(file.src_uri)
    if isinstance(entry, schema.PAPER_PAGES):
        return PaperPage(file, config, index)
    if isinstance(entry, schema.DayPage):
        return DayPage(file, config, index)
    return None
