"""The escaping of arXiv text: rendered by the site's Markdown, it shows exactly as given."""

from __future__ import annotations

import html
import importlib
import re

import markdown
import pytest
import yaml
from arxiv_digest.site.escape import (
    MAX_TEX_DEPTH,
    MAX_TEX_LENGTH,
    fold,
    html_text,
    md_text,
    rich_html,
    split_math,
    tex_depth,
    tex_within_limits,
)
from arxiv_digest.site.sanitize import clean_html
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.site_support import ROOT


class _Loader(yaml.SafeLoader):
    pass


def _python_name(loader: yaml.Loader, suffix: str, node: yaml.Node) -> object:
    module, _, name = suffix.rpartition(".")
    return getattr(importlib.import_module(module), name)


# mkdocs.yml uses !ENV (its value does not matter for the Markdown extensions) and names the
# heading-id function with !!python/name.
_Loader.add_constructor("!ENV", lambda loader, node: None)
_Loader.add_multi_constructor("tag:yaml.org,2002:python/name:", _python_name)
_CONFIG = yaml.load((ROOT / "mkdocs.yml").read_text("utf-8"), Loader=_Loader)  # noqa: S506


def _site_markdown(text: str) -> str:
    """Render with the very extensions and options of the project's mkdocs.yml."""
    names, options = [], {}
    for ext in _CONFIG["markdown_extensions"]:
        name, conf = next(iter(ext.items())) if isinstance(ext, dict) else (ext, None)
        names.append(name)
        if conf:
            options[name] = conf
    return markdown.markdown(text, extensions=names, extension_configs=options)


_SPAN = re.compile(r'<span class="arithmatex">(.*?)</span>')


def _shown(rendered: str) -> str:
    """The text a browser shows for one rendered paragraph (math as its TeX source)."""
    assert rendered.startswith("<p>") and rendered.endswith("</p>"), rendered
    inner = rendered[3:-4]
    # The only element the escaped text may produce is the math span.
    assert re.sub(_SPAN, "", inner).count("<") == 0, rendered
    return html.unescape(_SPAN.sub(lambda m: m[1], inner))


def _expected(text: str) -> str:
    out = []
    for kind, part in split_math(fold(text)):
        if kind is None:
            out.append(part)
        else:
            out.append(f"\\[{part}\\]" if kind == "display" else f"\\({part}\\)")
    return "".join(out)


HOSTILE = [
    "<script>window.__pwned=1</script>",
    "<b>bold</b> and <img src=x onerror=alert(1)>",
    "{{ config.site_name }} and {% include 'x' %}",
    "*star* _under_ **strong** __dunder__",
    "a | b | c",
    "[x](javascript:alert(1)) ![img](x.png) <https://example.org>",
    "`code` and ``double``",
    "1. not a list",
    "- not a list either",
    "# not a heading",
    "> not a quote",
    "title { onclick=alert(1) }",
    "trailing hashes ##",
    "back\\slash \\* and &amp; &lt;",
    "=== and --- and ~~del~~ ^sup^ ==mark== :smile:",
    "<!-- digest:latest -->",
    "&amp; &#60; &lt;b&gt; & alone",
    "!!! note and ??? details",
    "```fence``` and ~~~",
    "<https://example.org> and a@b.c",
    "x^2 and a_b and :emoji: (parens) 'quotes' \"double\" > gt",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_renders_literally(text: str) -> None:
    rendered = _site_markdown(md_text(text))
    assert _shown(rendered) == fold(text)
    assert "<script" not in rendered and "<b>" not in rendered and "<img" not in rendered


def test_math_is_kept_for_katex_and_dollars_stay_text() -> None:
    text = "Runs in $O(n^2)$ time, costs $5 or $10, and $$\\sum_i x_i^2$$ ends."
    rendered = _site_markdown(md_text(text))
    spans = _SPAN.findall(rendered)
    assert [html.unescape(s) for s in spans] == ["\\(O(n^2)\\)", "\\[\\sum_i x_i^2\\]"]
    assert "$5 or $10" in _shown(rendered)


def test_math_cannot_smuggle_html() -> None:
    rendered = _site_markdown(md_text("$</span><script>x</script>$"))
    assert "<script" not in rendered
    assert html.unescape(_SPAN.findall(rendered)[0]) == "\\(</span><script>x</script>\\)"


def test_html_text_for_titles_and_attributes() -> None:
    assert html_text('a <b> "q" &\n  b') == "a &lt;b&gt; &quot;q&quot; &amp; b"
    assert html_text(None) == ""


def test_control_characters_and_whitespace_are_folded() -> None:
    assert fold("a\x00b\n\t c\x1f") == "ab c"


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab $\\`*_{}[]()#+-.!?|<>&;~^=:\"'1 \n%/")),
               max_size=40))
def test_any_text_shows_as_given(text: str) -> None:
    escaped = md_text(text)
    if not escaped:
        assert fold(text) == ""
        return
    assert _shown(_site_markdown(escaped)) == _expected(text)


def _converted(text: str) -> str:
    """What the site's Markdown makes of md_text(text), without the paragraph tags."""
    escaped = md_text(text)
    return _site_markdown(escaped)[3:-4] if escaped else ""


@pytest.mark.parametrize("text", [*HOSTILE, "12 pages", "> quote", "$x$ first", "-1 & 2 > 1"])
def test_ready_html_is_what_markdown_makes_of_the_escaped_text(text: str) -> None:
    # Generated page parts skip Markdown: their HTML must be exactly what it would have made.
    assert rich_html(text) == _converted(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab $\\`*_{}[]()#+-.!?|<>&;~^=:\"'1 \n%/")),
               max_size=40))
