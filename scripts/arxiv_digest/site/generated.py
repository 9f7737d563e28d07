"""Generated pages as MkDocs files: in memory for a build, in a temp folder while serving.

``mkdocs serve --dirty`` re-renders only files whose source is newer than their output, and an
in-memory page always counts as new: at 20,000 papers the tag pages alone would take seconds
on every save. While serving, each generated page is therefore written to a folder outside the
docs dir (so the watcher ignores it), and rewritten only when its text changed.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, InclusionLevel

from ..pages.store import write_atomic

_folder: list[Path] = []
# What each page's file holds (a digest), so that an unchanged page is not read back to be
# compared on every rebuild.
_written: dict[str, bytes] = {}


def start_serving() -> None:
    """Back generated pages by files from now on (``mkdocs serve``); idempotent."""
    if not _folder:
        _folder.append(Path(tempfile.mkdtemp(prefix="arxiv-digest-pages-")))


def stop_serving() -> None:
    _written.clear()
    while _folder:
        shutil.rmtree(_folder.pop(), ignore_errors=True)


def page_file(config: MkDocsConfig, src_uri: str, content: str,
              inclusion: InclusionLevel = InclusionLevel.NOT_IN_NAV) -> File:
    """A MkDocs file for a generated page at ``src_uri``."""
    if not _folder:
        return File.generated(config, src_uri, content=content, inclusion=inclusion)
    path = _folder[0] / src_uri
    digest = hashlib.blake2b(content.encode(), digest_size=16).digest()
    if _written.get(src_uri) != digest or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, content)
        _written[src_uri] = digest
    return File.generated(config, src_uri, abs_src_path=str(path), inclusion=inclusion)
