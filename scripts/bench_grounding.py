"""Measure the grounding check on model-like bullets made from real arXiv abstracts.

Usage: .venv/bin/python scripts/bench_grounding.py [--limit N] [--show K] [FILE ...]
(default: the two listings of ../shared/relevance/, 600 abstracts of each)

From each abstract it makes *correct* bullets (sentences of the abstract, lightly reworded the way
a model writes: lead-ins dropped, "We propose X" -> "Proposes X", "large language models" ->
"LLMs", "2 times" -> "2x", "40\\%" -> "40 percent", long sentences cut at a clause, asides in
parentheses dropped, numbers rounded, a clause of one sentence joined to a result of another)
and from those, *planted errors* of three kinds:

- a changed number: one number of the bullet altered to a value the abstract does not hold;
- a swapped name: one name of the bullet (a word with capitals inside, or with digits) replaced
  by a name taken from another abstract that this one does not mention;
- an invented comparison: a clause "outperforming X" (or "beats X", "faster than X") added,
  where X is a name or topic the abstract does not mention, or "prior methods" when the abstract
  compares with nothing.

It prints the share of planted errors the check catches and the share of correct bullets it
flags (targets: >= 95% caught, <= 5% flagged). Everything is deterministic.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import time
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from arxiv_digest.summaries.extractive import split_sentences
from arxiv_digest.summaries.grounding import Source, check_bullet

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "relevance"
DEFAULT_FILES = [DATA / "listing_2026-01.jsonl", DATA / "listing_2026-06.jsonl"]

_LEAD_INS = re.compile(
    r"^(?:In this (?:paper|work|study|article)|Here|To (?:address|tackle|solve) (?:this|these)"
    r"(?: \w+)?|To this end|Specifically|Moreover|Furthermore|Additionally|However|Finally|"
    r"Overall|In addition|In particular|Concretely|Notably|Importantly|As a result),\s+", re.I)
_WE_VERB = re.compile(r"^we (propose|introduce|present|develop|design|study|analy[sz]e|"
                      r"derive|build|train|provide|release|evaluate|establish|formulate)\b", re.I)
_WE_THAT = re.compile(r"^we (?:show|find|demonstrate|observe|prove|argue|report) that\s+", re.I)
_REWRITES = [
    (re.compile(r"\b[Ll]arge [Ll]anguage [Mm]odels\b"), "LLMs"),
    (re.compile(r"\b[Ll]arge [Ll]anguage [Mm]odel\b"), "LLM"),
    (re.compile(r"\b[Dd]eep [Nn]eural [Nn]etworks\b"), "DNNs"),
    (re.compile(r"\b(\d+(?:\.\d+)?)\s?(?:\$\\times\$|\\times|×)"), r"\1x"),
    (re.compile(r"\b(\d+(?:\.\d+)?) times\b"), r"\1x"),
    (re.compile(r"(\d)\s?\\%"), r"\1%"),
    (re.compile(r"\b(?:significantly|substantially|notably|effectively) "), ""),
    (re.compile(r"\butiliz(e|es|ing)\b"), r"us\1"),
    (re.compile(r"\bdemonstrates\b"), "shows"),
    (re.compile(r"\bour (method|approach|framework|model)\b", re.I), r"the \1"),
    (re.compile(r"\bwe\b"), "the authors"),
]
_NUMBER = re.compile(r"(?<![\w.\-])\d+(?:\.\d+)?(?![\w.]*\d)")
_NAME = re.compile(r"\b(?:[A-Za-z]*[a-z][A-Z][A-Za-z]*|[A-Z]{2,}[a-z]?s?|[A-Za-z]+-?\d[\w.\-]*)\b")
_TOPICS = ["pruning", "quantization", "distillation", "sparsity", "speculative decoding",
           "low-rank adaptation", "mixture-of-experts", "state-space models", "KV-cache",
           "diffusion models", "reinforcement learning", "graph neural networks"]
_COMPARISONS = [", outperforming {}", " and beats {}", ", surpassing {}", "; it is faster than {}"]
_ANY_COMPARISON = re.compile(
    r"outperform|surpass|better|superior|exceed|beat|state[- ]of[- ]the[- ]art|sota|compar|"
    r"than|baseline|competitive|improv|gain|advantage|versus|\bvs\b|faster|best|prior|existing|"
    r"previous|match|on par", re.I)


def _pick(key: str, n: int) -> int:
    """A deterministic choice in range(n) from ``key``."""
    return int(hashlib.sha256(key.encode()).hexdigest()[:8], 16) % n


_WORDS = {"two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
          "eight": "8", "nine": "9", "ten": "10"}
_DEFINED = re.compile(r"\b((?:[A-Za-z][\w-]* ){1,5}[A-Za-z][\w-]*) \(([A-Z][A-Za-z]*[A-Z]s?)\)")


def _acronyms(abstract: str) -> dict[str, str]:
    """Phrases the abstract abbreviates ("mixture of experts (MoE)") -> the abbreviation."""
    found = {}
    for match in _DEFINED.finditer(abstract):
        letters = match[2].rstrip("s")
        words = match[1].split()[-len(letters):]
        if len(words) == len(letters) and all(w[0].lower() == c.lower()
                                              for w, c in zip(words, letters, strict=True)):
            found[" ".join(words)] = match[2]
    return found


def _model_forms(text: str, key: str, abstract: str) -> str:
    """How models reword numbers, names and verbs (each applied to about half the bullets)."""
    if _pick(key + "round", 2):  # 70.16% -> 70.2%
        text = re.sub(r"\b[1-9]\d*\.\d\d+\b", lambda m: str(
            Decimal(m[0]).quantize(Decimal("0.1"), ROUND_HALF_UP)), text)
    if _pick(key + "words", 2):  # three benchmarks -> 3 benchmarks
        text = re.sub(r"\b(" + "|".join(_WORDS) + r")\b", lambda m: _WORDS[m[1]], text)
    if _pick(key + "percent", 2):
        text = re.sub(r"(\d)%", r"\1 percent", text)
    if _pick(key + "thousands", 2):
        text = re.sub(r"\b(\d{1,3}),(\d{3})\b", r"\1\2", text)
    if _pick(key + "verbs", 2):
        text = re.sub(r"\boutperform(s|ing)?\b", lambda m: "beat" + (m[1] or ""), text)
    for phrase, short in _acronyms(abstract).items():
        if _pick(key + short, 2):
            text = text.replace(f"{phrase} ({short})", short).replace(phrase, short)
    text = re.sub(r"^(?:By|Using|Through|With|Via) [^,]{3,60}, ", "", text)
    return text


def paraphrase(sentence: str, abstract: str = "") -> str:
    """A sentence of an abstract reworded as a model's bullet (deterministically)."""
    text = _model_forms(_LEAD_INS.sub("", sentence.strip()), sentence, abstract)
    text = _WE_THAT.sub("", text)
    text = _WE_VERB.sub(lambda m: m[1].capitalize().rstrip("e") + "es"
                        if m[1].endswith("e") else m[1].capitalize() + "s", text)
    for pattern, replacement in _REWRITES:
        text = pattern.sub(replacement, text)
    if _pick(sentence, 2):
        text = re.sub(r"\s*\((?:e\.g\.|i\.e\.|see|such as)[^()]*\)", "", text)
    words = text.split()
    if len(words) > 32:
        cut = re.search(r"(?:, (?:which|where|while|whereas|and thus|thereby)|;| while | whereas )",
                        " ".join(words[10:]))
        text = " ".join(words[:10]) + " " + " ".join(words[10:])[: cut.start()] if cut else text
    text = text.strip().rstrip(".;,:") + "."
    return text[:1].upper() + text[1:]


