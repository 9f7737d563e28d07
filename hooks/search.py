"""Search: a Pagefind index of the paper pages, fetched by the header search box in chunks.

Material's search plugin makes every reader download one index of the whole site (70 MB at
20,000 papers). Pagefind splits the index into chunks, so a query fetches only the chunks of its
words and the fragments of the hits it shows. Only paper pages are indexed (title, authors,
summary, abstract), so a hit always leads to a paper. The records come from the parsed pages and
are indexed by Pagefind's own process while MkDocs renders, so the build waits only for the
final write. The search box is ``overrides/partials/search.html`` with
``overrides/assets/javascripts/pagefind-search.js``.
"""

from __future__ import annotations

import logging
import shutil
import threading
from pathlib import Path
from typing import Any

from arxiv_digest.errors import DigestError
from arxiv_digest.pages import schema
from arxiv_digest.site import index as page_index
from arxiv_digest.site import urls
from arxiv_digest.site.search import Indexer, paper_record
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

log = logging.getLogger("mkdocs.hooks.search")

BUNDLE = "pagefind"
#: Files of the bundle that the search box does not load (Pagefind's own UIs).
_UNUSED = ("pagefind-*ui.*", "pagefind-highlight.js")

_serving = False
_job: _Job | None = None
#: (url, page) of every paper page of the current build.
_pages: list[tuple[str, schema.PaperPage]] = []


class _Job:
    """One index being written: the Pagefind process and the thread that feeds it."""

    def __init__(self, pages: list[tuple[str, schema.PaperPage]], site: Path, *,
                 publish: bool) -> None:
        self.site, self.publish = site, publish
        self.error: BaseException | None = None
        self.indexer: Indexer | None = None
        self.cancelled = False
        self.thread = threading.Thread(target=self._run, args=(pages,), daemon=True)
        self.thread.start()

    def _run(self, pages: list[tuple[str, schema.PaperPage]]) -> None:
        try:
            self.indexer = Indexer()
            if self.cancelled:
                return
            self.indexer.add_all(paper_record(page, url) for url, page in pages)
            new = self.site / f"{BUNDLE}.new"
            shutil.rmtree(new, ignore_errors=True)
            self.indexer.write(new)
            if self.publish and not self.cancelled:
                _publish(self.site)
        except (DigestError, OSError) as err:
            self.error = err
        finally:
            if self.indexer is not None:
                self.indexer.close()

    def cancel(self) -> None:
        self.cancelled = True
        if self.indexer is not None:
            self.indexer.kill()
        self.thread.join(timeout=30)


def on_startup(*, command: str, dirty: bool) -> None:
    global _serving
    # Under `mkdocs serve` the new index is swapped in whenever it is ready, so that a page edit
    # shows at once and search catches up a few seconds later.
    _serving = command == "serve"


def on_pre_build(*, config: Any) -> None:
    _stop()  # before MkDocs cleans the site dir that a running indexer writes into


def on_shutdown() -> None:
    _stop()


@event_priority(50)  # after the page index is built (validate.py), before the pages render
def on_files(files: Any, *, config: Any) -> Any:
    global _job, _pages
    _stop()
    # Every page of the index is one of `files`; its URL is the one MkDocs gives it (paper
    # slugs hold no character that MkDocs would quote), without making 20,000 File.url.
    directory_urls = config.use_directory_urls
    _pages = [(f"/{urls.page_url(uri, directory_urls)}", page)
              for uri, page in page_index.current().by_src.items()
              if isinstance(page, schema.PaperPage)]
    if not _serving:  # index while MkDocs renders, on the other core
        _job = _Job(_pages, Path(config.site_dir), publish=False)
    return files


def on_post_build(*, config: Any) -> None:
    global _job
    if _serving:  # after the rebuild, so that the edited page is served first
        _job = _Job(_pages, Path(config.site_dir), publish=True)
        return
    if _job is None:
        return
    _job.thread.join()
    if _job.error is not None:
        raise PluginError(f"search: {_job.error}")
    _publish(Path(config.site_dir))


def on_build_error(*, error: Exception) -> None:
    _stop()


def _stop() -> None:
    global _job
    if _job is not None:
        _job.cancel()
        _job = None


def _publish(site: Path) -> None:
    """Swap the freshly written bundle in place of the old one."""
    new, old, trash = site / f"{BUNDLE}.new", site / BUNDLE, site / f"{BUNDLE}.old"
    for pattern in _UNUSED:
        for path in new.glob(pattern):
            path.unlink()
    shutil.rmtree(trash, ignore_errors=True)
    if old.exists():
        old.rename(trash)
    new.rename(old)
    shutil.rmtree(trash, ignore_errors=True)
