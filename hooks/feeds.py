"""Atom and JSON feeds of the latest papers (feed.xml, feed.json), with absolute links."""

from __future__ import annotations

import logging

from arxiv_digest.site import feeds, urls
from arxiv_digest.site import index as page_index
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel

log = logging.getLogger("mkdocs.hooks.feeds")


def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    # Made here, not after the build, so that pages can link them and MkDocs checks those links.
    site_url = config.site_url or ""
    if not site_url:
        log.warning("site_url is not set: the feeds' links will not be absolute")
    site_url = site_url if site_url.endswith("/") else site_url + "/"
    index = page_index.current()
    for name, make in ((urls.ATOM_FEED, feeds.atom_feed), (urls.JSON_FEED, feeds.json_feed)):
        content = make(index, site_url, config.site_name)
        files.append(File.generated(config, name, content=content,
                                    inclusion=InclusionLevel.NOT_IN_NAV))
    return files