def _clause(bullet: str) -> str | None:
    """The bullet's first clause (to a comma or semicolon after five words), or None."""
    words = bullet.rstrip(".").split()
    for i in range(5, len(words)):
        if words[i - 1][-1] in ",;":
            return " ".join(words[:i])[:-1]
    return " ".join(words) if 5 <= len(words) <= 18 else None


def merged(bullets: list[str]) -> list[str]:
    """Bullets that join clauses of two sentences, as a model compresses an abstract:
    "Proposes X, a kernel for Y; it reduces latency by 2x at 32k tokens." """
    clauses = [c for c in map(_clause, bullets) if c]
    results = [c for c in clauses if re.search(r"\d", c)]
    if len(clauses) < 2 or not results or results[-1] == clauses[0]:
        return []
    second = results[-1]
    joint = "; it " if second.split()[0].lower() in ("the", "this", "our") else "; "
    return [f"{clauses[0]}{joint}{second[:1].lower()}{second[1:]}."]


def _changed_number(bullet: str, abstract: str) -> str | None:
    numbers = list(_NUMBER.finditer(bullet))
    if not numbers:
        return None
    match = numbers[_pick(bullet, len(numbers))]
    present = set(re.findall(r"\d+(?:\.\d+)?", abstract))
    present |= {digit for word, digit in _WORDS.items()
                if re.search(rf"\b{word}\b", abstract, re.I)}
    value = float(match[0])
    decimals = len(match[0].split(".")[1]) if "." in match[0] else 0
    for factor in (1.7, 0.6, 2.5, 1.3, 3.1):
        new = f"{value * factor + (1 if value < 3 else 0):.{decimals}f}"
        if new not in present and new != match[0]:
            return bullet[: match.start()] + new + bullet[match.end():]
    return None


