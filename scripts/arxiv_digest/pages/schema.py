"""The page model: front-matter schema of paper and day pages, read and written in one place.

The fetch writes through this module, the MkDocs hooks validate through it and ``arxiv-digest
check`` uses it, so a key is spelled here and nowhere else.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from ..errors import DigestError
from . import frontmatter
from .summary import EXTRACTIVE as EXTRACTIVE
from .summary import MAX_BULLET as MAX_BULLET
from .summary import READER_AUTHORS as READER_AUTHORS
from .summary import SUMMARY_HEADING as SUMMARY_HEADING
from .summary import clip as clip
from .summary import input_sha256 as input_sha256
from .summary import is_reader_owned as is_reader_owned
from .summary import parse_bullets as parse_bullets
from .summary import render_body as render_body
from .summary import summary_sha256 as summary_sha256

PAPERS_DIR = "papers"
DAYS_DIR = "days"

#: Longest title a page may have (arXiv's longest are near 300 characters).
MAX_TITLE = 1000

_NEW_ID = re.compile(r"^\d{4}\.\d{4,5}$")
_OLD_ID = re.compile(r"^[a-z][a-z.-]*(\.[A-Z]{2})?/\d{7}$")
_VERSIONED = re.compile(r"^(?P<id>.+?)v(?P<version>\d+)$")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def is_arxiv_id(value: str) -> bool:
    """True for a bare arXiv id (``2306.12929``, ``cs/0601001``): safe to make a path of."""
    return bool(_NEW_ID.match(value) or _OLD_ID.match(value))


def _text_allowed(value: Any) -> Any:
    """Refuse characters XML 1.0 does not allow in any string of a page (the feeds hold them)."""
    strings = value if isinstance(value, list) else value.keys() if isinstance(value, dict) \
        else [value]
    for item in strings:
        bad = frontmatter.FORBIDDEN.search(item) if isinstance(item, str) else None
        if bad is not None:
            raise ValueError(f"holds U+{ord(bad[0]):04X}, which XML does not allow")
    return value


class _Model(BaseModel):
    # A typo'd or unknown key is an error, never silently ignored.
    model_config = ConfigDict(extra="forbid", frozen=True)

    _text = field_validator("*")(_text_allowed)


def _utc(value: dt.datetime | None) -> dt.datetime | None:
    """A time without a zone is UTC: that is how it is written (``...Z``) and read back."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value


class Relevance(_Model):
    """Why the relevance filter kept a paper."""

    score: float
    """The points of the rules that counted plus the ranking model's (see the filter's
    ``rules.toml``); the day's papers are ranked by it."""
    matched: list[str] = Field(default_factory=list)
    """Names of the rules that counted, largest contribution first."""
    evidence: list[str] = Field(default_factory=list)
    """Each rule's points and where it matched: ``quantization +12 (title, abstract x3)``, then
    the model's points and its weightiest features: ``model +31.2 (title 'quanti' +9.1, ...)``."""
    rank: int | None = Field(default=None, ge=1)
    """Place among the day's candidates by score (1 = best)."""
    judge: str | None = None
    """The LLM judge's reason, when it judged the paper (``DIGEST_LLM_FILTER=1``)."""


class SummaryInfo(_Model):
    """Who wrote the ``## Summary`` section of a paper page, and a hash to notice edits."""

    by: str = Field(min_length=1)
    """The model name, or ``extractive`` (offline), ``human`` or ``legacy`` (imported)."""
    at: dt.datetime | None = None
    """When the summary was written (UTC)."""
    sha256: str | None = None
    """Hash of the bullets as generated; a page whose bullets no longer match was edited."""
    prompt: int | None = Field(default=None, ge=1)
    """Version of the summary prompt the model was given (``summaries/prompt.toml``)."""
    version: int | None = Field(default=None, ge=1)
    """The arXiv version whose title and abstract the summary was made from."""
    input: str | None = None
    """sha256 of the title and abstract as given to the model (:func:`input_sha256`): names
    the input without a second copy of the abstract, which the page already holds."""
    grounding: Literal["passed", "repaired", "failed"] | None = None
    """The check of the model's bullets against title and abstract: ``passed`` (every number,
    name and comparison found), ``repaired`` (the bullets in ``failed`` failed twice and are now
    sentences of the abstract) or ``failed`` (the summary is the extractive one instead)."""
    failed: list[int] | None = None
    """Numbers (from 1) of the model's bullets that failed the grounding check twice."""

    _at_utc = field_validator("at")(_utc)


