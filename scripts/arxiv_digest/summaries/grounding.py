"""The grounding check: each fact of a summary bullet must be found in the title and abstract.

A fact is a number (with its unit or %), a name (a mixed-case or capitalised word, an acronym,
a word with digits) or a comparison ("outperforms X", "faster than X", "state-of-the-art").
Simple forms count as the same: 1.5x, 1.5×, 1.5 times; 40%, 40 percent; 32k, 32,000; LLMs for
"large language models". The check is deterministic and offline, and takes a few milliseconds
a summary (most of it indexing the abstract).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from .extractive import split_sentences

# LaTeX and Unicode spellings folded to plain text before anything is compared.
_LATEX = [(re.compile(p), r) for p, r in [
    (r"\\times|\\cdot", "×"), (r"\\%", "%"), (r"\\(?:sim|approx)", "~"),
    (r"\\[,;:!]|\\ |~", " "), (r"\\([A-Za-z]+)", r" \1 "), (r"[${}]", ""),
    (r"[\u2212\u2010\u2011\u2012\u2013\u2014]", "-"), (r"[\u00a0\u2009\u202f]", " "),
    (r"\*\*|`", ""),
]]
_NUMBER = re.compile(
    r"(?<![\w.])(?<![A-Za-z]-)(?P<num>\d+(?:,\d{3})+(?:\.\d+)?|\d*\.\d+|\d+)"
    r"(?P<unit>\s?(?:%|percent(?:age points?)?\b|per cent\b|pp\b|points?\b|×|x\b|times\b|"
    r"-?fold\b|[kKMBT]\b|thousand\b|million\b|billion\b|trillion\b|-?bits?\b|[KMGT]B\b|ms\b))?"
    r"(?![A-Za-z0-9])"
)
_UNITS = {"%": "%", "percent": "%", "per cent": "%", "percentage point": "%", "pp": "%",
          "point": "%", "×": "x", "x": "x", "times": "x", "fold": "x", "bit": "bit"}
_SCALE = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6, "b": 1e9, "billion": 1e9,
          "t": 1e12, "trillion": 1e12}
_NUMBER_WORDS = {w: i for i, w in enumerate(
    [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
        "eighteen", "nineteen", "twenty"
    ])}
_NUMBER_WORDS |= {"thirty": 30, "forty": 40, "fifty": 50, "hundred": 100}
_WORDED = re.compile(r"\b(" + "|".join(_NUMBER_WORDS) + r")(-?fold)?\b|\b(twice)\b", re.I)
_TOKEN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9\-_.+']*[A-Za-z0-9+])?")
_BOUNDARY = re.compile(r"(?:^|[.:;!?]\s+|\(\s*)$")
# Words a bullet may start with (capitalised only because they start it): a plain capitalised
# first word is checked as a name only when neither it nor its stem is in the source either.
_OPENERS = frozenset([
    "a", "an", "the", "this", "these", "that", "those", "it", "its", "they", "their", "we",
    "our", "each", "both", "all", "most", "many", "some", "several", "proposes", "introduces",
    "presents", "shows", "finds", "demonstrates", "develops", "describes", "studies", "uses",
    "applies", "achieves", "reduces", "improves", "enables", "provides", "offers", "combines",
    "replaces", "adds", "cuts", "speeds", "matches", "keeps", "makes", "lets", "trains",
    "learns", "evaluates", "compares", "analyzes", "analyses", "explores", "addresses",
    "tackles", "new", "novel", "existing", "prior", "current", "standard", "such", "unlike",
    "compared", "instead", "by", "with", "without", "using", "on", "in", "for", "to", "from",
    "at", "as", "across", "over", "under", "via", "when", "while", "although", "because",
    "since", "if", "after", "before", "experiments", "results", "evaluations", "tests",
    "theory", "analysis", "empirically", "overall", "together", "finally", "problem", "method",
    "methods", "approach", "result", "key", "main", "large", "small", "deep",
    "modern", "only", "just", "about", "also", "then", "there", "here", "still",
    "yet", "even", "more", "less", "fewer", "up", "down", "no", "not", "every", "any", "one",
    "two", "three", "first", "second", "third", "like", "despite", "whereas", "thus", "hence",
    "so", "and", "but", "or", "how", "what", "why", "which", "who", "where", "whose",
    "rather", "almost", "nearly", "roughly", "within",
])
# A capitalised first word with an English inflection ("Beats", "Trained", "Faster") is a
# verb or an adjective far more often than a name.
_INFLECTED = re.compile(r"[a-z]{2,}(?:s|ed|ing|ly|er|est)")
_STOP = _OPENERS | frozenset([
    "of", "and", "or", "than", "other", "others", "methods", "method", "approaches", "models",
    "model", "baselines", "baseline", "techniques", "work", "works", "ones", "one", "prior",
    "previous", "sota", "strong", "competing", "competitive", "alternative",
    "alternatives", "similar", "comparable", "leading", "popular", "conventional",
    "traditional", "recent"
])
# A comparison in a bullet, and the object compared with (up to a stop word or punctuation).
_COMPARE = re.compile(
    r"\b(?:outperform\w*|surpass\w*|beat(?:s|ing)?|exceed\w*|superior to|better than|worse than|"
    r"\b(?!(?:rather|other)\b)\w+er than|(?:more|less|fewer) \w+ than|compared (?:to|with)|"
    r"relative to|versus|vs\.?|"
    r"improv\w* (?:over|upon|on)|gains? over|advantage over|speed-?ups? over)\s+"
    r"(?P<object>[^,;:.()]{1,80})", re.I)
_OBJECT_END = re.compile(r"\s(?:by|on|in|at|while|with|across|for|when|under|without|and|"
                         r"using|through|which|that|to|as|up|from|despite|whereas)\s", re.I)
_GLUE = frozenset(["a", "an", "and", "by", "for", "in", "of", "on", "or", "the", "to", "with"])
_ACRONYM = re.compile(r"[A-Z][A-Za-z]*[A-Z]s?")
_SOTA = re.compile(r"state[- ]of[- ]the[- ]art|\bSOTA\b|\bbest\b", re.I)
# What in an abstract makes a comparison claim a bullet may repeat.
_SOURCE_COMPARES = re.compile(
    r"outperform|surpass|exceed|\bbeat|better|superior|improv\w* (?:over|upon|on)|\w+er than|"
    r"(?:more|less|fewer) \w+ than|compar|relative to|versus|\bvs\b|state[- ]of[- ]the[- ]art|"
    r"\bsota\b|baseline|gains? over|advantage over|speed-?ups? over|\bbest\b|on par|match",
    re.I)


@dataclass(frozen=True)
class Problem:
    """One fact of a bullet that the title and abstract do not contain."""

    kind: Literal["number", "name", "comparison"]
    text: str
    """The fact as the bullet writes it."""

    def __str__(self) -> str:
        return f"{self.kind} {self.text!r}"


def normalize(text: str) -> str:
    """Text with LaTeX, dashes and spaces in plain form, as both sides are compared."""
    for pattern, replacement in _LATEX:
        text = pattern.sub(replacement, text)
    return " ".join(text.split())


def _numbers(text: str, *, worded: bool = False) -> list[tuple[str, float, str, float]]:
    """(as written, value, unit, rounding) of each number; a range's first number takes the
    second's unit ("40-60%").

    ``worded`` also reads "two", "threefold", "twice" (in a source only: a bullet's "one of"
    is no claim of a number).
    """
    found: list[tuple[str, float, str, int, float]] = []
    for match in _NUMBER.finditer(text):
        raw_unit = (match["unit"] or "").strip().lstrip("-").lower()
        raw_unit = raw_unit[:-1] if raw_unit.endswith("s") and raw_unit != "times" else raw_unit
        digits = match["num"].replace(",", "")
        scale = _SCALE.get(raw_unit, 1.0)
        # Half a unit of the last digit written: "2x" stands for 1.5-2.5x, "1.3M" for 1.25-1.35M.
        places = len(digits.split(".")[1]) if "." in digits else 0
        unit = "" if raw_unit in _SCALE else _UNITS.get(raw_unit, raw_unit)
        found.append((match[0].strip(), float(digits) * scale, unit, match.end(),
                      0.5 * 10**-places * scale))
    for match in _WORDED.finditer(text) if worded else ():
        if match[3]:
            found.append((match[0], 2.0, "x", match.end(), 0.5))
        else:
            found.append((match[0], float(_NUMBER_WORDS[match[1].lower()]),
                          "x" if match[2] else "", match.end(), 0.5))
    found.sort(key=lambda item: item[3])
    result = []
    for i, (raw, value, unit, end, tolerance) in enumerate(found):
        nxt = found[i + 1] if i + 1 < len(found) else None
        if not unit and nxt and re.match(r"\s*(?:-|to|and|or|,)\s*\d", text[end:end + 6]):
            unit = nxt[2]
        result.append((raw, value, unit, tolerance))
    return result


def _squash(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


_SUFFIX = re.compile(r"(?:ations?|ings?|ities|ity|ied|ies|ed|es|s|e|al|ly|ers?)$")


def _stem(word: str) -> str:
    """A crude stem: "pruning"/"pruned" -> "prun", "baselines" -> "baselin"."""
    word = word.lower()
    return _SUFFIX.sub("", word) if len(word) > 4 else word


def _windows(words: list[str], sizes: range) -> list[list[str]]:
    return [words[i:i + n] for n in sizes for i in range(len(words) - n + 1)]


class Source:
    """The title and abstract a summary was made from, indexed once for all its bullets."""

    def __init__(self, title: str, abstract: str):
        self.text = normalize(f"{title}. {abstract}")
        self.numbers = {(round(v, 6), u) for _, v, u, _ in _numbers(self.text, worded=True)}
        # Digits inside names count too: a bullet may write "Llama 3.1" for "Llama-3.1-8B".
        self.numbers |= {(float(d), "") for d in re.findall(r"\d+(?:\.\d+)?", self.text)}
        cased = re.findall(r"[A-Za-z0-9]+", self.text)
        words = [w.lower() for w in cased]
        self.words = set(words)
        self.stems = {_stem(w) for w in words}
        # Every run of 1-6 words squashed, so "Llama 2", "Llama-2" and "Llama2" all match; runs
        # holding a capital letter apart, for names written with capitals ("LoRA", not "lora").
        runs = _windows(cased, range(1, 7))
        self.joins = {"".join(r).lower() for r in runs}
        self.capitalised = {"".join(r).lower() for r in runs if any(not w.islower() for w in r)}
        # Initials of runs of 2-6 words that start and end with a content word, so "LLM"
        # matches "large language model" and "MoE" "mixture of experts".
        self.initials = {"".join(w[0] for w in r) for r in _windows(words, range(2, 7))
                         if r[0] not in _GLUE and r[-1] not in _GLUE}
        # Each sentence's stems, for a comparison claim only where a sentence compares.
        self.comparing = [{_stem(w) for w in re.findall(r"[a-z0-9]+", sentence.lower())}
                          for sentence in split_sentences(self.text)
                          if _SOURCE_COMPARES.search(sentence)]
        self.sota = bool(re.search(r"state[- ]of[- ]the[- ]art|\bsota\b|\bbest\b|outperform|"
                                   r"surpass", self.text, re.I))

    def has_number(self, value: float, unit: str, rounding: float) -> bool:
        """Whether the source holds ``value`` (with ``unit`` if given), as written or rounded
        to the digits written (2x for 2.13x, within 10%)."""
        for known, known_unit in self.numbers:
            if unit and known_unit != unit:
                continue
            gap = abs(known - value)
            if gap <= 1e-9 * max(1.0, value) or (gap <= rounding + 1e-9 and gap <= 0.1 * value):
                return True
        return False

    def has_name(self, token: str) -> bool:
        """Whether the source writes ``token`` (any spacing, hyphens or plural; with capitals
        if the token has two), or spells out the acronym ``token`` is."""
        token = token.removesuffix("'s")
        squashed = _squash(token)
        variants = {squashed, squashed + "s", squashed + "es"}
        if squashed.endswith("s"):
            variants.add(squashed[:-1])
        capitals = sum(c.isupper() for c in token)
        known = self.capitalised if capitals >= 2 else self.joins
        if variants & known:
            return True
        if _ACRONYM.fullmatch(token):
            letters = token[:-1] if token.endswith("s") else token
            return letters.lower() in self.initials
        return False

    def compares(self, words: list[str]) -> bool:
        """Whether one sentence of the source compares and holds every word of ``words``."""
        stems = {_stem(w) for w in words}
        return any(stems <= sentence for sentence in self.comparing)


def _is_name(token: str, initial: bool, source: Source) -> bool:
    """Whether a bullet's token names something (a model, dataset, method) to look up."""
    letters = [c for c in token if c.isalpha()]
    if len(letters) < 1 or len(token) < 2:
        return False
    if any(c.isupper() for c in token[1:]):
        return True
    if any(c.isdigit() for c in token):
        # "2-stage" is a number and a word; "W4A8", "GPT-4", "Llama-3-8B" are names.
        return not _NUMBER.fullmatch(token) and not re.fullmatch(r"[\d.]+-[a-z]+", token)
    if not token[0].isupper():
        return False
    if not initial:
        return True
    lower = token.lower().removesuffix("'s")
    if lower in _OPENERS or _INFLECTED.fullmatch(lower):
        return False
    return lower not in source.words and _stem(lower) not in source.stems


