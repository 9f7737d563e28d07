"""A real browser on the built site: navigation, summaries, math, edit links, no injected code."""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from arxiv_digest.pages import schema

from tests.site_support import (
    HOSTILE_CATEGORY,
    HOSTILE_ID,
    build_site,
    make_docs,
    serve_site,
    write_day,
    write_sample_pages,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("browser-site")
    docs = make_docs(root / "docs")
    write_sample_pages(docs)
    # An announcement day before the sample's weekend, for paging across it.
    write_day(docs, schema.Day(date=dt.date(2026, 4, 24), status="announced"))
    build_site(docs, root / "site")
    with serve_site(root / "site") as url:
        yield url


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
    page.locator("article .digest-tags a", has_text="Distillation").first.click()
    page.wait_for_url(re.compile(r".*/tags/distillation/$"))
    assert "Distilling a tokenizer-free student" in page.locator("article").inner_text()

    # Archive -> a day (a page load: the site has no instant navigation), expand a summary, see
    # math typeset.
    page.locator(".md-nav__link", has_text="Archive").first.click()
    page.wait_for_url(re.compile(r".*/archive/$"))
    page.locator("article a", has_text="Mon 27").click()
    page.wait_for_url(re.compile(r".*/days/2026-04-27/$"))
    # Summaries are shown without a click.
    assert page.locator("article details").count() == 0
    bullet = page.locator("article .digest-summary li").first
    assert bullet.is_visible()
    assert "window.__pwned=4" in bullet.inner_text()  # shown as text
    page.locator("article h2.digest-entry .arithmatex .katex").first.wait_for()
    title = page.locator("article h2.digest-entry").first.inner_text()
    assert "<script>window.__pwned=1</script> <b>bold</b> {{ config }}" in title
    _no_injected_code(page)

    # The paper page: edit link to its own file, math in the abstract, nothing executed.
    page.locator("article h2.digest-entry a").first.click()
    page.wait_for_url(re.compile(rf".*/papers/{re.escape(HOSTILE_ID)}/$"))
    edit = page.locator('a[rel="edit"]').get_attribute("href")
    assert edit.endswith(f"/edit/main/docs/papers/{HOSTILE_ID}.md")
    assert page.locator("article .arithmatex .katex").count() >= 2
    assert page.title().startswith("Attack <script>window.__pwned=1</script>")
    # The BibTeX block got Material's copy button; the copy-link button holds the page's address.
    page.locator("article pre.digest-bibtex .md-code__button[data-md-type=copy]").wait_for()
    link = page.locator("article button.digest-copylink").get_attribute("data-clipboard-text")
    assert link.endswith(f"/papers/{HOSTILE_ID}/")
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
    "weekend": "days/2026-04-25/",
    "day": "days/2026-04-27/",
    "paper": f"papers/{HOSTILE_ID}/",
    "tag": "tags/cs-lg/",
}


def test_screenshots_light_and_dark(browser, base_url: str) -> None:  # type: ignore[no-untyped-def]
    folder = Path(tempfile.mkdtemp(prefix="digest-screenshots-"))
    print(f"screenshots: {folder}")
    for scheme in ("light", "dark"):
        context = browser.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 800})
        page = context.new_page()
        for name, url in PAGES.items():
            page.goto(base_url + url)
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
    # The day page as a phone shows it, and the paper page's Cite section.
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.goto(base_url + PAGES["day"])
    page.locator("article .digest-summary").first.wait_for()
    page.screenshot(path=str(folder / "day-mobile.png"))
    page.goto(base_url + PAGES["paper"])
    page.locator("article pre.digest-bibtex").scroll_into_view_if_needed()
    page.screenshot(path=str(folder / "paper-cite-mobile.png"))
    assert (folder / "day-mobile.png").stat().st_size > 10_000
    context.close()


def test_day_page_top_navigation_skips_the_weekend_and_keys_move(browser, base_url: str) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    page.goto(base_url + "days/2026-04-27/")
    top = page.locator("article .digest-daynav").first
    assert top.is_visible()  # on the first screen, above the papers
    count = page.locator("article .digest-count").inner_text()
    assert "2 papers on efficient deep learning." in count
    # The previous announcement day is Friday: Saturday's page (no announcement) is skipped.
    back = top.locator("a", has_text="← Friday, 24 April")
    assert back.evaluate("a => a.href").endswith("/days/2026-04-24/")
    assert top.locator("a", has_text="Tuesday, 28 April →").count() == 1

    # j / k move the focus from paper to paper; o would open the focused paper's arXiv page.
    titles = page.locator("article h2.digest-entry a")
    page.keyboard.press("j")
    assert page.evaluate("document.activeElement.href") == titles.nth(0).evaluate("a => a.href")
    page.keyboard.press("j")
    assert page.evaluate("document.activeElement.href") == titles.nth(1).evaluate("a => a.href")
    # Scrolled into view, below the sticky header (a short page cannot bring it to the top).
    box = page.evaluate("(({top, bottom}) => [top, bottom])"
                        "(document.activeElement.closest('h2').getBoundingClientRect())")
    assert box[0] >= 48 and box[1] <= 800
    page.keyboard.press("k")
    assert page.evaluate("document.activeElement.href") == titles.nth(0).evaluate("a => a.href")
    page.context.route("https://arxiv.org/**", lambda route: route.fulfill(body="arXiv"))
    with page.context.expect_page() as opened:
        page.keyboard.press("o")
    opened.value.wait_for_load_state()
    assert opened.value.url == f"https://arxiv.org/abs/{HOSTILE_ID}v1"  # the version shown
    opened.value.close()

    # Typing j or k in the search box is typing, not navigation.
    search = page.locator(".md-search__input")
    search.click()  # in the header at this width
    page.keyboard.type("jk")
    assert search.input_value() == "jk"
    assert page.evaluate("document.activeElement.name") == "query"

    # A weekend page names the next announcement day and links it (and the previous one).
    page.goto(base_url + "days/2026-04-25/")
    note = page.locator("article .admonition.info").inner_text()
    assert "The next announcement day is Monday, 27 April 2026." in note
    nav = page.locator("article .digest-daynav").first
    assert nav.locator("a", has_text="← Friday, 24 April").count() == 1
    assert nav.locator("a", has_text="Monday, 27 April →").count() == 1
    assert errors == []
    page.close()