class _PaperLinks:
    """What a paper's pages derive from its front matter: for :class:`Paper` and the slots of
    :class:`ListedPaper`'s meta alike."""

    # No annotations here: pydantic would take them for fields of Paper, ahead of its own.
    __slots__ = ()

    @property
    def summarized_version(self) -> int | None:
        """The arXiv version the summary describes (for older pages: the page's version)."""
        return self.summary.version or self.version

    @property
    def revised(self) -> int | None:
        """The latest arXiv version known when it is newer than the summarized one, else None."""
        latest = max(self.version or 0, self.newer_version or 0)
        summarized = self.summarized_version
        return latest if summarized is not None and latest > summarized else None

    @property
    def abs_url(self) -> str:
        return f"https://arxiv.org/abs/{self.arxiv_id}{f'v{self.version}' if self.version else ''}"

    @property
    def pdf_url(self) -> str:
        return f"https://arxiv.org/pdf/{self.arxiv_id}{f'v{self.version}' if self.version else ''}"


class Paper(_PaperLinks, _Model):
    """Front matter of ``docs/papers/<id>.md``. The page body holds the ``## Summary`` bullets."""

    title: str = Field(min_length=1, max_length=MAX_TITLE)
    """Paper title as arXiv gives it, whitespace folded; may hold ``$math$``."""
    arxiv_id: str
    """Bare arXiv id without version: ``2306.12929`` or ``cs/0601001``."""
    version: int | None = Field(default=None, ge=1)
    """Latest version known when the page was written."""
    authors: list[str] = Field(default_factory=list)
    """Author names in arXiv's order."""
    categories: list[str] = Field(default_factory=list)
    """arXiv categories, primary first."""
    announced: dt.date
    """The announcement day whose day page lists this paper."""
    published: dt.datetime | None = None
    """First version's submission time (UTC), from the arXiv API."""
    updated: dt.datetime | None = None
    """Latest version's submission time (UTC), from the arXiv API."""
    comment: str | None = None
    """The authors' comment (pages, venue, code link)."""
    topics: list[str] = Field(default_factory=list)
    """Efficiency topics assigned by the relevance filter (slugs from the rules file)."""
    relevance: Relevance | None = None
    """Why the filter kept the paper; absent for imported or ``--all`` pages."""
    abstract: str | None = None
    """The abstract as arXiv gives it; may hold ``$math$``."""
    summary: SummaryInfo
    """Provenance of the body's summary."""
    newer_version: int | None = Field(default=None, ge=2)
    """A newer arXiv version than the one summarized, found by the daily re-check; the page
    says "summary of v1 · v3 available" until ``resummarize --revised`` (or a reader) acts."""

    _times_utc = field_validator("published", "updated")(_utc)

    @field_validator("arxiv_id")
    @classmethod
    def _check_id(cls, value: str) -> str:
        if not is_arxiv_id(value):
            raise ValueError(f"not a bare arXiv id: {value!r}")
        return value

    @field_validator("categories")
    @classmethod
    def _check_categories(cls, value: list[str]) -> list[str]:
        # Any text may be shown (the site escapes it); two that share a tag page may not.
        _distinct_tags(value)
        return value

    @field_validator("categories", "topics")
    @classmethod
    def _one_string_per_tag(cls, value: list[str]) -> list[str]:
        # 100,000 pages share a few hundred tags: one string each, however the page was read.
        return [sys.intern(tag) for tag in value]

    @model_validator(mode="after")
    def _check_tags(self) -> Paper:
        try:
            _distinct_tags([*self.categories, *self.topics])
        except ValueError as err:
            raise ValueError(f"topics: {err}") from None
        return self



class Day(_Model):
    """Front matter of ``docs/days/YYYY-MM-DD.md``. The body is an optional hand-written intro."""

    date: dt.date
    """The announcement date (the listing's ``pubDate``)."""
    status: Literal["announced", "no-announcement"]
    """``no-announcement`` for weekends and arXiv holidays."""
    papers: list[str] = Field(default_factory=list)
    """Bare ids of the kept papers, in listing order."""

    @field_validator("papers")
    @classmethod
    def _check_ids(cls, value: list[str]) -> list[str]:
        for arxiv_id in value:
            if not is_arxiv_id(arxiv_id):
                raise ValueError(f"not a bare arXiv id: {arxiv_id!r}")
        return value
    listed: dict[str, int] = Field(default_factory=dict)
    """Items per category feed (or per source), for the completeness check."""
    backfilled: bool = False
    """Filled later from the API's submission window; held papers can be missing."""
    incomplete: bool = False
    """A feed was cut at arXiv's 2000-item limit; some papers of the day are missing."""


