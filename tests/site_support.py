"""Build, serve and browse the site in tests: one stable API for every site test.

Pages
    ``sample_paper(arxiv_id, **fields) -> schema.Paper``  a valid paper; fields override.
    ``write_paper(docs, paper, bullets=None) -> Path``  docs/papers/<id>.md via render_paper.
    ``write_day(docs, day, intro="") -> Path``  docs/days/<date>.md via render_day.
    ``make_docs(dest) -> Path``  a docs dir holding the project's hand-written pages and assets
                                 (docs/*.md, docs/assets/) with empty papers/ and days/.
    ``write_sample_pages(docs) -> dict``  a small digest exercising every page feature: three
        days (announced, announced + back-filled with an intro, no-announcement), a paper with
        hostile text and math (``HOSTILE_ID``, title ``HOSTILE_TITLE``), an extractive summary,
        a legacy page with few fields (``cs/0601001``); the hostile paper also carries
        ``HOSTILE_CATEGORY``. Returns ids and dates by role.
    ``write_hostile_tex_and_intro(docs) -> dict``  the sample digest, and on 2026-04-28 (the
        home page's day) a paper (``DEEP_TEX_ID``) whose title and a bullet hold 135 nested
        ``\\sqrt{`` (as many as fit) and another bullet ``\\rule{100000em}{100000em}``, and an
        intro holding script, event handlers, ``javascript:`` links, 150 nested roots and the
        rule. Running any of it sets ``window.__pwned`` or the document's title to ``pwned``.
        Returns pages by role.

Building
    ``build_site(docs_dir, site_dir, *, strict=True, env=None, check=True)``
        runs ``mkdocs build [--strict] -f <repo>/mkdocs.yml -d site_dir`` in a subprocess with
        ``DIGEST_DOCS_DIR=docs_dir`` and ``SITE_URL=SITE_URL`` (``env`` adds or overrides
        variables). Returns the ``CompletedProcess`` (stdout and stderr merged into ``.stdout``);
        with ``check`` a failed build raises AssertionError showing the log.

Previewing
    ``mkdocs_serve(docs_dir, *args, timeout=60)``  context manager: runs ``mkdocs serve`` on the
        project's mkdocs.yml over docs_dir on a free 127.0.0.1 port (extra CLI ``args`` such as
        ``--dirty``) and yields the base URL of the site (``SITE_URL``'s path included) once it
        answers; the server is stopped on exit.

Serving and browsing
    ``serve_site(site_dir)``  context manager: serves site_dir on 127.0.0.1 (ephemeral port) in
                              a thread and yields the base URL ending in ``/``.
    ``chromium_path() -> str | None``  env CHROMIUM_PATH, else ``chromium`` on PATH.
    ``launch_chromium(playwright) -> Browser``  Debian chromium through Playwright's
        ``executable_path``; skips the test when there is none, fails when env CI=true.
    ``CHROMIUM_ARGS``  the launch flags (headless, no sandbox, no network chatter).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import http.server
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from arxiv_digest.pages import schema

ROOT = Path(__file__).resolve().parent.parent
#: The site_url of test builds; feeds and canonical links start with it.
SITE_URL = "https://digest.example.org/site/"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def sample_paper(arxiv_id: str = "2306.12929", **fields: Any) -> schema.Paper:
    """A complete, valid paper record; any field can be overridden."""
    values: dict[str, Any] = {
        "title": f"A study of efficient transformers ({arxiv_id})",
        "arxiv_id": arxiv_id,
        "version": 1,
        "authors": ["Ada Lovelace", "Alan Turing"],
        "categories": ["cs.LG", "cs.AI"],
        "announced": dt.date(2026, 4, 27),
        "published": dt.datetime(2026, 4, 24, 17, 59, 1, tzinfo=dt.UTC),
        "updated": dt.datetime(2026, 4, 24, 17, 59, 1, tzinfo=dt.UTC),
        "comment": "12 pages, 3 figures",
        "topics": ["quantization"],
        "relevance": {"score": 3.0, "matched": ["quantization"]},
        "abstract": "We quantize transformers to four bits and keep their accuracy.",
        "summary": {"by": "gpt-4o-mini", "at": dt.datetime(2026, 4, 27, 6, 0, tzinfo=dt.UTC)},
    }
    values.update(fields)
    return schema.Paper.model_validate(values)


def write_paper(docs: Path, paper: schema.Paper, bullets: list[str] | None = None) -> Path:
    bullets = bullets if bullets is not None else [
        "Quantizes weights to four bits.",
        "Keeps accuracy within one point.",
        "Runs twice as fast on CPUs.",
    ]
    if paper.summary.sha256 is None and paper.summary.by not in schema.READER_AUTHORS:
        summary = paper.summary.model_copy(update={"sha256": schema.summary_sha256(bullets)})
        paper = paper.model_copy(update={"summary": summary})
    path = schema.paper_path(docs, paper.arxiv_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(schema.render_paper(paper, schema.render_body(bullets)), "utf-8")
    return path


def write_day(docs: Path, day: schema.Day, intro: str = "") -> Path:
    path = schema.day_path(docs, day.date)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(schema.render_day(day, intro), "utf-8")
    return path


#: A title that must show literally everywhere; running it would set window.__pwned.
HOSTILE_TITLE = (
    "Attack <script>window.__pwned=1</script> <b>bold</b> {{ config }} {% if x %} *star* "
    "_under_ | pipe [x](javascript:alert(1)) `tick` in $O(n^2)$ time"
)
HOSTILE_ID = "2604.00001"
#: A category that must show literally on chips, its tag page and in its <title>.
HOSTILE_CATEGORY = "</title><script>window.__pwned=5</script>"


def write_sample_pages(docs: Path) -> dict[str, Any]:
    """Write the sample digest described in the module docstring into ``docs``."""
    monday, tuesday, saturday = dt.date(2026, 4, 27), dt.date(2026, 4, 28), dt.date(2026, 4, 25)
    write_paper(docs, sample_paper(
        HOSTILE_ID, title=HOSTILE_TITLE, announced=monday,
        categories=["cs.LG", "cs.AI", HOSTILE_CATEGORY],
        authors=["Eve <img src=x onerror=window.__pwned=2>", "Bob *Bold*", "C_D", "Dan", "Erin",
                 "Frank", "Grace"],
        abstract=("We show that $\\sum_{i=1}^n x_i^2$ costs $5 or $10, and "
                  "<script>window.__pwned=3</script> **not bold** [x](y)."),
        comment="Code: [x](y) `rm -rf` {{ config }} <i>it</i>",
    ), [
        "Bullet with <script>window.__pwned=4</script> and *stars*.",
        "Speeds up $O(n^2)$ attention.",
        "Third point | with pipe.",
    ])
    write_paper(docs, sample_paper(
        "2604.00002", announced=monday, topics=["pruning-sparsity"], summary={"by": "extractive"},
        title="Pruning large models",
    ), ["First sentence of the abstract.", "Second sentence.", "Third sentence."])
    write_paper(docs, sample_paper(
        "2604.00003", announced=tuesday, categories=["stat.ML", "cs.LG"],
        title="Distilling a tokenizer-free student",
        abstract="A distinctive word: zymurgical. We distill a model.", topics=["distillation"],
    ))
    write_paper(docs, schema.Paper(title="A legacy paper", arxiv_id="cs/0601001",
                                   announced=tuesday, summary={"by": "legacy"}),
                ["An old summary from the README."])
    write_day(docs, schema.Day(date=monday, status="announced",
                               papers=[HOSTILE_ID, "2604.00002"], listed={"cs.LG": 300}))
    write_day(docs, schema.Day(date=tuesday, status="announced",
                               papers=["2604.00003", "cs/0601001"], listed={"cs.LG": 280},
                               backfilled=True), "A *hand-written* intro.")
    write_day(docs, schema.Day(date=saturday, status="no-announcement"))
    return {"hostile": HOSTILE_ID, "extractive": "2604.00002", "latest": "2604.00003",
            "legacy": "cs/0601001", "monday": monday, "tuesday": tuesday, "saturday": saturday}


#: Nested square roots as deep as a title or bullet may hold (both are limited to 1,000
#: characters); 150 of them crashed chromium's renderer once typeset.
DEEP_TEX = "\\sqrt{" * 135 + "x" + "}" * 135
#: The 150 nested roots of the report, for an intro (which has no length limit).
DEEPER_TEX = "\\sqrt{" * 150 + "x" + "}" * 150
#: A rule of 1.9 million pixels square unless KaTeX caps sizes.
HUGE_RULE = "\\rule{100000em}{100000em}"
DEEP_TEX_ID = "2604.00009"
#: A day intro (Markdown by pull request) that would run script if its raw HTML passed through.
HOSTILE_INTRO = f"""Today's *notes*, with [a link](https://example.org/) and `code`.

