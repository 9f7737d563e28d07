"""The filter's small linear model (``model.json``): words and rule points -> points.

The model is a logistic regression trained by ``scripts/train_relevance_model.py`` on the
editor's picks and the hand-labelled papers; it ranks a day's papers together with the rules.
It reads the title's words and word pairs, which words occur in the abstract (a pick's bullets
stand in for it), and the rules' points, not which rules matched: a rule's weight in
``rules.toml`` keeps its meaning, the model does not undo it. Abstract words count by presence
only, each the same whatever the text's length, and the trainer gives weights only to topic
words (words arXiv titles use), so a summary's style cannot pass for a topic.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import DigestError


def read_data_file(path: Path, what: str, kind: str, parse: Callable[[str], Any],
                   invalid: type[Exception]) -> Any:
    """``parse`` of the text of the ``what`` file at ``path`` (a rules or model file); a missing,
    unreadable or invalid file is a DigestError naming it."""
    where = str(path)
    try:
        return parse(path.read_text("utf-8"))
    except FileNotFoundError:
        raise DigestError(f"{what} file not found", where=where) from None
    except OSError as err:
        raise DigestError(f"cannot read the {what} file: {err.strerror}", where=where) from None
    except (invalid, UnicodeDecodeError) as err:
        raise DigestError(f"not valid {kind}: {err}", where=where) from None

#: The model shipped with the package (named by ``model`` in the packaged ``rules.toml``).
DEFAULT_MODEL = Path(__file__).with_name("model.json")
#: Version of the file format this code reads.
FORMAT = 2
_WORD = re.compile(r"[a-z][a-z0-9]*")
#: Rule-score feature bounds: a paper with 200 rule points is not 20 times as relevant.
_RULES_RANGE = (-20.0, 40.0)
#: Prefixes of the word features (title, abstract).
_WORDS = ("t:", "a:")


@dataclass(frozen=True)
class Model:
    """A loaded model file."""

    weights: dict[str, float]
    """Feature -> weight: ``t:word`` / ``t:word_word`` (title words cut to ``stem`` letters),
    ``a:word`` (the word occurs in the abstract), ``_unknown`` (share of the abstract's words
    outside ``vocabulary``), ``_rules`` (rule points / 10), ``_candidate``
    (the rules alone would rank it), ``_bias``."""
    stop_words: frozenset[str]
    """Words left out of the title before words and word pairs are taken."""
    stem: int
    """Title words are cut to this many letters, so "quantized" and "quantization" agree."""
    text: float
    """Weight of the abstract's words against the title's: all the abstract's distinct words
    together weigh ``text`` times what all the title's words and pairs do."""
    points: float
    """Score points per unit of the model's log-odds, added to the rule points."""
    threshold: float
    """Lowest combined score (rule points + model points) a kept paper may have."""
    vocabulary: frozenset[str] = frozenset()
    """The abstract words the model knows (cut to ``stem``): topic words of the training pool.
    The share of an abstract's words outside it is a feature of its own (``_unknown``), so a
    paper in words the model never saw (off the field) does not score as an average one."""
    source: str = ""

    def words(self, text: str) -> list[str]:
        """The text's words, lower-case and cut to ``stem`` letters, without stop words."""
        return [w[:self.stem] for w in _WORD.findall(text.lower())
                if len(w) > 1 and w not in self.stop_words]

    def features(self, title: str, abstract: str, rule_points: float,
                 candidate: bool) -> dict[str, float]:
        """The features of one paper: title words and pairs, abstract words (present or not),
        its rule points (without categories: the picks it learnt from have none)."""
        words = self.words(title)
        grams = sorted(set(words) | {f"{a}_{b}" for a, b in zip(words, words[1:], strict=False)})
        size = math.sqrt(max(len(grams), 1))
        out = {f"t:{g}": 1.0 / size for g in grams}
        present = set(self.words(abstract))
        if self.text:
            # Presence, not counts, over the square root of the distinct words: a long abstract
            # and three short bullets weigh alike.
            value = self.text / math.sqrt(max(len(present), 1))
            out.update((f"a:{w}", value) for w in present & self.vocabulary)
            out["_unknown"] = len(present - self.vocabulary) / len(present) if present else 1.0
        low, high = _RULES_RANGE
        out["_rules"] = max(min(rule_points, high), low) / 10
        out["_candidate"] = float(candidate)
        out["_bias"] = 1.0
        return out

    def logit(self, features: dict[str, float]) -> float:
        return sum(self.weights.get(k, 0.0) * x for k, x in features.items())

    def on_scope(self, features: dict[str, float]) -> bool:
        """Some evidence for the paper: rule points, or title and abstract words that add up to
        more than nothing. Most words weigh against a paper (a listing is mostly off scope), so
        a paper with next to no text can outscore real ones; it is not ranked at all."""
        words = sum(self.weights.get(k, 0.0) * x for k, x in features.items() if k[:2] in _WORDS)
        return features.get("_rules", 0.0) > 0 or words > 0

    def explain(self, features: dict[str, float], top: int = 6) -> list[str]:
        """The features that moved the score most, as ``word +1.2`` in score points."""
        parts = [(self.weights.get(k, 0.0) * x * self.points, k) for k, x in features.items()
                 if k != "_bias"]
        parts.sort(key=lambda p: (-abs(p[0]), p[1]))
        return [f"{_label(k)} {v:+.1f}" for v, k in parts[:top] if abs(v) >= 0.05]


