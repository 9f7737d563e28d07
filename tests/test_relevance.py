"""The relevance filter: shipped rules on real and handwritten abstracts, and the rules format."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import feedparser
import pytest
from arxiv_digest.errors import DigestError
from arxiv_digest.filter import DEFAULT_RULES, TOPICS, classify, describe, load_rules

DATA = Path(__file__).parent / "data" / "arxiv"
# The rules alone (the file's model left out): what these tests pin down is the rules' own
# judgement; tests/test_filter_model.py covers the model that ranks with them.
RULES = load_rules(model=False)

# Recorded arXiv papers (tests/data/arxiv) that are about efficient deep learning.
KEPT_RECORDED = {
    "2604.21952": "hardware-systems",  # hardware/software acceleration of foundation models
    "2604.26951": "distillation",  # cross-architecture distillation for diffusion LLMs
    "2604.26881": "mixture-of-experts",  # serverless MoE serving
    "2604.26857": "distillation",  # edge detection via knowledge distillation + INT8
    "2604.26837": "efficient-attention",  # sparse attention for long-context LLM serving
}


def _recorded() -> list[tuple[str, str, str]]:
    papers = {}
    for path in sorted(DATA.glob("*/*.xml")):
        for entry in feedparser.parse(path.read_bytes()).entries:
            match = re.search(r"(\d{4}\.\d{4,5}|[a-z-]+/\d{7})(v\d+)?$", entry.id)
            if match and entry.title != "Error":
                abstract = re.sub(r"^.*?Abstract:\s*", "", entry.summary, flags=re.S)
                papers[match[1]] = (entry.title, abstract)
    return [(i, t, a) for i, (t, a) in papers.items()]


RECORDED = _recorded()


def test_recorded_data_has_enough_papers_to_tune_on() -> None:
    assert len(RECORDED) >= 50
    assert set(KEPT_RECORDED) <= {i for i, _, _ in RECORDED}


@pytest.mark.parametrize(("arxiv_id", "title", "abstract"), RECORDED, ids=[r[0] for r in RECORDED])
def test_recorded_papers_are_kept_exactly_when_on_topic(
    arxiv_id: str, title: str, abstract: str
) -> None:
    verdict = classify(title, abstract, RULES)
    assert verdict.keep == (arxiv_id in KEPT_RECORDED), (verdict.score, verdict.matched)
    if verdict.keep:
        assert KEPT_RECORDED[arxiv_id] in verdict.topics
        assert verdict.score >= RULES.threshold and verdict.matched


# Handwritten examples, paraphrasing well-known papers: (title, abstract, topic or None to drop).
EXAMPLES = [
    (
        "QuIP#: Even Better LLM Quantization with Hadamard Incoherence",
        "We introduce a weight-only post-training quantization method for large language models "
        "that "
        "achieves state-of-the-art results at 2 bits per weight.",
        "quantization",
    ),
    (
        "Efficient Memory Management for Large Language Model Serving with PagedAttention",
        "High throughput serving of LLMs requires batching many requests; the KV cache memory "
        "for each "
        "request is huge. We build vLLM, improving throughput by 2-4x.",
        "inference-serving",
    ),
    (
        "LoRA: Low-Rank Adaptation of Large Language Models",
        "We freeze the pre-trained model weights and inject trainable rank decomposition "
        "matrices into "
        "each layer of the Transformer, reducing trainable parameters by 10,000 times.",
        "peft",
    ),
    (
        "Mamba: Linear-Time Sequence Modeling with Selective State Spaces",
        "Foundation models are based on the Transformer, whose attention has quadratic cost. We "
        "integrate selective state space models (SSMs) into a simple architecture with 5x higher "
        "throughput than Transformers.",
        "efficient-architectures",
    ),
    (
        "Switch Transformers: Scaling to Trillion Parameter Models with Simple and Efficient "
        "Sparsity",
        "Mixture of Experts (MoE) models select different parameters for each example. We "
        "simplify the MoE routing algorithm and design models with reduced communication and "
        "computational costs, pre-training up to 7x faster.",
        "mixture-of-experts",
    ),
    (
        "SparseGPT: Massive Language Models Can Be Accurately Pruned in One-Shot",
        "We show that large-scale generative pretrained transformer models can be pruned to 50% "
        "sparsity in one shot without retraining.",
        "pruning-sparsity",
    ),
    (
        "DistilBERT, a distilled version of BERT: smaller, faster, cheaper and lighter",
        "We leverage knowledge distillation during the pre-training phase to reduce the size of "
        "a BERT "
        "model by 40% while being 60% faster.",
        "distillation",
    ),
    (
        "FlashAttention: Fast and Memory-Efficient Exact Attention with IO-Awareness",
        "Transformers are slow and memory-hungry on long sequences, since the time and memory "
        "complexity of self-attention are quadratic in sequence length.",
        "efficient-attention",
    ),
    (
        "Fast Inference from Transformers via Speculative Decoding",
        "Inference from large autoregressive models like Transformers is slow. We introduce "
        "speculative decoding, achieving 2X-3X acceleration.",
        "inference-serving",
    ),
    (
        "ZeRO: Memory Optimizations Toward Training Trillion Parameter Models",
        "Large deep learning models offer significant accuracy gains, but training billions of "
        "parameters is challenging. ZeRO eliminates memory redundancies in data- and "
        "model-parallel "
        "training while retaining low communication volume.",
        "training-efficiency",
    ),
    (
        "Symbolic Discovery of Optimization Algorithms",
        "We discover Lion, a simple and effective optimizer for deep neural network training "
        "that is "
        "more memory-efficient than Adam as it only keeps track of the momentum; it reduces the "
        "pre-training compute of vision transformers by up to 5x.",
        "optimization",
    ),
    (
        "A 28nm Systolic Array Accelerator for Transformer Inference",
        "We present an ASIC accelerator for Transformer inference with 3.1x higher energy "
        "efficiency.",
        "hardware-systems",
    ),
    # Dropped: language models without efficiency, efficiency without deep learning, and others.
    (
        "A Survey of Hallucination in Large Language Models",
        "Large language models produce fluent text that is sometimes unfaithful. We survey "
        "detection "
        "and mitigation methods for hallucination in LLMs.",
        None,
    ),
    (
        "Efficient Algorithms for Coloring Planar Graphs",
        "We give an efficient linear-time algorithm for 5-coloring planar graphs with lower memory "
        "usage than previous methods.",
        None,
    ),
    (
        "Quantum Error Correction with Surface Codes",
        "We study logical error rates of surface codes under circuit-level noise.",
        None,
    ),
    (
        "Sparse Autoencoders Find Highly Interpretable Features in Language Models",
        "We use sparse autoencoders to decompose activations of language models into interpretable "
        "features, enforcing sparsity with an L1 penalty.",
        None,
    ),
    (
        "Deep Reinforcement Learning for Robotic Grasping",
        "We train a convolutional neural network policy with deep reinforcement learning.",
        None,
    ),
]


@pytest.mark.parametrize(
    ("title", "abstract", "topic"), EXAMPLES, ids=[e[0][:40] for e in EXAMPLES]
)
def test_handwritten_examples(title: str, abstract: str, topic: str | None) -> None:
    verdict = classify(title, abstract, RULES)
    assert verdict.keep == (topic is not None), (verdict.score, verdict.matched)
    if topic:
        assert topic in verdict.topics, verdict.topics


def test_every_topic_of_the_brief_exists_with_a_display_name() -> None:
    assert set(TOPICS) >= {
        "quantization",
        "pruning-sparsity",
        "distillation",
        "mixture-of-experts",
        "efficient-attention",
        "peft",
        "inference-serving",
        "training-efficiency",
        "hardware-systems",
        "optimization",
        "efficient-architectures",
    }
    assert all(TOPICS[slug] for slug in TOPICS)
    assert {r.topic for r in RULES.rules if r.topic} == set(TOPICS)  # every topic has rules


def test_title_weighs_more_than_abstract() -> None:
    in_title = classify("Quantization of LLMs", "We study language models.", RULES)
    in_abstract = classify("A study of LLMs", "We study quantization of language models.", RULES)
    assert in_title.score > in_abstract.score
    assert in_title.matched[0] == "quantization"  # largest contribution first


def test_verdict_is_deterministic_and_ignores_case_and_whitespace() -> None:
    a = classify("MIXTURE-OF-EXPERTS  for\nLLMs", "", RULES)
    b = classify("mixture of experts for LLMs", None, RULES)
    assert a == b and a.keep and a.topics[0] == "mixture-of-experts"


def test_one_passing_word_is_weak_evidence() -> None:
    # Length scaling off, so the points are the rule's weight times the once factor exactly.
    rules = dataclasses.replace(RULES, length_words=0)
    once = classify("A study of LLMs", "We study quantization.", rules)
    twice = classify("A study of LLMs", "We study quantization. Quantization helps.", rules)
    assert twice.score > once.score
    assert "quantization +2 (abstract)" in once.evidence
    assert "quantization +4 (abstract x2)" in twice.evidence
    far = classify("Hot Jupiters in OGLE-III", "Planet frequencies.", RULES)
    assert not far.keep and not far.candidate and far.score == 0 and far.matched == []


def _words(n: int) -> str:
    return " ".join(f"filler{i}" for i in range(n))


def test_abstract_points_are_per_word_not_per_abstract() -> None:
    # The same two quantization mentions weigh more in a short text than in a long one, the
    # title not at all, and the scale stays within [1/2, 3/2] (shipped length: 170 words).
    hits = "We quantize weights. Quantization keeps accuracy."
    points = {}
    for n in (0, 100, 170, 400, 5000):
        verdict = classify("Neural networks", f"{hits} {_words(n)}", RULES)
        points[n] = float(next(e for e in verdict.evidence if e.startswith("quantization "))
                          .split()[1])
        assert "deep-learning +3 (title)" in verdict.evidence
    assert points[0] == 6 and points[100] > points[170] > points[400] > points[5000] == 2
    assert points[170] == pytest.approx(4, abs=0.1)
    off = classify("Neural networks", f"{hits} {_words(400)}", dataclasses.replace(
        RULES, length_words=0))
    assert "quantization +4 (abstract x2)" in off.evidence


def test_optimization_counts_without_deep_learning_words() -> None:
    verdict = classify(
        "Limited-Memory Quasi-Newton Methods with Superlinear Convergence",
        "We prove a superlinear convergence rate for a limited-memory quasi-Newton method for "
        "stochastic optimization; the method converges with fewer gradient evaluations.",
        RULES,
    )
    assert verdict.keep and verdict.topics[0] == "optimization", verdict.evidence


def test_categories_from_the_metadata_count() -> None:
    title, abstract = "Scheduling Layers on Chiplets", "We schedule neural network layers."
    without = classify(title, abstract, RULES)
    with_ar = classify(title, abstract, RULES, ["cs.AR", "cs.LG"])
    assert with_ar.score > without.score
    assert any(e.startswith("systems-category") and "category" in e for e in with_ar.evidence)


def _rules_file(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "rules.toml"
    path.write_text(
        "[filter]\nthreshold = 3\nper_day = 5\nreserved = 0\nnear_miss = 2\ntitle_factor = 2\n"
        "once_factor = 0.5\ntopic_min = 1\nevidence_min = 2\nstrong = 6\nstandalone = []\n"
        '[topics]\nquantization = "Quantization"\n' + body,
        "utf-8",
    )
    return path


def test_length_words_is_optional_and_checked(tmp_path: Path) -> None:
    # Rules files from before the key existed load with the scaling off.
    assert load_rules(_rules_file(tmp_path, "")).length_words == 0
    path = _rules_file(tmp_path, "")
    text = path.read_text("utf-8").replace("[topics]", "length_words = -5\n[topics]")
    path.write_text(text, "utf-8")
    with pytest.raises(DigestError, match="length_words") as err:
        load_rules(path)
    assert "must be 0 (off) or a number of words" in str(err.value)
    path.write_text(text.replace("-5", "'many'"), "utf-8")
    with pytest.raises(DigestError, match="expected a number"):
        load_rules(path)


def test_about_text_says_how_abstract_length_counts() -> None:
    assert "square root of 170 words over the abstract's length" in describe(RULES)
    assert "per word" not in describe(dataclasses.replace(RULES, length_words=0))


def test_pattern_syntax(tmp_path: Path) -> None:
    rules = load_rules(
        _rules_file(
            tmp_path,
            """
