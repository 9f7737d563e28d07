#!/usr/bin/env python3
"""Benchmark the site build against plain MkDocs + Material over N synthetic paper pages.

    .venv/bin/python scripts/bench_site.py                 # N = 1000 5000 20000
    .venv/bin/python scripts/bench_site.py 2000 --preview  # also time a --dirty preview edit

The pages are written through the real schema (``render_paper``/``render_day``), ~30 papers per
announcement day, 230-word abstracts. Each build runs in a fresh subprocess so peak memory is its
own (the largest process of the build, the search indexer included).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from arxiv_digest import schema

ROOT = Path(__file__).resolve().parent.parent
PAPERS_PER_DAY = 30
ABSTRACT_WORDS = 230
#: Project files a build needs beside mkdocs.yml; the docs dir is the generated one.
_PROJECT_LINKS = ("hooks", "pyproject.toml")

# ---------------------------------------------------------------- synthetic pages

_COMMON = ["the", "of", "and", "to", "a", "in", "for", "is", "we", "that", "on", "with", "by", "as", "this", "are", "our", "an", "be", "from", "at", "which", "model", "models", "method", "methods", "training", "learning", "neural", "network", "networks", "data", "performance", "results", "show", "propose", "proposed", "approach", "efficient", "efficiency", "inference", "memory", "compute", "cost", "large", "language", "transformer", "transformers", "attention", "layer", "layers", "parameters", "accuracy", "tasks", "task", "benchmark", "benchmarks", "quantization", "pruning", "sparse", "sparsity", "distillation", "low-rank", "adapter", "fine-tuning", "throughput", "latency", "hardware", "gpu", "gpus", "speedup", "reduction", "baseline", "baselines", "while", "can", "also", "using", "based", "across", "experiments", "demonstrate", "state-of-the-art", "significant", "significantly", "framework", "novel", "trade-off", "bit", "bits", "precision", "weights", "activations", "kernel", "kernels", "scaling", "token", "tokens", "context", "sequence", "length", "cache", "retrieval", "mixture", "experts", "routing", "compression", "compressed", "structured", "unstructured", "sparsity-aware", "energy", "edge", "devices", "mobile", "deployment", "real-world", "evaluation", "analysis", "theoretical", "empirical", "optimization", "gradient", "stochastic", "convergence", "loss", "objective", "regularization", "representation", "representations", "embedding", "embeddings", "pretrained", "pre-training", "downstream", "zero-shot", "few-shot", "prompting", "reasoning", "generation", "decoding", "speculative", "draft", "verification", "batch", "batching", "parallelism", "pipeline", "tensor", "distributed", "communication", "bandwidth", "throughput-oriented", "under", "over", "into", "without", "more", "than", "up", "to", "times", "faster", "smaller", "lower", "higher", "better", "new", "existing", "prior", "work", "however", "moreover", "furthermore", "specifically", "particular", "first", "second", "both", "each", "all", "only", "most"]

_SYLLABLES = ["ka", "lo", "mi", "nu", "re", "sa", "ti", "vo", "ze", "qua", "bri", "cla", "dro", "fen", "gur", "hal", "jin", "kor", "lum", "mer"]

_FIRST = ["Wei", "Li", "Ming", "Xin", "Yu", "Jun", "Hao", "Anna", "Maria", "Elena", "Sofia", "Lukas", "Jonas", "Noah", "Liam", "Emma", "Olivia", "Arjun", "Priya", "Rahul", "Ananya", "Kenji", "Yuki", "Hiroshi", "Sara", "Ahmed", "Fatima", "Omar", "Ivan", "Olga", "Dmitri", "Pierre", "Camille", "Luca", "Giulia", "Marco", "Diego", "Lucia", "Mateo", "Chen", "Zhang", "Tom", "Jacob", "Ethan", "Mia", "Grace", "Daniel", "Samuel"]
_LAST = ["Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Smith", "Johnson", "Brown", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee", "Kumar", "Singh", "Patel", "Sharma", "Tanaka", "Suzuki", "Sato", "Kim", "Park", "Choi", "Nguyen", "Tran", "Muller", "Schmidt", "Schneider", "Fischer", "Weber", "Rossi", "Russo", "Ferrari", "Dubois", "Laurent", "Petrov", "Ivanova", "Novak", "Silva", "Santos"]

_CATEGORIES = ["cs.LG", "cs.CL", "cs.AI", "cs.CV", "stat.ML", "cs.NE", "cs.ET", "cs.DC", "cs.AR"]
_TOPICS = [
    "quantization", "pruning", "distillation", "efficient-attention", "kv-cache", "moe",
    "speculative-decoding", "low-rank", "sparsity", "hardware", "serving", "long-context",
]
_TITLE_PARTS = (
    ["Efficient", "Scalable", "Fast", "Lightweight", "Adaptive", "Structured", "Memory-Efficient",
     "Hardware-Aware", "Provable", "Training-Free", "Dynamic", "Sparse"],
    ["Quantization", "Pruning", "Distillation", "Attention", "KV Cache Compression",
     "Mixture-of-Experts Routing", "Speculative Decoding", "Low-Rank Adaptation", "Inference",
     "Token Merging", "Activation Sparsity", "Kernel Fusion"],
    ["Large Language Models", "Vision Transformers", "Diffusion Models", "Edge Devices",
     "Long-Context Inference", "Multimodal Models", "Recommendation Systems", "Speech Recognition",
     "Graph Neural Networks", "Code Generation"],
)


@dataclass(frozen=True)
class SyntheticPaper:
    """What a test or benchmark needs to know about one generated paper page."""

    arxiv_id: str
    title: str
    announced: dt.date
    unique_word: str
    """A word that appears in this paper's abstract and in no other page."""


