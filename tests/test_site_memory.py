"""What a build holds of its pages. MkDocs keeps every page object to the end of a build, so a
page keeps only its anchors (and a page of the nav its title) once its HTML is written, and an
incremental build makes no page object for a page it leaves as the build before wrote it."""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import pytest
from arxiv_digest.pages import schema
from arxiv_digest.site import DigestSite
from mkdocs.commands.build import build
from mkdocs.config import load_config

from tests.site_support import ROOT, SITE_URL, make_docs

if str(ROOT / "scripts") not in sys.path:
    sys.path.append(str(ROOT / "scripts"))
from synthetic_docs import generate_docs  # noqa: E402

PAPERS = 40


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    docs = make_docs(tmp_path_factory.mktemp("memory") / "docs")
    generate_docs(docs, PAPERS)
    return docs


@pytest.fixture
def docs(source: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(source, tmp_path / "docs"))


def _build(docs: Path, site: Path, monkeypatch: pytest.MonkeyPatch, *,
           dirty: bool = False) -> DigestSite:
    """One `mkdocs build` of the project's mkdocs.yml in this process, as the command runs it;
    the site object of its hook, with the files of the build."""
    monkeypatch.setenv("DIGEST_DOCS_DIR", str(docs))
    monkeypatch.setenv("SITE_URL", SITE_URL)
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    monkeypatch.chdir(ROOT)
    config = load_config(str(ROOT / "mkdocs.yml"), site_dir=str(site))
    config.plugins.on_startup(command="build", dirty=dirty)
    try:
        build(config, dirty=dirty)
    finally:
        config.plugins.on_shutdown()
    (hook,) = config.hooks.values()
    return hook._site


def _papers(site_object: DigestSite) -> list:
    assert site_object.files is not None
    return [f for f in site_object.files if f.src_uri.startswith(f"{schema.PAPERS_DIR}/")]