class PaperPage(BaseModel):
    """A paper page as stored: front matter and the summary bullets of its body."""

    model_config = ConfigDict(frozen=True)
    meta: Paper
    bullets: list[str]
    body: str
    """The body as stored (``## Summary`` and its bullets, possibly edited by a person)."""

    @property
    def summary_by_reader(self) -> bool:
        """True when a person wrote or edited the summary: no command may rewrite it.

        (:func:`arxiv_digest.pages.writer.is_protected` also protects a page whose body a
        person added to.)
        """
        return is_reader_owned(self.meta.summary, self.bullets)

    @property
    def reader_owned(self) -> bool:
        """Former name of :attr:`summary_by_reader`, kept for the site's templates."""
        return self.summary_by_reader

    def listed(self) -> ListedPaper:
        """The page as the cross-checks, list pages and the site's index hold it: without the
        abstract, comment, relevance and body, which only the paper's own page, its search
        record and the feeds show (they take the full page through ``PageIndex.full``)."""
        meta = self.meta
        values = {name: getattr(meta, name) for name in ListedMeta.__slots__}
        summary = {name: getattr(meta.summary, name) for name in ListedSummary.__slots__}
        summary["by"] = sys.intern(summary["by"])  # a few models and names: one string each
        values.update(abstract=None, comment=None, relevance=None,
                      summary=ListedSummary(**summary))
        return ListedPaper(meta=ListedMeta(**values), bullets=self.bullets)


# ---------------------------------------------------------------- pages as lists hold them


