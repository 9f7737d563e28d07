"""Preview: `mkdocs serve --dirty` rebuilds only the paper and day pages that changed.

MkDocs' own ``--dirty`` still makes a page object for every file on each rebuild (a few seconds
at 20,000 papers). Here, on a dirty rebuild, paper and day pages not saved since the previous
build are left out of it: their built pages stay in the served site, and links to them resolve.
A changed paper page also rebuilds its day page, which shows the summary. Saves are noticed
through the system's file events (``arxiv_digest.site.watch``), and the theme's templates are
compiled once per session. ``mkdocs build`` and a plain ``mkdocs serve`` are not affected.
"""

from __future__ import annotations

import logging
import sys
import time
from typing import Any

import jinja2
from arxiv_digest.pages import schema
from arxiv_digest.site import index as page_index
from mkdocs.plugins import event_priority
from mkdocs.structure.files import InclusionLevel

_dirty_serve = False
#: When the last build of this `mkdocs serve` session started (None before the first), and
#: the one before it (restored when a build fails, so its changes are built next time).
_last_build: float | None = None
_before: float | None = None


class _CompiledTemplates(jinja2.BytecodeCache):
    """Compiled theme templates kept in memory from one rebuild to the next.

    Each rebuild makes a new Jinja environment, which would compile every template again
    (about half a second); a template whose source changed is compiled again all the same.
    """

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


_compiled = _CompiledTemplates()


class _QuietExcluded(logging.Filter):
    """Links to the pages left out are fine here: drop MkDocs' note about each of them."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "which is excluded from the built site" not in record.getMessage()


def on_startup(*, command: str, dirty: bool) -> None:
    global _dirty_serve
    _dirty_serve = command == "serve" and dirty
    if _dirty_serve:
        logging.getLogger("mkdocs.structure.pages").addFilter(_QuietExcluded())


def on_serve(server: Any, *, config: Any, builder: Any) -> Any:
    if _dirty_serve:
        # Imported here: watchdog is of no use to `mkdocs build`, which would import it first.
        from arxiv_digest.site import watch

        watch.watch_docs(server, config.docs_dir)
    return server


def on_shutdown() -> None:
    watch = sys.modules.get("arxiv_digest.site.watch")
    if watch is not None:
        watch.stop()


def on_env(env: jinja2.Environment, *, config: Any, files: Any) -> jinja2.Environment:
    if _dirty_serve:
        env.bytecode_cache = _compiled
    return env


@event_priority(-100)  # after the hooks that read every page or add generated ones
def on_files(files: Any, *, config: Any) -> Any:
    if not _dirty_serve:
        return files
    global _last_build, _before
    _before, _last_build = _last_build, time.time()
    since = _before
    if since is None:
        return files  # the first build of the session: everything is new
    prefixes = (f"{schema.PAPERS_DIR}/", f"{schema.DAYS_DIR}/")
    pages = [f for f in files if f.src_uri.startswith(prefixes) and f.is_documentation_page()]
    # The page index stats every page once a build (MkDocs' is_modified() makes two, and more
    # work, per page): its times say which pages were saved since the last build.
    index = page_index.current()
    mtimes = index.mtimes
    keep = {f.src_uri for f in pages if mtimes.get(f.src_uri, since) >= since}
    for uri in [u for u in keep if u.startswith(prefixes[0])]:
        entry = index.by_src.get(uri)
        if isinstance(entry, schema.PaperPage):
            keep.add(f"{schema.DAYS_DIR}/{entry.meta.announced.isoformat()}.md")
    for file in pages:
        if file.src_uri not in keep:
            file.inclusion = InclusionLevel.EXCLUDED
    return files


def on_build_error(*, error: Exception) -> None:
    global _last_build
    _last_build = _before