<script>window.__pwned = 11; document.title = "pwned";</script>

<img src="x" onerror="window.__pwned = 12">

- [click me](javascript:window.__pwned=13) and <a href="JaVa&#09;script:window.__pwned=14">me</a>
- <svg onload="window.__pwned = 15"></svg> <b onmouseover="window.__pwned = 16">bold</b>

## Heading <img src="y" onerror="window.__pwned = 17">

Deep: ${DEEPER_TEX}$ and huge: ${HUGE_RULE}$ and fine: $x^2$.

</div></article><p>after</p>
"""


def write_hostile_tex_and_intro(docs: Path) -> dict[str, Any]:
    """Write the sample digest and the hostile TeX and intro described in the module docstring."""
    roles = write_sample_pages(docs)
    latest = roles["tuesday"]  # the home page shows the latest day's papers
    write_paper(docs, sample_paper(DEEP_TEX_ID, announced=latest,
                                   title=f"Roots ${DEEP_TEX}$ and $y^2$ in a title"), [
        f"Deep ${DEEP_TEX}$ roots.",
        f"A huge ${HUGE_RULE}$ rule.",
        "Fine $x^2$ math.",
    ])
    write_day(docs, schema.Day(date=latest, status="announced",
                               papers=["2604.00003", "cs/0601001", DEEP_TEX_ID],
                               listed={"cs.LG": 280}, backfilled=True), HOSTILE_INTRO)
    return {**roles, "deep": DEEP_TEX_ID, "day": f"days/{latest.isoformat()}/",
            "paper": f"papers/{DEEP_TEX_ID}/"}


def make_docs(dest: Path) -> Path:
    """Copy the project's hand-written pages and assets into ``dest``; papers/ and days/ empty."""
    source = ROOT / "docs"
    dest.mkdir(parents=True, exist_ok=True)
    for item in source.iterdir():
        if item.name in (schema.PAPERS_DIR, schema.DAYS_DIR) or item.name.startswith("."):
            continue
        if item.is_dir():
            shutil.copytree(item, dest / item.name)
        else:
            shutil.copy2(item, dest / item.name)
    (dest / schema.PAPERS_DIR).mkdir(exist_ok=True)
    (dest / schema.DAYS_DIR).mkdir(exist_ok=True)
    return dest