class _Record:
    """A read-only record of plain slots, read as the model it was made from is (same
    attribute names, ``model_dump``, equality by value). At 100,000 papers a pydantic model per
    page, with its dict and set of fields per instance, costs about 2.5 KB more a page."""

    __slots__ = ()

    def __init__(self, **values: Any) -> None:
        for name in self.__slots__:
            object.__setattr__(self, name, values.pop(name))
        if values:
            raise TypeError(f"{type(self).__name__}: unknown fields {sorted(values)}")

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only")

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled by its values (the validator's second process sends its checks pickled).
        return (_record, (type(self), self._values()))

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self._values() == other._values()  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        fields = ", ".join(f"{n}={getattr(self, n)!r}" for n in self.__slots__)
        return f"{type(self).__name__}({fields})"

    def model_dump(self, *, mode: str = "python", exclude_none: bool = False) -> dict[str, Any]:
        """The fields as the model's ``model_dump`` gives them (``mode="json"``: dates as ISO
        text)."""
        out: dict[str, Any] = {}
        for name in self.__slots__:
            value = getattr(self, name)
            if isinstance(value, _Record):
                value = value.model_dump(mode=mode, exclude_none=exclude_none)
            elif isinstance(value, list):
                value = list(value)
            elif mode == "json" and isinstance(value, (dt.date, dt.datetime)):
                value = value.isoformat()
            if value is not None or not exclude_none:
                out[name] = value
        return out


def _record(cls: type[_Record], values: tuple[Any, ...]) -> _Record:
    return cls(**dict(zip(cls.__slots__, values, strict=True)))


class ListedSummary(_Record):
    """:class:`SummaryInfo` as a listed paper holds it."""

    __slots__ = tuple(SummaryInfo.model_fields)
    by: str
    sha256: str | None
    version: int | None


class ListedMeta(_PaperLinks, _Record):
    """:class:`Paper` as a listed paper holds it: ``abstract``, ``comment`` and ``relevance``
    are None."""

    __slots__ = tuple(Paper.model_fields)
    title: str
    authors: list[str]
    categories: list[str]
    topics: list[str]
    announced: dt.date
    published: dt.datetime | None
    updated: dt.datetime | None
    comment: str | None
    relevance: Relevance | None
    abstract: str | None


class ListedPaper(_Record):
    """A paper page as :meth:`PaperPage.listed` gives it: front matter without the abstract,
    comment and relevance, the summary's bullets, no body."""

    __slots__ = ("meta", "bullets")
    meta: ListedMeta
    bullets: list[str]
    body = ""

    @property
    def summary_by_reader(self) -> bool:
        """As :attr:`PaperPage.summary_by_reader`."""
        return is_reader_owned(self.meta.summary, self.bullets)

    @property
    def reader_owned(self) -> bool:
        return self.summary_by_reader

    def listed(self) -> ListedPaper:
        return self

    def model_dump(self, *, mode: str = "python", exclude_none: bool = False) -> dict[str, Any]:
        return {**super().model_dump(mode=mode, exclude_none=exclude_none), "body": ""}


#: A paper page, whole or listed: ``isinstance(page, PAPER_PAGES)``.
PAPER_PAGES = (PaperPage, ListedPaper)


class DayPage(BaseModel):
    """A day page as stored: front matter and the hand-written intro (may be empty)."""

    model_config = ConfigDict(frozen=True)
    meta: Day
    intro: str = ""


# ---------------------------------------------------------------- ids, tags and paths


def tag_key(tag: str) -> str:
    """What two tags may not share: ``cs.LG`` and ``cs-lg`` would get the same tag page."""
    return _NOT_SLUG.sub("-", tag.lower()).strip("-")


def _distinct_tags(tags: list[str]) -> None:
    seen: dict[str, str] = {}
    for tag in tags:
        other = seen.setdefault(tag_key(tag), tag)
        if other != tag:
            raise ValueError(f"{other!r} and {tag!r} would share one tag page")


def split_version(raw_id: str) -> tuple[str, int | None]:
    """``2306.12929v2`` -> (``2306.12929``, 2); ``cs/0601001`` -> (``cs/0601001``, None)."""
    match = _VERSIONED.match(raw_id.strip())
    if match and is_arxiv_id(match["id"]):
        return match["id"], int(match["version"])
    return raw_id.strip(), None


def paper_slug(arxiv_id: str) -> str:
    """File stem of a paper page: ``cs/0601001`` -> ``cs-0601001`` (old ids lose the slash)."""
    return arxiv_id.replace("/", "-")


def paper_path(docs_dir: Path, arxiv_id: str) -> Path:
    return docs_dir / PAPERS_DIR / f"{paper_slug(arxiv_id)}.md"


def day_path(docs_dir: Path, date: dt.date) -> Path:
    return docs_dir / DAYS_DIR / f"{date.isoformat()}.md"


# ---------------------------------------------------------------- reading


def _validate(model: type[_Model], meta: dict[str, Any], where: str) -> Any:
    try:
        return model.model_validate(meta)
    except ValidationError as err:
        first = err.errors()[0]
        key = ".".join(str(p) for p in first["loc"]) or "(front matter)"
        msg = "unknown key" if first["type"] == "extra_forbidden" else first["msg"]
        raise DigestError(f"{msg}", where=f"{where}: {key}") from None


def parse_paper(text: str, where: str = "<paper>") -> PaperPage:
    meta, body = frontmatter.split(text, where)
    paper = _validate(Paper, meta, where)
    return PaperPage(meta=paper, bullets=parse_bullets(body), body=body)


def parse_day(text: str, where: str = "<day>") -> DayPage:
    meta, body = frontmatter.split(text, where)
    return DayPage(meta=_validate(Day, meta, where), intro=body.strip())


def read_paper(path: Path) -> PaperPage:
    return parse_paper(_read(path), str(path))


def read_day(path: Path) -> DayPage:
    return parse_day(_read(path), str(path))


def _read(path: Path) -> str:
    try:
        return path.read_text("utf-8")
    except UnicodeDecodeError as err:
        raise DigestError(f"not UTF-8 text ({err.reason})", where=str(path)) from None


# ---------------------------------------------------------------- writing


def _dump(meta: dict[str, Any], body: str) -> str:
    return frontmatter.join(meta, body)


def _plain(model: BaseModel) -> dict[str, Any]:
    return model.model_dump(mode="python", exclude_none=True)


def render_paper(paper: Paper, body: str) -> str:
    """The text of ``paper``'s page with ``body`` (:func:`render_body`'s, or a person's)."""
    return _dump(_plain(paper), body)


def render_day(day: Day, intro: str = "") -> str:
    return _dump(_plain(day), intro)
