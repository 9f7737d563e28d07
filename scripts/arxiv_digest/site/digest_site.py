"""The site's build state and its answers to MkDocs' events, on one object."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import TableOfContents

from ..config import Settings, load_settings
from ..errors import DigestError
from ..pages import schema
from ..pages.ledger import read_ledgers
from ..pages.spool import PageSpool
from ..pages.validate import refused_files, validate_docs
from . import archive, cite, feeds, markers, provenance, stats, tags, urls
from .compact import CompactLoader, Compactor
from .incremental import IncrementalBuild
from .index import PageIndex, PageReader, check_hand_written
from .pages import ListPage, PaperPage, SiteFile, StatsPage, WrittenPage, page_for
from .search import BUNDLE, RecordFeed, SearchJob, paper_record, shard_of
from .serve import DocsWatcher
from .sitemap import ROBOTS, Sitemap, robots_txt
from .styles import Stylesheets
from .tags import Listing

log = logging.getLogger("mkdocs.hooks.digest")

#: Generated pages listed in mkdocs.yml's nav; the other list pages are reached from them.
IN_NAV = frozenset({urls.ARCHIVE_URI, urls.TAGS_INDEX_URI})


class _LinksToUnchanged(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return "which is excluded from the built site" not in record.getMessage()


class _IncrementalBuild(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return "A 'dirty' build is being performed" not in record.getMessage()


class DigestSite:
    """One `mkdocs build` or `mkdocs serve` session of the site: the page index and its reader,
    the pages made from it, the search job and the icon sprite. ``hooks/digest.py`` binds the
    ``on_*`` methods to MkDocs' events (the hook module, and so this object, lives as long as the
    process: a `mkdocs serve` rebuild uses it again)."""

    def __init__(self) -> None:
        self.reader = PageReader()
        self.compactor = Compactor()
        self.index = PageIndex()
        self.settings = Settings()
        self.serving = False
        """Under `mkdocs serve`, the search index is written after each build and swapped in
        when ready, so that an edited page shows at once and search catches up."""
        self.dirty = False
        """Under `mkdocs serve --dirty`, which re-renders only the pages that changed."""
        self.listed: dict[str, tuple[Any, ...]] = {}
        """What each list page was made from at the last dirty build, to tell which changed."""
        self.search: SearchJob | None = None
        self.spool: PageSpool | None = None
        """The full paper pages as the validator read them (a build's own: not under
        `mkdocs serve`, whose rebuilds read what changed)."""
        self.feed: RecordFeed | None = None
        """In a full `mkdocs build`: the search records, handed over as paper pages are
        written."""
        self.watcher: DocsWatcher | None = None
        """Under `mkdocs serve`: notices saves in the docs dir through file events."""
        self.to_index: dict[str, list[tuple[str, schema.PaperPage]]] = {}
        """The paper pages (``src_uri``, page) of each search shard to write (all of them, or
        in an incremental build those whose papers changed)."""
        self.shards: list[str] = []
        """Every search shard of the current build."""
        self.incremental: IncrementalBuild | None = None
        """Under `mkdocs build --dirty`: only what changed since the build whose state is
        beside the site dir is written (incremental.py)."""
        self.files: Files | None = None
        self.stats: stats.Stats | None = None
        """The stats page's figures at the last build (a dirty rebuild renders it when they
        changed)."""
        self.sitemap: Sitemap | None = None
        """The sitemap files the index of this build names (written after the build)."""
        self.styles = Stylesheets()
        """The site's stylesheets, joined into the one file every page links (styles.py)."""
        self.no_toc = TableOfContents([])
        """The table of contents of every written page once its HTML is out (an empty one
        each would be 11 MB at 100,000 papers)."""

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"
        self.dirty = self.serving and dirty
        self.reader.keep = self.serving  # a rebuild reads only the pages that changed
        self.incremental = IncrementalBuild() if command == "build" and dirty else None
        if self.incremental is not None:
            # The state beside the site dir tells which pages changed: MkDocs' warning that a
            # dirty build may leave links stale does not apply.
            logging.getLogger("mkdocs.commands.build").addFilter(_IncrementalBuild())
        if self.dirty or self.incremental is not None:
            # Links to the pages a dirty rebuild leaves out (they are unchanged) are fine.
            logging.getLogger("mkdocs.structure.pages").addFilter(_LinksToUnchanged())

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        try:
            self.settings = load_settings(Path(config.config_file_path).parent)
        except DigestError as err:
            raise PluginError(str(err)) from None
        for name in ("list_page_items", "sitemap_urls"):
            if getattr(self.settings, name) < 1:
                raise PluginError(f"arxiv-digest settings: {name}: must be at least 1")
        self.styles.take(config)
        return config

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        self.stop_search()  # before MkDocs cleans the site dir that a running indexer writes into
        # Before MkDocs walks the docs dir, which follows links: nothing outside it is published.
        refused = refused_files(Path(config.docs_dir))
        if refused:
            raise PluginError(str(refused[0]))
        if self.incremental is not None:
            # The stylesheet every page links is named by its bytes: a change rebuilds them all.
            docs_dir = Path(config.docs_dir)
            self.incremental.start(config, [docs_dir / uri for uri in self.styles.own])

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        """Read the index, give paper and day files their pages, add the generated ones."""
        docs_dir = Path(config.docs_dir)
        documents = [f for f in files if f.is_documentation_page()]
        rebuild = self.dirty and bool(self.listed)  # a dirty rebuild after a first build
        try:
            if rebuild:
                # A preview of a save: the pages that changed are read and checked below; the
                # whole docs dir is validated by `mkdocs build` and `arxiv-digest check`.
                self.index = self.reader.build(docs_dir, [f.src_uri for f in documents])
                for file in documents:
                    if file.generated_by is None and file.src_uri not in self.index.by_src:
                        check_hand_written(Path(file.abs_src_path or ""),
                                           f"{docs_dir.name}/{file.src_uri}")
                ledgers = read_ledgers(docs_dir)  # the validator's reader of them
            else:
                # The validator `check` runs: the build and `check` cannot disagree on a page.
                known = self.incremental.known_checks() if self.incremental else None
                # The validator keeps the full pages it read: a paper's page and search record
                # take them from there, not by parsing its file again.
                self.spool = None if self.serving else PageSpool()
                validation = validate_docs(docs_dir, known, spool=self.spool)
                validation.raise_first()
                self.index = self.reader.build(docs_dir, [f.src_uri for f in documents],
                                               read={**validation.papers, **validation.days})
                self.index.spool = self.spool
                ledgers = validation.ledgers
            items = self.settings.list_page_items
            listings = [*tags.generate(self.index, items), *archive.listings(self.index, items)]
            if self.incremental is not None:
                self.incremental.plan(self.index, validation.checks, validation.digests,
                                      listings)
        except (DigestError, ValueError) as err:
            self.stop_search()
            raise PluginError(str(err)) from None
        stale = self._stale_lists() if rebuild else set()
        replaced: dict[str, File] = {}
        for file in documents:
            if self.incremental is not None:
                if file.src_uri in self.index.by_src and not self.incremental.changed(file):
                    # Unchanged since the build in the site dir: its page stays, and MkDocs makes
                    # no page object for it (at 100,000 papers, seconds and hundreds of MB).
                    file.inclusion = InclusionLevel.EXCLUDED
                    self.incremental.kept.add(file.src_uri)
                    continue
                file = replaced[file.src_uri] = SiteFile.like(file)
            elif file.src_uri in stale:
                files.remove(file)
                file = SiteFile.like(file)
                files.append(file)
            elif (rebuild and file.src_uri in self.index.by_src
                  and file.src_uri not in self.index.fresh):
                # Unchanged: its built page stays, and MkDocs makes no page object for it.
                file.inclusion = InclusionLevel.EXCLUDED
                continue
            page_for(file, config, self.index)
        if replaced:  # one pass: Files.remove is linear
            files = Files([replaced.get(file.src_uri, file) for file in files])
        self._add_listings(files, config, listings)
        self._add_stats(files, config, stats.compute(self.index, ledgers))
        self._add_feeds(files, config)
        if config.site_url and files.get_file_from_path(ROBOTS) is None:
            files.append(File.generated(config, ROBOTS, content=robots_txt(config.site_url)))
        # Under `mkdocs serve` a page a dirty rebuild leaves as it was links the stylesheet
        # too: there it keeps one name, and an edit of the CSS shows on the next reload.
        self.styles.join(files, config, by_bytes=not self.serving)
        self.compactor.prune(files)
        self._plan_search(config)
        if self.incremental is None and not self.serving:
            # Index while MkDocs renders, on the other core: each paper's record is made from
            # the page read to write it, and a shard is indexed once its papers are written.
            self.feed = RecordFeed(self.to_index)
            self.search = SearchJob(self.feed, Path(config.site_dir), publish=False,
                                    names=self.shards)
        elif not self.serving:  # the shards of the papers that changed, read from their files
            self.search = SearchJob(self._records(config), Path(config.site_dir),
                                    publish=False, names=self.shards)
        self.files = files
        return files

    def _plan_search(self, config: MkDocsConfig) -> None:
        """Sort the paper pages into search shards; keep those to write."""
        shards: dict[str, list[tuple[str, schema.PaperPage]]] = {}
        for uri, page in self.index.by_src.items():
            if isinstance(page, schema.PAPER_PAGES):
                shards.setdefault(shard_of(page), []).append((uri, page))
        self.shards = sorted(shards)
        if self.incremental is not None:
            write = self.incremental.shards_to_write(shards, Path(config.site_dir) / BUNDLE)
            shards = {name: papers for name, papers in shards.items() if name in write}
        self.to_index = shards

    def _records(self, config: MkDocsConfig) -> list[tuple[str, Iterator[dict[str, Any]]]]:
        """The search records of each shard to write, newest shard first, made as the indexer
        takes them: one shard's records at a time are in memory."""

        def records(papers: list[tuple[str, schema.PaperPage]]) -> Iterator[dict[str, Any]]:
            # A record may hold the abstract (when there is no summary), which the index does
            # not: the full page comes from the validator's spool (under `mkdocs serve`, from
            # its file).
            return (self._record(uri, self.index.full(page), config) for uri, page in papers)

        return [(name, records(self.to_index[name])) for name in sorted(self.to_index,
                                                                         reverse=True)]

    @staticmethod
    def _record(uri: str, page: schema.PaperPage, config: MkDocsConfig) -> dict[str, Any]:
        return paper_record(page, _search_url(uri, config))

    def _stale_lists(self) -> set[str]:
        """Day pages and the home page showing a paper whose file changed since the last build
        (a dirty build would not render them again: their own file did not change)."""
        latest = self.index.latest_announced()
        stale = set()
        for uri in self.index.fresh:
            entry = self.index.by_src[uri]
            if isinstance(entry, schema.PAPER_PAGES):
                stale.add(urls.day_uri(entry.meta.announced))
                if latest is not None and entry.meta.arxiv_id in latest.meta.papers:
                    stale.add("index.md")
        return stale

    def _add_listings(self, files: Files, config: MkDocsConfig, listings: list[Listing]) -> None:
        listed = {}
        for listing in listings:
            inclusion = (InclusionLevel.INCLUDED if listing.uri in IN_NAV
                         else InclusionLevel.NOT_IN_NAV)
            file = SiteFile.generated(config, listing.uri, content="", inclusion=inclusion)
            if self.dirty:  # render again only the list pages made from other papers
                file.changed = self.listed.get(listing.uri) != listing.args
                listed[listing.uri] = listing.args
            elif self.incremental is not None:
                # A page in the nav is read every time: every page shows its title.
                file.changed = listing.uri in IN_NAV or self.incremental.changed(file)
            files.append(file)
            ListPage(file, config, listing)
        self.listed = listed

    def _add_stats(self, files: Files, config: MkDocsConfig, figures: stats.Stats) -> None:
        file = SiteFile.generated(config, urls.STATS_URI, content="",
                                  inclusion=InclusionLevel.NOT_IN_NAV)
        file.changed = not self.dirty or self.stats != figures
        self.stats = figures
        files.append(file)
        StatsPage(file, config, figures)

    def _add_feeds(self, files: Files, config: MkDocsConfig) -> None:
        # Made here, not after the build, so that pages can link them and MkDocs checks those.
        site_url = config.site_url or ""
        if not site_url:
            log.warning("site_url is not set: the feeds' links will not be absolute")
        site_url = site_url if site_url.endswith("/") else site_url + "/"
        try:
            site_feeds = feeds.site_feeds(self.index, config.site_name)
        except DigestError as err:  # a feed's paper file, read again, changed since
            raise PluginError(str(err)) from None
        for feed in site_feeds:
            for ext, make in ((".xml", feeds.atom_feed), (".json", feeds.json_feed)):
                content = make(feed, site_url, config.use_directory_urls)
                files.append(File.generated(config, feed.path + ext, content=content,
                                            inclusion=InclusionLevel.NOT_IN_NAV))

    def on_env(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        env.loader = CompactLoader(env.loader)  # before any template is loaded
        # Material's page config is JSON in every page: written without spaces.
        env.policies["json.dumps_kwargs"] = {"sort_keys": True, "separators": (",", ":")}
        # MkDocs makes a new environment for each build: a template loaded once stays as it is
        # for the build, and each of a page's includes need not look at its file again.
        env.auto_reload = False
        env.globals["digest_stylesheet"] = self.styles.uri  # main.html's styles block
        # What palette.js needs to write a paper page's edit, history and BibTeX (paper.html).
        env.globals["digest_paper"] = {**provenance.script_links(config), **cite.script_data()}
        return env

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig,
                         files: Files) -> str:
        """Markers in hand-written pages (the home page's latest day, the topics on About)."""
        if isinstance(page, WrittenPage):
            return markdown
        if page.is_homepage:  # a list page: a search hit leads to a paper
            page.meta["search"] = {**(page.meta.get("search") or {}), "exclude": True}
            page.meta["digest_keys"] = True  # it lists the latest day's papers (main.html)
        links = urls.Links(page.file.src_uri, config.use_directory_urls)
        ctx = markers.MarkerContext(self.index, self.settings, links, config.repo_url or "")
        where = f"{Path(config.docs_dir).name}/{page.file.src_uri}"
        try:
            return markers.expand(markdown, ctx, where)
        except DigestError as err:
            raise PluginError(str(err)) from None

    def on_page_context(self, context: dict[str, Any], *, page: Page, config: MkDocsConfig,
                        nav: Any) -> dict[str, Any]:
        if isinstance(page, WrittenPage):
            page.write(config)
        if isinstance(page, PaperPage):
            if self.feed is not None:  # the page as read to write it, with its abstract
                self.feed.add(page.file.src_uri, page.entry, _search_url(page.file.src_uri, config))
            context["tags"] = page.chips(config.use_directory_urls)
            context["digest_meta"] = page.head_meta(config)
        return context

    def on_template_context(self, context: dict[str, Any], *, template_name: str,
                            config: MkDocsConfig) -> dict[str, Any]:
        if template_name == "sitemap.xml":  # the index; its files are written after the build
            pages = context["pages"]
            if self.incremental is not None and self.files is not None:
                # The pages this build leaves as they are are in the sitemap too, in files' order.
                pages = [file for file in self.files if file.is_documentation_page()
                         and (file.page is not None or file.src_uri in self.incremental.kept)]
            self.sitemap = Sitemap.of(pages, self.settings.sitemap_urls, config.site_url)
            context["sitemap_parts"] = self.sitemap.index_locs(config.site_url or "")
        return context

    @event_priority(-100)  # last: it compacts the HTML that every other step has written
    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        if isinstance(page, ListPage) and page.listing.feed_tag is not None:
            # The tag's feeds, for readers that discover them (the template links the site's).
            links = tags.feed_links(page.listing.feed_tag, page.url)
            output = output.replace("</head>", f"{links}</head>", 1)
        if isinstance(page, WrittenPage):  # written out next
            page.release(self.no_toc)
        return self.compactor.page(output, page.url)

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.incremental is not None:  # the icons of the pages kept are in the sprite too
            self.compactor.icons = self.incremental.icons(self.compactor.icons)
        self.compactor.write_sprite(config)
        if self.sitemap is not None:
            self.sitemap.write(Path(config.site_dir))
            self.sitemap = None
        if self.serving:  # after the rebuild, so that the edited page is served first
            self.search = SearchJob(self._records(config), Path(config.site_dir), publish=True,
                                    names=self.shards)
        elif self.search is not None:
            try:
                if self.feed is not None:
                    feed, self.feed = self.feed, None
                    feed.complete(lambda uri, page: self._record(uri, self.index.full(page),
                                                                 config))
                self.search.finish()
            except DigestError as err:
                raise PluginError(str(err)) from None
            finally:
                self.search = None
                self._drop_spool()
        if self.incremental is not None and self.files is not None:
            self.incremental.finish(config, self.files, self.compactor.icons)

    def on_build_error(self, *, error: Exception) -> None:
        self.stop_search()

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        self.watcher = DocsWatcher(config.docs_dir)
        self.watcher.attach(server)
        return server

    def on_shutdown(self) -> None:
        self.stop_search()
        if self.watcher is not None:
            self.watcher.stop()
            self.watcher = None

    def stop_search(self) -> None:
        if self.feed is not None:  # the indexer may be waiting for a shard
            self.feed.close()
            self.feed = None
        if self.search is not None:
            self.search.cancel()
            self.search = None
        self._drop_spool()

    def _drop_spool(self) -> None:
        if self.spool is not None:  # once nothing reads pages from it any more
            self.spool.close()
            self.spool = None
            self.index.spool = None


def _search_url(uri: str, config: MkDocsConfig) -> str:
    """A paper page's URL in its search record: paper slugs hold no character MkDocs would
    quote, so this is the URL MkDocs gives the page."""
    return f"/{urls.page_url(uri, config.use_directory_urls)}"
