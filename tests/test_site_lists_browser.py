"""Day pages in a real browser: the table of contents palette.js writes from the papers'
headings, and tag chips drawn by their container's class, as Material draws its own."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.site_support import ROOT, build_site, make_docs, serve_site

pytestmark = [pytest.mark.browser, pytest.mark.slow]

#: Two announcement days of synthetic papers: a day page long enough to scroll.
PAPERS = 60
#: Material's tag chip look, compared property by property.
CHIP_STYLE = ("background-color", "color", "border-radius", "font-size", "font-weight",
              "padding-top", "padding-left", "line-height", "margin-right", "text-decoration-line")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    if str(ROOT / "scripts") not in sys.path:
        sys.path.append(str(ROOT / "scripts"))
    from synthetic_docs import generate_docs

    root = tmp_path_factory.mktemp("lists-site")
    docs = make_docs(root / "docs")
    generate_docs(docs, PAPERS)
    build_site(docs, root / "site")
    with serve_site(root / "site") as url:
        yield url, root / "site"


def _longest_day(site_dir: Path) -> str:
    pages = sorted((site_dir / "days").glob("*/index.html"), key=lambda p: p.stat().st_size)
    return pages[-1].parent.name


def test_the_day_toc_is_written_by_the_script_and_follows_scrolling(browser, site) -> None:  # type: ignore[no-untyped-def]
    base, site_dir = site
    day = _longest_day(site_dir)
    raw = (site_dir / "days" / day / "index.html").read_text("utf-8")
    # The page's HTML names each paper once (its heading), and calls the script after them.
    assert re.search(r'<a href="#[^"]*" class="md-nav__link"', raw) is None
    assert raw.count('<h2 class="digest-entry"') >= 20
    assert raw.count("<script>__digest_toc()</script>") == 1
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    page.goto(base + f"days/{day}/")
    heads = page.locator("article h2.digest-entry")
    links = page.locator(".md-sidebar--secondary [data-md-component=toc] a.md-nav__link")
    assert heads.count() >= 20 and links.count() == heads.count()
    assert page.locator(".md-sidebar--secondary .md-nav__title").inner_text() == \
        "Table of contents"
    for n in (0, heads.count() - 1):
        assert links.nth(n).get_attribute("href") == "#" + heads.nth(n).get_attribute("id")
        assert links.nth(n).inner_text() == heads.nth(n).inner_text()
    assert links.first.is_visible()
    # Material's scroll-spy marks the entry of the heading scrolled to (navigation.tracking,
    # toc.follow): it bound the list the script wrote.
    target = heads.nth(12)
    target.evaluate("head => head.scrollIntoView()")
    page.mouse.wheel(0, 5)
    active = page.locator(".md-sidebar--secondary .md-nav__link--active")
    page.wait_for_function(
        "id => { const a = document.querySelector('.md-sidebar--secondary "
        ".md-nav__link--active'); return a && a.getAttribute('href') === '#' + id }",
        arg=target.get_attribute("id"), timeout=5000)
    assert active.count() == 1 and active.is_visible()
    assert errors == []
    context.close()


def test_the_phone_drawer_is_unaffected_and_without_script_the_headings_stay(browser, site) -> None:  # type: ignore[no-untyped-def]
    base, site_dir = site
    day = _longest_day(site_dir)
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(base + f"days/{day}/")
    page.locator("label.md-header__button[for=__drawer]").click()
    drawer = page.locator(".md-sidebar--primary")
    drawer.locator(".md-nav__link", has_text="Archive").wait_for(state="visible")
    # A day page is not in the nav: its drawer lists the site's pages, not the papers.
    assert drawer.locator("a[href^='#']").count() == 0
    assert not page.locator(".md-sidebar--secondary .md-nav__link").first.is_visible()
    context.close()

    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base + f"days/{day}/")
    assert page.locator(".md-sidebar--secondary .md-nav__link").count() == 0
    assert page.locator("article h2.digest-entry a").first.is_visible()
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_day_tag_links_look_like_material_tag_chips(browser, site, scheme: str) -> None:  # type: ignore[no-untyped-def]
    base, site_dir = site
    day = _longest_day(site_dir)
    context = browser.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 800})
    page = context.new_page()
    # A paper page's tags are Material's own chips (class="md-tag" on each link).
    page.goto(base + "papers/" + next((site_dir / "papers").iterdir()).name + "/")
    material = page.locator("nav.md-tags a.md-tag").first
    want = material.evaluate(f"a => {list(CHIP_STYLE)}.map(p => getComputedStyle(a)[p])")
    material.hover()
    page.wait_for_timeout(300)  # the chips' colour transition (125 ms)
    want_hover = material.evaluate(
        "a => [getComputedStyle(a).color, getComputedStyle(a).backgroundColor]")
    page.goto(base + f"days/{day}/")
    chip = page.locator("article p.digest-tags a").first
    assert chip.get_attribute("class") is None
    got = chip.evaluate(f"a => {list(CHIP_STYLE)}.map(p => getComputedStyle(a)[p])")
    assert dict(zip(CHIP_STYLE, got, strict=True)) == dict(zip(CHIP_STYLE, want, strict=True))
    assert want[CHIP_STYLE.index("text-decoration-line")] == "none"
    # A chip in a line of text (the paper page's are items of a flex row).
    assert chip.evaluate("a => getComputedStyle(a).display") == "inline-flex"
    chip.hover()
    page.wait_for_timeout(300)
    got_hover = chip.evaluate(
        "a => [getComputedStyle(a).color, getComputedStyle(a).backgroundColor]")
    assert got_hover == want_hover and got_hover != want[:2]
    context.close()
