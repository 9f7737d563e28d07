"""``arxiv-digest filter``: papers as JSON lines in, one verdict a line out, ranked per date."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import DigestError
from .day import Listed, filter_day
from .rules import Rules


def read_papers(path: Path) -> list[dict[str, Any]]:
    """The papers of a JSON-lines file (``id``, ``title``, ``abstract``, ``categories``, ``date``).

    ``abstract``, ``categories`` and ``date`` may be missing or null; an error names the line.
    A paper known only by a published summary may give ``bullets`` (a list of strings) instead
    of an abstract: they are read as its text.
    """
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise DigestError(f"cannot read: {err}", where=str(path)) from None
    papers = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            item = json.loads(line)
        except ValueError as err:
            raise DigestError(f"not JSON: {err}", where=where) from None
        if not isinstance(item, dict):
            raise DigestError("expected a JSON object", where=where)
        for key in ("id", "title"):
            if not isinstance(item.get(key), str) or not item[key].strip():
                raise DigestError(f"missing or empty {key!r}", where=where)
        if not isinstance(item.get("abstract") or "", str):
            raise DigestError("'abstract' must be a string", where=where)
        bullets = item.get("bullets") or []
        if not isinstance(bullets, list) or not all(isinstance(b, str) for b in bullets):
            raise DigestError("'bullets' must be a list of strings", where=where)
        if not item.get("abstract") and bullets:
            item = {**item, "abstract": " ".join(bullets)}
        categories = item.get("categories") or []
        if not isinstance(categories, list) or not all(isinstance(c, str) for c in categories):
            raise DigestError("'categories' must be a list of strings", where=where)
        papers.append(item)
    return papers


def verdict_lines(papers: list[dict[str, Any]], rules: Rules) -> Iterator[dict[str, Any]]:
    """One verdict per paper, in input order; papers of the same ``date`` are ranked together."""
    days: dict[str, list[int]] = {}
    for i, paper in enumerate(papers):
        days.setdefault(str(paper.get("date") or ""), []).append(i)
    out: list[dict[str, Any]] = [{} for _ in papers]
    for indices in days.values():
        listed = [
            Listed(
                str(papers[i]["id"]),
                papers[i]["title"],
                papers[i].get("abstract") or "",
                tuple(papers[i].get("categories") or ()),
            )
            for i in indices
        ]
        for i, verdict in zip(indices, filter_day(listed, rules), strict=True):
            out[i] = {
                "id": papers[i]["id"],
                "keep": verdict.keep,
                "score": verdict.score,
                "topics": verdict.topics,
                "rank": verdict.rank,
                "evidence": verdict.evidence,
                "model": verdict.model,
            }
    yield from out
