"""Measure the relevance filter on ../shared/relevance/: the filter of a52dbee (before) and now.

Prints recall on the editor's picks (each pick mixed into real listing days), weighted precision
and recall on the hand-labelled sample (train and held-out halves), papers kept per day on each
listing pool, what the LLM judge would cost a day, and how often a topic tag is right; for the
filter of a52dbee, this tree's rules alone, and this tree's rules with their model.
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import json
import math
import subprocess
import sys
import tempfile
import types
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from arxiv_digest.filter import Rules, Verdict, classify, load_rules, rank_day
from arxiv_digest.filter.judge import BATCH, Candidate, Judge

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / ".." / "shared" / "relevance"
BEFORE = "a52dbee"
POOLS = ("listing_2026-01.jsonl", "listing_2026-06.jsonl")
LABELLED = "labeled_2026-01.jsonl"
PICKS = "human_picks_2023-06-26_30.jsonl"
#: Pick days never looked at while the rules were written: the picks' held-out part.
HELD_OUT_PICK_DAYS = ("June 29, 2023", "June 30, 2023")
#: The listing pool scripts/train_relevance_model.py never reads.
UNSEEN_POOL = "listing_2026-06.jsonl"
#: Hand-checked topics of the labelled relevant and borderline papers (see its header).
TOPIC_CHECKS = ROOT / "tests" / "data" / "topic_checks.json"
#: The picks judged by hand against the labelled sample's scope (see its header).
PICK_SCOPE = ROOT / "tests" / "data" / "pick_scope.json"
SCOPE_LABELS = ("relevant", "borderline", "irrelevant")
#: Pool days merged into one to stand for a full day of the six categories (~600 papers).
FULL_DAY = 3
#: Rough size of a token in characters, for the judge's cost (no tokenizer offline).
CHARS_PER_TOKEN = 4
#: Tokens of one answer line of the judge ({"id": ..., "keep": ..., "reason": ...}).
ANSWER_TOKENS = 30

Paper = dict[str, Any]


def held_out(arxiv_id: str) -> bool:
    """The labelled sample's held-out half: a fixed hash of the id, not chosen by looking."""
    return int(hashlib.sha256(arxiv_id.encode()).hexdigest(), 16) % 2 == 1


def _read(name: str) -> list[Paper]:
    path = DATA / name
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def _pick_as_paper(pick: Paper) -> Paper:
    # Picks have no abstract and no categories: the bullets stand in for the abstract and the
    # categories are unknown (empty), so category rules cannot help them.
    return {"id": pick["id"], "title": pick["title"], "abstract": " ".join(pick["bullets"]),
            "categories": []}


class Before:
    """The filter of commit a52dbee, per paper (it had no per-day ranking)."""

    def __init__(self) -> None:
        source = _git_show("scripts/arxiv_digest/relevance.py")
        module = types.ModuleType("relevance_a52dbee")
        sys.modules[module.__name__] = module  # dataclasses look their module up
        module.__file__ = str(Path(self._tmp()) / "relevance.py")
        exec(compile(source.replace("from .errors", "from arxiv_digest.errors"),  # noqa: S102
                     "relevance_a52dbee.py", "exec"), module.__dict__)
        rules_file = Path(module.__file__).with_name("relevance_rules.toml")
        rules_file.write_text(_git_show("scripts/arxiv_digest/relevance_rules.toml"), "utf-8")
        self.module, self.rules = module, module.load_rules(rules_file)
        self._cache: dict[str, Any] = {}

    @staticmethod
    def _tmp() -> str:
        return tempfile.mkdtemp(prefix="bench-relevance-")

    def verdict(self, paper: Paper) -> Any:
        if paper["id"] not in self._cache:
            self._cache[paper["id"]] = self.module.classify(paper["title"], paper["abstract"],
                                                            self.rules)
        return self._cache[paper["id"]]

    def day(self, papers: list[Paper]) -> list[bool]:
        return [self.verdict(p).keep for p in papers]


