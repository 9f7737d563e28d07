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
The model's threshold is set so that the January pool keeps ``TARGET_PER_DAY`` papers a day on
average (at most ``per_day`` on any day): busy days keep more, quiet days fewer.

The abstract weight, the listing weight and the papers a day below were chosen by
cross-validation on the training side only (leave one of the June 26-28 pick days out, and a
third of the training half with it; ``scripts/bench_relevance.py --cv-only`` prints it), among
the settings that pass the filter's quiet-day tests (a day of few papers is not padded with
papers off the scope); the L2 penalty and the 12 a day by those tests (README).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import random
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from arxiv_digest.filter import Rules, classify, load_rules
from arxiv_digest.filter.model import DEFAULT_MODEL, Model, model_file
from bench_relevance import DATA, HELD_OUT_PICK_DAYS, LABELLED, PICKS, held_out

#: The listing pool the model may read (the other one is held back).
TRAIN_POOL = "listing_2026-01.jsonl"
#: Weight of one listing paper as a negative (a labelled paper weighs 1).
LISTING_WEIGHT = 0.1
#: A title word or word pair must occur in this many titles of the pool to get a weight.
MIN_PAPERS = 3
#: An abstract word must occur in this many abstracts of the pool, and as a word in this many
#: titles: a topic word ("convergence", "pruning"), not a summary's style ("showcases").
MIN_ABSTRACTS = 10
MIN_TITLES = 5
#: The abstract's words weigh this much against the title's (see Model.text).
TEXT = 1.0
#: L2 penalty on every weight. 1e-2 ranked better in cross-validation but squeezed the scores:
#: a paper with two passing mentions of quantization then scored like a relevant one.
L2 = 1e-3
EPOCHS = 15
RATE = 0.5
SEED = 1
#: Title words are cut to this many letters ("quantiz" for quantized and quantization).
STEM = 6
#: Score points per unit of the model's log-odds. The model reads the rule points too, so a
#: rule's points still count, through it, several times over.
POINTS = 40.0
#: Papers kept per day on average on the training pool; the threshold is set to give it. More
#: (up to the cap of 15) found more picks in cross-validation, but padded quiet days.
TARGET_PER_DAY = 12.0
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


@dataclass(frozen=True)
class Row:
    """One paper as the trainer sees it."""

    features: dict[str, float]
    """The model's features (see Model.features), before the title vocabulary cut."""
    points: float
    """Its rule points with its categories: the score without the model."""
    day: str = ""
    """Its announcement day in a listing pool; "" for a pick."""
    words: int = 0
    """How many distinct words its abstract has (its bullets for a pick)."""


class Corpus:
    """Every paper the trainer may read, scored by the rules once (a fit only weighs them).

    Picks are keyed ``pick:<id>`` (title + bullets, no categories), listing papers by id.
    """

    def __init__(self, rules: Rules, pools: Iterable[str] = (TRAIN_POOL,)) -> None:
        self.rules = rules
        self.picks = _read(PICKS)
        self.labelled = {p["id"]: p for p in _read(LABELLED)}
        listed = {name: _read(name) for name in pools}
        self.pools = {name: [p["id"] for p in papers] for name, papers in listed.items()}
        blank = Model({}, frozenset(STOP_WORDS), STEM, TEXT, POINTS, 0.0)
        self.titles, self.blank = self._vocabulary(blank, listed[TRAIN_POOL])
        self.rows: dict[str, Row] = {}
        for papers in listed.values():
            for paper in papers:
                self.rows[paper["id"]] = self._row(paper, paper["categories"], paper["date"])
        for pick in self.picks:
            paper = {"title": pick["title"], "abstract": " ".join(pick["bullets"])}
            self.rows["pick:" + pick["id"]] = self._row(paper, (), "")

    @staticmethod
    def _vocabulary(blank: Model, pool: list[dict]) -> tuple[set[str], Model]:
        """Title words and pairs common enough in the pool to be learnt, and the model that
        knows the pool's abstract topic words."""
        titles: Counter[str] = Counter()
        abstracts: Counter[str] = Counter()
        for paper in pool:
            titles.update(k for k in blank.features(paper["title"], "", 0.0, False)
                          if k[:2] == "t:")
            abstracts.update(set(blank.words(paper["abstract"])))
        words = {w for w, n in abstracts.items()
                 if n >= MIN_ABSTRACTS and titles["t:" + w] >= MIN_TITLES}
        return ({k for k, n in titles.items() if n >= MIN_PAPERS},
                dataclasses.replace(blank, vocabulary=frozenset(words)))

    def _row(self, paper: dict, categories: Iterable[str], day: str) -> Row:
        # The model reads the rule points without categories: picks have none, so it could
        # learn "no category" as the mark of a pick. The categories still count in the score.
        verdict = classify(paper["title"], paper["abstract"], self.rules, ())
        cats = set(categories)
        points = verdict.score + sum(r.weight for r in self.rules.rules if r.categories & cats)
        features = self.blank.features(paper["title"], paper["abstract"], verdict.score,
                                       verdict.candidate)
        return Row(features, points, day, len(set(self.blank.words(paper["abstract"]))))

    def score(self, model: Model, key: str) -> float:
        """The combined score of one paper (rule points + model points), as classify gives it;
        -inf for a paper the model does not rank (see Model.on_scope)."""
        row = self.rows[key]
        if not model.on_scope(row.features):
            return -math.inf
        return row.points + model.points * model.logit(row.features)