def _coined(index: int, end: str = "x") -> str:
    """A pronounceable word that encodes ``index``, ending in ``end``.

    With the default ``x`` (a letter no other generated word has) the word is not a prefix of
    any other word, so a search for it matches one abstract only.
    """
    parts = []
    index += len(_SYLLABLES) ** 3  # at least four syllables, so it never collides with _tail
    while index:
        index, rest = divmod(index, len(_SYLLABLES))
        parts.append(_SYLLABLES[rest])
    return "".join(parts) + end


def _tail(rng: random.Random) -> str:
    """A rarer word: the long tail of a real corpus's vocabulary (about 8,000 words)."""
    return "".join(rng.choice(_SYLLABLES[:20]) for _ in range(3))


def _sentence(rng: random.Random, words: int) -> str:
    out = [rng.choice(_COMMON) if rng.random() < 0.8 else _tail(rng) for _ in range(words)]
    return " ".join(out).capitalize() + "."


def _abstract(rng: random.Random, unique: str) -> str:
    sentences, count = [], 0
    while count < ABSTRACT_WORDS - 1:
        n = min(rng.randint(14, 30), ABSTRACT_WORDS - 1 - count)
        sentences.append(_sentence(rng, n))
        count += n
    at = rng.randrange(len(sentences))
    sentences[at] = f"{sentences[at][:-1]} {unique}."
    return " ".join(sentences)


def _paper(rng: random.Random, index: int, arxiv_id: str, day: dt.date,
           plain: bool) -> tuple[str, SyntheticPaper]:
    adjective, subject, target = (rng.choice(part) for part in _TITLE_PARTS)
    name = _coined(index * 7919 % 1_000_003, end="").capitalize()[:9]
    title = f"{name}: {adjective} {subject} for {target}"
    unique = _coined(index)
    primary = rng.choice(_CATEGORIES[:6])
    cross = rng.sample([c for c in _CATEGORIES if c != primary], rng.choice([0, 1, 1, 2]))
    bullets = [_sentence(rng, rng.randint(18, 28)) for _ in range(3)]
    stamp = dt.datetime.combine(day - dt.timedelta(days=1), dt.time(17, 30), dt.UTC)
    paper = schema.Paper(
        title=title,
        arxiv_id=arxiv_id,
        version=rng.choice([1, 1, 1, 2]),
        authors=[f"{rng.choice(_FIRST)} {rng.choice(_LAST)}" for _ in range(rng.randint(2, 9))],
        categories=[primary, *cross],
        announced=day,
        # Distinct objects: YAML would write one shared object as an anchor and an alias.
        published=stamp,
        updated=stamp.replace(minute=31),
        comment=rng.choice([None, "12 pages, 5 figures", "Accepted at ICML 2026", "Code available"]),
        topics=rng.sample(_TOPICS, rng.choice([1, 1, 2])),
        relevance=schema.Relevance(score=round(rng.uniform(1, 6), 1), matched=["title:efficient"]),
        abstract=_abstract(rng, unique),
        summary=schema.SummaryInfo(by="gpt-4o-mini", at=stamp.replace(minute=45), sha256=schema.summary_sha256(bullets)),
    )
    body = schema.render_body(bullets)
    if plain:  # without the hooks nothing renders the front matter's abstract
        body += f"\n## Abstract\n\n{paper.abstract}\n"
    page = schema.render_paper(paper, body)
    return page, SyntheticPaper(arxiv_id, title, day, unique)