def _name_found(token: str, source: Source) -> bool:
    if source.has_name(token):
        return True
    # "LoRA-based", "Transformer-style": the parts that are plain lower-case words may go.
    parts = [p for p in re.split(r"[-_/]", token) if p]
    kept = [p for p in parts if not (p.isalpha() and p.islower())]
    named = any(c.isalpha() for p in kept for c in p)
    return named and len(kept) < len(parts) and source.has_name("-".join(kept))


def check_bullet(bullet: str, source: Source) -> list[Problem]:
    """The facts of ``bullet`` that ``source`` does not contain (none: the bullet passes)."""
    text = normalize(bullet)
    problems: list[Problem] = []
    for raw, value, unit, rounding in _numbers(text):
        if not source.has_number(value, unit, rounding):
            problems.append(Problem("number", raw))
    for match in _TOKEN.finditer(text):
        token = match[0]
        if _NUMBER.fullmatch(token) or _WORDED.fullmatch(token):
            continue
        initial = bool(_BOUNDARY.search(text[:match.start()]))
        if _is_name(token, initial, source) and not _name_found(token, source):
            problems.append(Problem("name", token))
    for match in _COMPARE.finditer(text):
        obj = _OBJECT_END.split(f" {match['object']} ")[0].strip()
        obj = _SOTA.sub(" ", obj)  # "state-of-the-art methods": the claim is checked below
        words = [w for w in re.findall(r"[A-Za-z][A-Za-z\-]+", obj) if w.lower() not in _STOP]
        content = [p for w in words for p in w.split("-") if p.lower() not in _STOP and p]
        if not source.compares(content):
            cue = text[match.start():match.start("object")].strip()
            problems.append(Problem("comparison", f"{cue} {obj}"))
    if _SOTA.search(text) and not source.sota:
        problems.append(Problem("comparison", _SOTA.search(text)[0]))  # type: ignore[index]
    return _unique(problems)


def _unique(problems: list[Problem]) -> list[Problem]:
    return list(dict.fromkeys(problems))


def check_summary(bullets: list[str], title: str, abstract: str) -> list[list[Problem]]:
    """Problems of each bullet, in order."""
    source = Source(title, abstract)
    return [check_bullet(b, source) for b in bullets]


def describe(problems: list[list[Problem]]) -> str:
    """The failures named for the model: ``bullet 2: number '45%'; bullet 3: name 'GPTQ'``."""
    return "; ".join(
        f"bullet {i}: " + ", ".join(map(str, found))
        for i, found in enumerate(problems, start=1) if found
    )
