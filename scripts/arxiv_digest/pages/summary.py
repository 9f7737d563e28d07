"""The ``## Summary`` of a paper page: its bullets, their hash, and who owns them."""

from __future__ import annotations

import hashlib
import re
from typing import Any

SUMMARY_HEADING = "## Summary"

#: ``summary.by`` values that mark a summary as a person's; no command rewrites them.
READER_AUTHORS = frozenset({"human", "legacy"})
#: ``summary.by`` of the offline summary that ``resummarize`` upgrades.
EXTRACTIVE = "extractive"
#: Longest summary bullet (a model's are near 200 characters).
MAX_BULLET = 1000


def _folded(bullets: list[str]) -> list[str]:
    """Bullets as a page holds them: whitespace folded to single spaces, blank ones left out."""
    return [folded for folded in (" ".join(b.split()) for b in bullets) if folded]


def summary_sha256(bullets: list[str]) -> str:
    """Hash that ``summary.sha256`` stores: the bullets, one per line, whitespace folded."""
    text = "\n".join(_folded(bullets))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def input_sha256(title: str, abstract: str) -> str:
    """Hash that ``summary.input`` stores: title and abstract, whitespace folded."""
    text = " ".join(title.split()) + "\n\n" + " ".join(abstract.split())
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def is_reader_owned(info: Any, bullets: list[str]) -> bool:
    """True when the summary is a person's: ``info`` (a ``SummaryInfo``) says so, or the
    bullets no longer match the hash written with them."""
    if info.by in READER_AUTHORS:
        return True
    return info.sha256 is not None and info.sha256 != summary_sha256(bullets)


def parse_bullets(body: str) -> list[str]:
    """The bullets of the ``## Summary`` section (``-``/``*``/``+`` items; continuations joined)."""
    bullets: list[str] = []
    in_summary = False
    for line in body.splitlines():
        if line.startswith("#"):
            in_summary = line.strip() == SUMMARY_HEADING
            continue
        if not in_summary:
            continue
        stripped = line.strip()
        if re.match(r"^[-*+]\s+", stripped):
            bullets.append(re.sub(r"^[-*+]\s+", "", stripped))
        elif stripped and bullets:
            bullets[-1] = f"{bullets[-1]} {stripped}"
    return bullets


def clip(text: str, limit: int) -> str:
    """``text`` cut at a word to at most ``limit`` characters, marked with an ellipsis."""
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0] + "…"


def render_body(bullets: list[str]) -> str:
    # A blank bullet would render as a bare "-" that reads back as part of its neighbour.
    return SUMMARY_HEADING + "\n\n" + "".join(f"- {b}\n" for b in _folded(bullets))