def _label(feature: str) -> str:
    if feature.startswith("t:"):
        return "title '" + feature[2:].replace("_", " ") + "'"
    if feature.startswith("a:"):
        return "abstract '" + feature[2:] + "'"
    return {"_rules": "rule points", "_candidate": "rules candidate",
            "_unknown": "unknown words"}.get(feature, feature)


def load_model(path: Path) -> Model:
    """Read and check a model file; errors name the file and the entry."""
    where = str(path)
    data = read_data_file(path, "model", "JSON", json.loads, ValueError)
    if not isinstance(data, dict):
        raise DigestError("expected a JSON object", where=where)
    if data.get("format") != FORMAT:
        raise DigestError(f"'format' must be {FORMAT}, not {data.get('format')!r}", where=where)
    weights = data.get("weights")
    if not isinstance(weights, dict) or not weights:
        raise DigestError("'weights' must be a non-empty object", where=where)
    for key, value in weights.items():
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(
                value):
            raise DigestError(f"weight must be a finite number, got {value!r}",
                              where=f"{where} weights[{key!r}]")
    stop = data.get("stop_words", [])
    if not isinstance(stop, list) or not all(isinstance(w, str) for w in stop):
        raise DigestError("'stop_words' must be a list of strings", where=where)
    vocabulary = data.get("abstract_words", [])
    if not isinstance(vocabulary, list) or not all(isinstance(w, str) for w in vocabulary):
        raise DigestError("'abstract_words' must be a list of strings", where=where)
    stem = data.get("stem")
    if isinstance(stem, bool) or not isinstance(stem, int) or stem < 1:
        raise DigestError(f"'stem' must be a whole number >= 1, got {stem!r}", where=where)
    numbers = {}
    for key in ("text", "points", "threshold"):
        value = data.get(key)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise DigestError(f"{key!r} must be a number, got {value!r}", where=where)
        numbers[key] = float(value)
    return Model({k: float(v) for k, v in weights.items()}, frozenset(stop), stem,
                 vocabulary=frozenset(vocabulary), source=where, **numbers)


def model_file(model: Model, about: dict[str, Any]) -> str:
    """The text of a model file, stable for the same model (sorted, rounded)."""
    data = {
        "format": FORMAT,
        "about": about,
        "text": model.text,
        "points": model.points,
        "threshold": model.threshold,
        "stem": model.stem,
        "stop_words": sorted(model.stop_words),
        "abstract_words": sorted(model.vocabulary),
        "weights": {k: round(v, 4) for k, v in sorted(model.weights.items()) if abs(v) >= 5e-4},
    }
    return json.dumps(data, indent=0, sort_keys=False, ensure_ascii=False) + "\n"
