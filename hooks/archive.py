"""The archive page: year, month, day with paper counts."""

from __future__ import annotations

from arxiv_digest.site import archive, urls
from arxiv_digest.site import index as page_index
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel


def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    content = archive.archive_page(page_index.current())
    files.append(File.generated(config, urls.ARCHIVE_URI, content=content,
                                inclusion=InclusionLevel.INCLUDED))
    return files