def build_site(
    docs_dir: Path,
    site_dir: Path,
    *,
    strict: bool = True,
    env: dict[str, str] | None = None,
    check: bool = True,
    dirty: bool = False,
    config: Path = ROOT / "mkdocs.yml",
) -> subprocess.CompletedProcess[str]:
    """Build the project's mkdocs.yml (or ``config``) over ``docs_dir`` into ``site_dir`` (a
    real subprocess); ``dirty``: incrementally, from the state of the build before."""
    command = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config),
               "-d", str(site_dir)]
    if strict:
        command.append("--strict")
    if dirty:
        command.append("--dirty")
    full_env = {**os.environ, "DIGEST_DOCS_DIR": str(docs_dir), "SITE_URL": SITE_URL,
                **(env or {})}
    result = subprocess.run(command, cwd=ROOT, env=full_env, text=True, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, timeout=600)
    if check and result.returncode != 0:
        raise AssertionError(f"mkdocs build failed ({result.returncode}):\n{result.stdout}")
    return result


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def mkdocs_serve(docs_dir: Path, *args: str, timeout: float = 60) -> Iterator[str]:
    """``mkdocs serve`` over ``docs_dir``; yields ``http://127.0.0.1:<port>/site/``."""
    port = _free_port()
    command = [sys.executable, "-m", "mkdocs", "serve", "-f", str(ROOT / "mkdocs.yml"),
               "-a", f"127.0.0.1:{port}", *args]
    env = {**os.environ, "DIGEST_DOCS_DIR": str(docs_dir), "SITE_URL": SITE_URL,
           "NO_MKDOCS_2_WARNING": "1"}
    log = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115 - closed in the finally below
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}{urllib.parse.urlsplit(SITE_URL).path}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(base, timeout=5) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                raise AssertionError(f"mkdocs serve did not come up:\n{log.read()}")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass


@contextlib.contextmanager
def serve_site(site_dir: Path) -> Iterator[str]:
    """Serve ``site_dir`` over real HTTP on 127.0.0.1; yields ``http://127.0.0.1:<port>/``."""
    handler = functools.partial(_QuietHandler, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def chromium_path() -> str | None:
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")


def launch_chromium(playwright: Any) -> Any:
    """Debian's chromium via Playwright; skip without one (fail under CI=true)."""
    path = chromium_path()
    if not path or not Path(path).exists():
        reason = "no chromium found (set CHROMIUM_PATH or apt-get install chromium)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, headless=True)


#: Pages compared with tests/golden/site/<site>/ (the site as built before its redesign).
GOLDEN_PAGES = {
    "sample": [
        "index.html", "about/index.html", "archive/index.html", "tags/index.html",
        "tags/cs-lg/index.html", "days/2026-04-27/index.html", "days/2026-04-28/index.html",
        "days/2026-04-25/index.html", f"papers/{HOSTILE_ID}/index.html",
        "papers/2604.00002/index.html", "papers/cs-0601001/index.html", "feed.xml", "feed.json",
        "feeds/cs-lg.xml", "feeds/cs-lg.json",
    ],
    "seed": ["papers/2604.21952/index.html"],
    "synthetic": ["tags/cs-lg/index.html", "tags/cs-lg/2026-09/index.html"],
}
#: Papers of the synthetic golden site: enough for a tag to have pages of older months.
GOLDEN_SYNTHETIC_PAPERS = 1500


def golden_docs(root: Path) -> dict[str, Path]:
    """The docs dirs of the sites in ``GOLDEN_PAGES``, written under ``root``."""
    if str(ROOT / "scripts") not in sys.path:
        sys.path.append(str(ROOT / "scripts"))
    from synthetic_docs import generate_docs

    sample = make_docs(root / "sample")
    write_sample_pages(sample)
    seed = root / "seed"
    shutil.copytree(ROOT / "docs", seed)
    synthetic = make_docs(root / "synthetic")
    generate_docs(synthetic, GOLDEN_SYNTHETIC_PAPERS)
    return {"sample": sample, "seed": seed, "synthetic": synthetic}


def box_search(page: Any, query: str) -> tuple[int, list[str]]:
    """Type ``query`` into the header box; once every shard it needs has answered, the count
    and the links shown."""
    page.evaluate("document.querySelector('.md-search-result').removeAttribute('aria-busy')")
    page.fill("input.md-search__input", query)
    page.locator(".md-search-result[aria-busy=false]").wait_for(state="attached")
    text = page.locator(".md-search-result__meta").inner_text()
    count = 0 if text.startswith("No ") else int(text.split()[0])
    hrefs = page.locator(".md-search-result__list li a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))")
    return count, hrefs
