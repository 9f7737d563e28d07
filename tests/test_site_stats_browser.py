"""In a real browser: the stats page's charts and tables hold the fixture's numbers in both
palettes, and a day page's compact list view switches, is kept across pages and reloads, and
leaves the keys working."""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from arxiv_digest.pages import schema
from arxiv_digest.pages.ledger import Ledger, dump, ledger_path
from arxiv_digest.site.render import long_date

from tests.site_support import (
    HOSTILE_ID,
    build_site,
    make_docs,
    sample_paper,
    serve_site,
    write_day,
    write_paper,
    write_sample_pages,
)
from tests.test_site_stats import ledger_entry

pytestmark = [pytest.mark.browser, pytest.mark.slow]

FRIDAY, MONDAY, TUESDAY = dt.date(2026, 4, 24), dt.date(2026, 4, 27), dt.date(2026, 4, 28)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    root = tmp_path_factory.mktemp("stats-site")
    docs = make_docs(root / "docs")
    write_sample_pages(docs)
    write_paper(docs, sample_paper("2604.00005", announced=FRIDAY, topics=["quantization"]))
    write_day(docs, schema.Day(date=FRIDAY, status="announced", papers=["2604.00005"],
                               listed={"cs.LG": 310, "cs.AI": 120}))
    for date, source in ((MONDAY, "rss"), (TUESDAY, "api")):
        path = ledger_path(docs, date)
        path.parent.mkdir(exist_ok=True)
        path.write_text(dump(Ledger.model_validate(ledger_entry(date, source=source))))
    build_site(docs, root / "site")
    with serve_site(root / "site") as url:
        yield url, docs


def _announced(docs: Path) -> list[schema.DayPage]:
    days = [schema.read_day(p) for p in sorted((docs / "days").glob("*.md"))]
    return [d for d in days if d.meta.status == "announced"]


def _rgba(css: str) -> tuple[float, float, float, float]:
    values = [float(v) for v in re.findall(r"[\d.]+", css)]
    return (*values[:3], values[3] if len(values) > 3 else 1.0)  # type: ignore[return-value]


def _luminance(rgb: tuple[float, float, float]) -> float:
    def channel(value: float) -> float:
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    r, g, b = rgb
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def _contrast(colour: str, background: str) -> float:
    """WCAG contrast of a CSS colour (its alpha blended over ``background``, opaque)."""
    *fg, alpha = _rgba(colour)
    bg = _rgba(background)[:3]
    blended = tuple(alpha * f + (1 - alpha) * b for f, b in zip(fg, bg, strict=True))
    high, low = sorted((_luminance(blended), _luminance(bg)), reverse=True)  # type: ignore[arg-type]
    return (high + 0.05) / (low + 0.05)


def test_stats_page_charts_the_fixtures_numbers_in_both_palettes(browser, site) -> None:  # type: ignore[no-untyped-def]
    base, docs = site
    days = _announced(docs)
    expected_days = [(d.meta.date, len(d.meta.papers)) for d in days]
    assert [n for _, n in expected_days] == [1, 2, 2]
    papers = [schema.read_paper(p) for p in (docs / "papers").glob("*.md")]
    topics = Counter(t for p in papers for t in (p.meta.topics or ["none"]))
    folder = Path(tempfile.mkdtemp(prefix="digest-stats-screenshots-"))
    print(f"screenshots: {folder}")
    for scheme in ("light", "dark"):
        context = browser.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 800})
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda err: errors.append(str(err)))  # noqa: B023
        # Linked from the home page.
        page.goto(base)
        page.locator("article a", has_text="stats").first.click()
        page.wait_for_url(re.compile(r".*/stats/$"))
        chart = page.locator("svg.digest-chart__svg").first
        assert chart.get_attribute("role") == "img"
        labelled = chart.get_attribute("aria-labelledby").split()
        assert page.locator(f"#{labelled[0]}").text_content() == "Papers kept per announcement day"
        desc = page.locator(f"#{labelled[1]}").text_content()
        assert "1.7 papers a day on average; most 2" in desc
        bars = chart.locator("rect.digest-chart__bar")
        assert bars.count() == len(expected_days)
        for n, (date, count) in enumerate(expected_days):
            label = f"{long_date(date)}: {count} paper{'s' if count != 1 else ''}"
            assert bars.nth(n).locator("title").text_content() == label
        heights = [float(bars.nth(n).get_attribute("height")) for n in range(bars.count())]
        assert heights[1] == pytest.approx(2 * heights[0], abs=0.2) and heights[1] == heights[2]
        # The numbers as a table too (newest first).
        numbers = page.locator("details.digest-numbers").first
        numbers.locator("summary").click()
        cells = numbers.locator("tbody tr").all_inner_texts()
        assert [c.split("\t") for c in cells] == [
            [long_date(d), str(n)] for d, n in reversed(expected_days)]

        # Topics: a row per topic with its total, on one scale.
        topic_chart = page.locator("svg.digest-chart__svg").nth(1)
        texts = topic_chart.locator("text").all_text_contents()
        assert texts[:2] == ["Quantization", str(topics["quantization"])]
        assert ["No topic", str(topics["none"])] == texts[texts.index("No topic"):][:2]

        # The last days: the ledger's figures, or the day page's without one.
        rows = page.locator("table").last.locator("tbody tr").all_inner_texts()
        assert [r.split("\t") for r in rows] == [
            ["Tue 28 Apr 2026", "API (back-filled)", "700", "2", "—", "0 / 250", "2 / 520"],
            ["Mon 27 Apr 2026", "RSS", "700", "2", "—", "0 / 250", "2 / 520"],
            ["Fri 24 Apr 2026", "day page", "—", "1", "1 / 120", "—", "1 / 310"],
        ]
        heads = page.locator("table").last.locator("thead th").all_inner_texts()
        assert [h.split("\n")[0] for h in heads[4:]] == ["cs.AI", "cs.CL", "cs.LG"]

        # Readable in this palette: bars 3:1 and text 4.5:1 against the page.
        background = page.evaluate("getComputedStyle(document.querySelector('.md-main'))"
                                   ".backgroundColor")
        if "rgba(0, 0, 0, 0)" in background:
            background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        fill = bars.first.evaluate("e => getComputedStyle(e).fill")
        text = chart.locator("text").first.evaluate("e => getComputedStyle(e).fill")
        assert _contrast(fill, background) >= 3, (scheme, fill, background)
        assert _contrast(text, background) >= 4.5, (scheme, text, background)
        page.screenshot(path=str(folder / f"stats-{scheme}.png"), full_page=True)
        # Every link of the page (days, topics) leads to a page of the site.
        hrefs = page.eval_on_selector_all("article a[href]", "as => as.map(a => a.href)")
        assert any("/tags/quantization/" in h for h in hrefs)
        assert any("/days/2026-04-24/" in h for h in hrefs)
        for href in set(hrefs):
            assert page.request.get(href).status == 200, href
        assert errors == []
        context.close()
        # On a phone the chart keeps its size and scrolls sideways; it takes the focus.
        context = browser.new_context(color_scheme=scheme, viewport={"width": 390, "height": 844},
                                      is_mobile=True)
        page = context.new_page()
        page.goto(base + "stats/")
        scroll = page.locator(".digest-chart__scroll").first
        assert scroll.evaluate("e => e.scrollWidth > e.clientWidth")
        scroll.focus()
        page.keyboard.press("ArrowRight")
        page.wait_for_function(
            "document.querySelector('.digest-chart__scroll').scrollLeft > 0")
        page.screenshot(path=str(folder / f"stats-mobile-{scheme}.png"), full_page=True)
        context.close()


