"""Offline summaries: three sentences chosen from an abstract, and cleaning of bullet text."""

from __future__ import annotations

import math
import re
from collections import Counter

# A period after these words does not end a sentence (compared lower-cased, without the dot).
_ABBREVIATIONS = frozenset({
    "e.g", "i.e", "etc", "al", "vs", "cf", "fig", "figs", "eq", "eqs", "sec", "secs", "ref",
    "refs", "approx", "resp", "no", "nos", "ca", "viz", "dr", "prof", "mr", "ms", "st", "jr", "sr",
    "inc", "ltd", "co", "tab", "thm", "def", "lem", "prop", "cor", "app", "appx", "ch", "pp", "vol",
})
# Math spans and inline code are never split and do not count as words.
_PROTECTED = re.compile(r"\$\$.+?\$\$|\$[^$]+\$|\\\(.+?\\\)|`[^`]+`", re.S)
_BOUNDARY = re.compile(r"[.!?]+[\"')\]]*\s+")
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9\-]+")
_STOPWORDS = frozenset({
    "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any",
    "are", "as", "at", "be", "because", "been", "before", "being", "below", "between", "both",
    "but", "by", "can", "could", "did", "do", "does", "doing", "down", "during", "each", "few",
    "for", "from", "further", "had", "has", "have", "having", "here", "how", "however", "if", "in",
    "into", "is", "it", "its", "itself", "just", "more", "most", "much", "must", "no", "nor",
    "not", "now", "of", "off", "on", "once", "only", "or", "other", "our", "ours", "out", "over",
    "own", "same", "several", "should", "so", "some", "such", "than", "that", "the", "their",
    "them", "then", "there", "these", "they", "this", "those", "through", "to", "too", "under",
    "until", "up", "very", "via", "was", "we", "well", "were", "what", "when", "where", "which",
    "while", "who", "whom", "why", "will", "with", "within", "without", "would", "yet", "you",
    "your", "paper", "work", "approach", "method", "methods", "propose", "proposed", "show",
    "shows", "present", "presents", "study", "new", "novel", "based", "using", "use", "used",
    "existing",
})
# Phrases that mark a contribution or a result, the sentences a reader wants in a summary.
_CUES = re.compile(
    r"\b(we (propose|introduce|present|show|find|demonstrate|develop)|outperform\w*|achiev\w*|"
    r"reduc\w*|improv\w*|speed-?up\w*|faster|fewer|results?|experiments?)\b|\d+(\.\d+)?\s*(%|x|×)",
    re.I,
)
_BULLET_MARKER = re.compile(r"^\s*(?:[-*+•‣◦▪●–—]|\(?\d{1,2}[.)]|\(?[a-cA-C]\))\s+")


def split_sentences(text: str) -> list[str]:
    """Sentences of ``text``, not split inside ``$..$`` math or after "e.g.", "et al.", "Fig."."""
    text = " ".join(text.split())
    if not text:
        return []
    spans: list[str] = []

    def _hide(match: re.Match[str]) -> str:
        spans.append(match[0])
        return f"\x00{len(spans) - 1}\x00"

    hidden = _PROTECTED.sub(_hide, text)
    sentences: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(hidden):
        before = hidden[start : match.start()]
        after = hidden[match.end() : match.end() + 1]
        last_word = before.rsplit(" ", 1)[-1].strip("([{\"'.").lower()
        if (
            last_word in _ABBREVIATIONS
            or re.fullmatch(r"[a-z]", last_word)  # an initial ("J. Smith") or "(a." enumeration
            or (after and after.islower())  # "approx. three" or a lower-case continuation
        ):
            continue
        sentences.append(hidden[start : match.end()].strip())
        start = match.end()
    if hidden[start:].strip():
        sentences.append(hidden[start:].strip())
    return [re.sub(r"\x00(\d+)\x00", lambda m: spans[int(m[1])], s) for s in sentences]


def _content_words(sentence: str) -> set[str]:
    plain = _PROTECTED.sub(" ", sentence)
    return {w.lower() for w in _WORD.findall(plain) if w.lower() not in _STOPWORDS}


def extractive_summary(abstract: str, title: str = "") -> list[str]:
    """Three sentences of ``abstract``: the first, and the two that best cover its key words.

    Deterministic. Sentences keep their order in the abstract. A short abstract gives fewer
    bullets (one per sentence); an empty one gives a single bullet saying so.
    """
    sentences = split_sentences(abstract)
    if not sentences:
        return ["No abstract is available for this paper."]
    if len(sentences) <= 3:
        return sentences
    words = [_content_words(s) for s in sentences]
    frequency = Counter(w for ws in words for w in ws)
    title_words = _content_words(title)

    def _score(i: int) -> float:
        # Words the abstract repeats are its subject; dividing by sqrt(length) keeps long
        # sentences from winning by size alone.
        overlap = sum(frequency[w] - 1 for w in words[i]) + 2 * len(words[i] & title_words)
        cue = 2.0 if _CUES.search(sentences[i]) else 0.0
        return overlap / math.sqrt(len(words[i]) + 1) + cue

    ranked = sorted(range(1, len(sentences)), key=lambda i: (-_score(i), i))
    chosen = sorted([0, *ranked[:2]])
    return [sentences[i] for i in chosen]


def replace_bullets(bullets: list[str], failed: tuple[int, ...], abstract: str
                    ) -> list[str] | None:
    """``bullets`` with each failed one (numbered from 1) replaced by the abstract's sentence
    sharing most content words with it (not already a bullet, not very short); None when the
    abstract has no such sentence left."""
    result = list(bullets)
    for number in failed:
        words = _content_words(bullets[number - 1])
        candidates = [s for s in split_sentences(abstract)
                      if clean_bullet(s) not in result and len(s.split()) >= 5]
        if not candidates:
            return None
        # Ties go to the earlier sentence (max keeps the first of equals).
        best = max(candidates, key=lambda s: len(words & _content_words(s)))
        result[number - 1] = clean_bullet(best)
    return result


# Control characters and lone surrogates (a JSON answer may escape "\ud800"): no page can hold
# them, and a lone surrogate cannot even be written as UTF-8.
_UNWRITABLE = re.compile("[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f\ud800-\udfff]")


def clean_bullet(text: str) -> str:
    """One bullet as a single line: list markers, numbering and extra whitespace removed."""
    text = " ".join(_UNWRITABLE.sub("", text).split())
    while True:
        stripped = _BULLET_MARKER.sub("", text, count=1)
        if stripped == text:
            return text.strip()
        text = stripped


def parse_answer(text: str) -> list[str] | None:
    """The bullets of a model's answer, or None unless it is exactly three non-empty bullets.

    A reasoning block (``<think>..</think>``) and a one-line preamble ending in ":" are ignored;
    an indented line continues the bullet above it.
    """
    text = re.sub(r"<think>.*?</think>", "", text, flags=re.S | re.I)
    bullets: list[str] = []
    for index, line in enumerate(text.strip().splitlines()):
        if not line.strip():
            continue
        if _BULLET_MARKER.match(line):
            bullets.append(line)
        elif bullets and line[:1].isspace():
            bullets[-1] += " " + line
        elif not bullets and index == 0 and line.rstrip().endswith(":"):
            continue
        else:
            return None
    cleaned = [clean_bullet(b) for b in bullets]
    if len(cleaned) != 3 or not all(cleaned):
        return None
    return cleaned
