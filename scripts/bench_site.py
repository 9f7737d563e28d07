#!/usr/bin/env python3
"""Benchmark the site build against plain MkDocs + Material over N synthetic paper pages.

    .venv/bin/python scripts/bench_site.py                 # N = 1000 5000 20000
    .venv/bin/python scripts/bench_site.py 2000 --preview  # also time a --dirty preview edit
    .venv/bin/python scripts/bench_site.py 20000 --pairs 3 # then 3 builds of each in turn
    .venv/bin/python scripts/bench_site.py --incremental 20000 50000 100000  # a day's publish

The pages are written through the real schema (``render_paper``/``render_day``), ~30 papers per
announcement day, 230-word abstracts. Each build runs in a fresh subprocess so peak memory is its
own: the largest process of the build, and (``--incremental``) the peak of the summed RSS of all
its processes at once (MkDocs, the validator's second process and the search indexer).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from arxiv_digest.pages import schema
from synthetic_docs import SyntheticPaper, add_day, coined, copy_hand_written, generate_docs

ROOT = Path(__file__).resolve().parent.parent

# ---------------------------------------------------------------- builds

_PLAIN_CONFIG = """\
site_name: arXiv digest (plain Material)
docs_dir: {docs}
theme: {{name: material}}
plugins: [search]
nav: [index.md]
not_in_nav: |
  /papers/
  /days/
"""

# Runs one build as its only child and samples the memory of its whole process tree (MkDocs,
# the validator's second process, the search indexer) every 50 ms: the sum of their RSS is what
# the build needs at once. RUSAGE_CHILDREN holds the peak of the largest single process.
# A child between its fork and its exec (PF_FORKNOEXEC in its flags) is not counted: until it
# runs its program it shares its parent's pages (Python spawns through vfork), and its RSS is
# its parent's; counted, a sample taken as MkDocs starts an indexer doubles MkDocs.
_MEASURE = """\
import json, os, resource, subprocess, sys, time
PAGE = os.sysconf("SC_PAGE_SIZE")
TICK = os.sysconf("SC_CLK_TCK")
FORKNOEXEC = 0x40
def cpu(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            name, _, rest = f.read().rpartition(")")
        fields = rest.split()
        return (name.partition("(")[2], (int(fields[11]) + int(fields[12])) / TICK,
                int(fields[6]) & FORKNOEXEC)
    except (OSError, ValueError, IndexError):
        return None
def rss(pid):
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * PAGE
    except (OSError, ValueError, IndexError):
        return 0
def children(pid):
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                found += f.read().split()
    except OSError:
        pass
    return found
start = time.perf_counter()
build = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                         text=True)
peak, at_peak = 0, {}
seen = {}  # pid -> (kind, CPU seconds at its last sample)
timeline = []  # one sample a second: the second's largest sum, by kind of process
second = None
import threading
log = []
reader = threading.Thread(target=lambda: log.append(build.stderr.read()), daemon=True)
reader.start()
def kind_of(pid, name):
    if pid == str(build.pid):
        return "mkdocs"
    if name.startswith("python"):
        return "validator"
    return "pagefind" if name.startswith("pagefind") else "other"
