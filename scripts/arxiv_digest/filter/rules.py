"""The relevance filter: weighted keyword rules (``relevance_rules.toml``) decide what to keep."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import DigestError

#: The rules file shipped with the package; its header documents the format.
DEFAULT_RULES = Path(__file__).with_name("relevance_rules.toml")

_FILTER_KEYS = {
    "threshold",
    "borderline",
    "title_factor",
    "topic_min",
    "efficiency_min",
    "strong_topic",
}
_RULE_KEYS = {"name", "patterns", "weight", "topic", "kind", "in"}
_KINDS = {"efficiency", "domain", "penalty"}
_PLACES = {"both", "title", "abstract"}


@dataclass(frozen=True)
class Rule:
    """One ``[[rule]]`` of the rules file."""

    name: str
    """Stored in ``relevance.matched`` on the pages it matched."""
    phrases: tuple[str, ...]
    """Plain patterns as needles in :func:`normalize`d text (" fine tuning ", " finetuning ")."""
    regexes: tuple[re.Pattern[str], ...]
    """``re:`` patterns, searched in the whitespace-folded text."""
    weight: float
    """Added to the score (times ``title_factor`` for a title match)."""
    topic: str | None
    """Efficiency topic slug, or None."""
    kind: str
    """``efficiency``, ``domain`` or ``penalty``: which side of the domain gate it counts for."""
    where: str
    """``both``, ``title`` or ``abstract``."""


@dataclass(frozen=True)
class Rules:
    """A loaded rules file: decision parameters, topics and rules."""

    threshold: float
    borderline: float
    title_factor: float
    topic_min: float
    efficiency_min: float
    strong_topic: float
    topics: dict[str, str]
    """Topic slug -> display name, in file order."""
    rules: tuple[Rule, ...]
    source: str = ""
    """The file the rules came from, for messages."""


@dataclass(frozen=True)
class Verdict:
    """What the filter says about one paper."""

    keep: bool
    """Score reached the threshold and the domain gate holds."""
    score: float
    """Sum of the matched rules' weights (title matches multiplied by ``title_factor``)."""
    matched: list[str] = field(default_factory=list)
    """Names of the matched rules, largest contribution first."""
    topics: list[str] = field(default_factory=list)
    """Topic slugs whose rules add up to ``topic_min``, strongest first."""
    borderline: bool = False
    """Dropped, but close enough that the optional LLM check may keep it."""


def load_rules(path: Path | None = None) -> Rules:
    """Read and validate a rules file (default: the packaged one); errors name file and rule."""
    path = path or DEFAULT_RULES
    where = str(path)
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise DigestError("rules file not found", where=where) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise DigestError(f"not valid TOML: {err}", where=where) from None
    unknown = set(data) - {"filter", "topics", "rule"}
    if unknown:
        raise DigestError(f"unknown table {sorted(unknown)[0]!r}", where=where)
    params = data.get("filter", {})
    for key in params:
        if key not in _FILTER_KEYS:
            raise DigestError(f"unknown key {key!r}", where=f"{where} [filter]")
    missing = _FILTER_KEYS - set(params)
    if missing:
        raise DigestError(f"missing key {sorted(missing)[0]!r}", where=f"{where} [filter]")
    numbers = {k: _number(params[k], f"{where} [filter] {k}") for k in _FILTER_KEYS}
    topics = data.get("topics", {})
    for slug, title in topics.items():
        if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug) or not isinstance(title, str):
            raise DigestError(
                'topic slug must be lower-case-with-dashes = "Name"',
                where=f"{where} [topics] {slug}",
            )
    rules = [_rule(raw, i, topics, where) for i, raw in enumerate(data.get("rule", []))]
    names = [r.name for r in rules]
    for name in names:
        if names.count(name) > 1:
            raise DigestError("two rules have this name", where=f"{where} rule {name!r}")
    return Rules(**numbers, topics=dict(topics), rules=tuple(rules), source=where)


def _number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise DigestError(f"expected a number, got {value!r}", where=where)
    return float(value)


