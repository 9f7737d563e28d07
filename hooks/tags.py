"""Tag pages: the tags index, a page per category and topic, and pages for their older months."""

from __future__ import annotations

from arxiv_digest.site import generated, tags, urls
from arxiv_digest.site import index as page_index
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files, InclusionLevel


def on_startup(*, command: str, dirty: bool) -> None:
    if command == "serve":
        generated.start_serving()


def on_shutdown() -> None:
    generated.stop_serving()


def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    try:
        for uri, content in tags.generate(page_index.current()):
            level = (InclusionLevel.INCLUDED if uri == urls.TAGS_INDEX_URI
                     else InclusionLevel.NOT_IN_NAV)
            files.append(generated.page_file(config, uri, content, level))
    except ValueError as err:
        raise PluginError(str(err)) from None
    return files
