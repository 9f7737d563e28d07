"""One stylesheet: Material's main and palette CSS and the site's own, joined at build time
into one file every page links once (site/styles.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from arxiv_digest.site.styles import Stylesheets, rebase
from mkdocs.config import load_config
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files

from tests.site_support import ROOT

MATERIAL_CSS = Path(__import__("material").__file__).parent / "templates/assets/stylesheets"


@pytest.fixture(scope="module")
def site(sample_site: tuple[Path, dict]) -> Path:
    return sample_site[0]


def test_every_page_links_one_stylesheet_holding_materials_and_the_sites(site: Path) -> None:
    (joined,) = (site / "assets" / "stylesheets").iterdir()
    assert re.fullmatch(r"site\.[0-9a-f]{8}\.css", joined.name)
    css = joined.read_text("utf-8")
    (main,) = MATERIAL_CSS.glob("main.*.min.css")
    (palette,) = MATERIAL_CSS.glob("palette.*.min.css")
    # Material's main first (its @charset opens the file), then its palette, then digest.css.
    assert css.startswith(main.read_text("utf-8").strip())
    at = css.index(palette.read_text("utf-8").strip())
    assert at > 0 and css.index(".digest-tags > a") > at
    assert css.count("@charset") == 1 and "sourceMappingURL" not in css
    pages = list(site.rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        html = page.read_text("utf-8")
        assert html.count('rel="stylesheet"') == 1, page
        assert f'stylesheets/{joined.name}">' in html, page


def test_a_sheet_from_another_folder_keeps_its_urls() -> None:
    css = ('a{background:url("../img/x.png")} b{background:url(y.svg)} '
           'c{background:url(data:image/png;base64,AA)} d{background:url(https://e.org/z.png)}')
    moved = rebase(css, "css/extra/site.css", "assets/stylesheets")
    assert 'url("../../css/img/x.png")' in moved and "url(../../css/extra/y.svg)" in moved
    assert "url(data:image/png;base64,AA)" in moved and "url(https://e.org/z.png)" in moved
    assert rebase(css, "assets/stylesheets/digest.css", "assets/stylesheets") == css


def test_a_theme_without_materials_stylesheets_fails_in_one_line() -> None:
    config = load_config(str(ROOT / "mkdocs.yml"))
    with pytest.raises(PluginError, match=r"^theme: Material's main stylesheet .*not among"):
        Stylesheets().join(Files([]), config)


def test_only_the_sites_own_sheets_are_joined() -> None:
    config = load_config(str(ROOT / "mkdocs.yml"))
    config.extra_css = ["assets/stylesheets/digest.css", "https://cdn.example.org/x.css"]
    styles = Stylesheets()
    styles.take(config)
    assert styles.own == ["assets/stylesheets/digest.css"]
    assert config.extra_css == ["https://cdn.example.org/x.css"]