@pytest.mark.parametrize("typed", ["2604.00003", "2604.00003v1", "arXiv:2604.00003"])
def test_an_arxiv_id_finds_its_paper_first_with_its_day(browser, base_url: str, typed: str) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(base_url + "about/")
    search = page.locator(".md-search__input")
    search.click()
    search.fill(typed)
    first = page.locator(".md-search-result__item").first
    first.wait_for()
    assert first.locator("a").get_attribute("href").endswith("/papers/2604.00003/")
    assert "Distilling a tokenizer-free student" in first.locator("h1").inner_text()
    # The hit says which day announced it and its topics.
    day = first.locator(".md-search-result__day").inner_text()
    assert day == "Tuesday, 28 April 2026 · Distillation"
    page.close()


def test_paper_page_drawer_lists_the_site_pages_from_the_cached_script(  # type: ignore[no-untyped-def]
        browser, base_url: str) -> None:
    # A paper page's HTML holds only the call; palette.js writes the navigation, whose links
    # lead to the site's pages from any paper's folder.
    page = browser.new_page(viewport={"width": 390, "height": 844})
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    raw = page.request.get(base_url + "papers/cs-0601001/").text()
    assert "<script>__digest_nav()</script>" in raw and "md-nav__link" not in raw
    page.goto(base_url + "papers/cs-0601001/")
    links = page.locator(".md-sidebar--primary .md-nav__link")
    assert links.all_inner_texts() == ["Home", "Archive", "Tags", "About"]
    page.locator('.md-header label[for="__drawer"]').click()
    links.nth(1).click()
    page.wait_for_url(re.compile(r".*/archive/$"))
    assert errors == []
    page.close()


def test_paper_page_controls_written_by_the_cached_script_work(  # type: ignore[no-untyped-def]
        browser, base_url: str) -> None:
    # A paper page's HTML has none of Material's controls that need JavaScript (palette.js
    # writes them): the drawer and search toggles, the menu and search buttons, back-to-top,
    # the "Copied" dialog and the page config. With JavaScript they all work.
    raw = browser.new_page().request.get(base_url + "papers/2604.00002/").text()
    for control in ('class="md-toggle"', 'for="__drawer"', 'for="__search"', "md-top",
                    "md-dialog", 'id="__config"'):
        assert control not in raw
    assert raw.count("<script>__digest_end()</script>") == 1
    context = browser.new_context(viewport={"width": 1280, "height": 500},
                                  permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    page.goto(base_url + "papers/2604.00002/")
    # Toggles before the header and the container (Material's styles select their siblings).
    order = page.evaluate("[...document.body.children].map(e => e.id || e.className)")
    assert order.index("__drawer") < order.index("md-header md-header--shadow")
    assert order.index("__search") < order.index("md-container")
    config = page.evaluate("JSON.parse(document.getElementById('__config').textContent)")
    assert config["features"] == ["content.code.copy"]
    assert page.evaluate(f"new URL({config['base']!r}, location).href") == base_url
    # Back-to-top shows when the reader scrolls back up, and goes to the top.
    hidden = "document.querySelector('.md-main > .md-top').hidden"
    assert page.evaluate(hidden)
    page.evaluate("document.body.style.minHeight = '3000px'")
    page.mouse.wheel(0, 1500)
    page.wait_for_timeout(300)
    page.mouse.wheel(0, -400)
    page.wait_for_function(f"!{hidden}")
    page.locator(".md-main > .md-top").click()
    page.wait_for_function("scrollY === 0")
    # Copy link: Material copies it and says so in its dialog.
    page.locator("article button.digest-copylink").click()
    dialog = page.locator(".md-dialog")
    dialog.locator("text=Copied to clipboard").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == \
        page.locator("link[rel=canonical]").get_attribute("href")
    # The search button (a phone's: a wide screen shows the box) opens the search box.
    page.set_viewport_size({"width": 390, "height": 844})
    page.locator('.md-header__button[for="__search"]').click()
    page.locator(".md-search__input").wait_for(state="visible")
    assert page.evaluate("document.getElementById('__search').checked")
    assert errors == []
    context.close()
