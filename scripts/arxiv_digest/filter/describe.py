"""How papers are chosen, in plain words, from the rules actually loaded (for the About page)."""

from __future__ import annotations

from .rules import Rules


def describe(rules: Rules) -> str:
    """One Markdown paragraph with the numbers of ``rules``."""
    standalone = ", ".join(rules.topics[t].lower() for t in rules.standalone) or "none"
    points = (
        f"Every rule that matches a paper adds points: a match in the title counts "
        f"{rules.title_factor:g} times its weight, a word repeated in the abstract its weight, "
        f"a single passing mention only {rules.once_factor:g} of it, and the paper's arXiv "
        f"categories count too.{_per_word(rules)}"
    )
    topics = (
        f" A topic is assigned when its rules add up to {rules.topic_min:g}. Each paper page "
        f"stores its score, its rank that day and the evidence that counted."
    )
    if rules.model is not None:
        return points + (
            " A small model then adds its own points. It was trained on the papers the "
            "digest's original editor picked by hand and on papers labelled by hand, and it "
            "reads three things: the words of the title, which topic words the abstract uses "
            "(each counted once, so a long abstract weighs no more than a short one) and the "
            "rule points (so a rule still counts, and counts more through it). It has learnt, "
            "for instance, that the editor also picked papers on optimization and on how deep "
            "networks learn. Each day every paper with some evidence (rule points, or words "
            "the model counts for it) is ranked by the sum, and at most "
            f"**{rules.per_day}** scoring at least {rules.model.threshold:g} are kept (the "
            "threshold is set so that days keep fewer than that on average: a busy day keeps "
            "more, a quiet one fewer, and a paper with no evidence at all none)."
        ) + topics + " For the model, the evidence names the words that weighed most."
    return points + (
        f" A paper is a candidate when its evidence reaches "
        f"{rules.evidence_min:g} points and it is about deep learning (or its topic counts on its "
        f"own: {standalone}; or its evidence reaches {rules.strong:g}). Each day the candidates "
        f"are ranked by score and at most **{rules.per_day}** scoring at least "
        f"{rules.threshold:g} are kept, {rules.reserved} of those places held for "
        f"{standalone} papers."
    ) + topics


def _per_word(rules: Rules) -> str:
    """The sentence on per-word abstract points, or nothing when the rules do not scale."""
    if not rules.length_words:
        return ""
    return (
        f" Abstract points count per word: they are scaled by the square root of "
        f"{rules.length_words:g} words over the abstract's length (between 0.5 and 1.5), so "
        f"a short abstract is not outweighed by a long one merely for having fewer words."
    )
