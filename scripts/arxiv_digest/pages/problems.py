"""What the validator reports: a problem with one file, and one page as the checks see it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..errors import DigestError, printable
from .schema import DayPage, ListedPaper, PaperPage


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one file; ``str()`` is the line ``check`` prints."""

    path: str
    """The file, as found under the docs dir."""
    key: str
    """The front-matter key at fault (dotted), ``front matter``, ``file`` or ``## Summary``."""
    message: str

    def __str__(self) -> str:
        # Names and keys come from the files: printed escaped, they cannot start a line.
        return printable(f"{self.path}: {self.key}: {self.message}")

    def error(self) -> DigestError:
        """The problem as the error a build stops with."""
        return DigestError(self.message, where=f"{self.path}: {self.key}")


@dataclass(slots=True)  # one per page of the docs dir: 100,000 in a large build
class PageCheck:
    """One page as the cross-checks see it."""

    path: str
    page: PaperPage | ListedPaper | DayPage | None = None
    """The page, when it passed the schema; None otherwise (left out of the cross-checks)."""
    problems: list[Problem] = field(default_factory=list)


def schema_problem(path: str, error: Any) -> Problem:
    """One of pydantic's validation errors as the line naming its key (dotted)."""
    key = ".".join(str(part) for part in error["loc"]) or "front matter"
    if error["type"] == "extra_forbidden":
        return Problem(path, key, "unknown key")
    if error["type"] == "missing":
        return Problem(path, key, "missing")
    value = repr(error["input"])
    value = value if len(value) <= 60 else value[:57] + "..."
    return Problem(path, key, f"{error['msg']} (got {value})")
