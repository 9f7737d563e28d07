"""A real browser on the built site: navigation, summaries, math, edit links, no injected code."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.site_support import (
    HOSTILE_CATEGORY,
    HOSTILE_ID,
    build_site,
    launch_chromium,
    make_docs,
    serve_site,
    write_sample_pages,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("browser-site")
    docs = make_docs(root / "docs")
    write_sample_pages(docs)
    build_site(docs, root / "site")
    with serve_site(root / "site") as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()


def _no_injected_code(page) -> None:  # type: ignore[no-untyped-def]
    assert page.evaluate("window.__pwned") is None


def test_reader_walks_home_tag_archive_day_and_paper(browser, base_url: str) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    page.goto(base_url)
    assert page.locator("h1").first.inner_text().startswith("arXiv digest")
    assert page.locator(".md-nav__link", has_text="Archive").count() >= 1

    # Follow a topic chip from the latest day shown on the home page.
    page.locator("article a.md-tag", has_text="Distillation").first.click()
    page.wait_for_url(re.compile(r".*/tags/distillation/$"))
    assert "Distilling a tokenizer-free student" in page.locator("article").inner_text()

    # Archive -> a day (instant navigation), expand a summary, see math typeset.
    page.locator(".md-nav__link", has_text="Archive").first.click()
    page.wait_for_url(re.compile(r".*/archive/$"))
    page.locator("article a", has_text="Mon 27").click()
    page.wait_for_url(re.compile(r".*/days/2026-04-27/$"))
    details = page.locator("article details").first
    assert details.get_attribute("open") is None
    bullet = details.locator("li").first
    assert not bullet.is_visible()
    details.locator("summary").click()
    bullet.wait_for(state="visible")
    assert "window.__pwned=4" in bullet.inner_text()  # shown as text
    page.locator("article h3 .arithmatex .katex").first.wait_for()
    title = page.locator("article h3").first.inner_text()
    assert "<script>window.__pwned=1</script> <b>bold</b> {{ config }}" in title
    _no_injected_code(page)

    # The paper page: edit link to its own file, math in the abstract, nothing executed.
    page.locator("article h3 a").first.click()
    page.wait_for_url(re.compile(rf".*/papers/{re.escape(HOSTILE_ID)}/$"))
    edit = page.locator('a[rel="edit"]').get_attribute("href")
    assert edit.endswith(f"/edit/main/docs/papers/{HOSTILE_ID}.md")
    assert page.locator("article .arithmatex .katex").count() >= 2
    assert page.title().startswith("Attack <script>window.__pwned=1</script>")
    _no_injected_code(page)
    # A fresh load (not instant navigation) of the same page runs nothing either.
    page.reload()
    page.locator("article .arithmatex .katex").first.wait_for()
    _no_injected_code(page)
    # A hostile category: its chip leads to its tag page, whose <title> and header hold it.
    page.locator("nav.md-tags a.md-tag", has_text="window.__pwned=5").click()
    page.wait_for_url(re.compile(r".*/tags/title-script-window-pwned-5-script/$"))
    assert page.title().startswith(HOSTILE_CATEGORY)
    page.goto(page.url)
    assert page.title().startswith(HOSTILE_CATEGORY)
    _no_injected_code(page)
    assert errors == []
    page.close()


PAGES = {
    "home": "",
    "day": "days/2026-04-27/",
    "paper": f"papers/{HOSTILE_ID}/",
    "tag": "tags/cs-lg/",
}


def test_screenshots_light_and_dark(browser, base_url: str) -> None:  # type: ignore[no-untyped-def]
    folder = Path(tempfile.mkdtemp(prefix="digest-screenshots-"))
    print(f"screenshots: {folder}")
    for scheme in ("light", "dark"):
        context = browser.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 900})
        page = context.new_page()
        for name, url in PAGES.items():
            page.goto(base_url + url)
            if name == "day":
                page.locator("article details summary").first.click()
            page.locator("article").wait_for()
            if page.locator("article .arithmatex").count():
                page.locator("article .arithmatex .katex").first.wait_for()
            palette = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
            assert palette == ("slate" if scheme == "dark" else "default")
            _no_injected_code(page)
            path = folder / f"{name}-{scheme}.png"
            page.screenshot(path=str(path), full_page=False)
            assert path.stat().st_size > 10_000
        context.close()
