"""Hostile TeX and day intros in a real chromium: no tab crashes, no huge box, no script runs.

The site is built by the real ``mkdocs build --strict`` from pages that pass ``check``: a title
and a bullet with 135 nested ``\\sqrt{``, a bullet with ``\\rule{100000em}{100000em}``, and a
day intro (Markdown by pull request) with ``<script>``, event handlers, ``javascript:`` links,
150 nested roots and the same rule.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.site_support import (
    build_site,
    make_docs,
    serve_site,
    write_hostile_tex_and_intro,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

#: No math may draw a box larger than this, in CSS pixels, on either side.
MAX_BOX = 2000


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, Any]]]:
    root = tmp_path_factory.mktemp("hostile-site")
    docs = make_docs(root / "docs")
    roles = write_hostile_tex_and_intro(docs)
    build_site(docs, root / "site")
    with serve_site(root / "site") as url:
        yield url, roles


def _load(browser: Any, url: str) -> tuple[Any, list[str]]:
    """The page at ``url`` once loaded and every math element handled by math.js."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    crashes: list[str] = []
    page.on("crash", lambda _: crashes.append(url))
    page.goto(url, wait_until="load")
    page.locator("article .arithmatex .katex").first.wait_for()
    page.wait_for_function(
        "[...document.querySelectorAll('.arithmatex')].every(el => el.dataset.typeset)")
    return page, crashes


def _largest_math_box(page: Any) -> float:
    return page.evaluate("""Math.max(0, ...[...document.querySelectorAll('.katex, .katex *')]
        .map(el => el.getBoundingClientRect()).map(box => Math.max(box.width, box.height)))""")


def _nothing_ran(page: Any) -> None:
    assert page.evaluate("window.__pwned") is None
    assert "pwned" not in page.title()


@pytest.mark.parametrize("which", ["home", "day", "paper"])
def test_hostile_tex_neither_crashes_the_tab_nor_draws_a_huge_box(
    browser: Any, site: tuple[str, dict[str, Any]], which: str
) -> None:
    url, roles = site
    page, crashes = _load(browser, url + {"home": "", "day": roles["day"],
                                           "paper": roles["paper"]}[which])
    assert page.evaluate("1 + 1") == 2
    assert crashes == []
    # The deep roots show as their TeX, the fine math and the (capped) rule are typeset.
    text = page.locator("article").inner_text()
    assert "\\sqrt{\\sqrt{\\sqrt{" in text
    assert page.locator("article .arithmatex .katex").count() >= 2
    assert 0 < _largest_math_box(page) <= MAX_BOX
    _nothing_ran(page)
    page.close()


def test_math_js_leaves_deep_tex_of_an_intro_as_text(
    browser: Any, site: tuple[str, dict[str, Any]]
) -> None:
    # The intro's math comes from Markdown's arithmatex, not from escape.py: math.js's own cap.
    url, roles = site
    page, crashes = _load(browser, url + roles["day"])
    skipped = page.locator('article .arithmatex[data-typeset="skipped"]')
    assert skipped.count() == 1
    assert skipped.inner_text().startswith("\\(" + "\\sqrt{" * 150)
    assert crashes == []
    page.close()


def test_a_day_intro_runs_no_script(browser: Any, site: tuple[str, dict[str, Any]]) -> None:
    url, roles = site
    page, crashes = _load(browser, url + roles["day"])
    article = page.locator("article")
    text = article.inner_text()
    # Raw HTML shows as text; Markdown still makes emphasis, links, code, lists and headings.
    assert '<script>window.__pwned = 11; document.title = "pwned";</script>' in text
    assert '<svg onload="window.__pwned = 15"></svg>' in text
    assert article.locator("em", has_text="notes").count() == 1
    assert article.locator('a[href="https://example.org/"]').count() == 1
    assert article.locator("code", has_text="code").count() == 1
    assert article.locator("h2", has_text="Heading").count() == 1
    assert article.locator("li").count() >= 2
    # No handler nor javascript: address is left to run, even when the reader acts.
    assert page.locator("[onerror], [onload], [onmouseover]").count() == 0
    assert page.locator('a[href*="script:" i]').count() == 0
    article.locator("b", has_text="bold").hover()
    article.locator("a", has_text="click me").click()
    article.locator("a", has_text="me").last.click()
    # The stray closing tags did not close the page's own article.
    assert "after" in text and page.locator("article p", has_text="after").count() == 1
    _nothing_ran(page)
    assert crashes == []
    page.close()
