"""The archive page: year, month, day with paper counts."""

from __future__ import annotations

from arxiv_digest.site import archive, generated, urls
from arxiv_digest.site import index as page_index
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files, InclusionLevel


def on_startup(*, command: str, dirty: bool) -> None:
    if command == "serve":
        generated.start_serving()


def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    content = archive.archive_page(page_index.current())
    files.append(generated.page_file(config, urls.ARCHIVE_URI, content, InclusionLevel.INCLUDED))
    return files
