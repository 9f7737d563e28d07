"""Time summarizing N papers against a local server with fixed latency, concurrent vs. serial."""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # for tests.fakes

from arxiv_digest.config import Settings  # noqa: E402
from arxiv_digest.summaries.summarize import Summarizer, SummaryRequest  # noqa: E402

from tests.fakes.llm_server import FakeLLMServer  # noqa: E402

ABSTRACT = (
    "Serving large language models is dominated by memory traffic. We propose a quantization "
    "scheme for weights and the KV cache. It keeps accuracy within 0.5 points on standard "
    "benchmarks. Throughput improves by 2.4x on a single GPU."
)


def _run(server: FakeLLMServer, papers: int, concurrency: int) -> tuple[float, int]:
    """Seconds to summarize ``papers`` fresh papers (empty cache), and requests made."""
    before = len(server.chat_requests)
    with tempfile.TemporaryDirectory() as cache:
        settings = replace(
            Settings(),
            openai_base_url=server.base_url,
            openai_api_key=server.api_key,
            model=server.model,
            concurrency=concurrency,
            cache_dir=Path(cache),
        )
        requests = [
            SummaryRequest(f"2605.{n:05d}", 1, f"Paper {n}", ABSTRACT) for n in range(papers)
        ]
        started = time.monotonic()
        result = Summarizer(settings).summarize_many(requests)
        elapsed = time.monotonic() - started
    assert all(s.by == server.model for s in result.values()), "a summary fell back"
    return elapsed, len(server.chat_requests) - before


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--papers", type=int, default=50)
    parser.add_argument("--latency", type=float, default=1.0, help="seconds per answer")
    parser.add_argument("--concurrency", type=int, default=Settings().concurrency,
                        help="the concurrent run's bound (default: the setting's default)")
    args = parser.parse_args()
    server = FakeLLMServer(latency=args.latency).start()
    try:
        fast, fast_calls = _run(server, args.papers, args.concurrency)
        print(f"concurrency {args.concurrency}: {args.papers} papers in {fast:.2f} s "
              f"({fast_calls} requests)")
        slow, slow_calls = _run(server, args.papers, 1)
        print(f"concurrency 1: {args.papers} papers in {slow:.2f} s ({slow_calls} requests)")
    finally:
        server.stop()
    ratio = slow / fast
    print(f"speed-up: {ratio:.1f}x (target >= 6x) {'OK' if ratio >= 6 else 'BELOW TARGET'}")
    sys.exit(0 if ratio >= 6 else 1)


if __name__ == "__main__":
    main()
