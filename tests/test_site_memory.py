"""What a build holds of its pages. MkDocs keeps every page object to the end of a build, so a
page keeps only its title (and anchors) once its HTML is written, and an incremental build makes
no page object for a page it leaves as the build before wrote it."""

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


def test_a_written_page_keeps_only_its_title(docs: Path, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    site = tmp_path / "site"
    built = _build(docs, site, monkeypatch)
    papers = _papers(built)
    assert len(papers) == PAPERS
    for file in papers:
        page = file.page
        assert page is not None
        assert page.content is None and not page.markdown and not list(page.toc)
        assert set(page.meta) == {"title"}
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


def test_an_incremental_build_makes_pages_only_for_what_changed(
    docs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    site = tmp_path / "site"
    _build(docs, site, monkeypatch, dirty=True)
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
    entries = [e for e in built.index.by_src.values() if isinstance(e, schema.PaperPage)]
    assert len(entries) == PAPERS
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
