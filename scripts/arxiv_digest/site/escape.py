"""Text from arXiv shown as text: safe in Markdown, HTML and templates, with ``$math$`` kept."""

from __future__ import annotations

import html
import re

# Inline math as arXiv abstracts write it (pandoc's rule): ``$`` not followed by a space, closing
# ``$`` not preceded by a space nor followed by a digit, so "costs $5 and $10" stays text.
_MATH = re.compile(
    r"\$\$(?P<display>(?:[^$\\]|\\.)+?)\$\$"
    r"|\$(?=[^\s$])(?P<inline>(?:[^$\\]|\\.)+?)(?<=[^\s\\])\$(?!\d)"
    r"|\\\((?P<paren>.+?)\\\)",
    re.S,
)
# Limits on the TeX a page asks KaTeX to typeset: deeper or longer TeX stays plain text, because
# about 150 nested ``\sqrt{`` (1 KB) crash chromium's renderer. These are the one definition of
# the limits; docs/assets/javascripts/math.js applies the same numbers in the browser (to math
# from hand-written Markdown too), and a test keeps the two equal.
#: Longest TeX typeset, in characters (delimiters excluded).
MAX_TEX_LENGTH = 1000
#: Deepest nesting of ``{``, ``\left`` and ``\begin`` typeset.
MAX_TEX_DEPTH = 20
_TEX_OPEN = re.compile(r"\\(left|right|begin|end)(?![A-Za-z])|\\.|[{}]", re.S)
# Control characters (tab, line feed and carriage return are whitespace, folded below).
_DROP = dict.fromkeys([*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
_CONTROL = re.compile("[" + re.escape("".join(map(chr, _DROP))) + "]")

# Characters that mean something to Markdown or its extensions in the middle of a line (code,
# escapes, emphasis, links, raw HTML, attribute braces, arithmatex dollars, table pipes, heading
# hashes). They become numeric character references, which Markdown passes through untouched and
# the browser shows as the character itself. Others (parentheses, colons, quotes, ``>``) are
# left alone: each reference costs Markdown a pattern match, and abstracts are long.
_SPECIAL = set("\\`*_{}[]<$|#")
_ENTITY = {c: f"&#{ord(c)};" for c in _SPECIAL}
_ENTITY["<"] = "&lt;"
_TO_ENCODE = re.compile("[" + re.escape("".join(sorted(_SPECIAL))) + "]")
# ``&`` only where it would start a character reference; a lone ``&`` is escaped by Markdown.
_AMPERSAND = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
# The HTML that Markdown makes of md_text's output, written directly: the same references, and
# ``&``, ``<``, ``>`` escaped as Markdown's serializer escapes them.
_HTML_ENTITY = {**_ENTITY, "&": "&amp;", ">": "&gt;"}
_TO_HTML = re.compile("[" + re.escape("".join(sorted(_HTML_ENTITY))) + "]")
# A regular expression finds the few special characters of a text in C and calls back only for
# them: several times faster than str.translate, which looks every character up in a dict.


def _md_entity(match: re.Match[str]) -> str:
    return _ENTITY[match[0]]


def _html_entity(match: re.Match[str]) -> str:
    return _HTML_ENTITY[match[0]]


def fold(text: str | None) -> str:
    """Whitespace folded to single spaces, control characters dropped."""
    text = text or ""
    # str.translate looks every character up in a dict: only for the rare text that needs it.
    if _CONTROL.search(text):
        text = text.translate(_DROP)
    # str.split() splits where ``\s`` matches, several times faster than a regex substitution.
    return " ".join(text.split())


def tex_depth(tex: str) -> int:
    """The deepest nesting of groups (``{``, ``\\left``, ``\\begin``) in ``tex``."""
    depth = deepest = 0
    for match in _TEX_OPEN.finditer(tex):
        token = match[1] or match[0]
        if token in ("{", "left", "begin"):
            depth += 1
            deepest = max(deepest, depth)
        elif token in ("}", "right", "end"):
            depth = max(depth - 1, 0)
    return deepest


def tex_within_limits(tex: str) -> bool:
    """Whether ``tex`` is short and shallow enough to typeset (``MAX_TEX_*``)."""
    return len(tex) <= MAX_TEX_LENGTH and tex_depth(tex) <= MAX_TEX_DEPTH


def split_math(text: str) -> list[tuple[str | None, str]]:
    """Split into ``(None, text)`` and ``("inline" | "display", tex)`` segments.

    Math over the limits (``tex_within_limits``) stays a text segment, dollars and all: no page
    asks KaTeX to typeset it.
    """
    parts: list[tuple[str | None, str]] = []
    pos = 0
    for match in _MATH.finditer(text):
        if match["display"] is not None:
            kind, tex = "display", match["display"].strip()
        else:
            kind, tex = "inline", (match["inline"] or match["paren"] or "").strip()
        if not tex_within_limits(tex):
            continue  # left in the text before the next math
        if match.start() > pos:
            parts.append((None, text[pos : match.start()]))
        parts.append((kind, tex))
        pos = match.end()
    if pos < len(text):
        parts.append((None, text[pos:]))
    return parts


def _encode(text: str) -> str:
    if "&" in text:
        text = _AMPERSAND.sub("&amp;", text)
    return _TO_ENCODE.sub(_md_entity, text)


def md_text(text: str | None) -> str:
    """Markdown source that renders ``text`` literally on one line; math renders with KaTeX.

    Math becomes ``<span class="arithmatex">\\(tex\\)</span>`` (the markup arithmatex's generic
    mode produces) with its TeX encoded as well, so neither Markdown nor HTML sees it and the
    browser hands KaTeX the exact source.
    """
    out = []
    for kind, part in split_math(fold(text)):
        if kind is None:
            out.append(_encode(part))
        else:
            left, right = ("\\[", "\\]") if kind == "display" else ("\\(", "\\)")
            out.append(f'<span class="arithmatex">{_encode(left + part + right)}</span>')
    result = "".join(out)
    # Nothing but a letter may open the line (lists "1. ", "- ", quotes, admonitions, fences).
    if result and not result[0].isalpha() and result[0] not in "&<":
        result = f"&#{ord(result[0])};{result[1:]}"
    return result


def rich_html(text: str | None) -> str:
    """HTML showing ``text`` literally, math as KaTeX's span: what Markdown makes of md_text."""
    folded = fold(text)
    if not folded:
        return ""
    has_math = "$" in folded or "\\(" in folded
    parts = split_math(folded) if has_math else [(None, folded)]
    out = []
    for kind, part in parts:
        if kind is None:
            out.append(_TO_HTML.sub(_html_entity, part))
        else:
            left, right = ("\\[", "\\]") if kind == "display" else ("\\(", "\\)")
            tex = _TO_HTML.sub(_html_entity, left + part + right)
            out.append(f'<span class="arithmatex">{tex}</span>')
    first = folded[0]
    if parts[0][0] is None and not first.isalpha() and first not in _SPECIAL and first != "&":
        # md_text writes a first character that could open a block as a reference.
        out[0] = f"&#{ord(first)};{out[0][1:]}" if first != ">" else f"&#62;{out[0][4:]}"
    return "".join(out)


def html_text(text: str | None) -> str:
    """HTML-escaped plain text for ``<title>``, attributes and templates; TeX kept as is."""
    return html.escape(fold(text), quote=True)


def plain_text(text: str | None) -> str:
    """Folded plain text for feeds (the feed library escapes it); TeX kept as is."""
    return fold(text)
