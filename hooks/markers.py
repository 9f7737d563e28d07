"""Markers in hand-written pages (``<!-- digest:latest -->`` on the home page, topics on About)."""

from __future__ import annotations

from pathlib import Path

from arxiv_digest.config import Settings, load_settings
from arxiv_digest.errors import DigestError
from arxiv_digest.site import index as page_index
from arxiv_digest.site import markers
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

_settings: dict[str, Settings] = {}


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    try:
        _settings["current"] = load_settings(Path(config.config_file_path).parent)
    except DigestError as err:
        raise PluginError(str(err)) from None
    return config


def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    if page.file.generated_by is not None or page.file.src_uri in page_index.current().by_src:
        return markdown
    ctx = markers.MarkerContext(page_index.current(), _settings["current"], page.file.src_uri,
                                config.repo_url or "")
    try:
        return markers.expand(markdown, ctx, f"{Path(config.docs_dir).name}/{page.file.src_uri}")
    except DigestError as err:
        raise PluginError(str(err)) from None
