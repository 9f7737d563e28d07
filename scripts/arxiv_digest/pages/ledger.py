"""The ledger file's schema: ``docs/ledger/YYYY-MM-DD.json``, what a fetch found in the listing.

The daily run writes one per fetched day (``ops/ledger.py`` composes it through this model, so
what it writes passes); the validator reads them for ``check`` and the build, and the stats page
shows them. A key is spelled here and nowhere else.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .problems import Problem, schema_problem

LEDGER_DIR = "ledger"

Count = Annotated[int, Field(strict=True, ge=0)]
"""A count in a ledger: a JSON integer, never a string or a boolean."""

_CATEGORY = re.compile(r"^[a-z][a-z-]*(\.[A-Za-z-]+)?$")


class _Model(BaseModel):
    # A typo'd or unknown key is an error, never silently ignored.
    model_config = ConfigDict(extra="forbid", frozen=True)


class FeedCounts(_Model):
    """One category feed of the day: what it served, by announce type, and how much was kept."""

    items: Count
    """Items the feed served (every announce type)."""
    new: Count
    cross: Count
    replace: Count
    replace_cross: Count = Field(alias="replace-cross")
    kept: Count
    """Kept papers that are in this category."""
    first_new: str | None
    last_new: str | None
    """The lowest and highest id among the feed's ``new`` items (the stale-feed check)."""


class PaperCounts(_Model):
    """The day's listing merged over the feeds (a cross-listed paper counts once)."""

    listed: Count
    earlier: Count
    """Listed papers that an earlier day page already lists (not candidates again)."""
    kept: Count

    @model_validator(mode="after")
    def _kept_among_listed(self) -> PaperCounts:
        if self.kept + self.earlier > self.listed:
            raise ValueError(f"kept ({self.kept}) and earlier ({self.earlier}) exceed listed "
                             f"({self.listed})")
        return self


class Ledger(_Model):
    """A ledger file: one fetched day."""

    date: dt.date
    source: Literal["rss", "api"]
    """``api`` for a day back-filled from the API's submission window."""
    status: Literal["announced", "no-announcement"]
    papers: PaperCounts
    feeds: dict[str, FeedCounts]
    """By category, in name order."""

    @field_validator("date", mode="before")
    @classmethod
    def _iso_date(cls, value: Any) -> Any:
        if not isinstance(value, str):
            raise ValueError("a date is written YYYY-MM-DD, as a string")
        return value

    @field_validator("feeds")
    @classmethod
    def _categories(cls, value: dict[str, FeedCounts]) -> dict[str, FeedCounts]:
        for category in value:
            if not _CATEGORY.match(category):
                raise ValueError(f"not an arXiv category: {category[:40]!r}")
        return value


def ledger_path(docs_dir: Path, date: dt.date) -> Path:
    return docs_dir / LEDGER_DIR / f"{date.isoformat()}.json"


def check_ledger(path: str) -> tuple[Ledger | None, list[Problem]]:
    """Read the ledger file at ``path``: the ledger, or None and its problems (one line each)."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
        entry = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as err:
        return None, [Problem(path, "file", f"not UTF-8 text ({err.reason})")]
    except OSError as err:
        return None, [Problem(path, "file", f"cannot be read ({err.strerror})")]
    except ValueError as err:
        return None, [Problem(path, "file", f"not valid JSON ({err})")]
    if not isinstance(entry, dict):
        return None, [Problem(path, "file", "not a JSON object")]
    try:
        ledger = Ledger.model_validate(entry)
    except ValidationError as err:
        return None, [schema_problem(path, e) for e in err.errors()]
    if os.path.basename(path) != f"{ledger.date.isoformat()}.json":
        return None, [Problem(path, "date", f"{ledger.date} does not match the file name "
                              f"(its ledger is {LEDGER_DIR}/{ledger.date}.json)")]
    return ledger, []


def read_ledgers(docs_dir: Path) -> dict[dt.date, Ledger]:
    """Every ledger of ``docs_dir`` by date; raises the first problem as a DigestError."""
    folder = docs_dir / LEDGER_DIR
    found: dict[dt.date, Ledger] = {}
    if not folder.is_dir():
        return found
    for path in sorted(folder.glob("*.json")):
        ledger, problems = check_ledger(str(path))
        if problems:
            raise problems[0].error()
        if ledger is not None:
            found[ledger.date] = ledger
    return found


def dump(ledger: Ledger) -> str:
    """The file's text: keys in the model's order, one space of indent."""
    return json.dumps(ledger.model_dump(mode="json", by_alias=True), indent=1) + "\n"

