"""Train the filter's linear model (``filter/model.json``) from ../shared/relevance/.

Reproducible: the same data and code write the same file byte for byte (a fixed seed, plain
Python arithmetic, sorted and rounded output). ``--check`` retrains and fails when the result
differs from the shipped file.

What it learns from (the rest stays out, so scripts/bench_relevance.py can report on it):
- positives: the editor's picks of June 26-28 2023 (title + bullets) and the ``relevant``
  papers of the labelled sample's training half;
- negatives: the training half's ``irrelevant`` papers, and every other paper of the January
  listing pool at a small weight (a listing is mostly off scope, but not all of it).
The June listing pool, the picks of June 29-30 and the labelled held-out half are never read.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import random
import sys
from collections import Counter
from pathlib import Path

from arxiv_digest.filter import classify, load_rules
from arxiv_digest.filter.model import DEFAULT_MODEL, Model, model_file
from bench_relevance import DATA, HELD_OUT_PICK_DAYS, LABELLED, PICKS, held_out

#: The listing pool the model may read (the other one is held back).
TRAIN_POOL = "listing_2026-01.jsonl"
#: Weight of one listing paper as a negative (a labelled paper weighs 1).
LISTING_WEIGHT = 0.05
#: A title word or word pair must occur in this many papers of the pool to get a weight.
MIN_PAPERS = 3
L2 = 1e-3
EPOCHS = 15
RATE = 0.5
SEED = 1
#: Title words are cut to this many letters ("quantiz" for quantized and quantization).
STEM = 6
#: Score points per unit of the model's log-odds. The model reads the rule points too, so a
#: rule's points still count, through it, several times over.
POINTS = 40.0
#: Lowest combined score kept: a quiet day keeps fewer than ``per_day``, and a paper with a
#: few passing efficiency words and nothing else of the scope in its title (about -32) is not kept.
THRESHOLD = -30.0
#: Function words, and words of summaries' style ("explores", "highlights"), left out.
_STOP_TEXT = """
a an the of and or in on for to with by from as at is are was were be been being this that these
those it its we our us they their them which who whom whose what when where how than then there
here such can could may might will would shall should do does did done not no nor but if so also
into onto over under between through about across after before via per each both either neither
all any some most more less few many much other another same own only very just while whereas
however thus hence therefore moreover furthermore has have had having you he she his her one two
new use used using based show shows shown propose proposes proposed present presents introduce
introduces paper work approach method methods result results study authors demonstrate
demonstrates novel significantly significant effectiveness effective achieve achieves
performance improve improves improved improvement discusses discuss explores explore highlights
highlight called various terms concept aims aim addresses address techniques technique potential
impact insights insight better enhance enhances enhancing crucial key important overall findings
particular specific specifically including include includes provide provides provided providing
additionally finally first second third several within without towards toward
"""
STOP_WORDS = sorted(set(_STOP_TEXT.split()))


def _read(name: str) -> list[dict]:
    return [json.loads(line) for line in (DATA / name).read_text("utf-8").splitlines()
            if line.strip()]


def examples(rules, model: Model) -> tuple[list[dict[str, float]], list[int], list[float]]:
    """Features, labels (1 = in scope) and weights of the training examples."""
    def features(paper: dict) -> dict[str, float]:
        # Categories are left out: picks have none, so the model could learn "no category".
        verdict = classify(paper["title"], paper["abstract"], rules, ())
        return model.features(paper["title"], verdict.score, verdict.candidate)

    xs, ys, ws = [], [], []
    for pick in _read(PICKS):
        if pick["day"] not in HELD_OUT_PICK_DAYS:
            xs.append(features({"title": pick["title"], "abstract": " ".join(pick["bullets"])}))
            ys.append(1)
            ws.append(1.0)
    labelled = _read(LABELLED)
    for paper in labelled:
        if not held_out(paper["id"]) and paper["label"] != "borderline":
            xs.append(features(paper))
            ys.append(int(paper["label"] == "relevant"))
            ws.append(1.0)
    known = {p["id"] for p in labelled}
    for paper in _read(TRAIN_POOL):
        if paper["id"] not in known:
            xs.append(features(paper))
            ys.append(0)
            ws.append(LISTING_WEIGHT)
    return xs, ys, ws


def fit(xs: list[dict[str, float]], ys: list[int], ws: list[float]) -> dict[str, float]:
    """Weighted logistic regression by stochastic gradient descent (L2 on the features seen)."""
    weights: dict[str, float] = {}
    order = list(range(len(xs)))
    shuffle = random.Random(SEED).shuffle
    step = 0
    for _ in range(EPOCHS):
        shuffle(order)
        for i in order:
            step += 1
            rate = RATE / (1 + 1e-4 * step)
            z = sum(weights.get(k, 0.0) * x for k, x in xs[i].items())
            p = 1 / (1 + math.exp(-max(min(z, 30.0), -30.0)))
            g = (p - ys[i]) * ws[i]
            for k, x in xs[i].items():
                w = weights.get(k, 0.0)
                weights[k] = w - rate * (g * x + L2 * w)
    return weights


def vocabulary(model: Model) -> set[str]:
    """Title features of words and pairs common enough in the pool to be learnt."""
    seen: Counter[str] = Counter()
    for paper in _read(TRAIN_POOL):
        seen.update(k for k in model.features(paper["title"], 0.0, False) if k[:2] == "t:")
    return {k for k, n in seen.items() if n >= MIN_PAPERS}


def train() -> str:
    rules = load_rules(model=False)
    blank = Model({}, frozenset(STOP_WORDS), STEM, POINTS, THRESHOLD)
    known = vocabulary(blank)
    xs, ys, ws = examples(rules, blank)
    xs = [{k: v for k, v in x.items() if k[:2] != "t:" or k in known} for x in xs]
    about = {
        "trained_by": "scripts/train_relevance_model.py",
        "examples": len(xs),
        "positives": sum(ys),
        "data": [PICKS + " (June 26-28)", LABELLED + " (training half)", TRAIN_POOL],
    }
    return model_file(dataclasses.replace(blank, weights=fit(xs, ys, ws)), about)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_MODEL, help="where to write")
    parser.add_argument("--check", action="store_true",
                        help="retrain and fail if the result differs from --out")
    args = parser.parse_args()
    if not DATA.is_dir():
        sys.exit(f"train_relevance_model: no data at {DATA.resolve()}")
    text = train()
    if args.check:
        same = args.out.is_file() and args.out.read_text("utf-8") == text
        print(f"{args.out}: {'reproduced byte for byte' if same else 'DIFFERS from a retrain'}")
        sys.exit(0 if same else 1)
    args.out.write_text(text, "utf-8")
    print(f"wrote {args.out} ({len(text)} bytes)")


if __name__ == "__main__":
    main()
