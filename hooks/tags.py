"""Tag pages: the tags index, a page per category and topic, and pages for their older months."""

from __future__ import annotations

from arxiv_digest.site import blocks, generated, tags, urls
from arxiv_digest.site import index as page_index
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files, InclusionLevel

# The pages made from the last page index: an unchanged index (a `mkdocs serve` rebuild after
# editing a hand-written page, or a summary) makes nothing again. (stamp, pages, blocks)
_cache: list[tuple[object, list[tuple[str, str]], dict[str, str]]] = []


def on_startup(*, command: str, dirty: bool) -> None:
    if command == "serve":
        generated.start_serving()


def on_shutdown() -> None:
    generated.stop_serving()


def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    index = page_index.current()
    stamp = index.listing_stamp()
    if not _cache or _cache[0][0] != stamp:
        into: dict[str, str] = {}
        try:
            pages = list(tags.generate(index, into))
        except ValueError as err:
            raise PluginError(str(err)) from None
        _cache[:] = [(stamp, pages, into)]
    _, pages, into = _cache[0]
    blocks.keep("tags", into)
    for uri, content in pages:
        level = (InclusionLevel.INCLUDED if uri == urls.TAGS_INDEX_URI
                 else InclusionLevel.NOT_IN_NAV)
        files.append(generated.page_file(config, uri, content, level))
    return files