[[rule]]
name = "dl"
kind = "domain"
weight = 1
patterns = ["fine-tuning", "neural net*"]
[[rule]]
name = "q"
topic = "quantization"
weight = 2
patterns = ['re:(?-i:\\bINT4\\b)', "low bit"]
""",
        )
    )
    assert classify("Finetuning neural networks", "", rules).matched == ["dl"]
    assert classify("fine tuning", "", rules).matched == ["dl"]
    assert classify("fine-tuned", "", rules).matched == []  # whole words unless '*'
    assert classify("INT4 weights", "", rules).matched == ["q"]
    assert classify("int4 weights", "", rules).matched == []  # (?-i:...) is case-sensitive
    verdict = classify("Low-bit neural nets", "", rules)
    assert verdict.keep and verdict.topics == ["quantization"] and verdict.score == 6.0


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            '[[rule]]\nname = "q"\nweight = 1\npatterns = ["x"]\nwieght = 2\n',
            "unknown key 'wieght'",
        ),
        (
            '[[rule]]\nname = "q"\nweight = 1\npatterns = ["re:(unclosed"]\n',
            "bad regular expression",
        ),
        (
            '[[rule]]\nname = "q"\nweight = 1\npatterns = ["x"]\ntopic = "nope"\n',
            "unknown topic 'nope'",
        ),
        ('[[rule]]\nname = "q"\npatterns = ["x"]\n', "missing key 'weight'"),
        ('[[rule]]\nname = "q"\nweight = 1\npatterns = []\n', "needs 'patterns' or 'categories'"),
        ('[[rule]]\nname = "q"\nweight = 1\npatterns = [1]\n', "'patterns' must be"),
        ('[[rule]]\nname = "q"\nweight = 1\ncategories = ["cs LG"]\n', "not an arXiv category"),
        ('[[rule]]\nname = "q"\nweight = 1\npatterns = ["x"]\nkind = "other"\n', "kind must be"),
        (
            '[[rule]]\nname = "q"\nweight = 1\npatterns = ["x"]\n[[rule]]\nname = "q"\nweight = 1\n'
            'patterns = ["y"]\n',
            "two rules have this name",
        ),
    ],
)
def test_invalid_rules_name_file_and_rule(tmp_path: Path, body: str, message: str) -> None:
    path = _rules_file(tmp_path, body)
    with pytest.raises(DigestError) as caught:
        load_rules(path)
    assert message in str(caught.value)
    assert str(path) in str(caught.value) and "rule 'q'" in str(caught.value)


def test_invalid_filter_table_and_toml(tmp_path: Path) -> None:
    path = tmp_path / "rules.toml"
    path.write_text("[filter]\nthreshold = 'high'\n", "utf-8")
    with pytest.raises(DigestError, match=r"\[filter\]"):
        load_rules(path)
    path.write_text("[filter\n", "utf-8")
    with pytest.raises(DigestError, match="not valid TOML"):
        load_rules(path)


def test_shipped_rules_file_documents_its_format() -> None:
    head = DEFAULT_RULES.read_text("utf-8").split("\n[filter]")[0]
    for key in (
        "threshold",
        "per_day",
        "reserved",
        "near_miss",
        "once_factor",
        "evidence_min",
        "strong",
        "standalone",
        "length_words",
        "categories",
        "title_factor",
        "patterns",
        "weight",
        "topic",
        "kind",
        "re:",
    ):
        assert key in head