def fit_model(corpus: Corpus, pick_days: Iterable[str], labelled: Iterable[str]) -> Model:
    """The model learnt from the picks of ``pick_days``, the labelled papers ``labelled`` (ids)
    and the training pool, its threshold set to keep ``TARGET_PER_DAY`` a day there."""
    days, known = set(pick_days), set(corpus.labelled)
    keys, ys, ws = [], [], []
    for pick in corpus.picks:
        if pick["day"] in days:
            keys.append("pick:" + pick["id"])
            ys.append(1)
            ws.append(1.0)
    for arxiv_id in labelled:
        if corpus.labelled[arxiv_id]["label"] != "borderline":
            keys.append(arxiv_id)
            ys.append(int(corpus.labelled[arxiv_id]["label"] == "relevant"))
            ws.append(1.0)
    for arxiv_id in corpus.pools[TRAIN_POOL]:
        if arxiv_id not in known:
            keys.append(arxiv_id)
            ys.append(0)
            ws.append(LISTING_WEIGHT)
    xs = [{k: v for k, v in corpus.rows[key].features.items()
           if k[:2] != "t:" or k in corpus.titles} for key in keys]
    model = dataclasses.replace(corpus.blank, weights=fit(xs, ys, ws))
    return dataclasses.replace(model, threshold=_threshold(corpus, model))


def fit(xs: list[dict[str, float]], ys: list[int], ws: list[float]) -> dict[str, float]:
    """Weighted logistic regression by stochastic gradient descent (L2 on the word features)."""
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
    # The file keeps 4 decimals: the threshold is set on the weights the file will hold.
    return {k: round(v, 4) for k, v in weights.items() if abs(round(v, 4)) >= 5e-4}


def _threshold(corpus: Corpus, model: Model) -> float:
    """The lowest score (to 0.1) at which the training pool keeps at most TARGET_PER_DAY a day
    on average, each day at most ``per_day``."""
    per_day = corpus.rules.per_day
    days: dict[str, list[float]] = defaultdict(list)
    for arxiv_id in corpus.pools[TRAIN_POOL]:
        days[corpus.rows[arxiv_id].day].append(corpus.score(model, arxiv_id))

    def kept(threshold: float) -> float:
        return sum(min(per_day, sum(s >= threshold for s in scores))
                   for scores in days.values()) / len(days)

    low, high = -1000, 1000  # in tenths of a point: kept(high / 10) is small
    while high - low > 1:
        mid = (low + high) // 2
        low, high = (mid, high) if kept(mid / 10) > TARGET_PER_DAY else (low, mid)
    return high / 10


def train() -> str:
    corpus = Corpus(load_rules(model=False))
    seen = sorted({p["day"] for p in corpus.picks} - set(HELD_OUT_PICK_DAYS))
    model = fit_model(corpus, seen, [i for i in corpus.labelled if not held_out(i)])
    about = {
        "trained_by": "scripts/train_relevance_model.py",
        "positives": f"{len(seen)} pick days, the labelled training half",
        "target_per_day": TARGET_PER_DAY,
        "data": [PICKS + " (June 26-28)", LABELLED + " (training half)", TRAIN_POOL],
    }
    return model_file(model, about)


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