def test_ready_html_matches_markdown_for_any_text(text: str) -> None:
    assert rich_html(text) == _converted(text)


DEEP = "\\sqrt{" * 150 + "x" + "}" * 150


@pytest.mark.parametrize(("tex", "depth"), [
    ("x^2", 0), ("\\frac{a}{b}", 1), ("x^{y^{z}}", 2), ("\\{ \\} \\leftarrow", 0),
    ("\\left( \\left[ x \\right] \\right)", 2), ("\\begin{matrix} a \\end{matrix}", 2),
    (DEEP, 150), ("}}}{", 1),
])
def test_tex_depth_counts_groups_left_and_begin(tex: str, depth: int) -> None:
    assert tex_depth(tex) == depth


def test_tex_over_the_limits_stays_text_and_is_never_typeset() -> None:
    deep = "{" * (MAX_TEX_DEPTH + 1) + "x" + "}" * (MAX_TEX_DEPTH + 1)
    just = "{" * MAX_TEX_DEPTH + "x" + "}" * MAX_TEX_DEPTH
    long = "x+" * (MAX_TEX_LENGTH // 2) + "x"
    assert tex_within_limits(just) and tex_within_limits("x" * MAX_TEX_LENGTH)
    for tex in (deep, long, DEEP, "\\left(" * 21 + "x"):
        assert not tex_within_limits(tex)
        text = f"Deep ${tex}$ and fine $y^2$."
        assert split_math(text) == [(None, f"Deep ${tex}$ and fine "), ("inline", "y^2"),
                                    (None, ".")]
        for made in (rich_html(text), markdown.markdown(md_text(text))):
            assert made.count('class="arithmatex"') == 1
            assert html.unescape(re.sub(r"<[^>]+>", "", made)).startswith(f"Deep ${tex}$")


def test_math_js_applies_the_same_limits_and_katex_caps() -> None:
    script = (ROOT / "docs/assets/javascripts/math.js").read_text("utf-8")
    assert f"var MAX_TEX_LENGTH = {MAX_TEX_LENGTH};" in script
    assert f"var MAX_TEX_DEPTH = {MAX_TEX_DEPTH};" in script
    options = re.search(r"var OPTIONS = \{(.*?)\};", script)
    assert options is not None
    for option in ('strict: "ignore"', "trust: false", "maxSize: 10", "maxExpand: 100"):
        assert option in options[1]
    assert "katex.render(tex, el, Object.assign({ displayMode: display }, OPTIONS))" in script
    assert "if (!withinLimits(tex))" in script


@pytest.mark.parametrize(("markup", "expected"), [
    ("<p>A <em>b</em> &amp; <code>&lt;x&gt;</code></p>",
     "<p>A <em>b</em> &amp; <code>&lt;x&gt;</code></p>"),
    ("<script>window.x=1</script>", "&lt;script&gt;window.x=1&lt;/script&gt;"),
    ('<img src="x" onerror="alert(1)" alt="a">', '<img src="x" alt="a" />'),
    ('<a href="javascript:alert(1)">j</a>', "<a>j</a>"),
    ('<a href=" JaVa&#09;Script:alert(1)">j</a>', "<a>j</a>"),
    ('<a href="data:text/html,x">j</a>', "<a>j</a>"),
    ('<a href="../x/?a=1&amp;b=2" onclick="x()">ok</a>', '<a href="../x/?a=1&amp;b=2">ok</a>'),
    ('<a href="https://example.org/">ok</a>', '<a href="https://example.org/">ok</a>'),
    ("<svg onload=alert(1)></svg>", "&lt;svg onload=alert(1)&gt;&lt;/svg&gt;"),
    ('<th style="text-align: left;">a</th><td style="color: red">b</td>',
     '<th style="text-align: left;">a</th><td>b</td>'),
    ("</div></article><div><p>x", "&lt;/article&gt;<div><p>x</p></div>"),
    ("<!-- <script>x</script> -->ok", "ok"),
    ("<img src=x onerror=alert(1)//", "&lt;img src=x onerror=alert(1)//"),
    ('<span class="arithmatex">\\(x^2\\)</span><br>',
     '<span class="arithmatex">\\(x^2\\)</span><br />'),
])
def test_clean_html_keeps_markdowns_tags_and_shows_the_rest_as_text(markup: str,
                                                                     expected: str) -> None:
    assert clean_html(markup) == expected


def test_clean_html_keeps_what_markdown_writes_of_an_intro() -> None:
    made = markdown.markdown(
        "Some *notes*, **bold**, `code` and [a link](../papers/x.md).\n\n- one\n- two\n\n"
        "## A heading\n\n| a | b |\n|:--|--:|\n| 1 | 2 |\n",
        extensions=["tables", "toc"])
    assert clean_html(made) == made