while build.poll() is None:
    total, todo, kinds = 0, [str(build.pid)], {}
    while todo:
        pid = todo.pop()
        found = cpu(pid)
        todo += children(pid)
        if found is not None and found[2] and pid != str(build.pid):
            continue  # forked, not yet its own program: its pages are its parent's
        size = rss(pid)
        total += size
        kind = kind_of(pid, found[0] if found else "")
        kinds[kind] = kinds.get(kind, 0) + size
        if found is not None and found[0] != "nice":
            seen[pid] = (kind, found[1])
    now = time.perf_counter() - start
    if total > peak:
        at_peak = {"seconds": round(now, 2), **{k: v // 1024 for k, v in kinds.items()}}
        peak = total
    if second is None or int(now) != int(second[0]):
        second = [now, 0, {}]
        timeline.append(second)
    if total // 1024 > second[1]:
        second[1:] = [total // 1024, {k: v // 1024 for k, v in kinds.items()}]
    time.sleep(0.05)
reader.join()
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
by_process = {}
for kind, seconds in seen.values():
    by_process[kind] = by_process.get(kind, 0) + seconds
print(json.dumps({"rc": build.returncode, "seconds": time.perf_counter() - start,
                  "cpu": usage.ru_utime + usage.ru_stime, "rss_kb": usage.ru_maxrss,
                  "tree_kb": peak // 1024, "at_peak_kb": at_peak, "by_process": by_process,
                  "timeline": [[round(t, 1), kb, by] for t, kb, by in timeline],
                  "log": "".join(log)[-3000:]}))
"""


@dataclass
class Result:
    """Figures of one build."""

    seconds: float
    cpu: float
    """User + system CPU seconds of the build and its children (steadier than wall time)."""
    rss_mb: float
    """Peak RSS of the largest single process of the build."""
    site_bytes: int
    index_bytes: int
    first_hit_bytes: int = 0
    first_hit_seconds: float = 0.0
    tree_mb: float = 0.0
    """Peak of the summed RSS of the build's processes (sampled every 50 ms): what MkDocs and
    the indexer running beside it need together."""
    by_process: dict[str, float] = field(default_factory=dict)
    """CPU seconds of each kind of process of the build (mkdocs, the validator's second process,
    the search indexer), as last sampled every 50 ms: up to 50 ms short each."""
    at_peak: dict[str, float] = field(default_factory=dict)
    """At the peak of the summed RSS: MB of each kind of process (mkdocs, validator, pagefind,
    other), and ``seconds`` into the build."""
    timeline: list[list] = field(default_factory=list)
    """[seconds, summed KB, {kind: KB}] of the largest sample of each second of the build."""


def _tree_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.exists() else 0


def page_sizes(site: Path, n: int) -> list[str]:
    """Where the site's bytes go, per paper: by top folder (a paper page is papers/<id>/), the
    median paper page, and the largest HTML page of each folder."""
    by_part: dict[str, int] = {}
    largest: dict[str, tuple[int, str]] = {}
    papers: list[int] = []
    for path in site.rglob("*"):
        if not path.is_file():
            continue
        rel = path.relative_to(site).as_posix()
        part = rel.split("/")[0] if "/" in rel else "(root files)"
        size = path.stat().st_size
        by_part[part] = by_part.get(part, 0) + size
        if rel.endswith(".html"):
            largest[part] = max(largest.get(part, (0, "")), (size, rel))
            if part == "papers":
                papers.append(size)
    papers.sort()
    lines = [f"site bytes per paper by folder ({n:,} papers): " + ", ".join(
        f"{part} {size / n / 1024:.2f} KB" for part, size in
        sorted(by_part.items(), key=lambda item: -item[1]))]
    if papers:
        lines.append(f"paper page: median {papers[len(papers) // 2] / 1024:.1f} KB, "
                     f"largest {papers[-1] / 1024:.1f} KB")
    top = max(largest.values(), default=(0, "-"))
    lines.append(f"largest page: {top[1]} {top[0] / 1024:.1f} KB; largest by folder: " + ", ".join(
        f"{part} {size / 1024:.0f} KB" for part, (size, _) in sorted(largest.items())))
    return lines


def _peak_of(figures: dict) -> dict[str, float]:
    return {kind: value if kind == "seconds" else value / 1024
            for kind, value in figures.get("at_peak_kb", {}).items()}


def _measure(command: list[str], env: dict[str, str]) -> dict:
    done = subprocess.run([sys.executable, "-c", _MEASURE, *command], env=env, cwd=ROOT,
                          capture_output=True, text=True, check=True)
    figures = json.loads(done.stdout)
    if figures["rc"] != 0:
        raise SystemExit(f"build failed: {' '.join(command)}\n{figures['log']}")
    return figures


def build_project(docs: Path, site: Path, *, dirty: bool = False) -> Result:
    """One build of the project's site; ``dirty``: incremental, from the state beside ``site``
    (a full build when there is none)."""
    env = {**os.environ, "DIGEST_DOCS_DIR": str(docs), "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(ROOT / "mkdocs.yml"),
               "-d", str(site), *(["--dirty"] if dirty else [])]
    figures = _measure(command, env)
    return Result(figures["seconds"], figures["cpu"], figures["rss_kb"] / 1024, _tree_bytes(site),
                  _tree_bytes(site / "pagefind"), tree_mb=figures["tree_kb"] / 1024,
                  by_process=figures["by_process"], at_peak=_peak_of(figures),
                  timeline=figures["timeline"])


def build_plain(docs: Path, site: Path) -> Result:
    config = docs.parent / "plain.yml"
    config.write_text(_PLAIN_CONFIG.format(docs=docs), "utf-8")
    command = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site)]
    figures = _measure(command, {**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    return Result(figures["seconds"], figures["cpu"], figures["rss_kb"] / 1024, _tree_bytes(site),
                  _tree_bytes(site / "search"), tree_mb=figures["tree_kb"] / 1024,
                  by_process=figures["by_process"], at_peak=_peak_of(figures),
                  timeline=figures["timeline"])


# ---------------------------------------------------------------- search in a browser

#: Responses that belong to search: Pagefind's bundle and our box, or Material's index + worker.
_SEARCH_URLS = ("/pagefind/", "pagefind-search.js", "search-words.js", "/search/search_index",
                "/workers/search")


@dataclass(frozen=True)
class Hit:
    """The first result of a search typed into the header box, and what it cost."""

    href: str
    title: str
    bytes: int
    """Bytes of the search responses (index, code, fragments) downloaded until it showed."""
    seconds: float
    """From typing the query to the first result on screen."""


#: Calls back when the first hit is in the result list (the box may go on loading more).
_ON_FIRST_HIT = """() => {
  const list = document.querySelector(".md-search-result__list");
  const seen = new MutationObserver(() => {
    const link = list.querySelector("li a");
    if (!link) return;
    seen.disconnect();
    const title = link.querySelector("h1")?.textContent || "";
    window.__digestFirstHit(link.getAttribute("href") || "", title);
  });
  seen.observe(list, { childList: true, subtree: true });
}"""


def search_first_hit(page, url: str, query: str, *, timeout: float = 60) -> Hit:
    """Open ``url`` in a Playwright ``page``, type ``query`` into the header search, await a hit.
    Its bytes and time are those when the first hit entered the list (the search box may go on
    merging more shards, in rounds, after it)."""
    sizes: dict[str, int] = {}
    shown: list[Hit] = []

    def count(response) -> None:
        if any(part in response.url for part in _SEARCH_URLS) and not shown:
            try:
                sizes[response.url] = len(response.body())
            except Exception:  # noqa: BLE001 - a redirect or aborted response has no body
                sizes.setdefault(response.url, 0)

    def first_hit(href: str, title: str) -> None:
        shown.append(Hit(href, title.strip(), sum(sizes.values()), time.perf_counter() - start))

    page.on("response", count)
    if not hasattr(page, "digest_first_hit"):  # once a page: the call goes to this search's
        page.expose_function("__digestFirstHit", lambda *hit: page.digest_first_hit(*hit))
    page.digest_first_hit = first_hit
    page.goto(url, wait_until="load")
    page.evaluate(_ON_FIRST_HIT)
    box = page.locator("input.md-search__input")
    box.click()
    start = time.perf_counter()
    box.fill(query)
    page.locator(".md-search-result__list li a").first.wait_for(state="visible",
                                                                timeout=timeout * 1000)
    while not shown:  # the page's call may arrive just after
        page.wait_for_timeout(10)
    page.remove_listener("response", count)
    return shown[0]


def word_directory(site: Path) -> str:
    """The size of the search's word directory (pagefind/words/): files, total, largest."""
    sizes = [p.stat().st_size for p in (site / "pagefind" / "words").glob("*.json")]
    listing = (site / "pagefind" / "shards.json").stat().st_size
    return (f"word directory: {len(sizes):,} files, {sum(sizes) / 1024:,.0f} KB in all, "
            f"largest {max(sizes, default=0) / 1024:.1f} KB, shards.json {listing / 1024:.1f} KB")


def _browser_hit(site: Path, paper: SyntheticPaper, timeout: float) -> Hit:
    sys.path.insert(0, str(ROOT))
    from playwright.sync_api import sync_playwright

    from tests.site_support import launch_chromium, serve_site

    with serve_site(site) as base, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            hit = search_first_hit(browser.new_page(), base, paper.unique_word, timeout=timeout)
        except Exception as err:  # noqa: BLE001 - a slow search is a figure, not a crash
            print(f"  no hit within {timeout:.0f} s at {site.name} ({type(err).__name__})",
                  flush=True)
            hit = Hit("", "", _tree_bytes(site / "search"), float("nan"))
        finally:
            browser.close()
    if not hit.href.rstrip("/").endswith(f"papers/{schema.paper_slug(paper.arxiv_id)}"):
        print(f"  warning: first hit for {paper.unique_word!r} is {hit.href}, not {paper.arxiv_id}")
    return hit


# ---------------------------------------------------------------- preview


def measure_preview(docs: Path, paper: SyntheticPaper, *, timeout: float = 900) -> float:
    """Seconds from saving an edit of one paper page to `mkdocs serve --dirty` serving it."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    base = f"http://127.0.0.1:{port}/"
    env = {**os.environ, "DIGEST_DOCS_DIR": str(docs), "SITE_URL": base,
           "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "mkdocs", "serve", "--dirty", "-f", str(ROOT / "mkdocs.yml"),
               "-a", f"127.0.0.1:{port}"]
    url = f"{base}papers/{schema.paper_slug(paper.arxiv_id)}/"
    log = (docs.parent / "serve.log").open("w")
    server = subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    try:
        _wait_for(url, lambda body: True, timeout)
        _wait_for(f"{base}pagefind/shards.json", lambda body: True, timeout)
        time.sleep(2)  # let the first build's search indexing settle
        path = schema.paper_path(docs, paper.arxiv_id)
        mark = f"previewmark{int(time.time())}"
        path.write_text(path.read_text("utf-8").replace("\n- ", f"\n- {mark} ", 1), "utf-8")
        start = time.perf_counter()
        _wait_for(url, lambda body: mark in body, timeout)
        return time.perf_counter() - start
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def _wait_for(url: str, ready, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if ready(response.read().decode("utf-8", "replace")):
                    return
        except OSError:
            pass
        time.sleep(0.05)
    raise SystemExit(f"timed out waiting for {url}")


# ---------------------------------------------------------------- the table


def _row(n: int, name: str, r: Result, preview: str) -> str:
    return (f"| {n:,} | {name} | {r.seconds:.1f} | {r.cpu:.1f} | {r.rss_mb:.0f} | "
            f"{r.site_bytes / n / 1024:.1f} | "
            f"{r.index_bytes / n:,.0f} | {r.first_hit_bytes / 1024:,.0f} | "
            f"{r.first_hit_seconds:.2f} | {preview} |")


def _ratio_row(n: int, p: Result, q: Result) -> str:
    def ratio(a: float, b: float) -> str:
        return f"{a / b:.2f}x" if b else "-"

    return (f"| {n:,} | project/plain | {ratio(p.seconds, q.seconds)} | {ratio(p.cpu, q.cpu)} | "
            f"{ratio(p.rss_mb, q.rss_mb)} | "
            f"{ratio(p.site_bytes, q.site_bytes)} | {ratio(p.index_bytes, q.index_bytes)} | "
            f"{ratio(p.first_hit_bytes, q.first_hit_bytes)} | "
            f"{ratio(p.first_hit_seconds, q.first_hit_seconds)} | |")


HEADER = (
    "| papers | build | build s | CPU s | peak RSS MB | site KB/paper | search index B/paper "
    "| KB to first hit | s to first hit | preview s |\n"
    "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|"
)


def paired(project_docs: Path, plain_docs: Path, work: Path, pairs: int) -> list[str]:
    """Builds of the project and of plain Material in turn, ``pairs`` times: on a shared
    machine whose speed drifts, the ratio of the two builds of one pair is the steady figure."""
    walls, cpus, lines = [], [], []
    for _ in range(pairs):
        project = build_project(project_docs, work / "project-site")
        plain = build_plain(plain_docs, work / "plain-site")
        walls.append(project.seconds / plain.seconds)
        cpus.append(project.cpu / plain.cpu)
        lines.append(f"pair: wall {project.seconds:.1f} s / {plain.seconds:.1f} s; CPU s by "
                     f"process: project {_by_process(project)}; plain {_by_process(plain)}")
    return [*lines, f"project/plain build time, {pairs} pairs in turn: wall "
            + ", ".join(f"{r:.2f}x" for r in walls) + f" (median {statistics.median(walls):.2f}x); "
            "CPU " + ", ".join(f"{r:.2f}x" for r in cpus)
            + f" (median {statistics.median(cpus):.2f}x)"]


def _by_process(result: Result) -> str:
    return ", ".join(f"{kind} {seconds:.1f}" for kind, seconds in sorted(result.by_process.items()))


def bench(n: int, work: Path, *, preview: bool, browser: bool, sizes: list[str],
          pairs: int = 0) -> list[str]:
    project_docs, plain_docs = work / "project-docs", work / "plain-docs"
    copy_hand_written(project_docs)
    papers = generate_docs(project_docs, n)
    plain_docs.mkdir()
    (plain_docs / "index.md").write_text("# arXiv digest\n", "utf-8")
    generate_docs(plain_docs, n, plain=True)
    sample = papers[len(papers) // 2]
    project = build_project(project_docs, work / "project-site")
    plain = build_plain(plain_docs, work / "plain-site")
    if browser:
        for result, site in ((project, "project-site"), (plain, "plain-site")):
            hit = _browser_hit(work / site, sample, timeout=300)
            result.first_hit_bytes, result.first_hit_seconds = hit.bytes, hit.seconds
    seconds = f"{measure_preview(project_docs, sample):.2f}" if preview else "-"
    sizes.extend(page_sizes(work / "project-site", n))
    sizes.append(f"{n:,} papers: {word_directory(work / 'project-site')}")
    if pairs:
        sizes.extend(paired(project_docs, plain_docs, work, pairs))
    return [_row(n, "project", project, seconds), _row(n, "plain Material", plain, ""),
            _ratio_row(n, project, plain)]


# ---------------------------------------------------------------- a day's publish

INCREMENTAL_HEADER = (
    "| papers | build | s | CPU s | peak MB, all processes | peak MB, largest process "
    "| site KB/paper | largest page KB | first hit, newest paper: KB, s "
    "| first hit, oldest paper: KB, s |\n"
    "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|"
)


def _largest_page(site: Path) -> int:
    return max((p.stat().st_size for p in site.rglob("*.html")), default=0)


def _incremental_row(n: int, name: str, r: Result, largest: int,
                     hits: tuple[Hit, ...] = (), *, papers: int = 0) -> str:
    shown = [f"{h.bytes / 1024:,.0f} KB, {h.seconds:.2f} s" for h in hits] or ["-"]
    shown += ["-"] * (2 - len(shown))
    return (f"| {n:,} | {name} | {r.seconds:.1f} | {r.cpu:.1f} | {r.tree_mb:,.0f} | "
            f"{r.rss_mb:,.0f} | {r.site_bytes / (papers or n) / 1024:.1f} | "
            f"{largest / 1024:,.0f} | "
            f"{' | '.join(shown)} |")


def _oldest_paper(docs: Path) -> SyntheticPaper:
    """The first paper generated: the oldest day's first, with the first coined word."""
    oldest = min((docs / schema.DAYS_DIR).glob("*.md"))
    day = schema.read_day(oldest).meta
    return SyntheticPaper(day.papers[0], "", day.date, coined(0))


def memory_notes(n: int, step: str, result: Result, timeline: Path | None) -> list[str]:
    """What made a build's peak of all processes: each kind's MB at that moment; with
    ``timeline``, every second's largest sum by kind is written as JSON into that folder."""
    peak = dict(result.at_peak)
    when = peak.pop("seconds", 0.0)
    kinds = ", ".join(f"{kind} {mb:,.0f}" for kind, mb in sorted(peak.items(), key=lambda i: -i[1]))
    lines = [f"{n:,} papers, {step}: peak of all processes {result.tree_mb:,.0f} MB at "
             f"{when:.0f} s of {result.seconds:.0f} s: {kinds} MB"]
    if timeline is not None:
        timeline.mkdir(parents=True, exist_ok=True)
        path = timeline / f"{n}-{step.split()[0]}.json"
        path.write_text(json.dumps(result.timeline) + "\n", "utf-8")
        lines.append(f"  timeline: {path}")
    return lines


def bench_incremental(n: int, work: Path, *, docs: Path | None, browser: bool,
                      plain_max: int, notes: list[str] | None = None,
                      timeline: Path | None = None) -> list[str]:
    """A full build of an N-paper site (no cache), then the publish of one more 30-paper day
    from its cache (`mkdocs build --dirty`), beside plain Material's full build. ``notes``
    gets what made each build's peak of memory (:func:`memory_notes`)."""
    notes = [] if notes is None else notes
    if docs is None:
        docs = work / "project-docs"
        copy_hand_written(docs)
        generate_docs(docs, n)
    site = work / "project-site"
    full = build_project(docs, site, dirty=True)
    rows = [_incremental_row(n, "full build (no cache)", full, _largest_page(site))]
    notes += memory_notes(n, "full build", full, timeline)
    added = add_day(docs)
    try:
        day = build_project(docs, site, dirty=True)
        print(f"  {n + len(added):,} papers: {word_directory(site)}", flush=True)
        # A word of the new day's paper (the newest shard answers), then of the oldest paper
        # (the word directory sends it to the oldest shard).
        hits = tuple(_browser_hit(site, paper, timeout=300)
                     for paper in (added[0], _oldest_paper(docs))) if browser else ()
        rows.append(_incremental_row(n, "publish of a 30-paper day", day, _largest_page(site),
                                     hits, papers=n + len(added)))
        notes += memory_notes(n, "publish", day, timeline)
    finally:
        for paper in added:
            schema.paper_path(docs, paper.arxiv_id).unlink()
        schema.day_path(docs, added[0].announced).unlink()
    if n <= plain_max:
        plain_docs = work / "plain-docs"
        plain_docs.mkdir()
        (plain_docs / "index.md").write_text("# arXiv digest\n", "utf-8")
        generate_docs(plain_docs, n, plain=True)
        plain = build_plain(plain_docs, work / "plain-site")
        rows.append(_incremental_row(n, "plain Material, full build", plain,
                                     _largest_page(work / "plain-site")))
        notes += memory_notes(n, "plain build", plain, timeline)
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("papers", nargs="*", type=int, default=[1000, 5000, 20000])
    parser.add_argument("--preview", action="store_true",
                        help="also time an edit under `mkdocs serve --dirty` (project only)")
    parser.add_argument("--no-browser", action="store_true",
                        help="skip the search measured in headless chromium")
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it")
    parser.add_argument("--pairs", type=int, default=0, metavar="N",
                        help="then N more builds of each in turn, and their ratios pair by pair")
    parser.add_argument("--incremental", action="store_true",
                        help="time a full build, then the publish of one more day from its cache")
    parser.add_argument("--docs", type=Path,
                        help="with --incremental and one N: a docs dir generated before (the "
                             "added day is removed again afterwards)")
    parser.add_argument("--plain-max", type=int, default=50000,
                        help="with --incremental: build plain Material up to this many papers")
    parser.add_argument("--timeline", type=Path, metavar="DIR",
                        help="with --incremental: write each build's memory, second by second "
                             "and by kind of process, as JSON into DIR")
    args = parser.parse_args(argv)
    print(f"arxiv-digest site benchmark, {os.cpu_count()} CPUs, "
          f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC; plain = Material + its search plugin, "
          "abstract in the page body, no hooks", flush=True)
    print(INCREMENTAL_HEADER if args.incremental else HEADER, flush=True)
    sizes: list[str] = []
    for n in args.papers:
        with tempfile.TemporaryDirectory(prefix=f"bench-site-{n}-") as tmp:
            work = args.keep / str(n) if args.keep else Path(tmp)
            if work.exists():
                shutil.rmtree(work)
            work.mkdir(parents=True)
            if args.incremental:
                rows = bench_incremental(n, work, docs=args.docs, browser=not args.no_browser,
                                         plain_max=args.plain_max, notes=sizes,
                                         timeline=args.timeline)
            else:
                rows = bench(n, work, preview=args.preview, browser=not args.no_browser,
                             sizes=sizes, pairs=args.pairs)
        print("\n".join(rows), flush=True)
        # The machine may be shared: the load beside the figures tells how far to trust times.
        print("load average (1, 5, 15 min) after these builds: "
              + ", ".join(f"{load:.2f}" for load in os.getloadavg()), flush=True)
    print("\n".join(sizes), flush=True)


if __name__ == "__main__":
    main()
