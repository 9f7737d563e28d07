"""A day's publish does a day's work: `mkdocs build --dirty` starts from the site and state of
the build before, writes only what changed, and gives the bytes of a build from scratch."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sys
from pathlib import Path

import pytest
from arxiv_digest.site.search import PRIMARY

from tests.site_support import ROOT, build_site, launch_chromium, make_docs, serve_site

if str(ROOT / "scripts") not in sys.path:
    sys.path.append(str(ROOT / "scripts"))
import bench_site  # noqa: E402
from synthetic_docs import add_day, generate_docs  # noqa: E402

pytestmark = pytest.mark.slow

#: Five announcement days over New Year: the papers fall in two search shards, the last
#: quarter of 2025 and the first of 2026.
LAST_DAY = dt.date(2026, 1, 6)
PAPERS = 150


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    docs = make_docs(tmp_path_factory.mktemp("incremental") / "docs")
    generate_docs(docs, PAPERS, last_day=LAST_DAY)
    return docs


@pytest.fixture
def docs(source: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(source, tmp_path / "docs"))


def _files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def _stamps(site: Path) -> dict[str, int]:
    return {p.relative_to(site).as_posix(): p.stat().st_mtime_ns
            for p in site.rglob("*") if p.is_file()}


def _edit_summary(docs: Path, arxiv_id: str, word: str) -> None:
    path = docs / "papers" / f"{arxiv_id}.md"
    path.write_text(path.read_text("utf-8").replace("\n- ", f"\n- {word} ", 1), "utf-8")


def _assert_same_site(site: Path, scratch: Path) -> None:
    built, expected = _files(site), _files(scratch)
    assert sorted(built) == sorted(expected)
    differ = [name for name in expected if built[name] != expected[name]]
    assert not differ, differ[:10]


def test_a_days_publish_writes_what_changed_and_the_bytes_of_a_full_build(
    docs: Path, tmp_path: Path,
) -> None:
    site = tmp_path / "site"
    build_site(docs, site, dirty=True)  # no state yet: everything is written
    state = tmp_path / "site.build"
    assert (state / "state.json").is_file() and (state / "checks.jsonl").is_file()
    before = _stamps(site)

    new = add_day(docs, 5)  # the day's publish: a new day, its papers
    _edit_summary(docs, "2512.00002", "Readerfix")  # a reader's fix of an old paper
    (docs / "days" / "2026-01-04.md").unlink()  # and a page gone
    build_site(docs, site, dirty=True)
    build_site(docs, tmp_path / "scratch")
    _assert_same_site(site, tmp_path / "scratch")

    after = _stamps(site)
    written = {name for name in after if before.get(name) != after[name]}
    pages = {name for name in written if name.endswith(".html")}
    # The new day and its papers, the day before it (its "next day" link), the edited paper
    # and its day, home, archive and tags index, the tag pages of the papers' tags.
    assert f"days/{new[0].announced}/index.html" in pages
    assert {f"papers/{p.arxiv_id}/index.html" for p in new} <= pages
    assert {"papers/2512.00002/index.html", "days/2025-12-31/index.html",
            f"days/{LAST_DAY}/index.html", "index.html", "archive/index.html",
            "tags/index.html"} <= pages
    untouched = [name for name in before if name.startswith("papers/")
                 and name not in pages]
    assert len(untouched) >= PAPERS - 1
    assert "days/2026-01-02/index.html" not in pages
    assert "days/2026-01-04/index.html" not in after
    # Only the shard of the new day's month and of the edited paper's month were indexed (and
    # the primary bundle written with them), and the word directory's files that hold their
    # new words rewritten.
    assert {name.split("/")[1] for name in written if name.startswith("pagefind/")
            and name.count("/") > 1} == {"2025-12", "2026-01", PRIMARY, "words"}
    rewritten = {name for name in written if name.startswith("pagefind/words/")}
    assert "pagefind/words/re.json" in rewritten  # "readerfix"
    assert len(rewritten) < len([n for n in after if n.startswith("pagefind/words/")])


def test_a_paper_edited_in_an_old_year_re_indexes_only_its_shard(
    docs: Path, tmp_path: Path,
) -> None:
    site = tmp_path / "site"
    build_site(docs, site, dirty=True)
    assert json.loads((site / "pagefind" / "shards.json").read_text())["shards"] == [
        "2026-01", "2025-12"]
    before = _stamps(site)
    _edit_summary(docs, "2512.00007", "Oldyearfix")
    build_site(docs, site, dirty=True)
    after = _stamps(site)
    shard_files = [n for n in after if n.startswith("pagefind/2026-01/")]
    assert shard_files and all(before[n] == after[n] for n in shard_files)
    assert any(before.get(n) != after[n] for n in after if n.startswith("pagefind/2025-12/"))
    assert before["papers/2601.00001/index.html"] == after["papers/2601.00001/index.html"]
    build_site(docs, tmp_path / "scratch")
    _assert_same_site(site, tmp_path / "scratch")


def test_a_changed_template_invalidates_the_state(docs: Path, tmp_path: Path) -> None:
    # The project's configuration, hook and templates, copied so that a template can change.
    project = tmp_path / "project"
    project.mkdir()
    for name in ("mkdocs.yml", "pyproject.toml"):
        shutil.copy2(ROOT / name, project / name)
    shutil.copytree(ROOT / "hooks", project / "hooks",
                    ignore=shutil.ignore_patterns("__pycache__"))
    config = project / "mkdocs.yml"
    site = tmp_path / "site"
    build_site(docs, site, dirty=True, config=config)
    key = json.loads((tmp_path / "site.build" / "state.json").read_text())["key"]

    footer = project / "hooks" / "overrides" / "partials" / "copyright.html"
    footer.write_text(footer.read_text("utf-8").replace(
        "Papers and abstracts from", "Templatemark: papers and abstracts from"), "utf-8")
    build_site(docs, site, dirty=True, config=config)
    assert json.loads((tmp_path / "site.build" / "state.json").read_text())["key"] != key
    # Every page shows the new footer, unchanged papers included (palette.js writes theirs).
    pages = list(site.rglob("*.html"))
    assert len(pages) > PAPERS
    written = [page for page in pages if "__digest_end()" not in page.read_text("utf-8")]
    assert len(pages) - len(written) == PAPERS
    written.append(site / "assets" / "javascripts" / "palette.js")
    assert all("Templatemark" in page.read_text("utf-8") for page in written)
    build_site(docs, tmp_path / "scratch", config=config)
    _assert_same_site(site, tmp_path / "scratch")


def test_a_changed_stylesheet_is_linked_by_every_page(docs: Path, tmp_path: Path) -> None:
    # Every page links the joined stylesheet by a name made from its bytes (site/styles.py):
    # an edit of the site's own CSS must reach the pages an incremental build leaves alone.
    site = tmp_path / "site"
    build_site(docs, site, dirty=True)
    (old,) = (site / "assets" / "stylesheets").glob("site.*.css")
    css = docs / "assets" / "stylesheets" / "digest.css"
    css.write_text(css.read_text("utf-8") + ".stylemark { color: red; }\n", "utf-8")
    build_site(docs, site, dirty=True)
    (new,) = (site / "assets" / "stylesheets").glob("site.*.css")
    assert new.name != old.name and ".stylemark" in new.read_text("utf-8")
    pages = list(site.rglob("*.html"))
    assert len(pages) > PAPERS
    assert all(f"stylesheets/{new.name}" in page.read_text("utf-8") for page in pages)
    build_site(docs, tmp_path / "scratch")
    _assert_same_site(site, tmp_path / "scratch")


def test_a_state_of_another_site_dir_is_not_used(docs: Path, tmp_path: Path) -> None:
    # A site dir emptied (or never restored) beside a state: pages are written again.
    site = tmp_path / "site"
    build_site(docs, site, dirty=True)
    shutil.rmtree(site)
    build_site(docs, site, dirty=True)
    build_site(docs, tmp_path / "scratch")
    _assert_same_site(site, tmp_path / "scratch")


@pytest.mark.browser
def test_an_arxiv_id_finds_its_paper_in_any_shard(docs: Path, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    site = tmp_path / "www" / "arxiv-digest"  # below a sub-path, like a GitHub project site
    build_site(docs, site, dirty=True)
    assert {p.name for p in (site / "pagefind").iterdir()} == {"2025-12", "2026-01", PRIMARY,
                                                            "shards.json", "words"}
    with serve_site(site.parent) as base, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            page = browser.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            # The newest shard is loaded first; an id's shards (of its month) are merged in.
            for query, wanted in (("2512.00011", "2512.00011"), ("arXiv:2601.00003v2",
                                                                 "2601.00003")):
                hit = bench_site.search_first_hit(page, f"{base}arxiv-digest/", query)
                assert hit.href == f"/arxiv-digest/papers/{wanted}/", (query, hit)
                assert hit.bytes < 500_000
            # A word of every title: the newest shard's hits first, then those of both.
            page.fill("input.md-search__input", "for")
            page.locator(".md-search-result__meta", has_text="150 matching papers").wait_for()
            page.locator(".md-search-result__list li a").nth(9).wait_for()  # drawn after
            hrefs = page.locator(".md-search-result__list li a").evaluate_all(
                "links => links.map(a => a.getAttribute('href'))")
            assert len(hrefs) == 10 and all(h.startswith("/arxiv-digest/papers/") for h in hrefs)
            assert not errors, errors
        finally:
            browser.close()