def _git_show(path: str) -> str:
    result = subprocess.run(["git", "show", f"{BEFORE}:{path}"], cwd=ROOT, capture_output=True,
                            text=True, check=False)
    if result.returncode:
        sys.exit(f"bench_relevance: cannot read {path} at {BEFORE}: {result.stderr.strip()}")
    return result.stdout


class After:
    """The filter now, key-less: every paper scored once, each day ranked."""

    def __init__(self, rules: Rules) -> None:
        self.rules = rules
        self._cache: dict[str, Verdict] = {}

    def verdict(self, paper: Paper) -> Verdict:
        if paper["id"] not in self._cache:
            self._cache[paper["id"]] = classify(paper["title"], paper["abstract"], self.rules,
                                                paper.get("categories") or ())
        return self._cache[paper["id"]]

    def ranked(self, papers: list[Paper]) -> list[Verdict]:
        return rank_day([self.verdict(p) for p in papers], self.rules)

    def day(self, papers: list[Paper]) -> list[bool]:
        return [v.keep for v in self.ranked(papers)]


def _days(pools: dict[str, list[Paper]]) -> dict[tuple[str, str], list[Paper]]:
    days: dict[tuple[str, str], list[Paper]] = defaultdict(list)
    for name, papers in pools.items():
        for paper in papers:
            days[(name, paper["date"])].append(paper)
    return days


def _merged(days: dict[tuple[str, str], list[Paper]], size: int
            ) -> dict[tuple[str, str], list[Paper]]:
    """Each run of ``size`` consecutive days of a pool as one day."""
    merged: dict[tuple[str, str], list[Paper]] = {}
    for pool in sorted({pool for pool, _ in days}):
        dates = sorted(date for p, date in days if p == pool)
        for i in range(0, len(dates) - size + 1, size):
            merged[(pool, dates[i])] = [p for d in dates[i:i + size] for p in days[(pool, d)]]
    return merged


def picks_found(day_filter: Callable[[list[Paper]], list[bool]],
                days: dict[tuple[str, str], list[Paper]], picks: list[Paper],
                together: bool) -> dict[str, float]:
    """Share of picks kept when mixed into each pool day, averaged over the days.

    ``together``: a whole pick day goes into the listing at once (they compete for places);
    otherwise each pick alone. Picks come last, so a tie in score goes against them.
    """
    found: dict[str, float] = defaultdict(float)
    groups = defaultdict(list)
    for pick in picks:
        groups[pick["day"] if together else pick["id"]].append(pick)
    for listing in days.values():
        for group in groups.values():
            keeps = day_filter(listing + [_pick_as_paper(p) for p in group])[len(listing):]
            for pick, keep in zip(group, keeps, strict=True):
                found[pick["id"]] += keep / len(days)
    return found


def weighted(labelled: list[Paper], kept: dict[str, bool]) -> tuple[float, float, int]:
    """Weighted precision and recall of ``relevant``, and how many sample papers were kept."""
    tp = sum(p["weight"] for p in labelled if kept[p["id"]] and p["label"] == "relevant")
    keep = sum(p["weight"] for p in labelled if kept[p["id"]])
    relevant = sum(p["weight"] for p in labelled if p["label"] == "relevant")
    return (tp / keep if keep else math.nan), tp / relevant, sum(kept[p["id"]] for p in labelled)


def judge_cost(after: After, days: dict[tuple[str, str], list[Paper]]) -> dict[str, float]:
    """Per day: papers the judge would see, its calls, and estimated tokens in and out."""
    judge = Judge(_offline_settings())
    totals: dict[str, float] = defaultdict(float)
    for listing in days.values():
        verdicts = after.ranked(listing)
        asked = [Candidate(p["id"], p["title"], p["abstract"])
                 for p, v in zip(listing, verdicts, strict=True) if v.keep or v.near_miss]
        for start in range(0, len(asked), BATCH):
            batch = asked[start:start + BATCH]
            chars = sum(len(m["content"]) for m in judge.messages(batch))
            totals["calls"] += 1
            totals["in"] += chars / CHARS_PER_TOKEN
            totals["out"] += ANSWER_TOKENS * len(batch)
        totals["papers"] += len(asked)
    return {k: v / len(days) for k, v in totals.items()}


