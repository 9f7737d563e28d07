"""Page size: the theme's inline icons become references to one sprite, indentation is dropped.

Material writes its icons inline, so every page repeats the same SVG paths (logo, menu, palette,
search, repository: ~4 KB a page, 80 MB at 20,000 papers) and the templates' indentation (~3 KB a
page). The indentation is dropped from the templates' source once, when the theme loads them
(``CompactLoader``), so no page is written with it; the icons are replaced in each page
(``Compactor.page``, after every other step). A full minifier saves little more and costs several
times the build time.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.utils import get_relative_url

SPRITE = "assets/icons.svg"
#: Material icons that pagefind-search.js draws: the sprite holds them under their names.
SCRIPT_ICONS = ("magnify", "arrow-left", "close")

# An icon as Material includes it: paths only (and Font Awesome's licence comment).
_ICON = re.compile(
    r'<svg xmlns="http://www.w3.org/2000/svg" viewBox="(?P<box>[^"]+)">'
    r"(?P<body>(?:<path [^>]*/>|<!--.*?-->)+)</svg>",
    re.S,
)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
# Whitespace runs holding a line break; inside <pre> and <textarea> whitespace is content.
_INDENT = re.compile(r"[ \t]*\n\s*")
# Block-level tags: a line break before or after one of them is never shown (inline elements,
# scripts and form controls keep theirs: there a line break is a space between words or icons).
_BLOCK = (r"(?:html|head|body|meta|link|title|div|nav|ul|ol|li|header|footer|main|article"
          r"|section|aside|form|p|h[1-6]|details|summary|hr|table|thead|tbody|tr|td|th)")
_BEFORE_BLOCK = re.compile(rf">\n(?=</?{_BLOCK}[\s/>])")
_AFTER_BLOCK = re.compile(rf"(</?{_BLOCK}(?:\s[^>]*)?>)\n")
_ANNOUNCE = '<div data-md-component="announce"></div>'
#: A page that calls this has Material's controls written by palette.js (paper.html): the
#: theme's copies, which it writes outside any template block, are left out of it.
SCRIPTED_CHROME = "<script>__digest_end()</script>"
_TOGGLES = ('<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer" '
            'autocomplete="off">\n<input class="md-toggle" data-md-toggle="search" '
            'type="checkbox" id="__search" autocomplete="off">\n'
            '<label class="md-overlay" for="__drawer"></label>')
_DIALOG = ('<div class="md-dialog" data-md-component="dialog">'
           '<div class="md-dialog__inner md-typeset"></div></div>\n')
_UNUSED_ASSETS = ("assets/javascripts/lunr/", "assets/javascripts/workers/")
# MkDocs and Material name themselves in every page's head.
_GENERATOR = re.compile(r'<meta name="generator" content="[^"]*">\n?')
_VERBATIM = re.compile(r"(<pre[\s>].*?</pre>|<textarea[\s>].*?</textarea>)", re.S | re.I)
# A line break between a block tag and a Jinja statement or comment of a template: in the page
# it stays beside the block tag, where it is never shown (whatever the statement writes).
_STATEMENT_BEFORE_BLOCK = re.compile(rf"([%#]\}})\n(?=</?{_BLOCK}[\s/>])")
_BLOCK_BEFORE_STATEMENT = re.compile(rf"(</?{_BLOCK}(?:\s[^>]*)?>)\n(?=\{{[%#])")
# A line break between two statements: the theme's templates write one statement a line.
_BETWEEN_STATEMENTS = re.compile(r"([%#]\})\n(?=\{[%#])")


class CompactLoader(jinja2.BaseLoader):
    """The theme's loader, giving each HTML template without the indentation, blank lines and
    line breaks beside block tags or Jinja statements of its source: the pages are written
    compact, rather than compacted after (see ``squeeze_template``)."""

    def __init__(self, inner: jinja2.BaseLoader) -> None:
        self.inner = inner

    def get_source(self, environment: jinja2.Environment,
                   template: str) -> tuple[str, str | None, Any]:
        source, filename, uptodate = self.inner.get_source(environment, template)
        if template.endswith(".html"):
            source = squeeze_template(source)
        return source, filename, uptodate

    def list_templates(self) -> list[str]:
        return self.inner.list_templates()


def squeeze_template(source: str) -> str:
    """A template's source as ``_collapse`` leaves HTML (line breaks between a block tag and a
    Jinja statement dropped too), without the generator tag (MkDocs and Material name themselves
    in every page's head). A page written from it collapses to the same HTML as before: only
    line breaks that would be beside a block tag in the page are dropped."""
    source = _GENERATOR.sub("", _collapse(source))
    source = _BETWEEN_STATEMENTS.sub(r"\1", source)
    source = _STATEMENT_BEFORE_BLOCK.sub(r"\1", source)
    return _BLOCK_BEFORE_STATEMENT.sub(r"\1", source)

class Compactor:
    """Compacts each built page and writes the sprite of the icons the pages use."""

    def __init__(self) -> None:
        self.icons: dict[str, tuple[str, str]] = {}
        """Icon id -> (viewBox, paths), over every page compacted so far."""

    @staticmethod
    def prune(files: Files) -> Files:
        """Leave out the theme's search worker and lunr language files (they serve its search
        plugin, which the site does not use) and source maps (the theme's own development)."""
        for file in list(files):
            if file.src_uri.startswith(_UNUSED_ASSETS) or file.src_uri.endswith(".map"):
                files.remove(file)
        return files

    def page(self, output: str, url: str) -> str:
        """A built page with its icons referring to the sprite."""
        sprite = get_relative_url(SPRITE, url)

        def reference(match: re.Match[str]) -> str:
            box, body = match["box"], _COMMENT.sub("", match["body"])
            key = "i" + hashlib.blake2s(f"{box}{body}".encode(), digest_size=4).hexdigest()
            self.icons.setdefault(key, (box, body))
            return f'<svg viewBox="{box}"><use href="{sprite}#{key}"/></svg>'

        # Material's announcement bar is never used: its empty placeholder goes too.
        output = output.replace(_ANNOUNCE, "", 1)
        if SCRIPTED_CHROME in output:
            output = output.replace(_TOGGLES, "", 1).replace(_DIALOG, "", 1)
        return _ICON.sub(reference, output)

    def write_sprite(self, config: MkDocsConfig) -> None:
        icons = {**self.icons, **_named_icons(config)}
        symbols = "".join(
            f'<symbol id="{key}" viewBox="{box}">{body}</symbol>'
            for key, (box, body) in sorted(icons.items())
        )
        path = Path(config.site_dir) / SPRITE
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f'<svg xmlns="http://www.w3.org/2000/svg">{symbols}</svg>\n', "utf-8")


def _named_icons(config: Any) -> dict[str, tuple[str, str]]:
    """The icons that scripts draw (the search dialog), as ``material-<name>`` symbols."""
    named = {}
    for name in SCRIPT_ICONS:
        for folder in config.theme.dirs:
            path = Path(folder, ".icons", "material", f"{name}.svg")
            if path.exists():
                match = _ICON.search(path.read_text("utf-8"))
                if match:
                    named[f"material-{name}"] = (match["box"], _COMMENT.sub("", match["body"]))
                break
    return named


def _collapse(html: str) -> str:
    """Indentation, blank lines and line breaks beside block tags dropped, except verbatim."""
    if "<pre" not in html and "<textarea" not in html:
        return _squeeze(html)
    parts = _VERBATIM.split(html)
    return "".join(part if i % 2 else _squeeze(part) for i, part in enumerate(parts))


def _squeeze(html: str) -> str:
    return _AFTER_BLOCK.sub(r"\1", _BEFORE_BLOCK.sub(">", _INDENT.sub("\n", html)))
