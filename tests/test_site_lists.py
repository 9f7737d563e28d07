"""Large list pages stay light: tag months split into pages, the archive into years, feeds
bounded, and the sitemap split into files named by an index (limits lowered to test small)."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from arxiv_digest.pages import schema

from tests.site_support import SITE_URL, build_site, make_docs, sample_paper, write_day, write_paper

pytestmark = pytest.mark.slow

_SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
#: Papers of the site: 50 in January 2025 (25 days of 2), 30 in March 2026 (two days of 15).
_DAYS = {**{dt.date(2025, 1, day): 2 for day in range(1, 26)},
         dt.date(2026, 3, 2): 15, dt.date(2026, 3, 3): 15}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("lists")
    docs = make_docs(root / "docs")
    number = 0
    for date, count in _DAYS.items():
        ids = []
        for _ in range(count):
            number += 1
            prefix = date.strftime("%y%m")
            paper = sample_paper(f"{prefix}.{number:05d}", announced=date)
            write_paper(docs, paper)
            ids.append(paper.arxiv_id)
        write_day(docs, schema.Day(date=date, status="announced", papers=ids))
    build_site(docs, root / "site",
               env={"DIGEST_LIST_PAGE_ITEMS": "20", "DIGEST_SITEMAP_URLS": "25"})
    return root / "site"


def _article(site: Path, url: str) -> str:
    page = (site / url / "index.html").read_text("utf-8")
    return re.search(r"<article.*?</article>", page, re.S)[0]


def test_a_month_longer_than_a_page_is_split_into_linked_pages(site: Path) -> None:
    pages = [_article(site, f"tags/cs-lg/2025-01/{n}" if n > 1 else "tags/cs-lg/2025-01")
             for n in (1, 2, 3)]
    assert not (site / "tags/cs-lg/2025-01/4").exists()
    listed = [re.findall(r'href="[./]*papers/([\d.]+)/"', page) for page in pages]
    assert [len(ids) for ids in listed] == [20, 20, 10]
    assert len({i for ids in listed for i in ids}) == 50  # each paper on one page, once
    assert "50 papers; page 1 of 3." in pages[0] and 'href="2/">page 2 →</a>' in pages[0]
    assert 'href="../">← page 1</a> · page 2 of 3 · <a href="../3/">page 3 →</a>' in pages[1]
    assert "page 3 of 3</p>" in pages[2]


def test_a_tag_page_shows_no_month_that_would_pass_the_page_limit(site: Path) -> None:
    tag = _article(site, "tags/cs-lg")
    # March 2026 (30 papers) does not fit in 20: both months are linked, none listed.
    assert "papers/" not in tag and "80 papers, newest first." in tag
    assert 'id="months"' in tag  # not "Earlier months": no month is shown above them
    assert re.search(r'href="2026-03/">March 2026</a> — 30', tag)
    assert re.search(r'href="2025-01/">January 2025</a> — 50', tag)


def test_the_archive_links_the_years_it_cannot_show(site: Path) -> None:
    archive = _article(site, "archive")
    # 2026 has 2 days (fits in 20); 2025 has 25, on a page of its own.
    assert 'href="../days/2026-03-02/"' in archive and "days/2025" not in archive
    assert re.search(r'href="2025/">2025</a> — 50 papers over 25 days', archive)
    year = _article(site, "archive/2025")
    assert "January 2025 — 50 papers" in year and 'href="../../days/2025-01-25/"' in year
    assert "2026" not in year


def test_the_sitemap_is_an_index_of_files_within_the_limit(site: Path) -> None:
    index = ET.parse(site / "sitemap.xml").getroot()
    assert index.tag == f"{_SM}sitemapindex"
    parts = [loc.text or "" for loc in index.iter(f"{_SM}loc")]
    assert parts and all(p.startswith(SITE_URL) for p in parts)
    urls: list[str] = []
    for loc in parts:
        part = ET.parse(site / loc.removeprefix(SITE_URL)).getroot()
        assert part.tag == f"{_SM}urlset"
        found = [u.text or "" for u in part.iter(f"{_SM}loc")]
        assert 0 < len(found) <= 25
        urls += found
    assert len(urls) == len(set(urls))
    pages = {p.parent.relative_to(site).as_posix() for p in site.rglob("index.html")}
    assert {u.removeprefix(SITE_URL).rstrip("/") or "." for u in urls} == pages
    robots = (site / "robots.txt").read_text("utf-8")
    assert f"Sitemap: {SITE_URL}sitemap.xml" in robots.splitlines()


def test_a_list_page_limit_below_one_is_refused(tmp_path: Path) -> None:
    docs = make_docs(tmp_path / "docs")
    result = build_site(docs, tmp_path / "site", env={"DIGEST_SITEMAP_URLS": "0"}, check=False)
    assert result.returncode != 0 and "sitemap_urls: must be at least 1" in result.stdout
