"""``arxiv-digest check``: the docs dir through the validator the site build uses too."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .pages.validate import MODEL_BULLETS, Problem, validate_docs

__all__ = ["MODEL_BULLETS", "Problem", "Report", "annotation", "check_docs"]


@dataclass
class Report:
    """What ``check`` found: the problems, and how many pages it read."""

    problems: list[Problem] = field(default_factory=list)
    papers: int = 0
    days: int = 0


def check_docs(docs_dir: Path) -> Report:
    """Check every file under ``docs_dir``; problems come sorted by file.

    About 0.3 ms a page, most of it reading the YAML: 20,000 pages take 6-7 s of CPU.
    """
    found = validate_docs(docs_dir)
    return Report(found.problems, found.paper_files, found.day_files)


def annotation(problem: Problem) -> str:
    """The problem as a GitHub Actions workflow command, which marks the file in a pull request."""

    def escape(text: str, prop: bool = False) -> str:
        text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return text.replace(":", "%3A").replace(",", "%2C") if prop else text

    where = f"file={escape(problem.path, True)},title={escape(problem.key, True)}"
    return f"::error {where}::{escape(problem.message)}"
