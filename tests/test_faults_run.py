"""Whole runs under hostile conditions: killed, doubled, out of disk, hand-edited, fed scripts."""

from __future__ import annotations

import datetime as dt
import html.parser
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from arxiv_digest.pages import schema

from tests.fakes.arxiv_server import RECORDED_DAY, FakePaper
from tests.faults_support import Rig, assert_every_page_whole, efficient_papers
from tests.site_support import build_site, launch_chromium, make_docs, serve_site

SEED = 20261128
KILLS = 6


def _finish(child: subprocess.Popen[str], timeout: float = 120) -> subprocess.CompletedProcess[str]:
    out, err = child.communicate(timeout=timeout)
    return subprocess.CompletedProcess(child.args, child.returncode, out, err)


def _assert_consistent(docs: Path) -> int:
    """What a reader (or MkDocs) could see now: whole pages, and a day only once its papers are."""
    count = assert_every_page_whole(docs)
    for path in docs.rglob("*"):
        if path.is_file() and path.parent.name == "ledger" and path.suffix == ".json":
            json.loads(path.read_text())  # the day's ledger, published as is: whole
        elif path.is_file() and path.suffix != ".md":
            assert path.name.startswith("."), f"{path} is visible to MkDocs"
    for day in (docs / schema.DAYS_DIR).glob("*.md"):
        for arxiv_id in schema.read_day(day).meta.papers:
            assert schema.paper_path(docs, arxiv_id).is_file(), f"{day} lists a missing page"
    return count


def _timed_run(rig: Rig, docs: Path, **extra: str) -> tuple[float, float]:
    """An uninterrupted run: seconds until its first page appeared, and until it ended."""
    started = time.monotonic()
    child = rig.spawn("fetch", key=rig.llm.api_key, docs=docs, **extra)
    first = None
    while child.poll() is None:
        if first is None and docs.is_dir() and any(docs.rglob("*.md")):
            first = time.monotonic() - started
        time.sleep(0.005)
    done = _finish(child)
    assert done.returncode == 0, done.stderr
    ended = time.monotonic() - started
    return first or ended, ended


def _count_pages(docs: Path) -> int:
    try:
        return sum(e.name.endswith(".md") for e in os.scandir(docs / schema.PAPERS_DIR))
    except FileNotFoundError:
        return 0


@pytest.mark.slow
def test_killed_at_random_points_then_rerun_equals_an_uninterrupted_run(rig: Rig) -> None:
    papers = 60  # all kept (--all): many pages, so kills land mid-way through the writing
    rig.arxiv.set_feed("cs.LG", efficient_papers(papers))
    rig.llm.latency = 0.01
    clean = rig.root / "clean"
    done = _finish(rig.spawn("fetch", "--all", key=rig.llm.api_key, docs=clean,
                             DIGEST_CACHE_DIR=str(rig.root / "c-clean")))
    assert done.returncode == 0, done.stderr
    rng = random.Random(SEED)
    seen = []
    for n in range(KILLS):
        docs, cache = rig.root / f"docs{n}", str(rig.root / f"cache{n}")
        child = rig.spawn("fetch", "--all", key=rig.llm.api_key, docs=docs, DIGEST_CACHE_DIR=cache)
        if n % 2:  # while the pages are being written: once a random number of them exist
            target = rng.randint(1, papers - 10)
            while child.poll() is None and _count_pages(docs) < target:
                time.sleep(0.0005)
        else:  # before any page: starting up, reading arXiv, summarizing
            time.sleep(rng.uniform(0.05, 1.0))
        child.send_signal(signal.SIGKILL)
        _finish(child)
        seen.append(_assert_consistent(docs) if docs.is_dir() else 0)
        final = _finish(rig.spawn("fetch", "--all", key=rig.llm.api_key, docs=docs,
                                  DIGEST_CACHE_DIR=cache))
        assert final.returncode == 0, final.stderr
        assert not list(docs.rglob("*.tmp"))
        assert rig.pages(docs) == rig.pages(clean), f"kill {n} after {seen[-1]} pages"
    assert len(rig.pages(clean)) > papers  # the 60, the recorded day's others and the day
    assert any(0 < count <= papers for count in seen), seen  # some kills hit the writing