def _rule(raw: Any, index: int, topics: Mapping[str, str], where: str) -> Rule:
    if not isinstance(raw, dict):
        raise DigestError("a [[rule]] must be a table", where=f"{where} rule #{index + 1}")
    name = raw.get("name")
    here = f"{where} rule {name!r}" if isinstance(name, str) else f"{where} rule #{index + 1}"
    for key in raw:
        if key not in _RULE_KEYS:
            raise DigestError(f"unknown key {key!r}", where=here)
    if not isinstance(name, str) or not name.strip():
        raise DigestError("missing key 'name'", where=here)
    patterns = raw.get("patterns")
    if (
        not isinstance(patterns, list)
        or not patterns
        or not all(isinstance(p, str) and p.strip() for p in patterns)
    ):
        raise DigestError("'patterns' must be a non-empty list of strings", where=here)
    if "weight" not in raw:
        raise DigestError("missing key 'weight'", where=here)
    weight = _number(raw["weight"], f"{here} weight")
    topic = raw.get("topic")
    if topic is not None and topic not in topics:
        raise DigestError(f"unknown topic {topic!r} (not in [topics])", where=here)
    kind = raw.get("kind", "efficiency")
    if kind not in _KINDS:
        raise DigestError(f"kind must be one of {sorted(_KINDS)}, not {kind!r}", where=here)
    place = raw.get("in", "both")
    if place not in _PLACES:
        raise DigestError(f"'in' must be one of {sorted(_PLACES)}, not {place!r}", where=here)
    phrases = tuple(n for p in patterns if not p.startswith("re:") for n in _needles(p))
    regexes = tuple(_regex(p[3:], here) for p in patterns if p.startswith("re:"))
    return Rule(name, phrases, regexes, weight, topic, kind, place)


def _needles(pattern: str) -> list[str]:
    """A plain pattern as substrings of normalized text: words apart, and run together."""
    stem = pattern.strip()
    words = re.findall(r"\w+", stem.rstrip("*").lower())
    if not words:
        return []
    # A trailing * leaves the last word open: "quantiz*" finds " quantized ".
    end = "" if stem.endswith("*") else " "
    forms = {" " + " ".join(words) + end, " " + "".join(words) + end}
    return sorted(forms)


def _regex(source: str, where: str) -> re.Pattern[str]:
    try:
        return re.compile(source, re.IGNORECASE)
    except re.error as err:
        raise DigestError(f"bad regular expression {source!r}: {err}", where=where) from None


def normalize(text: str) -> str:
    """Lower-case words separated by single spaces, with a space at both ends.

    Punctuation and hyphens separate words, so "Mixture-of-Experts" reads " mixture of experts ".
    """
    return " " + " ".join(re.findall(r"\w+", text.lower())) + " "


def classify(title: str, abstract: str | None, rules: Rules) -> Verdict:
    """Score one paper against ``rules``: keep or drop, why, and its topics."""
    title = " ".join(title.split())
    abstract = " ".join((abstract or "").split())
    texts = {"title": (title, normalize(title)), "abstract": (abstract, normalize(abstract))}
    contributions: list[tuple[float, int, Rule]] = []
    for order, rule in enumerate(rules.rules):
        in_title = rule.where != "abstract" and _matches(rule, *texts["title"])
        in_abstract = not in_title and rule.where != "title" and _matches(rule, *texts["abstract"])
        if in_title:
            contributions.append((rule.weight * rules.title_factor, order, rule))
        elif in_abstract:
            contributions.append((rule.weight, order, rule))
    score = round(sum(c for c, _, _ in contributions), 2)
    per_topic: dict[str, float] = {}
    for amount, _, rule in contributions:
        if rule.topic:
            per_topic[rule.topic] = per_topic.get(rule.topic, 0.0) + amount
    slugs = list(rules.topics)
    topics = sorted(
        (t for t, s in per_topic.items() if s >= rules.topic_min),
        key=lambda t: (-per_topic[t], slugs.index(t)),
    )
    domain = any(r.kind == "domain" and c > 0 for c, _, r in contributions)
    general = sum(c for c, _, r in contributions if r.kind == "efficiency" and not r.topic)
    efficiency = bool(topics) or general >= rules.efficiency_min
    strong = max(per_topic.values(), default=0.0) >= rules.strong_topic
    keep = ((domain and efficiency) or strong) and score >= rules.threshold
    # Some efficiency evidence but not enough: the optional LLM check may decide.
    hint = any(r.kind == "efficiency" and c > 0 for c, _, r in contributions)
    borderline = not keep and hint and score >= rules.borderline
    matched = [r.name for _, _, r in sorted(contributions, key=lambda c: (-c[0], c[1]))]
    return Verdict(keep=keep, score=score, matched=matched, topics=topics, borderline=borderline)


def _matches(rule: Rule, text: str, normalized: str) -> bool:
    return any(n in normalized for n in rule.phrases) or any(r.search(text) for r in rule.regexes)


class _Topics(Mapping[str, str]):
    """Topic slug -> display name from the packaged rules, read when first used."""

    def _load(self) -> dict[str, str]:
        if not hasattr(self, "_data"):
            self._data = load_rules().topics
        return self._data

    def __getitem__(self, slug: str) -> str:
        return self._load()[slug]

    def __iter__(self) -> Iterator[str]:
        return iter(self._load())

    def __len__(self) -> int:
        return len(self._load())


#: Topic slug -> display name (from the packaged rules file), e.g. for tag titles on the site.
TOPICS: Mapping[str, str] = _Topics()