def _announcement_days(count: int, last: dt.date) -> list[dt.date]:
    """``count`` weekdays ending at ``last``, oldest first."""
    days, day = [], last
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day -= dt.timedelta(days=1)
    return days[::-1]


def generate_docs(docs_dir: Path, papers: int, *, seed: int = 0, plain: bool = False,
                  last_day: dt.date = dt.date(2026, 11, 27)) -> list[SyntheticPaper]:
    """Write ``papers`` paper pages and their day pages (weekends included) under ``docs_dir``.

    ``plain`` also writes each abstract into the page body, for a build without the hooks.
    """
    rng = random.Random(seed)
    days = _announcement_days(-(-papers // PAPERS_PER_DAY), last_day)
    (docs_dir / schema.PAPERS_DIR).mkdir(parents=True, exist_ok=True)
    (docs_dir / schema.DAYS_DIR).mkdir(parents=True, exist_ok=True)
    made: list[SyntheticPaper] = []
    per_month: dict[str, int] = {}
    for day_index, day in enumerate(days):
        ids = []
        for _ in range(min(PAPERS_PER_DAY, papers - len(made))):
            month = day.strftime("%y%m")
            per_month[month] = per_month.get(month, 0) + 1
            arxiv_id = f"{month}.{per_month[month]:05d}"
            text, info = _paper(rng, len(made), arxiv_id, day, plain)
            schema.paper_path(docs_dir, arxiv_id).write_text(text, "utf-8")
            made.append(info)
            ids.append(arxiv_id)
        listed = {"cs.LG": 400 + day_index % 50, "cs.CL": 150}
        meta = schema.Day(date=day, status="announced", papers=ids, listed=listed)
        schema.day_path(docs_dir, day).write_text(schema.render_day(meta), "utf-8")
        if day.weekday() == 4:  # the weekend after a Friday listing has no announcement
            for gap in (1, 2):
                empty = schema.Day(date=day + dt.timedelta(days=gap), status="no-announcement")
                if empty.date <= last_day:
                    schema.day_path(docs_dir, empty.date).write_text(schema.render_day(empty))
    return made


def copy_hand_written(dest: Path) -> None:
    """The project's own pages and assets (docs/ without papers/ and days/) into ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    for item in (ROOT / "docs").iterdir():
        if item.name in (schema.PAPERS_DIR, schema.DAYS_DIR) or item.name.startswith("."):
            continue
        if item.is_dir():
            shutil.copytree(item, dest / item.name, dirs_exist_ok=True)
        else:
            shutil.copy2(item, dest / item.name)


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

# Runs one build as its only child: RUSAGE_CHILDREN then holds the peak RSS of the largest
# process of that build (mkdocs, or the indexer it starts).
_MEASURE = """\
import json, resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"rc": done.returncode, "seconds": time.perf_counter() - start,
                  "cpu": usage.ru_utime + usage.ru_stime, "rss_kb": usage.ru_maxrss,
                  "log": done.stderr[-3000:]}))
