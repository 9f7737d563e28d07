"""Templates loaded compact write the HTML that compacting their pages after would give."""

from __future__ import annotations

import jinja2
import pytest
from arxiv_digest.site.compact import CompactLoader, _collapse

TEMPLATES = {
    # A line break beside a statement in running text is a space between words: it stays.
    "footer.html": """<div class="md-copyright">
  {% if copyright %}
    <div class="md-copyright__highlight">{{ copyright }}</div>
  {% endif %}
  Papers from <a href="https://arxiv.org/">arXiv</a>.
  {% if repo %}
    Summaries on <a href="{{ repo }}">{{ repo }}</a>.
  {% endif %}
</div>
""",
    # Icons and labels side by side: inline, so their line breaks stay too.
    "icons.html": """<nav>
  {% for name in names %}
    <label class="md-icon">{{ name }}</label>
    {% if name == "b" %}
      <span>after b</span>
    {% endif %}
  {% endfor %}
</nav>
<pre>
  kept   as   is
</pre>
""",
    "page.html": """<html>
  <head>
    <meta name="generator" content="mkdocs-{{ version }}">
    <title>{{ title }}</title>
  </head>
  <body>
    {% include "footer.html" %}
    {% include "icons.html" %}
  </body>
</html>
""",
}


@pytest.mark.parametrize("context", [
    {"copyright": "", "repo": "r", "names": ["a", "b", "c"], "version": "1", "title": "T"},
    {"copyright": "C", "repo": "", "names": [], "version": "1", "title": "T"},
])
def test_a_compact_template_writes_what_compacting_its_page_gives(context: dict) -> None:
    plain = jinja2.Environment(loader=jinja2.DictLoader(TEMPLATES))
    compact = jinja2.Environment(loader=CompactLoader(jinja2.DictLoader(TEMPLATES)))
    before = plain.get_template("page.html").render(context)
    after = compact.get_template("page.html").render(context)
    assert len(after) < len(before)
    # Compacting a page leaves the line break after </pre> (it splits the page there); the
    # compact template has none before </body>, where it would never show either.
    expected = _collapse(before).replace('<meta name="generator" content="mkdocs-1">', "")
    assert _collapse(after) == expected.replace("</pre>\n</body>", "</pre></body>")
    assert "\n  kept   as   is\n" in after
    if context["repo"]:
        assert "arXiv</a>.\n" in after and "\nSummaries on" in after  # a space, not glued
