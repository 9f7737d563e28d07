"""The filter's linear model: its file, what it adds to a score, how it ranks, its training."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import pytest
from arxiv_digest.errors import DigestError
from arxiv_digest.filter import Listed, classify, describe, filter_day, load_rules
from arxiv_digest.filter.model import DEFAULT_MODEL, load_model

from tests.test_relevance import KEPT_RECORDED, RECORDED

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT / ".." / "shared" / "relevance"
RULES = load_rules()
OPTIM = "We prove a convergence rate for SGD; stochastic gradient descent converges faster."


def test_the_packaged_rules_name_the_packaged_model() -> None:
    model = RULES.model
    assert model is not None and Path(model.source) == DEFAULT_MODEL
    assert model.weights and model.stem >= 1 and model.points > 0
    assert "the" in model.stop_words
    assert load_rules(model=False).model is None


def test_model_points_are_part_of_the_score_and_explained() -> None:
    title = "Faster Convergence of Stochastic Gradient Descent"
    alone = classify(title, OPTIM, load_rules(model=False))
    verdict = classify(title, OPTIM, RULES)
    assert verdict.model is not None and alone.model is None
    assert verdict.score == pytest.approx(alone.score + verdict.model, abs=0.02)
    line = verdict.evidence[-1]
    assert line.startswith(f"model {verdict.model:+g} (")
    # The features that counted: its words (cut to the model's stem) and its rule points.
    assert "'conver'" in line and "rule points" in line


def test_abstract_words_count_once_each_whatever_the_length() -> None:
    model = RULES.model
    once = model.features("A title", "Pruning of networks.", 0.0, False)
    again = model.features("A title", "Pruning of networks. Pruning networks, pruning.", 0.0,
                           False)
    assert once == again
    # Present words share one budget: a longer text gives each word less, the total grows slowly.
    longer = model.features("A title", "Pruning of networks for cheaper inference.", 0.0, False)
    assert longer["a:prunin"] < once["a:prunin"]
    assert longer["a:prunin"] == pytest.approx(model.text / 4 ** 0.5)
    # Function words and summary-style words are no features.
    assert not any(k in once for k in ("a:of", "a:the"))


def test_the_model_weighs_topic_words_of_the_abstract_not_summary_style() -> None:
    weights = RULES.model.weights
    abstract = {k for k in weights if k.startswith("a:")}
    assert len(abstract) > 100
    # Words of a summary's style are no topic words of arXiv titles, so mostly never learnt;
    # those that are ("demonstration", "authorship") lift no paper by as much as 2 points.
    assert not abstract & {"a:showca", "a:highli", "a:slight", "a:delves", "a:sheds"}
    # In an abstract of 100 distinct words each weighs text / 10.
    style = ("a:showca", "a:highli", "a:slight", "a:demons", "a:author", "a:valuab")
    assert all(weights.get(k, 0.0) * RULES.model.points * RULES.model.text / 10 < 2
               for k in style)
    # Words the model does not know count as such, and a paper with no rule points and no
    # words for it is not ranked at all.
    off = classify("Hot Jupiters", "Planets.", RULES)
    assert "unknown words -" in off.evidence[-1] and not off.candidate and not off.keep
    verdict = classify("A Study", "Stochastic gradient descent converges; convergence rates.",
                       RULES)
    assert "abstract '" in verdict.evidence[-1]


def test_the_rules_still_count_with_the_model() -> None:
    # A contributor who raises a rule's weight raises the papers it matches.
    title, abstract = "Quantization of Transformers", "We quantize a transformer to 4 bits."
    base = classify(title, abstract, RULES)
    heavier = dataclasses.replace(RULES, rules=tuple(
        dataclasses.replace(r, weight=r.weight * 2) if r.name == "quantization" else r
        for r in RULES.rules))
    assert classify(title, abstract, heavier).score > base.score + 8


def test_categories_reach_the_score_but_not_the_model() -> None:
    title = "Faster Convergence of Stochastic Gradient Descent"
    plain = classify(title, OPTIM, RULES)
    listed = classify(title, OPTIM, RULES, ("math.OC",))
    assert listed.model == plain.model and listed.score > plain.score


def test_a_day_with_the_model_ranks_papers_with_evidence_and_keeps_at_most_per_day() -> None:
    day = [Listed(f"2601.{n:05d}", f"Quantization of LLMs, part {n}",
                  "We quantize the weights of large language models to 4 bits.")
           for n in range(25)]
    day.append(Listed("2601.09999", "Hot Jupiters in OGLE-III", "Planet frequencies."))
    verdicts = filter_day(day, RULES)
    assert sorted(v.rank for v in verdicts[:-1]) == list(range(1, len(day)))
    assert sum(v.keep for v in verdicts) == RULES.per_day
    assert not verdicts[-1].keep and not verdicts[-1].candidate and verdicts[-1].rank is None
    assert all(v.score >= RULES.model.threshold for v in verdicts if v.keep)
    ordered = sorted(verdicts[:-1], key=lambda v: v.rank)
    assert [v.score for v in ordered] == sorted((v.score for v in verdicts[:-1]), reverse=True)


def test_a_paper_without_evidence_is_not_kept_even_on_an_empty_day() -> None:
    # Most words weigh against a paper, so a paper of two words may outscore the threshold;
    # with no rule points and no words for it, it is not ranked at all.
    verdicts = filter_day([Listed("1", "Hot Jupiters in OGLE-III", "Planet frequencies.")], RULES)
    assert not verdicts[0].candidate and not verdicts[0].keep and verdicts[0].rank is None
    quiet = filter_day([Listed("2", "Faster Convergence of Stochastic Gradient Descent", OPTIM)],
                       RULES)
    assert quiet[0].keep and quiet[0].rank == 1


def test_recorded_papers_on_topic_rank_first_as_one_day() -> None:
    verdicts = filter_day([Listed(i, t, a) for i, t, a in RECORDED], RULES)
    by_rank = sorted(zip(RECORDED, verdicts, strict=True),
                     key=lambda pv: pv[1].rank or len(RECORDED) + 1)
    # Kept with them: an ADMM paper with convergence guarantees and scaling limits of deep
    # transformers (optimization and deep-learning theory, which the editor picked too).
    editor_scope = {"2604.26932", "2604.26898"}
    kept = {paper[0] for paper, verdict in by_rank if verdict.keep}
    assert kept == set(KEPT_RECORDED) | editor_scope
    off_topic = {"Testing Deep Learning Models", "Frequency of Hot Jupiters", "Property-Based"}
    for (_, title, _), verdict in by_rank:
        if any(title.startswith(o) for o in off_topic):
            assert not verdict.keep, title


@pytest.mark.parametrize(
    ("text", "message", "where"),
    [
        ("{", "not valid JSON", ""),
        ("[]", "expected a JSON object", ""),
        ('{"format": 1}', "'format' must be 2", ""),
        ('{"format": 2, "weights": {}}', "'weights' must be a non-empty object", ""),
        ('{"format": 2, "weights": {"t:x": "a"}}', "weight must be a finite number",
         "weights['t:x']"),
        ('{"format": 2, "weights": {"t:x": 1}, "stem": 0}', "'stem' must be a whole number", ""),
        ('{"format": 2, "weights": {"t:x": 1}, "stem": 6, "points": 1}',
         "'text' must be a number", ""),
        ('{"format": 2, "weights": {"t:x": 1}, "stem": 6, "text": 1, "points": 1}',
         "'threshold' must be a number", ""),
    ],
)
def test_model_file_errors_name_the_file_and_entry(tmp_path: Path, text: str, message: str,
                                                   where: str) -> None:
    path = tmp_path / "model.json"
    path.write_text(text, "utf-8")
    with pytest.raises(DigestError) as err:
        load_model(path)
    assert message in str(err.value) and f"{path}{' ' + where if where else ''}" in str(err.value)


def test_a_missing_model_named_by_the_rules_is_a_clear_error(tmp_path: Path) -> None:
    rules = tmp_path / "rules.toml"
    rules.write_text(Path(RULES.source).read_text("utf-8"), "utf-8")
    with pytest.raises(DigestError) as err:
        load_rules(rules)
    assert "model file not found" in str(err.value) and str(tmp_path / "model.json") in str(
        err.value)
    rules.write_text(rules.read_text("utf-8").replace('model = "model.json"', "model = 3"),
                     "utf-8")
    with pytest.raises(DigestError, match=r"\[filter\] model"):
        load_rules(rules)
    rules.write_text(rules.read_text("utf-8").replace("model = 3", 'model = ""'), "utf-8")
    assert load_rules(rules).model is None


def test_the_about_text_explains_the_model() -> None:
    text = describe(RULES)
    assert "title" in text and "editor" in text and str(RULES.per_day) in text
    assert "model" not in describe(load_rules(model=False)).lower()


def test_shipped_model_file_is_sorted_and_rounded() -> None:
    data = json.loads(DEFAULT_MODEL.read_text("utf-8"))
    assert list(data["weights"]) == sorted(data["weights"])
    assert all(round(v, 4) == v for v in data["weights"].values())


@pytest.mark.slow
@pytest.mark.skipif(not SHARED.is_dir(), reason=f"the shared relevance data is not at {SHARED}")
def test_training_reproduces_the_shipped_model_byte_for_byte() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "train_relevance_model.py"), "--check"],
        capture_output=True, text=True, check=False, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "reproduced byte for byte" in result.stdout


PICK_SCOPE = json.loads((ROOT / "tests" / "data" / "pick_scope.json").read_text("utf-8"))


def test_hand_judged_pick_scope_uses_the_labels_scale() -> None:
    labels = [p["label"] for p in PICK_SCOPE["picks"].values()]
    assert set(labels) == {"relevant", "borderline", "irrelevant"}
    assert all(p["why"].strip() for p in PICK_SCOPE["picks"].values())


@pytest.mark.skipif(not SHARED.is_dir(), reason=f"the shared relevance data is not at {SHARED}")
def test_hand_judged_pick_scope_covers_each_pick_once() -> None:
    lines = (SHARED / "human_picks_2023-06-26_30.jsonl").read_text("utf-8").splitlines()
    ids = [json.loads(line)["id"] for line in lines if line.strip()]
    assert sorted(ids) == sorted(PICK_SCOPE["picks"])
