"""The filter's data file (``rules.toml``): decision parameters, topics and weighted rules."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import DigestError
from .model import Model, load_model, read_data_file

#: The rules file shipped with the package; its header documents the format.
DEFAULT_RULES = Path(__file__).with_name("rules.toml")

_FILTER_KEYS = {
    "threshold",
    "per_day",
    "reserved",
    "near_miss",
    "title_factor",
    "once_factor",
    "topic_min",
    "evidence_min",
    "strong",
    "standalone",
}
#: Keys of [filter] that may be left out, with the value that leaves their feature off
#: (so rules files written before the key existed still load).
_OPTIONAL_KEYS: dict[str, Any] = {"length_words": 0.0, "model": ""}
_RULE_KEYS = {"name", "patterns", "categories", "weight", "topic", "kind", "in"}
_KINDS = {"evidence", "domain", "penalty"}
_PLACES = {"both", "title", "abstract"}
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_CATEGORY = re.compile(r"[a-z-]+(?:\.[A-Za-z-]+)?")


@dataclass(frozen=True)
class Rule:
    """One ``[[rule]]`` of the rules file."""

    name: str
    """Stored in ``relevance.matched`` on the pages it counted for."""
    phrases: tuple[str, ...]
    """Plain patterns as needles in :func:`normalize`d text (" fine tuning ", " finetuning ")."""
    regexes: tuple[re.Pattern[str], ...]
    """``re:`` patterns, searched in the whitespace-folded text."""
    categories: frozenset[str]
    """arXiv categories that count as a match (any of the paper's categories)."""
    weight: float
    """Points per match: times ``title_factor`` in the title, ``once_factor`` for one passing
    mention in the abstract, 1 for a repeated one."""
    topic: str | None
    """Efficiency topic slug, or None."""
    kind: str
    """``evidence`` (the paper is on scope), ``domain`` (it is deep learning) or ``penalty``."""
    where: str
    """``both``, ``title`` or ``abstract``: where the patterns are looked for."""


@dataclass(frozen=True)
class Rules:
    """A loaded rules file: decision parameters, topics and rules."""

    threshold: float
    """Lowest score a kept paper may have."""
    per_day: int
    """At most this many papers are kept per announcement day, the highest scores first."""
    reserved: int
    """Of the ``per_day`` places, this many are kept for papers of a standalone topic."""
    near_miss: int
    """With the LLM judge on, this many papers ranked just below the cut are judged too."""
    title_factor: float
    once_factor: float
    topic_min: float
    """A topic is assigned when its rules add up to this."""
    evidence_min: float
    """Evidence points (rules of kind ``evidence``) a paper needs before it can be kept."""
    strong: float
    """Evidence points that make a candidate without deep-learning wording (pruning, say)."""
    standalone: tuple[str, ...]
    """Topics in scope without deep-learning wording (optimization for training)."""
    length_words: float
    """Abstract length in words the weights are set for: the abstract points of a text of n
    words are scaled by sqrt(length_words / n), within [1/2, 3/2]; 0 leaves them unscaled."""
    topics: dict[str, str]
    """Topic slug -> display name, in file order."""
    rules: tuple[Rule, ...]
    source: str = ""
    """The file the rules came from, for messages."""
    model: Model | None = None
    """The linear model that ranks with the rules (``model`` in [filter]); None: rules only."""


def load_rules(path: Path | None = None, *, model: bool = True) -> Rules:
    """Read and validate a rules file (default: the packaged one); errors name file and entry.

    ``model=False`` leaves the file's model out (the rules alone, as its trainer reads them).
    """
    path = path or DEFAULT_RULES
    where = str(path)
    data = read_data_file(path, "rules", "TOML", tomllib.loads, tomllib.TOMLDecodeError)
    unknown = set(data) - {"filter", "topics", "rule"}
    if unknown:
        raise DigestError(f"unknown table {sorted(unknown)[0]!r}", where=where)
    params = data.get("filter", {})
    for key in params:
        if key not in _FILTER_KEYS and key not in _OPTIONAL_KEYS:
            raise DigestError(f"unknown key {key!r}", where=f"{where} [filter]")
    missing = _FILTER_KEYS - set(params)
    if missing:
        raise DigestError(f"missing key {sorted(missing)[0]!r}", where=f"{where} [filter]")
    topics = data.get("topics", {})
    for slug, title in topics.items():
        if not _SLUG.fullmatch(slug) or not isinstance(title, str):
            raise DigestError(
                'topic slug must be lower-case-with-dashes = "Name"',
                where=f"{where} [topics] {slug}",
            )
    whole = ("per_day", "reserved", "near_miss")
    numbers = {
        k: _number(params[k], f"{where} [filter] {k}")
        for k in _FILTER_KEYS - {*whole, "standalone"}
    }
    counts = {k: _count(params[k], f"{where} [filter] {k}") for k in whole}
    if counts["reserved"] > counts["per_day"]:
        raise DigestError("must not exceed per_day", where=f"{where} [filter] reserved")
    standalone = params["standalone"]
    if not isinstance(standalone, list) or not all(t in topics for t in standalone):
        raise DigestError("expected a list of topic slugs from [topics]",
                          where=f"{where} [filter] standalone")
    length_words = _number(params.get("length_words", _OPTIONAL_KEYS["length_words"]),
                           f"{where} [filter] length_words")
    if length_words < 0:
        raise DigestError("must be 0 (off) or a number of words",
                          where=f"{where} [filter] length_words")
    linear = None
    if model and params.get("model"):
        if not isinstance(params["model"], str):
            raise DigestError("expected a file name", where=f"{where} [filter] model")
        linear = load_model(path.parent / params["model"])
    rules = [_rule(raw, i, topics, where) for i, raw in enumerate(data.get("rule", []))]
    names = [r.name for r in rules]
    for name in names:
        if names.count(name) > 1:
            raise DigestError("two rules have this name", where=f"{where} rule {name!r}")
    return Rules(**numbers, **counts, standalone=tuple(standalone), length_words=length_words,
                 topics=dict(topics), rules=tuple(rules), source=where, model=linear)


def _number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise DigestError(f"expected a number, got {value!r}", where=where)
    return float(value)


def _count(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise DigestError(f"expected a whole number >= 0, got {value!r}", where=where)
    return value


def _strings(raw: dict[str, Any], key: str, here: str) -> list[str]:
    value = raw.get(key, [])
    if not isinstance(value, list) or not all(isinstance(p, str) and p.strip() for p in value):
        raise DigestError(f"{key!r} must be a list of non-empty strings", where=here)
    return value


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
    patterns = _strings(raw, "patterns", here)
    categories = _strings(raw, "categories", here)
    if not patterns and not categories:
        raise DigestError("a rule needs 'patterns' or 'categories'", where=here)
    for category in categories:
        if not _CATEGORY.fullmatch(category):
            raise DigestError(f"not an arXiv category: {category!r}", where=here)
    if "weight" not in raw:
        raise DigestError("missing key 'weight'", where=here)
    weight = _number(raw["weight"], f"{here} weight")
    topic = raw.get("topic")
    if topic is not None and topic not in topics:
        raise DigestError(f"unknown topic {topic!r} (not in [topics])", where=here)
    kind = raw.get("kind", "evidence")
    if kind not in _KINDS:
        raise DigestError(f"kind must be one of {sorted(_KINDS)}, not {kind!r}", where=here)
    place = raw.get("in", "both")
    if place not in _PLACES:
        raise DigestError(f"'in' must be one of {sorted(_PLACES)}, not {place!r}", where=here)
    phrases = tuple(n for p in patterns if not p.startswith("re:") for n in _needles(p))
    regexes = tuple(_regex(p[3:], here) for p in patterns if p.startswith("re:"))
    return Rule(name, phrases, regexes, frozenset(categories), weight, topic, kind, place)


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
