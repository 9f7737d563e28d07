"""Accessibility and first load of the built site: axe-core on every page type in both palettes,
touch targets on a phone, the Nu HTML checker, and no sitemap fetched to navigate."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
from arxiv_digest.pages import schema

from tests.site_support import (
    HOSTILE_ID,
    build_site,
    make_docs,
    serve_site,
    write_day,
    write_sample_pages,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
PAGES = {
    "home": "",
    "day": "days/2026-04-27/",
    "weekend": "days/2026-04-25/",
    "paper": f"papers/{HOSTILE_ID}/",
    "tag": "tags/cs-lg/",
    "tags": "tags/",
    "archive": "archive/",
    "about": "about/",
    "stats": "stats/",
}
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("a11y-site")
    docs = make_docs(root / "docs")
    write_sample_pages(docs)
    write_day(docs, schema.Day(date=dt.date(2026, 4, 24), status="announced"))
    build_site(docs, root / "site")
    return root / "site"


@pytest.fixture(scope="module")
def base_url(site: Path) -> Iterator[str]:
    with serve_site(site) as url:
        yield url


def _open(page, url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(url)
    page.locator("article").wait_for()
    if page.locator("article .arithmatex").count():
        page.locator("article .arithmatex .katex").first.wait_for()


def _axe(page) -> list[str]:  # type: ignore[no-untyped-def]
    """axe-core's violations on the page, one line each: rule, impact, help and where."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    assert len(result["passes"]) > 20  # the rules ran
    return [f"{v['id']} ({v['impact']}): {v['help']} at "
            + ", ".join(" ".join(node["target"]) for node in v["nodes"][:5])
            + "".join(f" ({check['message']})" for check in v["nodes"][0]["any"][:1])
            for v in result["violations"]]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violation_on_any_page(browser, base_url: str, scheme: str,  # type: ignore[no-untyped-def]
                                            viewport: dict[str, int]) -> None:
    context = browser.new_context(color_scheme=scheme, viewport=viewport)
    page = context.new_page()
    found = {}
    for name, path in PAGES.items():
        _open(page, base_url + path)
        palette = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
        assert palette == ("slate" if scheme == "dark" else "default")
        found[name] = _axe(page)
    # The search dialog open, with hits listed.
    _open(page, base_url + PAGES["day"])
    opener = page.locator("label.md-header__button[for=__search]")
    if opener.is_visible():  # a phone: the magnifier opens the dialog
        opener.click()
    page.locator(".md-search__input").click()
    page.locator(".md-search__input").fill("pruning")
    page.locator(".md-search-result__item").first.wait_for()
    found["search"] = _axe(page)
    context.close()
    assert {name: lines for name, lines in found.items() if lines} == {}


def test_axe_reports_what_it_should(browser, base_url: str) -> None:  # type: ignore[no-untyped-def]
    """The check above can fail: a dialog without a name and a faint link are reported."""
    page = browser.new_page()
    _open(page, base_url + PAGES["about"])
    page.evaluate("""() => {
        document.body.insertAdjacentHTML('beforeend', '<div role="dialog">x</div>');
        const p = document.querySelector('article p');
        p.insertAdjacentHTML('beforeend',
            ' <a href="#" style="color: #222; text-decoration: none">faint</a>');
    }""")
    found = " ".join(_axe(page))
    assert "aria-dialog-name" in found
    assert "link-in-text-block" in found
    page.close()


# Every target a reader can tap: its box, once scrolled into view, and its label.
_SMALL_TARGETS = """() => {
  const small = [];
  let checked = 0;
  const selector = 'a[href], button, input:not([type=hidden]), label[for], summary, select';
  for (const el of document.querySelectorAll(selector)) {
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.display === 'none') continue;
    let box = el.getBoundingClientRect();
    if (!box.width || !box.height) continue;
    if (box.right <= 0 || box.left >= innerWidth) continue;  // off-screen (the closed drawer)
    el.scrollIntoView({block: 'center'});
    box = el.getBoundingClientRect();
    checked += 1;
    if (box.width < 24 || box.height < 24) {
      const label = (el.textContent || el.getAttribute('aria-label') || '').trim().slice(0, 40);
      small.push(`${el.tagName.toLowerCase()}.${el.className} "${label}" `
                 + `${Math.round(box.width)}x${Math.round(box.height)}`);
    }
  }
  return {checked, small};
}"""