def _swapped_name(bullet: str, abstract: str, pool: list[str]) -> str | None:
    names = [m for m in _NAME.finditer(bullet) if m[0].lower() in abstract.lower()]
    if not names:
        return None
    match = names[_pick(bullet, len(names))]
    folded = abstract.lower()
    start = _pick(bullet + "swap", len(pool))
    for name in pool[start:] + pool[:start]:
        if name.lower() not in folded and name.lower() not in bullet.lower():
            return bullet[: match.start()] + name + bullet[match.end():]
    return None


def _invented_comparison(bullet: str, abstract: str, pool: list[str]) -> str:
    template = _COMPARISONS[_pick(bullet + "cmp", len(_COMPARISONS))]
    folded = abstract.lower()
    kind = _pick(bullet + "kind", 3)
    if kind == 2 and not _ANY_COMPARISON.search(abstract):
        target = "prior methods"
    elif kind == 1:
        topics = [t for t in _TOPICS if t.lower() not in folded]
        target = f"existing {topics[_pick(bullet, len(topics))]} methods"
    else:
        names = [n for n in pool if n.lower() not in folded]
        target = names[_pick(bullet + "name", len(names))]
    return bullet.rstrip(".") + template.format(target) + "."


def _records(files: list[Path], limit: int) -> list[dict[str, str]]:
    records = []
    for path in files:
        rows = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
        step = max(1, len(rows) // limit) if limit else 1
        records += [{**r, "file": path.name} for r in rows[::step][: limit or None]]
    return records


def run(files: list[Path], limit: int, show: int) -> dict[str, Counter[str]]:
    records = _records(files, limit)
    pool = sorted({m[0] for r in records for m in _NAME.finditer(r["abstract"]) if len(m[0]) > 2})
    counts: dict[str, Counter[str]] = {}
    shown: Counter[str] = Counter()
    for record in records:
        title, abstract = record["title"], record["abstract"]
        source = Source(title, abstract)
        tally = counts.setdefault(record["file"], Counter())
        bullets = [paraphrase(sentence, abstract) for sentence in split_sentences(abstract)[:6]
                   if len(sentence.split()) >= 6]
        for bullet in bullets + merged(bullets):
            cases = [("correct", bullet),
                     ("number", _changed_number(bullet, abstract)),
                     ("name", _swapped_name(bullet, abstract, pool)),
                     ("comparison", _invented_comparison(bullet, abstract, pool))]
            for kind, text in cases:
                if text is None:
                    continue
                flagged = bool(check_bullet(text, source))
                tally[kind] += 1
                tally[f"{kind} flagged"] += flagged
                wrong = flagged if kind == "correct" else not flagged
                if wrong and shown[kind] < show:
                    shown[kind] += 1
                    found = [str(p) for p in check_bullet(text, source)]
                    print(f"[{kind} {'flagged' if flagged else 'missed'}] {record['id']}: {text}"
                          f" {found}", file=sys.stderr)
    return counts


def _report(name: str, tally: Counter[str]) -> str:
    planted = sum(tally[k] for k in ("number", "name", "comparison"))
    caught = sum(tally[f"{k} flagged"] for k in ("number", "name", "comparison"))
    flagged = tally["correct flagged"]
    parts = [f"{name}: correct bullets {tally['correct']}, flagged "
             f"{flagged} ({100 * flagged / tally['correct']:.1f}%)"
             f"; planted errors {planted}, caught {caught} ({100 * caught / planted:.1f}%)"]
    parts += [f"  {k}: {tally[f'{k} flagged']}/{tally[k]} caught "
              f"({100 * tally[f'{k} flagged'] / max(1, tally[k]):.1f}%)"
              for k in ("number", "name", "comparison")]
    return "\n".join(parts)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, default=DEFAULT_FILES)
    parser.add_argument("--limit", type=int, default=600, help="abstracts per file (0: all)")
    parser.add_argument("--show", type=int, default=0, help="print K misses of each kind")
    args = parser.parse_args()
    started = time.monotonic()
    counts = run(args.files, args.limit, args.show)
    total: Counter[str] = Counter()
    for name, tally in counts.items():
        print(_report(name, tally))
        total.update(tally)
    print(_report("all", total))
    bullets = sum(v for k, v in total.items() if "flagged" not in k)
    print(f"{bullets} bullets checked in {time.monotonic() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
