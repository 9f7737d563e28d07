"""The grounding check's rules on known-good and known-bad bullets, and its benchmark."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from arxiv_digest.summaries.grounding import Source, check_bullet, check_summary, describe

ROOT = Path(__file__).resolve().parent.parent
RELEVANCE = ROOT.parent / "shared" / "relevance"

TITLE = "SlimAttn: Sparse Attention Kernels for Long-Context LLM Inference"
ABSTRACT = (
    "Large language models are expensive to serve because attention grows with context "
    "length. We propose SlimAttn, a sparse attention kernel that skips low-scoring key blocks "
    "of the key-value (KV) cache. The kernel keeps $O(n \\log n)$ cost and needs three "
    "hyper-parameters. On Llama-3.1-8B and Qwen2.5-7B, SlimAttn reduces latency by "
    "2.13$\\times$ at 32k tokens with 40\\% less memory, and outperforms FlashAttention-2 and "
    "H2O on LongBench while matching dense accuracy within 0.5 points. Our 4-bit variant "
    "serves 1,200 requests per second on one A100 GPU."
)
SOURCE = Source(TITLE, ABSTRACT)

GOOD = [
    # numbers: written as in the abstract, or in a simple other form, or rounded
    "SlimAttn cuts latency 2.13x at 32k tokens.",
    "Latency drops 2.1× at 32,000 tokens with 40 percent less memory.",
    "It is about 2x faster and uses 40% less memory.",
    "A 4-bit variant serves 1200 requests per second on an A100.",
    "Only 3 hyper-parameters are needed.",
    "Accuracy stays within 0.5 points of dense attention.",
    # names: exact, other case or spacing, plural, acronyms of the abstract's words, parts
    "Proposes SlimAttn, a sparse kernel for long-context LLMs.",
    "Evaluated on Llama 3.1 8B and Qwen2.5-7B with LongBench.",
    "Skips low-scoring blocks of the KV cache of large language models.",
    "LLMs are costly to serve as attention grows with context length.",
    "SlimAttn-style kernels keep O(n log n) cost.",
    # comparisons the abstract makes
    "SlimAttn outperforms FlashAttention-2 and H2O on LongBench.",
    "Beats FlashAttention-2 while matching dense accuracy.",
    "Matches dense accuracy within 0.5 points.",
]

BAD = [
    ("SlimAttn cuts latency 3.4x at 32k tokens.", "number", "3.4x"),
    ("SlimAttn cuts latency 2.13x at 64k tokens.", "number", "64k"),
    ("Uses 45% less memory.", "number", "45%"),
    ("Uses 40x less memory.", "number", "40x"),  # the number is there, with another unit
    ("Serves 1,500 requests per second.", "number", "1,500"),
    ("SlimAttn outperforms FlashAttention-3 on LongBench.", "name", "FlashAttention-3"),
    ("Evaluated on Mistral-7B and Qwen2.5-7B.", "name", "Mistral-7B"),
    ("GPTQ quantizes the KV cache.", "name", "GPTQ"),
    ("Mamba layers replace attention.", "name", "Mamba"),
    ("Tested on the RULER benchmark.", "name", "RULER"),
    ("It outperforms existing pruning methods.", "comparison", "outperforms existing pruning"),
    ("Achieves state-of-the-art accuracy on long-context tasks.", None, None),  # see below
    ("SlimAttn is faster than speculative decoding.", "comparison", "faster than speculative"),
]


@pytest.mark.parametrize("bullet", GOOD)
def test_known_good_bullets_pass(bullet: str) -> None:
    assert check_bullet(bullet, SOURCE) == []


@pytest.mark.parametrize(("bullet", "kind", "text"), [b for b in BAD if b[1]])
def test_known_bad_bullets_fail_naming_the_fact(bullet: str, kind: str, text: str) -> None:
    problems = check_bullet(bullet, SOURCE)
    assert problems, bullet
    assert any(p.kind == kind and p.text.startswith(text) for p in problems), problems


def test_state_of_the_art_needs_a_claim_in_the_abstract() -> None:
    claim = "Achieves state-of-the-art accuracy on long-context tasks."
    # This abstract says it outperforms two methods: a claim the bullet may sum up.
    assert check_bullet(claim, SOURCE) == []
    modest = Source("A study of attention", "We measure attention sparsity in 12 LLMs.")
    [problem] = check_bullet(claim, modest)
    assert (problem.kind, problem.text) == ("comparison", "state-of-the-art")


def test_comparison_must_be_made_by_one_sentence() -> None:
    source = Source("T", "We study pruning of LLMs. A new criterion outperforms magnitude scores.")
    assert check_bullet("It outperforms magnitude scores.", source) == []
    # Both words are in the abstract, but no sentence compares with magnitude pruning.
    assert check_bullet("It outperforms magnitude pruning.", source)[0].kind == "comparison"
    other = Source("T", "We study pruning of LLMs. Magnitude scores are common. We report costs.")
    assert check_bullet("It outperforms magnitude scores.", other)[0].kind == "comparison"


def test_numbers_inside_names_are_names_and_ranges_share_units() -> None:
    source = Source("W4A8 quantization", "Accuracy drops 3-5% with W4A8 on GPT-4 outputs.")
    assert check_bullet("W4A8 costs 3% to 5% accuracy on GPT-4 outputs.", source) == []
    assert [p.text for p in check_bullet("W4A16 costs 3% on GPT-3.", source)] == ["W4A16", "GPT-3"]


def test_sentence_initial_words_are_not_names_unless_unknown() -> None:
    source = Source("T", "We show that pruning keeps accuracy. Experiments use BERT.")
    assert check_bullet("Pruning keeps accuracy.", source) == []
    assert check_bullet("Introduces a pruning rule; Experiments use BERT.", source) == []
    assert [p.text for p in check_bullet("Wanda keeps accuracy.", source)] == ["Wanda"]


def test_check_summary_and_describe() -> None:
    bullets = ["LLMs are costly to serve.", "Uses 45% less memory.", "GPTQ beats H100 GPUs."]
    problems = check_summary(bullets, TITLE, ABSTRACT)
    assert [bool(p) for p in problems] == [False, True, True]
    assert describe(problems) == (
        "bullet 2: number '45%'; bullet 3: name 'GPTQ', name 'H100', comparison 'beats H100 GPUs'")


@pytest.mark.slow
@pytest.mark.skipif(not RELEVANCE.is_dir(), reason="needs ../shared/relevance/")
def test_benchmark_meets_its_targets() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "bench_grounding.py"), "--limit", "80"],
        capture_output=True, text=True, check=True, timeout=300,
    )
    overall = next(line for line in result.stdout.splitlines() if line.startswith("all:"))
    flagged, caught = (float(x) for x in re.findall(r"\(([\d.]+)%\)", overall))
    assert caught >= 95 and flagged <= 5, result.stdout
    counts = re.search(r"correct bullets (\d+).*planted errors (\d+)", overall)
    assert counts is not None and int(counts[1]) > 300 and int(counts[2]) > 500
