"""How a paper page is cited and shared: its BibTeX entry and the meta tags of its head."""

from __future__ import annotations

import html
import re
import unicodedata

from ..pages import schema
from .escape import fold

#: LaTeX's special characters as BibTeX text. Braces become commands, not ``\{``: BibTeX counts
#: braces without looking at backslashes, so an escaped brace would still unbalance the entry.
_LATEX = {
    "\\": r"\textbackslash{}", "{": r"\textbraceleft{}", "}": r"\textbraceright{}",
    "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
    "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
}
_SPECIAL = re.compile("|".join(re.escape(c) for c in _LATEX))


def latex_text(text: str) -> str:
    """``text`` as literal BibTeX field text: every LaTeX special character escaped, so that
    any title or name (math included, shown as written) keeps the entry parseable."""
    return _SPECIAL.sub(lambda m: _LATEX[m.group()], " ".join(text.split()))


def _ascii_word(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(re.findall(r"[A-Za-z0-9]+", plain)).lower()


def bibtex_key(meta: schema.Paper) -> str:
    """``vaswani2017attention``: first author's surname, year, first word of the title."""
    surname = _ascii_word(meta.authors[0].split()[-1]) if meta.authors else ""
    year = meta.published.year if meta.published else meta.announced.year
    words = [_ascii_word(w) for w in meta.title.split()]
    first = next((w for w in words if len(w) > 3), next((w for w in words if w), ""))
    return f"{surname or 'arxiv'}{year}{first}"


def bibtex(meta: schema.Paper) -> str:
    """The paper's entry in arXiv's own ``@misc`` form. The page does not carry it: palette.js
    writes it from the page's ``citation_*`` meta tags and the Cite line's category
    (``cite_html``), with ``script_data``'s escapes; the browser tests hold the two equal."""
    year = meta.published.year if meta.published else meta.announced.year
    fields = [
        ("title", latex_text(meta.title)),
        ("author", " and ".join(latex_text(a) for a in meta.authors)),
        ("year", str(year)),
        ("eprint", meta.arxiv_id),
        ("archivePrefix", "arXiv"),
        ("primaryClass", latex_text(meta.categories[0]) if meta.categories else ""),
        ("url", f"https://arxiv.org/abs/{meta.arxiv_id}"),
    ]
    body = ",\n".join(f"  {name}={{{value}}}" for name, value in fields if value)
    return f"@misc{{{bibtex_key(meta)},\n{body}\n}}"


#: Python's whitespace (``str.split``), which JavaScript's ``\s`` is not quite: the characters the
#: script splits titles and names at, so that it writes the same entry as ``bibtex``.
WHITESPACE = "".join(c for c in map(chr, range(0x3001)) if c.isspace())


def script_data() -> dict[str, object]:
    """What palette.js needs to write the entry as ``bibtex`` does: LaTeX's escapes and the
    whitespace that separates words."""
    return {"latex": _LATEX, "space": WHITESPACE}


def cite_html(meta: schema.Paper) -> str:
    """The Cite section's line: arXiv's own BibTeX export, for a reader without JavaScript;
    palette.js puts the entry (``bibtex``) and the copy-link button in its place. It carries
    the primary category, the one part of the entry that no meta tag of the page gives."""
    primary = html.escape(meta.categories[0]) if meta.categories else ""
    return (f'<p class="digest-cite" data-class="{primary}"><a href="https://arxiv.org/bibtex/'
            f'{html.escape(meta.arxiv_id)}">BibTeX entry on arXiv</a></p>')


#: The longest description written: search engines show about 160 characters (link cards about
#: 200, so a card shows the same text a little shorter); the rest of a long summary would be bytes
#: no one reads, in every paper page.
DESCRIPTION_CHARS = 160


def description(meta: schema.Paper, bullets: list[str]) -> str:
    """The page's description: its summary (or the start of its abstract), at most
    ``DESCRIPTION_CHARS`` long, cut after a word."""
    source = " ".join(bullets) or meta.abstract or meta.title
    # Folding a start of the text gives the start of the folded text: fold only what is shown.
    text = fold(source[:4 * DESCRIPTION_CHARS])
    if len(text) <= DESCRIPTION_CHARS and len(source) > 4 * DESCRIPTION_CHARS:
        text = fold(source)
    if len(text) > DESCRIPTION_CHARS:
        text = text[:DESCRIPTION_CHARS - 3].rsplit(" ", 1)[0] + "…"
    return text


def head_meta(meta: schema.Paper, bullets: list[str], site_name: str) -> list[tuple[str, str]]:
    """The paper's ``<meta>`` tags as (attributes, content): the attributes are constants, the
    content plain text that the template escapes. Google Scholar reads ``citation_*``; link
    previews read OpenGraph, and Twitter's card takes its title and description from OpenGraph
    when it has none of its own. A text that two readers want under two names is written once,
    in one tag carrying both (``name`` for search engines and Scholar, ``property`` for
    OpenGraph, as HTML+RDFa allows): the title and the description. No ``og:url``: the page's
    canonical link names the same address, and a page has no other address a preview could be
    made from (link previews take the address they were given)."""
    date = meta.published.date() if meta.published else meta.announced
    tags = [('name="citation_title" property="og:title"', meta.title)]
    tags += [('name="citation_author"', author) for author in meta.authors]
    tags += [
        ('name="citation_date"', f"{date:%Y/%m/%d}"),
        ('name="citation_arxiv_id"', meta.arxiv_id),
        ('name="citation_pdf_url"', meta.pdf_url),
        ('name="description" property="og:description"', description(meta, bullets)),
        ('property="og:site_name"', site_name),
        ('property="og:type"', "article"),
        ('name="twitter:card"', "summary"),
    ]
    return tags