@pytest.mark.slow
def test_two_runs_at_once_one_waits_or_says_so_and_pages_equal_one_run(rig: Rig) -> None:
    rig.arxiv.set_feed("cs.LG", efficient_papers(30))
    rig.llm.latency = 0.02
    key = rig.llm.api_key
    clean = _finish(rig.spawn("fetch", key=key, docs=rig.root / "clean",
                              DIGEST_CACHE_DIR=str(rig.root / "c2")))
    assert clean.returncode == 0, clean.stderr
    first, second = rig.spawn("fetch", key=key), rig.spawn("fetch", key=key)
    results = [_finish(first), _finish(second)]
    codes = sorted(r.returncode for r in results)
    assert codes in ([0, 0], [0, 1]), [r.stderr for r in results]
    for result in results:
        if result.returncode == 1:
            line = result.stderr.strip().splitlines()[-1]
            assert "another arxiv-digest run (pid" in line and str(rig.docs) in line, line
    assert rig.pages() == rig.pages(rig.root / "clean")


def _next_day(rig: Rig, n: int) -> dt.date:
    tuesday = RECORDED_DAY + dt.timedelta(days=1)
    rig.arxiv.set_day(tuesday, {"cs.LG": efficient_papers(n, start=500)})
    return tuesday


@pytest.mark.slow
def test_disk_full_during_a_run_keeps_old_pages_and_the_rerun_completes(rig: Rig) -> None:
    docs, clean = rig.docs, rig.root / "clean"
    docs.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(docs)],
                      capture_output=True).returncode != 0:
        pytest.skip("cannot mount a tmpfs here (not permitted)")
    try:
        rig.arxiv.set_feed("cs.LG", efficient_papers(2))
        assert rig.run("fetch").code == 0 and rig.run("fetch", docs=clean).code == 0
        before = rig.pages()
        tuesday = _next_day(rig, 60)  # with --all, far more than 64 KiB of pages
        result = rig.run("fetch", "--all")
        assert result.code == 1
        line = result.last_line
        assert line.startswith(f"arxiv-digest: error: {docs}/") and "disk full" in line, line
        assert "Traceback" not in result.err
        after = rig.pages()
        assert {k: after[k] for k in before} == before  # old pages intact
        assert not schema.day_path(docs, tuesday).exists()  # the day is not done
        _assert_consistent(docs)
        assert not list(docs.rglob("*.tmp"))
        subprocess.run(["mount", "-o", "remount,size=4m", str(docs)], check=True)
        assert rig.run("fetch", "--all").code == 0
        written = rig.pages()
    finally:
        subprocess.run(["umount", "-l", str(docs)], check=True)
    # Same pages as runs that never ran out of space.
    assert rig.run("fetch", "--all", docs=clean).code == 0
    assert written == rig.pages(clean)


def test_write_refused_by_the_os_during_a_run_is_one_line(rig: Rig) -> None:
    """RLIMIT_FSIZE: the kernel refuses any file over 300 bytes (EFBIG), like a quota."""
    rig.arxiv.set_feed("cs.LG", efficient_papers(3))
    code = ("import resource; resource.setrlimit(resource.RLIMIT_FSIZE, (300, 300)); "
            "from arxiv_digest.cli import main; main()")
    child = subprocess.run([sys.executable, "-c", code, "fetch", "--docs-dir", str(rig.docs)],
                           env=rig.environ(), capture_output=True, text=True, timeout=120)
    assert child.returncode == 1
    line = child.stderr.strip().splitlines()[-1]
    assert line.startswith(f"arxiv-digest: error: {rig.docs}/papers/") and "too large" in line
    assert "Traceback" not in child.stderr
    assert rig.pages() == {} and not list(rig.docs.rglob("*.tmp"))


BAD_EDITS = {
    "unknown key": ("title:", "tittle: Typo in a key\ntitle:", "tittle"),
    "wrong type": ("version: 1", "version: two", "version"),
    "broken YAML": ("title:", 'comment: "never closed\ntitle:', "line"),
}


