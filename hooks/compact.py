"""Page size: the theme's inline icons become references to one sprite, indentation is dropped.

Paper pages also go without a table of contents (it would list their two sections).

Material writes its icons inline, so every page repeats the same SVG paths (logo, menu, palette,
search, repository: ~4 KB a page, 80 MB at 20,000 papers) and the templates' indentation (~3 KB a
page). Both go here, after every other hook; a full minifier saves little more and costs several
times the build time of this pass.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

from arxiv_digest.schema import PAPERS_DIR
from mkdocs.plugins import event_priority
from mkdocs.utils import get_relative_url

SPRITE = "assets/images/icons.svg"

# An icon as Material includes it: paths only (and Font Awesome's licence comment).
_ICON = re.compile(
    r'<svg xmlns="http://www.w3.org/2000/svg" viewBox="(?P<box>[^"]+)">'
    r"(?P<body>(?:<path [^>]*/>|<!--.*?-->)+)</svg>",
    re.S,
)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
# Whitespace runs holding a line break; inside <pre> and <textarea> whitespace is content.
_INDENT = re.compile(r"[ \t]*\n\s*")
_VERBATIM = re.compile(r"(<pre[\s>].*?</pre>|<textarea[\s>].*?</textarea>)", re.S | re.I)

#: Icon id -> (viewBox, paths). Kept across `mkdocs serve --dirty` rebuilds, which render only
#: the changed pages but must still write a sprite holding every icon the site uses.
_icons: dict[str, tuple[str, str]] = {}


def on_page_context(context: Any, *, page: Any, config: Any, nav: Any) -> Any:
    # A paper page has two sections: a table of contents beside them repeats 0.7 KB of markup
    # in 20,000 pages and tells the reader nothing the page does not show at a glance.
    if page.file.src_uri.startswith(f"{PAPERS_DIR}/"):
        page.meta["hide"] = [*page.meta.get("hide", []), "toc"]
    return context


@event_priority(-100)  # last: after every hook that changes the page
def on_post_page(output: str, *, page: Any, config: Any) -> str:
    sprite = get_relative_url(SPRITE, page.url)

    def reference(match: re.Match[str]) -> str:
        box, body = match["box"], _COMMENT.sub("", match["body"])
        key = "i" + hashlib.blake2s(f"{box}{body}".encode(), digest_size=4).hexdigest()
        _icons.setdefault(key, (box, body))
        return f'<svg viewBox="{box}"><use href="{sprite}#{key}"/></svg>'

    return _collapse(_ICON.sub(reference, output))


def on_post_build(*, config: Any) -> None:
    symbols = "".join(
        f'<symbol id="{key}" viewBox="{box}">{body}</symbol>'
        for key, (box, body) in sorted(_icons.items())
    )
    path = Path(config.site_dir) / SPRITE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f'<svg xmlns="http://www.w3.org/2000/svg">{symbols}</svg>\n', "utf-8")


def _collapse(html: str) -> str:
    """One line break for each run of indentation and blank lines, except in verbatim blocks."""
    if "<pre" not in html and "<textarea" not in html:
        return _INDENT.sub("\n", html)
    parts = _VERBATIM.split(html)
    return "".join(part if i % 2 else _INDENT.sub("\n", part) for i, part in enumerate(parts))