def test_compact_view_switches_persists_and_keeps_the_keys(browser, site) -> None:  # type: ignore[no-untyped-def]
    base, _ = site
    folder = Path(tempfile.mkdtemp(prefix="digest-compact-screenshots-"))
    print(f"screenshots: {folder}")
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    # Arrive by instant navigation (archive -> day): the script runs on the new page.
    page.goto(base + "archive/")
    page.locator("article a", has_text="Mon 27").click()
    page.wait_for_url(re.compile(r".*/days/2026-04-27/$"))
    button = page.get_by_role("button", name="Compact list")
    button.wait_for()
    assert button.is_visible() and button.get_attribute("aria-pressed") == "false"
    summaries = page.locator("article .digest-summary")
    assert summaries.first.is_visible()

    button.click()
    assert button.get_attribute("aria-pressed") == "true"
    assert summaries.count() == 2 and not summaries.first.is_visible()
    assert not page.locator("article .digest-meta").first.is_visible()
    titles = page.locator("article h2.digest-entry a")
    assert titles.count() == 2 and titles.nth(1).is_visible()
    assert page.locator("article .digest-papers .digest-tags a", has_text="Pruning").is_visible()

    # j / k / o work in the compact list.
    page.keyboard.press("j")
    page.keyboard.press("j")
    assert page.evaluate("document.activeElement.href") == titles.nth(1).evaluate("a => a.href")
    page.keyboard.press("k")
    assert page.evaluate("document.activeElement.href") == titles.nth(0).evaluate("a => a.href")
    context.route("https://arxiv.org/**", lambda route: route.fulfill(body="arXiv"))
    with context.expect_page() as opened:
        page.keyboard.press("o")
    opened.value.wait_for_load_state()
    assert opened.value.url == f"https://arxiv.org/abs/{HOSTILE_ID}v1"
    opened.value.close()

    # Kept across a reload and on another day page.
    page.reload()
    assert button.get_attribute("aria-pressed") == "true"
    assert not summaries.first.is_visible()
    page.screenshot(path=str(folder / "day-compact-light.png"))
    page.goto(base + "days/2026-04-28/")
    assert page.get_by_role("button", name="Compact list").get_attribute("aria-pressed") == "true"
    assert not page.locator("article .digest-summary").first.is_visible()

    # The keyboard switches it back (a real button: Tab reaches it, Space presses it).
    button = page.get_by_role("button", name="Compact list")
    button.focus()
    page.keyboard.press("Space")
    assert button.get_attribute("aria-pressed") == "false"
    assert page.locator("article .digest-summary").first.is_visible()
    page.reload()
    assert page.get_by_role("button", name="Compact list").get_attribute("aria-pressed") == "false"
    assert errors == []
    context.close()

    # Screenshots of the compact list on desktop and phone, in both palettes.
    for scheme in ("light", "dark"):
        for name, viewport in (("desktop", {"width": 1280, "height": 800}),
                               ("mobile", {"width": 390, "height": 844})):
            context = browser.new_context(color_scheme=scheme, viewport=viewport,
                                          is_mobile=name == "mobile")
            page = context.new_page()
            page.goto(base + "days/2026-04-27/")
            page.get_by_role("button", name="Compact list").click()
            path = folder / f"day-compact-{name}-{scheme}.png"
            page.screenshot(path=str(path))
            assert path.stat().st_size > 10_000
            context.close()


def test_without_script_the_day_shows_the_full_view(browser, site) -> None:  # type: ignore[no-untyped-def]
    base, _ = site
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base + "days/2026-04-27/")
    assert page.locator("article .digest-summary").first.is_visible()
    # The button keeps its place but is not shown: it would do nothing.
    assert page.locator(".digest-viewtoggle").count() == 1
    assert not page.locator(".digest-viewtoggle").is_visible()
    context.close()