"""


@dataclass
class Result:
    """Figures of one build."""

    seconds: float
    cpu: float
    """User + system CPU seconds of the build and its children (steadier than wall time)."""
    rss_mb: float
    site_bytes: int
    index_bytes: int
    first_hit_bytes: int = 0
    first_hit_seconds: float = 0.0


def _tree_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.exists() else 0


def _measure(command: list[str], env: dict[str, str]) -> dict:
    done = subprocess.run([sys.executable, "-c", _MEASURE, *command], env=env, cwd=ROOT,
                          capture_output=True, text=True, check=True)
    figures = json.loads(done.stdout)
    if figures["rc"] != 0:
        raise SystemExit(f"build failed: {' '.join(command)}\n{figures['log']}")
    return figures


def build_project(docs: Path, site: Path) -> Result:
    env = {**os.environ, "DIGEST_DOCS_DIR": str(docs), "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(ROOT / "mkdocs.yml"),
               "-d", str(site)]
    figures = _measure(command, env)
    return Result(figures["seconds"], figures["cpu"], figures["rss_kb"] / 1024, _tree_bytes(site),
                  _tree_bytes(site / "pagefind"))


def build_plain(docs: Path, site: Path) -> Result:
    config = docs.parent / "plain.yml"
    config.write_text(_PLAIN_CONFIG.format(docs=docs), "utf-8")
    command = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site)]
    figures = _measure(command, {**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    return Result(figures["seconds"], figures["cpu"], figures["rss_kb"] / 1024, _tree_bytes(site),
                  _tree_bytes(site / "search"))


# ---------------------------------------------------------------- search in a browser

#: Responses that belong to search: Pagefind's bundle and our box, or Material's index + worker.
_SEARCH_URLS = ("/pagefind/", "pagefind-search.js", "/search/search_index", "/workers/search")


@dataclass(frozen=True)
class Hit:
    """The first result of a search typed into the header box, and what it cost."""

    href: str
    title: str
    bytes: int
    """Bytes of the search responses (index, code, fragments) downloaded until it showed."""
    seconds: float
    """From typing the query to the first result on screen."""


def search_first_hit(page, url: str, query: str, *, timeout: float = 60) -> Hit:
    """Open ``url`` in a Playwright ``page``, type ``query`` in the header search, wait for a hit."""
    sizes: dict[str, int] = {}

    def count(response) -> None:
        if any(part in response.url for part in _SEARCH_URLS):
            try:
                sizes[response.url] = len(response.body())
            except Exception:  # noqa: BLE001 - a redirect or aborted response has no body
                sizes.setdefault(response.url, 0)

    page.on("response", count)
    page.goto(url, wait_until="load")
    box = page.locator("input.md-search__input")
    box.click()
    start = time.perf_counter()
    box.fill(query)
    first = page.locator(".md-search-result__list li a").first
    first.wait_for(state="visible", timeout=timeout * 1000)
    seconds = time.perf_counter() - start
    href, title = first.get_attribute("href") or "", first.locator("h1").inner_text()
    page.remove_listener("response", count)
    return Hit(href, title, sum(sizes.values()), seconds)


def _browser_hit(site: Path, paper: SyntheticPaper, timeout: float) -> Hit:
    sys.path.insert(0, str(ROOT))
    from playwright.sync_api import sync_playwright

    from tests.site_support import launch_chromium, serve_site

    with serve_site(site) as base, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            hit = search_first_hit(browser.new_page(), base, paper.unique_word, timeout=timeout)
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
        _wait_for(f"{base}pagefind/pagefind-entry.json", lambda body: True, timeout)
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


def bench(n: int, work: Path, *, preview: bool, browser: bool) -> list[str]:
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
    return [_row(n, "project", project, seconds), _row(n, "plain Material", plain, ""),
            _ratio_row(n, project, plain)]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("papers", nargs="*", type=int, default=[1000, 5000, 20000])
    parser.add_argument("--preview", action="store_true",
                        help="also time an edit under `mkdocs serve --dirty` (project only)")
    parser.add_argument("--no-browser", action="store_true",
                        help="skip the search measured in headless chromium")
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it")
    args = parser.parse_args(argv)
    print(f"arxiv-digest site benchmark, {os.cpu_count()} CPUs, "
          f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC; plain = Material + its search plugin, "
          "abstract in the page body, no hooks", flush=True)
    print(HEADER, flush=True)
    for n in args.papers:
        with tempfile.TemporaryDirectory(prefix=f"bench-site-{n}-") as tmp:
            work = args.keep / str(n) if args.keep else Path(tmp)
            if work.exists():
                shutil.rmtree(work)
            work.mkdir(parents=True)
            rows = bench(n, work, preview=args.preview, browser=not args.no_browser)
        print("\n".join(rows), flush=True)


if __name__ == "__main__":
    main()
