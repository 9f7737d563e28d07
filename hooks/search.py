"""Search: a Pagefind index of the paper pages, written after the build and fetched in chunks.

Material's search plugin makes every reader download one index of the whole site (70 MB at
20,000 papers). Pagefind splits the index into chunks, so a query fetches only the chunks of its
words and the fragments of the hits it shows. Only paper pages are indexed (their article is the
``data-pagefind-body``): a hit always leads to a paper. The header search box talking to it is
``overrides/partials/search.html`` with ``overrides/assets/javascripts/pagefind-search.js``.
"""

from __future__ import annotations

import html
import logging
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

from arxiv_digest.schema import PAPERS_DIR
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

log = logging.getLogger("mkdocs.hooks.search")

BUNDLE = "pagefind"
#: The article of a paper page, as Material's templates write it.
_ARTICLE = '<article class="md-content__inner md-typeset">'
#: The authors line of a paper page (scripts/arxiv_digest/site/render.py).
_AUTHORS = '<p class="digest-authors">'
#: Parts of a paper page left out of the index (and so of the excerpts under each hit).
_NOT_TEXT = (".headerlink", ".md-content__button", ".digest-meta", ".digest-provenance")
#: Files of the bundle that the header search does not load (Pagefind's own UIs).
_UNUSED = ("pagefind-*ui.*", "pagefind-highlight.js")

_serving = False
_indexer: subprocess.Popen[bytes] | None = None


def on_startup(*, command: str, dirty: bool) -> None:
    global _serving
    # Under `mkdocs serve` the index is rebuilt in the background, so that a page edit shows
    # at once and search catches up a few seconds later.
    _serving = command == "serve"


def on_shutdown() -> None:
    _stop_indexer()


# Late, so that other hooks' changes to the page are in place; before any minifier.
@event_priority(-50)
def on_post_page(output: str, *, page: Any, config: Any) -> str:
    if not page.file.src_uri.startswith(f"{PAPERS_DIR}/"):
        return output
    if _ARTICLE not in output:
        raise PluginError(f"search: no content article to index in {page.file.src_uri}")
    if _AUTHORS in output:  # the hit shows the authors line as the page shows it
        output = output.replace(_AUTHORS, f'{_AUTHORS[:-1]} data-pagefind-meta="authors">', 1)
        return output.replace(_ARTICLE, f"{_ARTICLE[:-1]} data-pagefind-body>", 1)
    authors = html.escape(", ".join((page.meta or {}).get("authors") or []))
    marked = f'{_ARTICLE[:-1]} data-pagefind-body data-pagefind-meta="authors:{authors}">'
    return output.replace(_ARTICLE, marked, 1)


def on_post_build(*, config: Any) -> None:
    site = Path(config.site_dir)
    if _serving:
        _stop_indexer()
        _start_indexer(site)
        return
    result = subprocess.run(_command(site), capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise PluginError(f"search: pagefind failed: {(result.stdout + result.stderr).strip()}")
    _publish(site)


def _command(site: Path) -> list[str]:
    return [
        sys.executable, "-m", "pagefind", "--site", str(site), "--glob", f"{PAPERS_DIR}/**/*.html",
        "--output-subdir", f"{BUNDLE}.new", "--quiet",
        # Permalink marks, the edit button, links and provenance are no text of the paper.
        *(arg for selector in _NOT_TEXT for arg in ("--exclude-selectors", selector)),
    ]


def _publish(site: Path) -> None:
    """Swap the freshly written bundle in place of the old one and drop the files no one loads."""
    new, old, trash = site / f"{BUNDLE}.new", site / BUNDLE, site / f"{BUNDLE}.old"
    for pattern in _UNUSED:
        for path in new.glob(pattern):
            path.unlink()
    shutil.rmtree(trash, ignore_errors=True)
    if old.exists():
        old.rename(trash)
    new.rename(old)
    shutil.rmtree(trash, ignore_errors=True)


def _start_indexer(site: Path) -> None:
    global _indexer
    shutil.rmtree(site / f"{BUNDLE}.new", ignore_errors=True)
    _indexer = subprocess.Popen(_command(site), stdout=subprocess.DEVNULL)
    _watch(site)


def _watch(site: Path) -> None:
    # A thread waits for the indexer so that the served site gets the new bundle as soon as it
    # is written, without holding up the rebuild.
    indexer = _indexer

    def wait() -> None:
        if indexer is not None and indexer.wait() == 0 and indexer is _indexer:
            try:
                _publish(site)
            except OSError as err:  # the site dir was cleaned by a newer build meanwhile
                log.debug(f"search: index not published: {err}")

    threading.Thread(target=wait, daemon=True).start()


def _stop_indexer() -> None:
    global _indexer
    if _indexer is not None and _indexer.poll() is None:
        _indexer.terminate()
        _indexer.wait()
    _indexer = None
