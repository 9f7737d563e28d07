"""A paper page's links that palette.js writes (its edit button, the summary's history link, the
BibTeX entry and the copy-link button), read as chromium shows them, and the page without
JavaScript."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from arxiv_digest.pages import frontmatter, schema
from arxiv_digest.site import cite

from tests import site_support as support

pytestmark = [pytest.mark.browser, pytest.mark.slow]

REPO = "https://github.com/arxiv-digest/arxiv-digest"
#: Names and a title that BibTeX's key folds to ASCII, with spacing Python splits at.
ACCENTED = support.sample_paper(
    "2604.00011", title="Ça marche: ÉTÉ\u00a0quantization\u3000for {tiny} GPUs & 50% less",
    authors=["José\u2003Núñez-Ørsted", "Zoë O'Brien"], categories=["math.OC"],
    published=dt.datetime(2025, 12, 31, 23, 0, tzinfo=dt.UTC), announced=dt.date(2026, 4, 29))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    root = tmp_path_factory.mktemp("cite-site")
    docs = support.make_docs(root / "docs")
    support.write_sample_pages(docs)
    support.write_paper(docs, ACCENTED)
    support.write_day(docs, schema.Day(date=ACCENTED.announced, status="announced",
                               papers=[ACCENTED.arxiv_id], listed={"math.OC": 40}))
    support.build_site(docs, root / "site")
    with support.serve_site(root / "site") as url:
        yield url, docs


def _papers(docs: Path) -> list[schema.Paper]:
    papers = []
    for path in sorted((docs / schema.PAPERS_DIR).glob("*.md")):
        meta, _ = frontmatter.parse(path.read_text("utf-8"))
        papers.append(schema.Paper.model_validate(meta))
    return papers


def _shown(page) -> dict[str, str | None]:  # type: ignore[no-untyped-def]
    page.locator("article pre.digest-bibtex .md-code__button[data-md-type=copy]").wait_for()
    return page.evaluate("""() => ({
      bibtex: document.querySelector("article pre.digest-bibtex > code").textContent,
      edit: document.querySelector('article a[rel="edit"]')?.getAttribute("href"),
      editTitle: document.querySelector('article a[rel="edit"]')?.getAttribute("title"),
      history: document.querySelector(".digest-provenance a:last-child")?.getAttribute("href"),
      copy: document.querySelector("article .digest-copylink")?.getAttribute("data-clipboard-text"),
      cite: document.querySelectorAll(".digest-cite").length,
      footer: document.querySelector(".md-container > main + footer.md-footer .md-copyright")
        ?.textContent.replace(/\\s+/g, " ").trim(),
      search: document.querySelectorAll(
        'header script[type=module][src$="/assets/javascripts/pagefind-search.js"]').length})""")


def test_every_paper_page_shows_the_entry_and_links_of_its_file(  # type: ignore[no-untyped-def]
    browser, site: tuple[str, Path],
) -> None:
    base, docs = site
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    papers = _papers(docs)
    assert len(papers) == 5
    for paper in papers:
        stem = schema.paper_slug(paper.arxiv_id)
        page.goto(f"{base}papers/{stem}/")
        shown = _shown(page)
        assert shown["bibtex"] == cite.bibtex(paper), paper.arxiv_id
        assert shown["edit"] == f"{REPO}/edit/main/docs/papers/{stem}.md"
        assert shown["editTitle"] == "Edit this page"
        assert shown["history"] == f"{REPO}/commits/main/docs/papers/{stem}.md"
        assert shown["copy"] == f"{support.SITE_URL}papers/{stem}/"
        assert shown["cite"] == 0  # the no-script line gave its place to the entry
        # The footer and the search script are palette.js's too, where Material has them.
        assert shown["footer"] == ("Papers and abstracts from arXiv. Summaries can be improved "
                                   "on arxiv-digest.")
        assert shown["search"] == 1
    assert page.evaluate("window.__pwned") is None
    assert errors == []
    page.close()


def test_entries_fold_names_and_escape_latex_as_python_does(  # type: ignore[no-untyped-def]
    browser, site: tuple[str, Path],
) -> None:
    base, _ = site
    page = browser.new_page()
    page.goto(f"{base}papers/2604.00011/")
    # Written out, not only compared with bibtex(): the key folds to ASCII, the year is the first
    # version's, wide and non-breaking spaces are word breaks, specials are escaped.
    assert _shown(page)["bibtex"] == (
        "@misc{nunezrsted2025marche,\n"
        "  title={Ça marche: ÉTÉ quantization for \\textbraceleft{}tiny\\textbraceright{} GPUs "
        "\\& 50\\% less},\n"
        "  author={José Núñez-Ørsted and Zoë O'Brien},\n"
        "  year={2025},\n  eprint={2604.00011},\n  archivePrefix={arXiv},\n"
        "  primaryClass={math.OC},\n  url={https://arxiv.org/abs/2604.00011}\n}")
    # A paper with no authors or categories (the digest's first edition): no such fields.
    page.goto(f"{base}papers/cs-0601001/")
    legacy = _shown(page)["bibtex"]
    assert legacy.startswith("@misc{arxiv2026legacy,\n  title={A legacy paper},\n  year={2026},")
    assert "author=" not in legacy and "primaryClass" not in legacy
    page.close()


def test_bibtex_the_browser_shows_parses_with_titles_latex_escaped(  # type: ignore[no-untyped-def]
    browser, site: tuple[str, Path],
) -> None:
    bibtexparser = pytest.importorskip("bibtexparser")
    base, _ = site
    page = browser.new_page()
    page.goto(f"{base}papers/{support.HOSTILE_ID}/")
    text = _shown(page)["bibtex"]
    assert text is not None and text.startswith("@misc{")
    entries = bibtexparser.loads(text).entries
    assert len(entries) == 1
    entry = entries[0]
    # The key: first author's surname (ASCII letters and digits only), year, a title word.
    assert entry["ENTRYTYPE"] == "misc" and re.fullmatch(r"[a-z0-9]+2026attack", entry["ID"])
    # Every LaTeX special character of the title is escaped: LaTeX prints the title as written.
    assert entry["title"] == (
        r"Attack <script>window.\_\_pwned=1</script> <b>bold</b> \textbraceleft{}"
        r"\textbraceleft{} config \textbraceright{}\textbraceright{} \textbraceleft{}\% if x "
        r"\%\textbraceright{} *star* \_under\_ | pipe [x](javascript:alert(1)) `tick` in "
        r"\$O(n\textasciicircum{}2)\$ time")
    assert entry["author"].split(" and ")[2] == r"C\_D"
    assert len(entry["author"].split(" and ")) == 7
    assert entry["year"] == "2026" and entry["eprint"] == support.HOSTILE_ID
    assert entry["archiveprefix"] == "arXiv" and entry["primaryclass"] == "cs.LG"
    assert entry["url"] == f"https://arxiv.org/abs/{support.HOSTILE_ID}"
    assert page.evaluate("window.__pwned") is None
    page.close()


def test_without_javascript_the_page_links_arxivs_bibtex(  # type: ignore[no-untyped-def]
    browser, site: tuple[str, Path],
) -> None:
    base, _ = site
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{base}papers/{support.HOSTILE_ID}/")
    link = page.locator("article .digest-cite a")
    assert link.get_attribute("href") == f"https://arxiv.org/bibtex/{support.HOSTILE_ID}"
    assert link.inner_text() == "BibTeX entry on arXiv"
    assert page.locator("article pre, article a[rel=edit], .digest-copylink").count() == 0
    assert page.locator("footer, script[type=module]").count() == 0
    # The summary's provenance is all there, only its history link is the script's.
    line = page.locator(".digest-provenance").inner_text()
    assert line.startswith("Summary by gpt-4o-mini on 2026-04-27") and "history" not in line
    assert page.locator("article .digest-summary, article ul li").count() >= 3
    context.close()
