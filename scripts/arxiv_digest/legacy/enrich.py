"""``import-readme --enrich``: fill imported pages from the arXiv API and the relevance rules."""

from __future__ import annotations

from typing import Any

from .. import filter as relevance
from ..arxiv import api as metadata
from ..config import Settings
from ..pages.schema import Paper


def needs_metadata(paper: Paper) -> bool:
    """A page the README alone produced: no abstract or no authors yet."""
    return paper.abstract is None or not paper.authors


def enrich_papers(
    papers: dict[str, Paper],
    settings: Settings,
    warnings: list[str],
    *,
    client: metadata.ArxivClient | None = None,
) -> dict[str, Paper]:
    """Pages of ``papers`` that gained metadata, by id; only empty fields are filled."""
    wanted = [arxiv_id for arxiv_id, paper in papers.items() if needs_metadata(paper)]
    if not wanted:
        return {}
    api = client or metadata.make_client(settings)
    try:
        found = _fetch(wanted, api)
    finally:
        if client is None:
            api.close()
    rules = relevance.load_rules()
    filled: dict[str, Paper] = {}
    for arxiv_id in wanted:
        meta = found.get(arxiv_id)
        if meta is None:
            warnings.append(
                f"{arxiv_id}: arXiv has no entry for it; the page keeps the README's data"
            )
            continue
        paper = papers[arxiv_id]
        abstract = " ".join(meta.abstract.split()) or None
        update: dict[str, Any] = {}
        _fill(update, paper, "authors", list(meta.authors))
        _fill(update, paper, "categories", list(meta.categories))
        _fill(update, paper, "abstract", abstract)
        _fill(update, paper, "published", meta.published)
        _fill(update, paper, "updated", meta.updated)
        _fill(update, paper, "comment", meta.comment or None)
        _fill(update, paper, "version", meta.version)
        if abstract:
            topics = relevance.classify(meta.title, abstract, rules, meta.categories).topics
            _fill(update, paper, "topics", list(topics))
        if update:
            # Validated again: the API's values must fit the page schema like any other.
            filled[arxiv_id] = Paper.model_validate({**paper.model_dump(), **update})
    return filled


def _fill(update: dict[str, Any], paper: Paper, key: str, value: Any) -> None:
    if value not in (None, [], "") and getattr(paper, key) in (None, [], ""):
        update[key] = value


def _fetch(ids: list[str], client: metadata.ArxivClient) -> dict[str, metadata.Metadata]:
    """Metadata of the ids arXiv knows, in ``id_list`` batches; unknown ids are left out.

    Unlike a daily fetch, an old README may link a withdrawn or mistyped id: that costs a
    warning, not the import. An id missing once is asked again, as arXiv sometimes answers
    an empty page.
    """
    found: dict[str, metadata.Metadata] = {}
    for start in range(0, len(ids), metadata.BATCH_SIZE):
        batch = ids[start : start + metadata.BATCH_SIZE]
        for _ in range(2):
            missing = [i for i in batch if i not in found]
            if not missing:
                break
            params = {"id_list": ",".join(missing), "start": "0",
                      "max_results": str(metadata.BATCH_SIZE)}
            for meta in client.page(params, what="arXiv API")[0]:
                found[meta.arxiv_id] = meta
    return found
