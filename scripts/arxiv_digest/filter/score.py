"""Scoring one paper against the rules, and the per-day ranking that keeps a day's best few."""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from .rules import Rule, Rules


@dataclass(frozen=True)
class Verdict:
    """What the filter says about one paper."""

    keep: bool
    """Kept: a candidate that reached the threshold and the day's cut (after any LLM judge)."""
    score: float
    """Sum of the points of the rules that counted (penalties subtract), plus the model's
    points when the rules file names a model."""
    matched: list[str] = field(default_factory=list)
    """Names of the rules that counted, largest contribution first."""
    evidence: list[str] = field(default_factory=list)
    """The same as ``name +points (where)``, for the page: why the paper scored."""
    topics: list[str] = field(default_factory=list)
    """Topic slugs whose rules add up to ``topic_min``, strongest first."""
    candidate: bool = False
    """Enough on-scope evidence to be ranked at all (the gate of the rules file)."""
    rank: int | None = None
    """Place among the day's candidates by score (1 = best); None before ranking."""
    near_miss: bool = False
    """A candidate ranked just below the day's cut; the LLM judge looks at these too."""
    judge: str | None = None
    """The LLM judge's one-line reason, when it judged the paper."""
    model: float | None = None
    """The model's points (part of ``score``); None when the rules file names no model."""


def normalize(text: str) -> str:
    """Lower-case words separated by single spaces, with a space at both ends.

    Punctuation and hyphens separate words, so "Mixture-of-Experts" reads " mixture of experts ".
    """
    return " " + " ".join(re.findall(r"\w+", text.lower())) + " "


def classify(
    title: str, abstract: str | None, rules: Rules, categories: Sequence[str] = ()
) -> Verdict:
    """Score one paper; ``keep`` here means "a candidate above the threshold" until ranked."""
    title = " ".join(title.split())
    abstract = " ".join((abstract or "").split())
    norm_title, norm_abstract = normalize(title), normalize(abstract)
    cats = set(categories)
    scale = _length_scale(len(norm_abstract.split()), rules.length_words)
    counted: list[tuple[float, int, Rule, str]] = []
    # The same without category matches: what the model reads (see model.py).
    textual: list[tuple[float, int, Rule, str]] = []
    for order, rule in enumerate(rules.rules):
        places = []
        points = 0.0
        if rule.where != "abstract" and _count(rule, title, norm_title):
            points += rule.weight * rules.title_factor
            places.append("title")
        if rule.where != "title":
            # One passing word is weak evidence; a repeated one counts in full.
            times = _count(rule, abstract, norm_abstract)
            if times:
                once = rules.once_factor if times == 1 else 1.0
                points += rule.weight * once * scale
                places.append("abstract" if times == 1 else f"abstract x{times}")
        if places:
            textual.append((points, order, rule, ", ".join(places)))
        if rule.categories & cats:
            points += rule.weight
            places.append("category")
        if places:
            counted.append((points, order, rule, ", ".join(places)))
    counted.sort(key=lambda c: (-abs(c[0]), c[1]))
    rule_points = sum(p for p, _, _, _ in counted)
    per_topic: dict[str, float] = {}
    for points, _, rule, _ in counted:
        if rule.topic:
            per_topic[rule.topic] = per_topic.get(rule.topic, 0.0) + points
    slugs = list(rules.topics)
    topics = sorted(
        (t for t, s in per_topic.items() if s >= rules.topic_min),
        key=lambda t: (-per_topic[t], slugs.index(t)),
    )
    candidate = _candidate(counted, rules)
    evidence = [f"{r.name} {p:+g} ({where})" for p, _, r, where in counted]
    score = rule_points
    model_points = None
    if rules.model is not None:
        model = rules.model
        features = model.features(title, abstract, sum(p for p, _, _, _ in textual),
                                  _candidate(textual, rules))
        model_points = round(model.logit(features) * model.points, 2)
        score += model_points
        evidence.append(f"model {model_points:+g} ({', '.join(model.explain(features))})")
        # With a model every paper with some evidence is ranked: the model finds papers no
        # rule scores.
        candidate = model.on_scope(features)
    threshold = rules.model.threshold if rules.model is not None else rules.threshold
    return Verdict(
        keep=candidate and score >= threshold,
        score=float(round(score, 2)),
        matched=[r.name for _, _, r, _ in counted],
        evidence=evidence,
        topics=topics,
        candidate=candidate,
        model=model_points,
    )


def _candidate(counted: Sequence[tuple[float, int, Rule, str]], rules: Rules) -> bool:
    """Enough on-scope evidence for the rules alone to rank the paper."""
    evidence = sum(p for p, _, r, _ in counted if r.kind == "evidence")
    domain = sum(p for p, _, r, _ in counted if r.kind == "domain")
    standalone = sum(p for p, _, r, _ in counted if r.topic in rules.standalone)
    # Deep-learning wording, a topic in scope on its own (optimization for training), or so
    # much evidence that the domain goes without saying ("pruning" twice and in the title).
    in_domain = domain > 0 or standalone >= rules.evidence_min or evidence >= rules.strong
    return evidence >= rules.evidence_min and in_domain


def rank_day(verdicts: Sequence[Verdict], rules: Rules) -> list[Verdict]:
    """The day's verdicts ranked: the ``per_day`` best candidates above the threshold kept.

    ``reserved`` of those places go only to papers whose main topic is a standalone one
    (optimization), so a day of many efficiency papers still shows its optimization papers.
    With a model the combined score ranks every paper, against the model's threshold, and no
    places are reserved: the model learnt from the editor's picks how many optimization
    papers make a day.
    """
    threshold = rules.model.threshold if rules.model is not None else rules.threshold
    reserved = 0 if rules.model is not None else rules.reserved
    order = sorted(
        (i for i, v in enumerate(verdicts) if v.candidate), key=lambda i: -verdicts[i].score
    )
    ranked = [dataclasses.replace(v, keep=False) for v in verdicts]
    general = open_reserved = 0
    last_kept = 0
    for place, i in enumerate(order, start=1):
        verdict = verdicts[i]
        keep = False
        if verdict.score >= threshold:
            if general < rules.per_day - reserved:
                general, keep = general + 1, True
            elif open_reserved < reserved and _main_topic(verdict) in rules.standalone:
                open_reserved, keep = open_reserved + 1, True
        last_kept = place if keep else last_kept
        ranked[i] = dataclasses.replace(verdict, keep=keep, rank=place)
    for place, i in enumerate(order, start=1):
        near = not ranked[i].keep and place <= max(last_kept, rules.per_day) + rules.near_miss
        ranked[i] = dataclasses.replace(ranked[i], near_miss=near)
    return ranked


def _length_scale(words: int, length_words: float) -> float:
    """Abstract points per word rather than per abstract, so short and long texts compare.

    A word repeated in a 250-word abstract is less telling than in a 100-word one; the square
    root keeps a long abstract's many matches worth more than a short one's few, and the
    bounds stop a few keywords in a one-line abstract from weighing like a paper about them.
    """
    if not length_words or not words:
        return 1.0
    return min(1.5, max(0.5, math.sqrt(length_words / words)))


def _main_topic(verdict: Verdict) -> str | None:
    return verdict.topics[0] if verdict.topics else None


def _count(rule: Rule, text: str, normalized: str) -> int:
    """How often the rule's patterns occur in a text."""
    found = sum(normalized.count(n) for n in rule.phrases)
    return found + sum(len(r.findall(text)) for r in rule.regexes)
