"""The project's mkdocs.yml built with --strict over generated pages: the HTML readers get."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import feedparser
import pytest
from arxiv_digest.pages import schema

from tests.site_support import (
    HOSTILE_CATEGORY,
    HOSTILE_ID,
    HOSTILE_TITLE,
    ROOT,
    SITE_URL,
    build_site,
    make_docs,
    sample_paper,
    write_day,
    write_paper,
    write_sample_pages,
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built(sample_site: tuple[Path, dict]) -> tuple[Path, dict]:
    return sample_site


def _read(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text("utf-8")


def _article(page: str) -> str:
    return page[page.index("<article"): page.index("</article>")]


def test_hostile_text_shows_literally_on_the_paper_page(built: tuple[Path, dict]) -> None:
    site, _ = built
    page = _read(site, f"papers/{HOSTILE_ID}")
    title = re.search(r"<title>(.*?)</title>", page, re.S)[1]
    assert html.unescape(title).startswith("Attack <script>window.__pwned=1</script> <b>bold</b>")
    assert "{{ config }} {% if x %} *star* _under_ | pipe [x](javascript:alert(1)) `tick`" in (
        html.unescape(title))
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S)[1]
    text = html.unescape(re.sub(r"<[^>]+>", "", h1))
    assert text == ("Attack <script>window.__pwned=1</script> <b>bold</b> {{ config }} {% if x %} "
                    "*star* _under_ | pipe [x](javascript:alert(1)) `tick` in \\(O(n^2)\\) time")
    # The description is the summary's start (the abstract's when there is none), as text.
    description = dict(_head_meta(page))["description"]
    assert description.startswith("Bullet with <script>window.__pwned=4</script>")
    article = _article(page)
    assert "Eve &lt;img src=x onerror=window.&#95;&#95;pwned=2&gt;" in article
    assert "Bullet with &lt;script&gt;" in article
    assert "<em>stars" not in article and "<strong>" not in article
    # No code block (the BibTeX entry is palette.js's): the comment's `rm -rf` stays text.
    assert "<code" not in article and "<i>it</i>" not in article
    assert "rm -rf" in article


def test_no_text_from_arxiv_becomes_markup_anywhere(built: tuple[Path, dict]) -> None:
    site, _ = built
    pages = list(site.rglob("*.html")) + list(site.rglob("*.xml"))
    assert len(pages) > 15
    for path in pages:
        text = path.read_text("utf-8")
        assert not re.search(r"<script[^>]*>[^<]*__pwned", text), path
        assert "<b>bold</b>" not in text and "<img src=x" not in text, path


def test_math_is_marked_for_katex_which_is_served_locally(built: tuple[Path, dict]) -> None:
    site, _ = built
    article = _article(_read(site, f"papers/{HOSTILE_ID}"))
    spans = [html.unescape(s) for s in re.findall(r'<span class="arithmatex">(.*?)</span>',
                                                  article)]
    assert "\\(O(n^2)\\)" in spans and "\\(\\sum_{i=1}^n x_i^2\\)" in spans
    assert "costs &#36;5 or &#36;10" in article
    home = (site / "index.html").read_text("utf-8")
    assert 'src="assets/javascripts/math.js"' in home  # loads assets/katex/ when math is shown
    for asset in ("katex.min.js", "katex.min.css", "fonts/KaTeX_Main-Regular.woff2"):
        assert (site / "assets/katex" / asset).is_file()
    assert "cdn" not in home.lower()


def test_paper_page_links_edit_abs_pdf_day_and_tags(built: tuple[Path, dict]) -> None:
    site, _ = built
    page = _read(site, f"papers/{HOSTILE_ID}")
    # The edit button is palette.js's, made from the page's arXiv id (test_site_cite_browser.py).
    assert 'rel="edit"' not in page
    assert f'<meta name="citation_arxiv_id" content="{HOSTILE_ID}">' in page
    assert f'href="https://arxiv.org/abs/{HOSTILE_ID}v1"' in page
    assert f'href="https://arxiv.org/pdf/{HOSTILE_ID}v1"' in page
    assert 'href="../../days/2026-04-27/"' in page
    assert '<a href="../../tags/cs-lg/" class="md-tag">cs.LG</a>' in page
    assert '<a href="../../tags/quantization/" class="md-tag">Quantization</a>' in page
    chip = re.search(r'<a href="../../tags/title-script-window-pwned-5-script/" '
                     r'class="md-tag">([^<]*)</a>', page)
    assert html.unescape(chip[1]) == HOSTILE_CATEGORY
    tag_page = _read(site, "tags/title-script-window-pwned-5-script")
    assert re.search(r"<title>(.*?)</title>", tag_page)[1].startswith(
        "&lt;/title&gt;&lt;script&gt;window.__pwned=5")
    legacy = _read(site, "papers/cs-0601001")
    assert '<meta name="citation_arxiv_id" content="cs/0601001">' in legacy
    assert "An old summary from the README." in legacy
    extractive = _article(_read(site, "papers/2604.00002"))
    assert "Picked from the abstract" in extractive


def test_paper_page_says_who_wrote_the_summary(built: tuple[Path, dict]) -> None:
    site, _ = built
    model = _article(_read(site, "papers/2604.00003"))
    line = re.search(r'<p class="digest-provenance">(.*?)</p>', model)[1]
    assert line.startswith('Summary by gpt-4o-mini on <time datetime="2026-04-27">')
    # Its history link is palette.js's (test_site_cite_browser.py).
    assert "<a " not in line
    assert model.index("</ul>") < model.index('class="digest-provenance"')  # under the bullets
    legacy = _article(_read(site, "papers/cs-0601001"))
    assert "Summary from the digest&#x27;s first edition" in legacy or \
        "Summary from the digest's first edition" in legacy
    assert 'class="digest-revised"' not in model  # no newer version on arXiv


def test_day_pages(built: tuple[Path, dict]) -> None:
    site, _ = built
    monday = _article(_read(site, "days/2026-04-27"))
    assert monday.index(f"papers/{HOSTILE_ID}/") < monday.index("papers/2604.00002/")
    # Summaries are shown, not folded, under a label naming who wrote them.
    assert "<details" not in monday and monday.count('class="digest-summary"') == 2
    assert '<p class="digest-label">Summary (gpt-4o-mini)</p>' in monday
    # The count and the neighbouring announcement days come first (Saturday is skipped).
    assert monday.index("2 papers on efficient deep learning.") < monday.index("papers/")
    top = monday.index('class="digest-daynav"')
    assert top < monday.index(f"papers/{HOSTILE_ID}/")
    assert monday.count('<a href="../2026-04-28/">Tuesday, 28 April →</a>') == 2
    assert "2026-04-25" not in monday
    assert monday.count('src="../../assets/javascripts/daykeys.js"') == 1
    assert "sentences picked from the abstract" in monday
    assert "et al. (7 authors)" in monday
    assert 'href="../../tags/pruning-sparsity/"' in monday
    tuesday = _article(_read(site, "days/2026-04-28"))
    assert "Back-filled" in tuesday and "A <em>hand-written</em> intro." in tuesday
    assert '<p class="digest-label">Summary (by readers)</p>' in tuesday
    saturday = _article(_read(site, "days/2026-04-25"))
    assert "No new papers on arXiv" in saturday and "<details" not in saturday
    assert ('The next announcement day is <a href="../2026-04-27/">Monday, 27 April 2026</a>'
            in saturday)


def test_home_shows_latest_day_in_full_and_links_earlier_days(built: tuple[Path, dict]) -> None:
    site, _ = built
    home = _article((site / "index.html").read_text("utf-8"))
    assert '<a href="days/2026-04-28/">Tuesday, 28 April 2026</a>' in home
    assert "papers/2604.00003/" in home and 'class="digest-summary"' in home
    # The first screen says how many papers the day has.
    assert home.index('<p class="digest-count">') < home.index("papers/2604.00003/")
    assert "daykeys.js" in home
    assert f"papers/{HOSTILE_ID}/" not in home
    assert 'href="days/2026-04-27/"' in home and 'href="days/2026-04-25/"' in home
    assert "digest:" not in home


def test_tag_pages_group_by_month_and_archive_counts(built: tuple[Path, dict]) -> None:
    site, _ = built
    tags = _article(_read(site, "tags"))
    assert re.search(r'href="cs-lg/">cs\.LG — Machine Learning</a> — 3', tags)
    assert re.search(r'href="distillation/">Distillation</a> — 1', tags)
    cs_lg = _article(_read(site, "tags/cs-lg"))
    assert "April 2026" in cs_lg
    assert cs_lg.index("papers/2604.00003/") < cs_lg.index(f"papers/{HOSTILE_ID}/")
    assert not (site / "tags/cs-lg/2026-04").exists()  # a small tag is one page
    archive = _article(_read(site, "archive"))
    assert "<h2" in archive and "2026" in archive and "April 2026 — 4 papers" in archive
    assert re.search(r'href="\.\./days/2026-04-27/">Mon 27</a> — 2 papers', archive)
    assert re.search(r'href="\.\./days/2026-04-25/">Sat 25</a> — no announcement', archive)


def test_nav_lists_only_the_main_sections(built: tuple[Path, dict]) -> None:
    site, _ = built
    about = _read(site, "about")
    links = re.findall(r'<a href="([^"#]*)" class="md-nav__link', about)
    assert set(links) == {"..", "../archive/", "../tags/", "./"}
    labels = re.findall(r'<span class="md-ellipsis">\s*([^<]*?)\s*</span>', about)
    assert [x for x in ("Home", "Archive", "Tags", "About") if x in labels] == [
        "Home", "Archive", "Tags", "About"]


def test_about_page_renders_the_markers(built: tuple[Path, dict]) -> None:
    site, _ = built
    about = _article(_read(site, "about"))
    assert "<code>gpt-4o-mini</code>" in about
    assert 'href="https://arxiv.org/list/cs.LG/new"' in about
    assert "<table>" in about and "<td>llm</td>" in about
    assert 'href="../tags/quantization/">Quantization</a>' in about
    assert "CONTRIBUTING.md" in about and "digest:" not in about


def test_feeds_are_valid_with_absolute_links(built: tuple[Path, dict]) -> None:
    site, _ = built
    atom_bytes = (site / "feed.xml").read_bytes()
    ET.fromstring(atom_bytes)  # well-formed XML
    atom = feedparser.parse(atom_bytes)
    assert not atom.bozo and atom.feed.title == "arXiv digest"
    assert [e.link for e in atom.entries][:2] == [f"{SITE_URL}papers/2604.00003/",
                                                 f"{SITE_URL}papers/cs-0601001/"]
    hostile = next(e for e in atom.entries if HOSTILE_ID in e.link)
    assert hostile.title.startswith("Attack <script>window.__pwned=1</script>")
    feed = json.loads((site / "feed.json").read_text("utf-8"))
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["feed_url"] == f"{SITE_URL}feed.json"
    assert len(feed["items"]) == 4
    assert all(item["url"].startswith(SITE_URL) for item in feed["items"])
    home = (site / "index.html").read_text("utf-8")
    assert 'type="application/atom+xml"' in home and 'href="feed.json"' in home


def _broken_build(tmp_path: Path, edit) -> str:  # type: ignore[no-untyped-def]
    docs = make_docs(tmp_path / "docs")
    write_sample_pages(docs)
    edit(docs)
    result = build_site(docs, tmp_path / "site", check=False)
    assert result.returncode != 0, result.stdout
    return result.stdout


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


BROKEN = {
    "invalid yaml": (lambda d: _replace(d / "papers/2604.00002.md", "title: ", "title: [unclosed "),
                     "docs/papers/2604.00002.md", "not valid YAML"),
    "unknown key": (lambda d: _replace(d / "papers/2604.00002.md", "title:", "titel: x\ntitle:"),
                    "docs/papers/2604.00002.md: titel", "unknown key"),
    "bad date": (lambda d: _replace(d / "papers/2604.00003.md", "announced: 2026-04-28",
                                    "announced: someday"),
                 "docs/papers/2604.00003.md: announced", "date"),
    "missing paper": (lambda d: (d / "papers/2604.00002.md").unlink(),
                      "docs/days/2026-04-27.md: papers", "2604.00002 has no paper page"),
    "hand-written page": (lambda d: _replace(d / "about.md", "# About",
                                             "---\ntitle: [x\n---\n# About"),
                          "docs/about.md", "not valid YAML"),
    "unknown marker": (lambda d: _replace(d / "about.md", "# About",
                                          "<!-- digest:nope -->\n# About"),
                       "docs/about.md", "unknown marker digest:nope"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_bad_page_fails_the_build_naming_file_and_key(case: str, tmp_path: Path) -> None:
    edit, where, message = BROKEN[case]
    log = _broken_build(tmp_path, edit)
    line = next((ln for ln in log.splitlines() if where in ln), None)
    assert line is not None, log
    assert message in line, log


def test_the_build_passes_with_no_days(tmp_path: Path) -> None:
    empty = make_docs(tmp_path / "docs")
    build_site(empty, tmp_path / "site")
    assert "No papers yet" in (tmp_path / "site/index.html").read_text("utf-8")
    assert "No papers yet" in (tmp_path / "site/tags/index.html").read_text("utf-8")
    assert (tmp_path / "site/feed.xml").is_file()


def test_the_build_splits_tag_pages_by_month(tmp_path: Path) -> None:
    docs = make_docs(tmp_path / "docs")
    by_day: dict[dt.date, list[str]] = {}
    for n in range(150):  # 30 papers a month over five months
        paper = sample_paper(f"2605.{n:05d}", announced=dt.date(2026, 1 + n % 5, 10 + n % 3))
        write_paper(docs, paper)
        by_day.setdefault(paper.announced, []).append(paper.arxiv_id)
    for date, papers in by_day.items():
        write_day(docs, schema.Day(date=date, status="announced", papers=papers))
    build_site(docs, tmp_path / "site")
    cs_lg = (tmp_path / "site/tags/cs-lg/index.html").read_text("utf-8")
    # Whole months until 100 papers are shown, then links to the older months' own pages.
    # 120 papers under the 12 days they were announced (3 a month), and one older month.
    assert cs_lg.count('href="../../papers/2605.') == 120
    assert cs_lg.count("<li>") == 120 + 12 + 1 and "Earlier months" in cs_lg
    assert "<li>Monday, 12 January<ul>" not in cs_lg and "<li>Monday, 11 May<ul>" in cs_lg
    # A paper's line is its title: no authors or date after it.
    assert re.search(r'papers/[^"]*/">[^<]*</a>[^<]', cs_lg) is None
    assert 'href="2026-01/"' in cs_lg and 'id="january-2026"' not in cs_lg
    january = (tmp_path / "site/tags/cs-lg/2026-01/index.html").read_text("utf-8")
    assert january.count("papers/2605.") == 30
    assert not (tmp_path / "site/tags/cs-lg/2026-02").exists()  # shown on the tag's page


def test_every_hook_is_registered_in_mkdocs_yml() -> None:
    config = (ROOT / "mkdocs.yml").read_text("utf-8")
    for hook in (ROOT / "hooks").glob("*.py"):
        assert f"hooks/{hook.name}" in config, hook.name


def _head_meta(page: str) -> list[tuple[str, str]]:
    """The page's named and OpenGraph meta tags as (name, content), parsed like a browser."""
    found: list[tuple[str, str]] = []

    class Metas(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            got = dict(attrs)
            # One tag may carry a name and an OpenGraph property for the same text.
            for name in (got.get("name"), got.get("property")):
                if tag == "meta" and name:
                    found.append((name, got.get("content") or ""))

    Metas().feed(page[: page.index("</head>")])
    return found


def test_paper_page_head_has_citation_opengraph_and_twitter_meta(built: tuple[Path, dict]) -> None:
    site, _ = built
    page = _read(site, f"papers/{HOSTILE_ID}")
    head = page[: page.index("</head>")]
    assert "<script>window" not in head and "<img src" not in head  # all escaped
    metas = _head_meta(page)
    one = {name: content for name, content in metas}
    assert one["citation_title"] == HOSTILE_TITLE
    assert [c for n, c in metas if n == "citation_author"][:3] == [
        "Eve <img src=x onerror=window.__pwned=2>", "Bob *Bold*", "C_D"]
    assert len([n for n, _ in metas if n == "citation_author"]) == 7
    assert one["citation_date"] == "2026/04/24"  # first version's submission
    assert one["citation_arxiv_id"] == HOSTILE_ID
    assert one["citation_pdf_url"] == f"https://arxiv.org/pdf/{HOSTILE_ID}v1"
    assert one["og:title"] == HOSTILE_TITLE
    # Twitter's card reads OpenGraph's title and description: they are not written twice.
    assert "twitter:title" not in one and "twitter:description" not in one
    assert one["og:description"].startswith("Bullet with <script>window.__pwned=4</script>")
    assert one["og:site_name"] == "arXiv digest"
    # The canonical link is the page's one address: OpenGraph's copy of it is not written.
    assert "og:url" not in one
    assert f'<link rel="canonical" href="{SITE_URL}papers/{HOSTILE_ID}/">' in head
    assert one["og:type"] == "article" and one["twitter:card"] == "summary"
    # Day pages are not articles of their own.
    assert "og:type" not in _read(site, "days/2026-04-27")


def test_paper_page_cite_line_links_arxivs_bibtex(built: tuple[Path, dict]) -> None:
    # The entry and the copy-link button are palette.js's, made from the page's meta tags and
    # this line's primary category (test_site_cite_browser.py holds them to cite.bibtex).
    site, _ = built
    article = _article(_read(site, f"papers/{HOSTILE_ID}"))
    assert ('<h2 id="cite">Cite</h2><p class="digest-cite" data-class="cs.LG"><a href='
            f'"https://arxiv.org/bibtex/{HOSTILE_ID}">BibTeX entry on arXiv</a></p>') in article
    assert "<pre" not in article and "digest-copylink" not in article
    legacy = _article(_read(site, "papers/cs-0601001"))
    assert '<p class="digest-cite" data-class="">' in legacy
