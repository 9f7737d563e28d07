"""Search at scale: a 1,200-paper site answers from a few hundred KB, under a sub-path too."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from arxiv_digest.site.search import PRIMARY

from tests.site_support import (
    ROOT,
    box_search,
    build_site,
    launch_chromium,
    make_docs,
    serve_site,
)

# The benchmark's page generator and browser probe live beside it in scripts/.
if str(ROOT / "scripts") not in sys.path:
    sys.path.append(str(ROOT / "scripts"))
import bench_site  # noqa: E402
from synthetic_docs import SyntheticPaper, generate_docs  # noqa: E402

PAPERS = 1200
#: The issue's budget for the first result of a query (at 20,000 papers; it does not grow with N).
FIRST_HIT_BYTES = 500_000

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[SyntheticPaper]]:
    work = tmp_path_factory.mktemp("scale")
    docs = make_docs(work / "docs")
    papers = generate_docs(docs, PAPERS)
    site = work / "www" / "arxiv-digest"  # served below a sub-path, like a GitHub project site
    build_site(docs, site)
    return site, papers


def test_only_paper_pages_are_indexed(built) -> None:
    site, papers = built
    # One shard per month of announcements, and the primary bundle that holds Pagefind's code.
    months = {f"{p.announced:%Y-%m}" for p in papers}
    assert months == {"2026-10", "2026-11"}
    bundle = site / "pagefind"
    assert {p.name for p in bundle.iterdir()} == {*months, PRIMARY, "shards.json", "words"}
    code = {"pagefind.js", "pagefind-worker.js", "wasm.en.pagefind"}
    for month in months:
        files = {p.name for p in (bundle / month).iterdir()}
        assert {"pagefind-entry.json", "index", "fragment"} <= files
        assert not files & code, f"Pagefind's code copied into the shard {month}"
        assert not {name for name in files if "-ui." in name}, "unused Pagefind UI files shipped"
    primary = {p.name for p in (bundle / PRIMARY).iterdir()}
    assert code <= primary and not {name for name in primary if "-ui." in name}
    # One fragment per indexed page: every paper, and no list page; the primary's placeholder.
    assert sum(len(list((bundle / m / "fragment").iterdir())) for m in months) == len(papers)
    assert len(list((bundle / PRIMARY / "fragment").iterdir())) == 1
    assert not (site / "search" / "search_index.json").exists(), "Material's lunr index built"


def test_icons_come_from_one_sprite(built) -> None:
    site, papers = built
    page = (site / "papers" / papers[0].arxiv_id / "index.html").read_text("utf-8")
    sprite = (site / "assets" / "icons.svg").read_text("utf-8")
    used = set(re.findall(r'<use href="\.\./\.\./assets/icons\.svg#(\w+)"', page))
    assert used, "no icon references in the page"
    assert used <= set(re.findall(r'<symbol id="(\w+)"', sprite))
    assert "<path" not in page.split("<article", 1)[0], "inline icon left in the page chrome"


@pytest.mark.browser
def test_header_search_finds_the_paper_from_a_few_chunks(built) -> None:
    from playwright.sync_api import sync_playwright

    site, papers = built
    wanted = papers[len(papers) // 3]
    with serve_site(site.parent) as base, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            page = browser.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            hit = bench_site.search_first_hit(page, f"{base}arxiv-digest/", wanted.unique_word)
            assert hit.href == f"/arxiv-digest/papers/{wanted.arxiv_id}/"
            assert hit.title == wanted.title
            # The bundle's code and wasm are counted too: the figure is the reader's whole cost.
            assert 50_000 < hit.bytes < FIRST_HIT_BYTES, hit

            # Following the hit opens the paper, which holds the word.
            page.locator(".md-search-result__list li a").first.click()
            page.wait_for_url(f"{base}arxiv-digest/papers/{wanted.arxiv_id}/")
            assert wanted.unique_word in page.locator("article").inner_text()

            # A word that list pages hold too (the paper's name is on its day and tag pages):
            # every hit is a paper page.
            name = wanted.title.split(":")[0]
            # Read once every shard the name may be in has answered: the newest answers first.
            _, hrefs = box_search(page, name)
            assert f"/arxiv-digest/papers/{wanted.arxiv_id}/" in hrefs
            assert all(h.startswith("/arxiv-digest/papers/") for h in hrefs), hrefs
            assert not errors, errors
        finally:
            browser.close()