def before_check_cost(before: Before, days: dict[tuple[str, str], list[Paper]]) -> dict[str, float]:
    """Per day: the a52dbee LLM check's calls (one per borderline paper) and estimated tokens."""
    prompt = _old_judge_prompt()
    calls = chars = 0
    for listing in days.values():
        for paper in listing:
            if before.verdict(paper).borderline:
                calls += 1
                chars += len(prompt) + len(paper["title"]) + len(paper["abstract"]) + 20
    return {"calls": calls / len(days), "in": chars / CHARS_PER_TOKEN / len(days),
            "out": calls / len(days)}


def _old_judge_prompt() -> str:
    """The yes/no prompt of a52dbee's LLM check (a constant of its summarize.py)."""
    tree = ast.parse(_git_show("scripts/arxiv_digest/summarize.py"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "JUDGE_PROMPT" for t in node.targets
        ):
            return str(ast.literal_eval(node.value))
    sys.exit(f"bench_relevance: no JUDGE_PROMPT in summarize.py at {BEFORE}")


def _offline_settings() -> Any:
    from arxiv_digest.config import Settings

    return Settings()


def pick_scope() -> dict[str, str]:
    """Each pick's label under the labelled sample's scope, judged by hand."""
    return {i: p["label"] for i, p in json.loads(PICK_SCOPE.read_text("utf-8"))["picks"].items()}


def topic_accuracy(after: After, labelled: list[Paper]) -> tuple[int, int, int, int]:
    """Tags right / tags given, and papers whose tags are all right / papers checked."""
    checks = json.loads(TOPIC_CHECKS.read_text("utf-8"))["papers"]
    by_id = {p["id"]: p for p in labelled}
    right = given = all_right = 0
    for arxiv_id, acceptable in checks.items():
        topics = after.verdict(by_id[arxiv_id]).topics
        good = sum(t in acceptable for t in topics)
        right, given = right + good, given + len(topics)
        all_right += bool(topics) and good == len(topics)
    return right, given, all_right, len(checks)


def cross_validated(corpus: Any, pick_days: list[str], labels: list[str]) -> dict[str, Any]:
    """Leave one pick day out: each fold refits the model (the training script's fit_model) on
    the other pick days and the labelled papers outside the fold (the fold: a share of
    ``labels`` by a hash of the id), then judges the left-out picks, each mixed into every pool
    day, and the fold's labelled papers on their real day."""
    from train_relevance_model import fit_model

    def fold(arxiv_id: str) -> int:
        return int(hashlib.sha256(arxiv_id.encode()).hexdigest(), 16) // 2 % len(pick_days)

    per_day = corpus.rules.per_day
    days: dict[tuple[str, str], list[str]] = defaultdict(list)
    for pool, ids in corpus.pools.items():
        for arxiv_id in ids:
            days[(pool, corpus.rows[arxiv_id].day)].append(arxiv_id)
    found: dict[str, float] = {}
    kept: dict[str, bool] = {}
    per_pool: dict[str, list[int]] = defaultdict(list)
    lift: dict[str, list[float]] = defaultdict(list)
    length: list[float] = []
    for f, left_out in enumerate(pick_days):
        model = fit_model(corpus, [d for d in pick_days if d != left_out],
                          [i for i in labels if fold(i) != f])
        left = ["pick:" + p["id"] for p in corpus.picks if p["day"] == left_out]
        relevant = [i for i in labels
                    if fold(i) == f and corpus.labelled[i]["label"] == "relevant"]
        for name, keys in _abstract_lift(corpus, model, {"picks": left,
                                                         "relevant": relevant}).items():
            lift[name] += keys
        scores = {key: corpus.score(model, key) for key in corpus.rows}
        length.append(_length_bias(corpus, scores))
        listed = {day: sorted((scores[i] for i in ids), reverse=True) for day, ids in days.items()}
        for pick in corpus.picks:
            if pick["day"] == left_out:
                mine = scores["pick:" + pick["id"]]
                # Kept on a day when it scores at least the threshold and fewer than per_day of
                # the day's papers score as much (a tie goes against the pick).
                found[pick["id"]] = sum(
                    mine >= model.threshold and sum(s >= mine for s in day) < per_day
                    for day in listed.values()) / len(listed)
        for arxiv_id in labels:
            if fold(arxiv_id) == f:
                mine, day = scores[arxiv_id], listed[("listing_2026-01.jsonl",
                                                      corpus.rows[arxiv_id].day)]
                kept[arxiv_id] = mine >= model.threshold and sum(s > mine for s in day) < per_day
        for (pool, _), day in listed.items():
            per_pool[pool].append(min(per_day, sum(s >= model.threshold for s in day)))
    by_day = {d: [found[p["id"]] for p in corpus.picks if p["day"] == d] for d in pick_days}
    papers = [corpus.labelled[i] for i in labels]
    return {"picks": sum(found.values()) / len(found), "found": found,
            "lift": {k: sum(v) / len(v) for k, v in lift.items() if v},
            "length": sum(length) / len(length),
            "by_day": {d: sum(v) / len(v) for d, v in by_day.items()},
            "precision_recall": weighted(papers, kept)[:2],
            "per_day": {pool[8:15]: sum(c) / len(c) for pool, c in per_pool.items()}}


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else math.nan


def _length_bias(corpus: Any, scores: dict[str, float]) -> float:
    """Rank correlation (Spearman) of score and abstract length over the training pool: a
    check that the model does not favour texts for being short (the picks' bullets are about
    half an abstract's length) or long rather than for their topic."""
    ids = [i for i in corpus.pools["listing_2026-01.jsonl"] if scores[i] > -math.inf]

    def ranks(values: list[float]) -> list[float]:
        order = sorted(range(len(values)), key=values.__getitem__)
        out = [0.0] * len(values)
        for place, i in enumerate(order):
            out[i] = float(place)
        return out

    a = ranks([scores[i] for i in ids])
    b = ranks([float(corpus.rows[i].words) for i in ids])
    mean = (len(ids) - 1) / 2
    spread = sum((x - mean) ** 2 for x in a)
    return sum((x - mean) * (y - mean) for x, y in zip(a, b, strict=True)) / spread


def _abstract_lift(corpus: Any, model: Any, groups: dict[str, list[str]]
                   ) -> dict[str, list[float]]:
    """How far the model's abstract words (bullets for a pick) lift each paper of ``groups``
    above the training pool, in the pool's standard deviations: a style check. Left-out picks
    lifted far more than left-out relevant abstracts means the bullets' style is learnt."""
    def part(key: str) -> float:
        return sum(model.weights.get(k, 0.0) * x for k, x in corpus.rows[key].features.items()
                   if k[:2] == "a:" or k == "_unknown")

    pool = [part(i) for i in corpus.pools["listing_2026-01.jsonl"]]
    mean = sum(pool) / len(pool)
    sd = math.sqrt(sum((v - mean) ** 2 for v in pool) / len(pool)) or 1.0
    return {name: [(part(k) - mean) / sd for k in keys] for name, keys in groups.items()}


def print_cross_validated(seen_only: bool = False) -> None:
    """The cross-validated figures; ``seen_only``: only the folds of the training side, which
    is what settings may be chosen on (the 5-fold run has the held-out picks as folds)."""
    from train_relevance_model import Corpus

    corpus = Corpus(load_rules(model=False), POOLS)
    every = sorted({p["day"] for p in corpus.picks}, key=lambda d: int(d.split()[1][:-1]))
    seen = [d for d in every if d not in HELD_OUT_PICK_DAYS]
    print("cross-validated: one fold per pick day (its picks, and a share of the labelled "
          "papers by id hash), the model refitted on the rest with the training script's code")
    runs = {f"{len(every)} folds, all pick days, all labels": (every, list(corpus.labelled)),
            f"{len(seen)} folds, June 26-28 and the training half (what settings were chosen on)":
            (seen, [i for i in corpus.labelled if not held_out(i)])}
    if seen_only:
        runs = dict(list(runs.items())[1:])
    for label, (pick_days, labels) in runs.items():
        result = cross_validated(corpus, pick_days, labels)
        days = ", ".join(f"{d.split()[1][:-1]}: {v:.2f}" for d, v in result["by_day"].items())
        print(f"  {label}")
        print(f"    picks kept, one at a time in each pool day: {result['picks']:.2f} "
              f"(June {days})")
        scope, found = pick_scope(), result["found"]
        print("    of them, by the labels' scope: " + ", ".join(
            f"{label} {_mean([v for i, v in found.items() if scope[i] in label.split(' or ')]):.2f}"
            for label in (*SCOPE_LABELS, "relevant or borderline")))
        precision, recall = result["precision_recall"]
        print(f"    labelled, out of fold, weighted: precision {precision:.2f}, "
              f"recall {recall:.2f}")
        print("    papers kept per pool day: " + ", ".join(
            f"{pool} {v:.1f}" for pool, v in result["per_day"].items()))
        print("    abstract words' lift above the pool, in its standard deviations (style "
              "check): left-out picks " + " / left-out relevant abstracts ".join(
                  f"{result['lift'].get(k, math.nan):.2f}" for k in ("picks", "relevant")))
        picks = [corpus.rows["pick:" + p["id"]].words for p in corpus.picks]
        pool = [corpus.rows[i].words for i in corpus.pools["listing_2026-01.jsonl"]]
        print(f"    length check: rank correlation of score and abstract length in the pool "
              f"{result['length']:+.2f} (distinct words: picks {sum(picks) / len(picks):.0f}, "
              f"pool abstracts {sum(pool) / len(pool):.0f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rules", type=Path, default=None,
                        help="rules file for 'after' (default: the packaged one)")
    parser.add_argument("--cv-only", action="store_true",
                        help="print only the cross-validated figures of the training side "
                             "(June 26-28 picks, the labelled training half): what settings "
                             "are chosen on")
    args = parser.parse_args()
    if not DATA.is_dir():
        sys.exit(f"bench_relevance: no data at {DATA.resolve()}")
    if args.cv_only:
        print_cross_validated(seen_only=True)
        return
    pools = {name: _read(name) for name in POOLS}
    labelled, picks = _read(LABELLED), _read(PICKS)
    days = _days(pools)
    before, after = Before(), After(load_rules(args.rules))
    filters = {"before": before, "rules": After(load_rules(args.rules, model=False)),
               "after": after}
    row = "{:<66} {:>9} {:>9} {:>9}"
    print(f"relevance bench on {DATA.resolve()} (before = {BEFORE}, rules = this tree's rules "
          "without the model, after = this tree)")
    print(row.format("", *filters))

    print(f"editor's picks kept when mixed into each of the {len(days)} pool days "
          "(title + bullets, no categories)")
    held = [p for p in picks if p["day"] in HELD_OUT_PICK_DAYS]
    parts = {"all": picks, "seen, June 26-28": [p for p in picks if p not in held],
             "held out, June 29-30": held}

    def shares(found: dict[str, dict[str, float]], group: list[Paper]) -> list[str]:
        return [f"{sum(found[n][p['id']] for p in group) / len(group):.2f}" for n in filters]

    alone = {n: picks_found(f.day, days, picks, False) for n, f in filters.items()}
    for how, found in (("one pick at a time", alone),
                       ("a whole pick day at once",
                        {n: picks_found(f.day, days, picks, True) for n, f in filters.items()})):
        for label, group in parts.items():
            print(row.format(f"  {how}: {label} ({len(group)} picks)", *shares(found, group)))
    # The model never read the June pool: its days are competitors it has not seen either.
    unseen = {k: v for k, v in days.items() if k[0] == UNSEEN_POOL}
    found = {n: picks_found(f.day, unseen, picks, False) for n, f in filters.items()}
    print(row.format(f"  one pick at a time: held out, {len(unseen)} {UNSEEN_POOL[8:15]} days only",
                     *shares(found, held)))
    # A real day of the six categories lists ~600-900 papers, three or four pool days: the same
    # places, more competitors.
    full = _merged(days, FULL_DAY)
    found = {n: picks_found(f.day, full, picks, False) for n, f in filters.items()}
    size = sum(map(len, full.values())) / len(full)
    for label, group in (("all", picks), ("held out", held)):
        print(row.format(f"  one pick at a time, {FULL_DAY} pool days as one ({size:.0f} papers): "
                         f"{label}", *shares(found, group)))

    # The picks' scope is wider than the labels' (deep-learning theory, tokenization, privacy):
    # split by it, and the share a filter keeping only the labels' scope could reach at best.
    scope = pick_scope()
    print("editor's picks by the labels' scope (hand-judged), one pick at a time")
    for label in (*SCOPE_LABELS, "relevant or borderline"):
        for part, group in (("all", picks), ("held out", held)):
            group = [p for p in group if scope[p["id"]] in label.split(" or ")]
            print(row.format(f"  {label}, {part} ({len(group)} picks)", *shares(alone, group)))
    for part, group in (("all", picks), ("held out", held)):
        within = sum(scope[p["id"]] != "irrelevant" for p in group)
        print(f"  {part} picks: at most {within}/{len(group)} = {within / len(group):.2f} kept "
              "by a filter that keeps nothing the labels' scope calls irrelevant")

    print("labelled sample, weighted, 'relevant' only (held-out = sha256(id) odd)")
    kept = {}
    for name, filt in filters.items():
        kept[name] = {}
        for listing in days.values():
            kept[name].update(zip((p["id"] for p in listing), filt.day(listing), strict=True))
    halves = {"train": [p for p in labelled if not held_out(p["id"])],
              "held-out": [p for p in labelled if held_out(p["id"])], "all": labelled}
    for label, group in halves.items():
        stats = {n: weighted(group, kept[n]) for n in filters}
        rel = sum(p["label"] == "relevant" for p in group)
        print(row.format(f"  precision, {label} ({len(group)} papers, {rel} relevant)",
                         *(f"{s[0]:.2f}" for s in stats.values())))
        print(row.format(f"  recall, {label}", *(f"{s[1]:.2f}" for s in stats.values())))
        print(row.format(f"  sample papers kept, {label}", *(str(s[2]) for s in stats.values())))

    print("papers kept per announcement day (mean / max)")
    for name, papers in pools.items():
        dates = sorted({p["date"] for p in papers})
        cells = []
        for n in filters:
            counts = [sum(kept[n][p["id"]] for p in papers if p["date"] == d) for d in dates]
            cells.append(f"{sum(counts) / len(counts):.1f}/{max(counts)}")
        print(row.format(f"  {name} ({len(dates)} days, {len(papers)} papers)", *cells))

    cost_before, cost_after = before_check_cost(before, days), judge_cost(after, days)
    print(f"LLM with DIGEST_LLM_FILTER=1, per pool day (tokens estimated at {CHARS_PER_TOKEN} "
          "characters each)")
    cost_rules = judge_cost(filters["rules"], days)
    print(row.format("  papers sent to the model", f"{cost_before['calls']:.1f}",
                     f"{cost_rules['papers']:.1f}", f"{cost_after['papers']:.1f}"))
    print(row.format(f"  calls (before: 1 a paper; now: {BATCH} a call)",
                     f"{cost_before['calls']:.1f}", f"{cost_rules['calls']:.1f}",
                     f"{cost_after['calls']:.1f}"))
    print(row.format("  tokens in", f"{cost_before['in']:.0f}", f"{cost_rules['in']:.0f}",
                     f"{cost_after['in']:.0f}"))
    print(row.format("  tokens out", f"{cost_before['out']:.0f}", f"{cost_rules['out']:.0f}",
                     f"{cost_after['out']:.0f}"))

    right, given, all_right, checked = topic_accuracy(after, labelled)
    print(f"topic tags on {checked} hand-checked relevant/borderline labelled papers (after)")
    print(f"  tags right {right}/{given} = {right / max(given, 1):.2f}; "
          f"papers with tags, all right: {all_right}/{checked}")
    print_cross_validated()


if __name__ == "__main__":
    main()
