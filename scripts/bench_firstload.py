#!/usr/bin/env python3
"""Measure a reader's first load of the home, a day and a paper page of an N-paper build.

    .venv/bin/python scripts/bench_firstload.py                    # N = 5000, Lighthouse 3 runs
    .venv/bin/python scripts/bench_firstload.py --site SITE_DIR    # an already built site
    .venv/bin/python scripts/bench_firstload.py --no-lighthouse    # bytes and requests only

The site is served by a small static server on 127.0.0.1 that gzips text as a static host does
(GitHub Pages). For each page it prints the requests of a first load in headless chromium with
their transferred (gzip) bytes, whether the sitemap was fetched, and, unless --no-lighthouse,
Lighthouse's mobile performance score (median of --runs) with FCP, LCP, TBT and CLS.

Lighthouse comes from npm: the LIGHTHOUSE variable names its command, else ``npx --yes
lighthouse@12`` runs it; chromium is CHROMIUM_PATH or ``chromium`` on PATH. Target: >= 95 on
each page of a 5,000-paper build.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import http.server
import json
import os
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

from synthetic_docs import copy_hand_written, generate_docs

ROOT = Path(__file__).resolve().parent.parent
#: The flags the tests start chromium with (tests/site_support.py): no network chatter.
CHROME_FLAGS = ("--headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
                "--disable-background-networking --disable-component-update --disable-sync")
_TEXT = (".html", ".css", ".js", ".json", ".xml", ".svg", ".txt", ".pf_meta", "/")


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Serves a folder, gzipping text when the client accepts it (as static hosts do)."""

    def send_head(self):  # type: ignore[no-untyped-def]
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            path = os.path.join(path, "index.html")
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not accepts or not path.endswith(_TEXT) or not os.path.isfile(path):
            return super().send_head()
        folder = os.path.isdir(self.translate_path(self.path))
        if folder and not self.path.split("?")[0].endswith("/"):
            return super().send_head()  # the redirect to the folder's URL
        with open(path, "rb") as handle:
            body = gzip.compress(handle.read(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")
        self.end_headers()
        return _Body(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass


class _Body:
    """A bytes body that SimpleHTTPRequestHandler copies and closes like a file."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def read(self, size: int = -1) -> bytes:
        data, self.data = self.data, b""
        return data

    def close(self) -> None:
        pass


@contextlib.contextmanager
def serve_gzip(site: Path) -> Iterator[str]:
    """Serve ``site`` on an ephemeral 127.0.0.1 port; yields the base URL ending in '/'."""
    def handler(*args, **kwargs):  # type: ignore[no-untyped-def]
        return GzipHandler(*args, directory=str(site), **kwargs)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def build(papers: int, work: Path) -> Path:
    docs, site = work / "docs", work / "site"
    copy_hand_written(docs)
    generate_docs(docs, papers)
    env = {**os.environ, "DIGEST_DOCS_DIR": str(docs)}
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(ROOT / "mkdocs.yml"),
                    "-d", str(site)], env=env, check=True)
    return site


def pages(site: Path) -> dict[str, str]:
    """The home page, the latest day with papers and its first paper, as site-relative URLs."""
    days = sorted((site / "days").iterdir(), reverse=True)
    for day in days:
        text = (day / "index.html").read_text()
        found = re.search(r'<article.*?href="\.\./\.\./papers/([^"]+)"', text, re.S)
        if found:
            return {"home": "", "day": f"days/{day.name}/", "paper": f"papers/{found[1]}"}
    raise SystemExit(f"{site}: no day page lists a paper")


def first_load(url: str) -> tuple[list[tuple[str, int]], int]:
    """The requests of a first load (URL, transferred bytes) and their total, after load."""
    from playwright.sync_api import sync_playwright
    chromium = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROME_FLAGS.split())
        page = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True)
        done: list[object] = []
        page.on("requestfinished", lambda request: done.append(request))
        page.goto(url, wait_until="networkidle")
        rows = []
        for request in done:
            sizes = request.sizes()  # type: ignore[attr-defined]
            rows.append((request.url, sizes["responseBodySize"] + sizes["responseHeadersSize"]))
        browser.close()
    return rows, sum(size for _, size in rows)


def lighthouse(url: str, runs: int, out: Path) -> dict[str, float]:
    command = shlex.split(os.environ.get("LIGHTHOUSE", "npx --yes lighthouse@12"))
    chromium = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or ""
    env = {**os.environ, "CHROME_PATH": chromium}
    results = []
    for run in range(runs):
        report = out / f"lh-{run}.json"
        subprocess.run([*command, url, "--quiet", "--only-categories=performance",
                        "--output=json", f"--output-path={report}",
                        f"--chrome-flags={CHROME_FLAGS}"], env=env, check=True)
        data = json.loads(report.read_text())
        audits = data["audits"]
        results.append({"score": data["categories"]["performance"]["score"] * 100,
                        "fcp": audits["first-contentful-paint"]["numericValue"],
                        "lcp": audits["largest-contentful-paint"]["numericValue"],
                        "tbt": audits["total-blocking-time"]["numericValue"],
                        "cls": audits["cumulative-layout-shift"]["numericValue"]})
    return {key: statistics.median(r[key] for r in results) for key in results[0]}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("papers", nargs="?", type=int, default=5000)
    parser.add_argument("--site", type=Path, help="measure this built site instead of building")
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it")
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page (median)")
    parser.add_argument("--no-lighthouse", action="store_true")
    parser.add_argument("--requests", action="store_true", help="list every request")
    args = parser.parse_args(argv)
    with contextlib.ExitStack() as stack:
        work = args.keep or Path(stack.enter_context(tempfile.TemporaryDirectory()))
        site = args.site or build(args.papers, work)
        sitemap = site / "sitemap.xml"
        if sitemap.exists():
            raw = sitemap.read_bytes()
            print(f"sitemap.xml: {len(raw):,} B raw, {len(gzip.compress(raw, 6)):,} B gzip")
        base = stack.enter_context(serve_gzip(site))
        print(f"{'page':6} {'requests':>8} {'bytes':>9}  sitemap  "
              + ("" if args.no_lighthouse else "score   FCP ms   LCP ms  TBT ms    CLS"))
        for name, path in pages(site).items():
            rows, total = first_load(base + path)
            fetched = any(u.split("?")[0].endswith(".xml") and "sitemap" in u for u, _ in rows)
            line = f"{name:6} {len(rows):8} {total:9,}  {'yes' if fetched else 'no ':7}  "
            if not args.no_lighthouse:
                lh = lighthouse(base + path, args.runs, Path(stack.enter_context(
                    tempfile.TemporaryDirectory())))
                line += (f"{lh['score']:5.0f} {lh['fcp']:8.0f} {lh['lcp']:8.0f} {lh['tbt']:7.0f}"
                         f" {lh['cls']:6.3f}")
            print(line, flush=True)
            if args.requests:
                for url, size in rows:
                    print(f"    {size:8,}  {url.removeprefix(base)}")


if __name__ == "__main__":
    main()
