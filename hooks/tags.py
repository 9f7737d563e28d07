"""Tag pages: the tags index, a page per category and topic, and a page per tag and month."""

from __future__ import annotations

from arxiv_digest.site import index as page_index
from arxiv_digest.site import tags, urls
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel


def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    try:
        for uri, content in tags.generate(page_index.current()):
            level = (InclusionLevel.INCLUDED if uri == urls.TAGS_INDEX_URI
                     else InclusionLevel.NOT_IN_NAV)
            files.append(File.generated(config, uri, content=content, inclusion=level))
    except ValueError as err:
        raise PluginError(str(err)) from None
    return files
