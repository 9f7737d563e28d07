"""One stylesheet for every page: Material's main and palette CSS and the site's own
(``extra_css``), joined at build time into one file named by a digest of its bytes.

Every page linked three stylesheets (~0.23 KB of each page's head, one request each on a first
visit); it now links one (``main.html``'s ``styles`` block), which a browser keeps until its
bytes, and so its name, change. Material's files are found among the build's files by the names
its ``base.html`` links (``assets/stylesheets/main.<hash>.min.css``, ``palette.<hash>.min.css``);
a theme without them fails the build with one line.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from dataclasses import dataclass, field

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

FOLDER = "assets/stylesheets"
#: Material's stylesheets as its base.html links them; palette only with a palette configured.
MAIN = re.compile(rf"{FOLDER}/main\.[0-9a-f]{{8}}\.min\.css")
PALETTE = re.compile(rf"{FOLDER}/palette\.[0-9a-f]{{8}}\.min\.css")
#: A relative ``url()`` in CSS: its target is resolved from its own file's folder.
_URL = re.compile(r"""url\(\s*(['"]?)([^'")\s]+)\1\s*\)""")
_CHARSET = re.compile(r'^@charset "[^"]*";')
_SOURCE_MAP = re.compile(r"/\*# sourceMappingURL=[^*]*\*/")


@dataclass
class Stylesheets:
    """The stylesheets of one build, and the file that joins them."""

    own: list[str] = field(default_factory=list)
    """The site's stylesheets (``extra_css`` entries that are files of the build), in order."""
    uri: str = ""
    """The joined file's ``src_uri`` (set by ``join``); ``main.html`` links it."""

    def take(self, config: MkDocsConfig) -> None:
        """Move the site's own stylesheets out of ``extra_css`` (the theme would link each one):
        they are joined with the theme's. An address elsewhere stays a link of its own."""
        self.own = [p for p in config.extra_css if "://" not in p and not p.startswith("//")]
        config.extra_css = [p for p in config.extra_css if p not in self.own]

    def join(self, files: Files, config: MkDocsConfig, *, by_bytes: bool = True) -> None:
        """Add the joined stylesheet to ``files`` in place of its parts, named by a digest of
        its bytes (``by_bytes``) or ``site.css``."""
        sheets = [_theme_file(files, MAIN, "main")]
        if config.theme.get("palette"):
            sheets.append(_theme_file(files, PALETTE, "palette"))
        for uri in self.own:
            found = files.get_file_from_path(uri)
            if found is None:
                raise PluginError(f"mkdocs.yml: extra_css: {uri} is not a file of the docs dir")
            sheets.append(found)
        parts = []
        for number, sheet in enumerate(sheets):
            css = _SOURCE_MAP.sub("", sheet.content_string)
            if number:  # a @charset counts only at the very start of a file
                css = _CHARSET.sub("", css)
            parts.append(rebase(css, sheet.src_uri, FOLDER).strip())
        content = "\n".join(parts) + "\n"
        digest = hashlib.blake2b(content.encode(), digest_size=4).hexdigest()
        self.uri = f"{FOLDER}/site.{digest}.css" if by_bytes else f"{FOLDER}/site.css"
        for sheet in sheets:
            files.remove(sheet)
        files.append(File.generated(config, self.uri, content=content))


def _theme_file(files: Files, name: re.Pattern[str], label: str) -> File:
    for file in files:
        if name.fullmatch(file.src_uri):
            return file
    raise PluginError(f"theme: Material's {label} stylesheet ({name.pattern}) is not among the "
                      "build's files: is the theme Material 9?")


def rebase(css: str, src_uri: str, folder: str) -> str:
    """``css`` of the file ``src_uri`` with its relative ``url()``s pointing to the same files
    from ``folder``."""
    here = posixpath.dirname(src_uri)
    if here == folder:
        return css

    def moved(match: re.Match[str]) -> str:
        quote, target = match[1], match[2]
        if target.startswith(("data:", "/", "#")) or ":" in target.split("/")[0]:
            return match[0]
        path = posixpath.relpath(posixpath.normpath(posixpath.join(here, target)), folder)
        return f"url({quote}{path}{quote})"

    return _URL.sub(moved, css)
