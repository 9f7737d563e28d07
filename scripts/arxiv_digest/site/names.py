"""Display names of tags: arXiv categories and the relevance filter's efficiency topics."""

from __future__ import annotations

from .. import filter as relevance

#: Names of the arXiv categories the digest usually shows; others show their code.
CATEGORIES = {
    "cs.AI": "Artificial Intelligence",
    "cs.AR": "Hardware Architecture",
    "cs.CL": "Computation and Language",
    "cs.CV": "Computer Vision and Pattern Recognition",
    "cs.DC": "Distributed, Parallel, and Cluster Computing",
    "cs.ET": "Emerging Technologies",
    "cs.IR": "Information Retrieval",
    "cs.LG": "Machine Learning",
    "cs.NE": "Neural and Evolutionary Computing",
    "cs.PF": "Performance",
    "cs.SE": "Software Engineering",
    "eess.AS": "Audio and Speech Processing",
    "eess.IV": "Image and Video Processing",
    "eess.SP": "Signal Processing",
    "math.OC": "Optimization and Control",
    "stat.ML": "Machine Learning (Statistics)",
}


def is_topic(tag: str) -> bool:
    return tag in relevance.TOPICS


def tag_name(tag: str) -> str:
    """Chip text: the category code (``cs.LG``) or the topic's display name."""
    return relevance.TOPICS.get(tag, tag)


def tag_title(tag: str) -> str:
    """Page title: ``cs.LG — Machine Learning`` or the topic's display name."""
    if tag in CATEGORIES:
        return f"{tag} — {CATEGORIES[tag]}"
    return tag_name(tag)