def test_a_written_page_keeps_only_its_anchors(docs: Path, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    site = tmp_path / "site"
    built = _build(docs, site, monkeypatch)
    papers = _papers(built)
    assert len(papers) == PAPERS
    tocs = set()
    for file in papers:
        page = file.page
        assert page is not None
        assert page.content is None and not page.markdown and not list(page.toc)
        assert page.meta == {} and page.present_anchor_ids
        assert page.canonical_url is page.abs_url is page.edit_url is None
        assert not page.update_date
        tocs.add(id(page.toc))
    assert len(tocs) == 1  # one empty table of contents for all
    # Every page got its attributes in one order: they share the names (a dict of its own per
    # page, as when one attribute came later, is ~830 bytes in CPython 3.11).
    assert len({tuple(vars(file.page)) for file in papers}) == 1
    assert max(sys.getsizeof(vars(file.page)) for file in papers) < 400
    # The sitemap names every page with the address MkDocs gives it.
    sitemap = (site / "sitemap-1.xml").read_text("utf-8")
    for file in papers:
        assert f"<loc>{SITE_URL}{file.url}</loc>" in sitemap
    assert f"<loc>{SITE_URL}</loc>" in sitemap
    for file in papers:
        # Released after it was written, not before: its HTML holds its abstract and summary.
        html = Path(file.abs_dest_path).read_text("utf-8")
        entry = built.index.by_src[file.src_uri]
        assert entry.meta.arxiv_id in html and entry.bullets[0][:40] in html
    # The pages of the nav keep their titles: every page's menu shows them (a paper page's
    # menu is written by palette.js, a static template rendered after the pages).
    titles = {f.src_uri: f.page.title for f in built.files if f.page is not None}
    assert titles["archive.md"] and titles["tags/index.md"]
    menu = (site / "assets" / "javascripts" / "palette.js").read_text("utf-8")
    assert 'class=\\"md-nav__link\\"\\u003eArchive\\u003c' in menu


def test_links_to_a_written_pages_anchors_are_still_checked(
    docs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture,
) -> None:
    """A page keeps its anchors as a tuple (MkDocs asks only whether one is among them)."""
    paper = sorted((docs / schema.PAPERS_DIR).glob("*.md"))[0].name
    about = docs / "about.md"
    about.write_text(about.read_text("utf-8") + f"\n[ok](papers/{paper}#summary) "
                     f"[bad](papers/{paper}#no-such-anchor)\n", "utf-8")
    with caplog.at_level("INFO", logger="mkdocs.structure.pages"):
        built = _build(docs, tmp_path / "site", monkeypatch)
    page = next(f.page for f in _papers(built) if f.src_uri.endswith(paper))
    assert isinstance(page.present_anchor_ids, tuple) and "summary" in page.present_anchor_ids
    # A paper's heading id is one string on its page and on its day page.
    day_uri = f"{schema.DAYS_DIR}/{page.entry.meta.announced}.md"
    day = built.files.get_file_from_path(day_uri).page
    shared = [a for a in page.present_anchor_ids for b in day.present_anchor_ids if a == b]
    assert shared and all(any(a is b for b in day.present_anchor_ids) for a in shared)
    missing = [r.getMessage() for r in caplog.records if "does not contain an anchor" in
               r.getMessage()]
    assert len(missing) == 1 and "#no-such-anchor" in missing[0]


def test_an_incremental_build_makes_pages_only_for_what_changed(
    docs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    site = tmp_path / "site"
    first = _build(docs, site, monkeypatch, dirty=True)
    # The files of its pages share their attribute names (a dict of its own per file, as when
    # MkDocs set them in another order, is ~460 bytes in CPython 3.11).
    assert max(sys.getsizeof(vars(file)) for file in _papers(first)) < 300
    edited = sorted((docs / schema.PAPERS_DIR).glob("*.md"))[3]
    edited.write_text(edited.read_text("utf-8").replace("\n- ", "\n- Memfix ", 1), "utf-8")
    built = _build(docs, site, monkeypatch, dirty=True)
    with_page = {f.src_uri for f in _papers(built) if f.page is not None}
    assert with_page == {f"{schema.PAPERS_DIR}/{edited.name}"}
    assert "Memfix" in (site / schema.PAPERS_DIR / edited.stem / "index.html").read_text("utf-8")
    # The pages left as they were are still on disk and in the sitemap.
    assert len(list((site / schema.PAPERS_DIR).glob("*/index.html"))) == PAPERS
    sitemap = (site / "sitemap-1.xml").read_text("utf-8")
    listed = set(re.findall(r"<loc>[^<]*/papers/([^/<]+)/</loc>", sitemap))
    assert listed == {p.stem for p in (docs / schema.PAPERS_DIR).glob("*.md")}


def test_the_index_holds_papers_without_their_abstracts(docs: Path, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The page index holds what lists need; a paper's page and feed entry read its abstract
    from the file, one page at a time (search records too: test_search_scale finds a paper by a
    word of its abstract)."""
    site = tmp_path / "site"
    built = _build(docs, site, monkeypatch)
    entries = [e for e in built.index.by_src.values() if isinstance(e, schema.PAPER_PAGES)]
    assert len(entries) == PAPERS
    # Records of plain slots, not pydantic models: no dict or set of fields per page.
    assert all(type(e) is schema.ListedPaper and not hasattr(e.meta, "__dict__")
               and not hasattr(e.meta.summary, "__dict__") for e in entries)
    assert all(e.meta.abstract is None and e.body == "" and e.meta.relevance is None
               for e in entries)
    tags = [tag for e in entries for tag in e.meta.categories]
    assert len({id(t) for t in tags}) == len(set(tags))  # one string per tag
    assert all(f.page.entry is built.index.by_src[f.src_uri] for f in _papers(built))
    full = schema.read_paper(docs / schema.PAPERS_DIR / _papers(built)[0].src_uri.split("/")[1])
    assert full.meta.abstract
    html = (site / schema.PAPERS_DIR / full.meta.arxiv_id / "index.html").read_text("utf-8")
    assert full.meta.abstract[:60] in html
    newest = max(entries, key=lambda e: (e.meta.announced, e.meta.arxiv_id))
    full = schema.read_paper(schema.paper_path(docs, newest.meta.arxiv_id))
    feed = (site / "feed.json").read_text("utf-8")
    assert full.meta.abstract and full.meta.abstract[:60] in feed