@pytest.mark.parametrize("edit", list(BAD_EDITS))
def test_a_person_breaking_the_front_matter_is_named_and_never_rewritten(
    rig: Rig, edit: str
) -> None:
    make_docs(rig.docs)
    papers = efficient_papers(2)
    rig.arxiv.set_feed("cs.LG", papers)
    assert rig.run("fetch", key=rig.llm.api_key).code == 0
    page = schema.paper_path(rig.docs, papers[0].arxiv_id)
    old, new, key = BAD_EDITS[edit]
    broken = page.read_text("utf-8").replace(old, new, 1)
    page.write_text(broken, "utf-8")
    checked = rig.run("check")
    assert checked.code == 1
    named = [line for line in checked.out.splitlines() if str(page) in line or page.name in line]
    assert named and key in named[0], checked.out
    for command in (("fetch",), ("resummarize",), ("fetch", "--all"), ("check",)):
        result = rig.run(*command, key=rig.llm.api_key)
        if result.code != 0 and command[0] != "check":
            assert page.name in result.last_line, result.err  # it stops, naming the page
        assert page.read_text("utf-8") == broken, f"{command} rewrote a person's page"
    if edit != "wrong type":
        return  # one strict build is enough to show the site refuses it too
    build = build_site(rig.docs, rig.root / "site", check=False)
    assert build.returncode != 0
    assert page.name in build.stdout and key in build.stdout, build.stdout
    assert page.read_text("utf-8") == broken


MARK = "__pwned"
HOSTILE = FakePaper(
    arxiv_id="2604.66601",
    title=f"<script>window.{MARK}=1</script> Quantized {{{{ config.site_name }}}} "
          f"{{% include 'x' %}} <img src=x onerror=\"window.{MARK}=2\">",
    abstract=f"We study quantization of large language models. [click](javascript:window.{MARK}=3) "
             f"<iframe src=\"javascript:window.{MARK}=4\"></iframe> {{{{ 7*7 }}}} "
             f"<svg onload=\"window.{MARK}=5\"></svg> $O(n^2)$ & a<b.",
    categories=["cs.LG"],
    authors=[f"<b onmouseover=\"window.{MARK}=6\">Eve</b>", "Mallory [x](javascript:alert(1))"],
    comment=f"<script>window.{MARK}=7</script> 12 pages",
)


class _Elements(html.parser.HTMLParser):
    """Every element and attribute in a page, to look for the hostile ones."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts.append(data)


def _assert_inert(page_html: str) -> None:
    parser = _Elements()
    parser.feed(page_html)
    assert not any(MARK in s for s in parser.scripts), "arXiv text became a script"
    for tag, attrs in parser.found:
        assert tag not in ("iframe", "svg") or MARK not in str(attrs), tag
        for name, value in attrs.items():
            assert not (name.startswith("on") and MARK in (value or "")), (tag, name, value)
            script_url = (value or "").strip().lower().startswith("javascript:")
            assert not (script_url and (MARK in value or "alert" in value)), (tag, name, value)


def _hostile_site(rig: Rig) -> Path:
    make_docs(rig.docs)
    rig.arxiv.set_feed("cs.LG", [HOSTILE])
    assert rig.run("fetch", "--all").code == 0
    site = rig.root / "site"
    build_site(rig.docs, site)
    return site


@pytest.mark.slow
def test_hostile_arxiv_text_is_inert_in_the_built_html(rig: Rig) -> None:
    site = _hostile_site(rig)
    paper = (site / "papers" / HOSTILE.arxiv_id / "index.html").read_text("utf-8")
    day = (site / "days" / RECORDED_DAY.isoformat() / "index.html").read_text("utf-8")
    for page_html in (paper, day, (site / "index.html").read_text("utf-8")):
        _assert_inert(page_html)
    # Shown as the text it is, templates not evaluated.
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in paper
    assert "{{ config.site_name }}" in paper and "{{ 7*7 }}" in paper


@pytest.mark.browser
def test_hostile_arxiv_text_runs_no_script_in_a_browser(rig: Rig) -> None:
    from playwright import sync_api

    site = _hostile_site(rig)
    with serve_site(site) as base, sync_api.sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            tab = browser.new_page()
            dialogs: list[str] = []
            tab.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            for path in (f"papers/{HOSTILE.arxiv_id}/", f"days/{RECORDED_DAY}/", ""):
                tab.goto(base + path)
                tab.wait_for_load_state("load")
                for link in tab.locator("a[href^='javascript']").all():
                    link.click()
                tab.mouse.move(5, 5)
                assert tab.evaluate(f"typeof window.{MARK}") == "undefined", path
            tab.goto(base + f"papers/{HOSTILE.arxiv_id}/")
            assert f"<script>window.{MARK}=1</script>" in tab.inner_text("body")
            assert dialogs == []
        finally:
            browser.close()