def test_touch_targets_are_24_px_or_more_on_a_phone(browser, base_url: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    found = {}
    for name, path in PAGES.items():
        _open(page, base_url + path)
        result = page.evaluate(_SMALL_TARGETS)
        assert result["checked"] >= 5, name
        found[name] = result["small"]
    context.close()
    assert {name: small for name, small in found.items() if small} == {}


def _sitemap_requests(browser, url: str) -> tuple[list[str], list[str]]:  # type: ignore[no-untyped-def]
    """The sitemaps a first load (on a phone) requests, and the page's feed links."""
    context = browser.new_context(viewport=PHONE, is_mobile=True)
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(url, wait_until="networkidle")
    feeds = page.evaluate("Array.from(document.querySelectorAll('link[rel=alternate]'),"
                          " link => link.href)")
    context.close()
    assert any("/bundle." in u for u in requested)  # Material's script ran on the page
    return [u for u in requested if "sitemap" in u.rsplit("/", 1)[-1]], feeds


def test_first_load_fetches_no_sitemap_to_navigate(browser, base_url: str) -> None:  # type: ignore[no-untyped-def]
    """No instant navigation: a paper page (most of the site) requests no sitemap. Material's
    language switch reads a sitemap.xml beside each <link rel="alternate"> (the feed links of
    the home, day and list pages): those, and no more, are what the other pages request."""
    sitemaps, feeds = _sitemap_requests(browser, base_url + PAGES["paper"])
    assert feeds == []
    assert sitemaps == []
    for name in ("home", "day", "tag"):
        sitemaps, feeds = _sitemap_requests(browser, base_url + PAGES[name])
        assert feeds, name
        beside_feeds = {urllib.parse.urljoin(feed, "sitemap.xml") for feed in feeds}
        assert set(sitemaps) == beside_feeds, name


# --------------------------------------------------------------------------- Nu HTML checker

#: Errors the Nu checker finds in Material's own markup (base.html), not in this project's
#: templates: its drawer and search toggles are checkboxes with autocomplete="off" (which keeps
#: Firefox from restoring them on back navigation).
MATERIAL_ERRORS = {
    ('Attribute “autocomplete” is only allowed when the input type is “color”, “date”, '
     '“datetime-local”, “email”, “hidden”, “month”, “number”, “password”, “range”, “search”, '
     '“tel”, “text”, “time”, “url”, or “week”.', "md-toggle"),
}


def _vnu() -> list[str]:
    """The command running the Nu checker: VNU_JAR (the npm package vnu-jar's vnu.jar) with
    java; .ci/run installs both. Skipped where they are missing, except in CI."""
    jar, java = os.environ.get("VNU_JAR"), shutil.which("java")
    if not jar or not Path(jar).is_file() or not java:
        if os.environ.get("CI") == "true":
            pytest.fail("CI needs java and VNU_JAR (the Nu HTML checker); see .ci/run")
        pytest.skip("no Nu HTML checker (set VNU_JAR to vnu.jar, with java on PATH)")
    return [java, "-jar", jar]


def test_nu_checker_finds_no_error_from_the_project(site: Path) -> None:
    files = [site / path / "index.html" for path in PAGES.values()] + [site / "404.html"]
    done = subprocess.run([*_vnu(), "--errors-only", "--format", "json", *map(str, files)],
                          capture_output=True, text=True, timeout=300)
    messages = json.loads(done.stderr)["messages"]
    errors = [m for m in messages if m["type"] == "error" or m.get("subType") == "fatal"]
    assert errors, "Material's known errors are missing: did the checker run?"
    ours = [f"{m['url'].rsplit('/site/', 1)[-1]}:{m.get('lastLine')}: {m['message']} "
            f"[{m.get('extract', '').strip()}]"
            for m in errors
            if not any(message == m["message"] and mark in m.get("extract", "")
                       for message, mark in MATERIAL_ERRORS)]
    assert ours == []


#: Scripts that run before the first paint on purpose: Material's storage helpers and the
#: palette restore (one file), so that a reader's chosen palette shows without a flash.
BEFORE_PAINT = {"palette.js"}


def test_first_load_runs_no_script_before_paint_that_the_page_does_not_need(  # type: ignore[no-untyped-def]
        browser, base_url: str) -> None:
    context = browser.new_context(viewport=PHONE, is_mobile=True)
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    for name, path in PAGES.items():
        requested.clear()
        _open(page, base_url + path)
        blocking = page.evaluate("""Array.from(document.querySelectorAll('script[src]'))
            .filter(s => !s.defer && !s.async && s.type !== 'module')
            .map(s => s.src.split('/').pop())""")
        assert set(blocking) == BEFORE_PAINT, name
        katex = [u for u in requested if "/katex/" in u]
        math = page.locator("article .arithmatex").count()
        assert bool(katex) == bool(math), f"{name}: {math} math, KaTeX requests {katex}"
    context.close()
