"""The site built now equals the site as built before its pages were written as HTML by Page
subclasses (tests/golden/site/, built by that code from the same docs), and builds repeat."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.site_support import GOLDEN_PAGES, ROOT, build_site, golden_docs

pytestmark = pytest.mark.slow

GOLDEN = ROOT / "tests" / "golden" / "site"


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("golden")
    built = {}
    for name, docs in golden_docs(root / "docs").items():
        built[name] = root / f"{name}-site"
        build_site(docs, built[name])
    return built


@pytest.mark.parametrize(("site", "page"), [(s, p) for s, pages in GOLDEN_PAGES.items()
                                            for p in pages])
def test_page_equals_the_site_before_the_redesign(sites: dict[str, Path], site: str,
                                                   page: str) -> None:
    # Only the summary's provenance line differs on purpose (it now says who wrote the summary,
    # when, from what and its history); everything else is byte for byte the same.
    expected = _without_provenance((GOLDEN / site / page).read_text("utf-8"))
    assert _without_provenance((sites[site] / page).read_text("utf-8")) == expected


def _without_provenance(html: str) -> str:
    # The stylesheet's name is a digest of its bytes (site/styles.py): an edit of the CSS
    # changes no page but that name.
    html = re.sub(r"stylesheets/site\.[0-9a-f]{8}\.css", "stylesheets/site.css", html)
    return re.sub(r'\n?<p class="digest-(?:provenance|revised)">.*?</p>', "", html, flags=re.S)


def _tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes()
            for p in sorted(site.rglob("*")) if p.is_file()}


def test_a_second_build_writes_the_same_site(sites: dict[str, Path], tmp_path: Path) -> None:
    docs = golden_docs(tmp_path / "docs")["sample"]
    build_site(docs, tmp_path / "again")
    first, again = _tree(sites["sample"]), _tree(tmp_path / "again")
    assert sorted(first) == sorted(again)
    changed = [name for name in first if first[name] != again[name]]
    assert changed == []
    assert len(first) > 50
