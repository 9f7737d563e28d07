"""One announcement day through the filter: score, rank, and with a judge, judge the candidates."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

from .judge import Candidate, Judge
from .rules import Rules
from .score import Verdict, classify, rank_day


@dataclass(frozen=True)
class Listed:
    """A paper as the filter reads it."""

    arxiv_id: str
    title: str
    abstract: str
    categories: tuple[str, ...] = ()
    """arXiv categories (any order); empty when unknown."""


def filter_day(papers: Sequence[Listed], rules: Rules, judge: Judge | None = None) -> list[Verdict]:
    """Verdicts for one day's papers, in their order.

    Without ``judge`` the day's ``per_day`` best candidates are kept. With one, the kept and
    near-miss papers are judged: the judge's keeps stand (best rank first, at most ``per_day``)
    and its drops go; a paper it gave no answer for keeps the key-less decision.
    """
    verdicts = rank_day(
        [classify(p.title, p.abstract, rules, p.categories) for p in papers], rules
    )
    if judge is None:
        return verdicts
    asked = [i for i, v in enumerate(verdicts) if v.keep or v.near_miss]
    rulings = judge.rule(
        [Candidate(papers[i].arxiv_id, papers[i].title, papers[i].abstract) for i in asked]
    )
    kept = 0
    for i in sorted(asked, key=lambda i: verdicts[i].rank or 0):
        ruling = rulings.get(papers[i].arxiv_id)
        keep = verdicts[i].keep if ruling is None else ruling.keep
        keep = keep and kept < rules.per_day
        kept += keep
        verdicts[i] = dataclasses.replace(
            verdicts[i], keep=keep, judge=None if ruling is None else ruling.reason
        )
    return verdicts
