"""The page model: front-matter schema of paper and day pages, read and written in one place.

The fetch writes through this module, the MkDocs hooks validate through it and ``arxiv-digest
check`` uses it, so a key is spelled here and nowhere else.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
from pathlib import Path
from typing import Any, Literal

import frontmatter
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ..errors import DigestError

PAPERS_DIR = "papers"
DAYS_DIR = "days"
SUMMARY_HEADING = "## Summary"

#: ``summary.by`` values that mark a summary as a person's; no command rewrites them.
READER_AUTHORS = frozenset({"human", "legacy"})
#: ``summary.by`` of the offline summary that ``resummarize`` upgrades.
EXTRACTIVE = "extractive"

_NEW_ID = re.compile(r"^\d{4}\.\d{4,5}$")
_OLD_ID = re.compile(r"^[a-z][a-z.-]*(\.[A-Z]{2})?/\d{7}$")
_VERSIONED = re.compile(r"^(?P<id>.+?)v(?P<version>\d+)$")


class _Model(BaseModel):
    # A typo'd or unknown key is an error, never silently ignored.
    model_config = ConfigDict(extra="forbid", frozen=True)


def _utc(value: dt.datetime | None) -> dt.datetime | None:
    """A time without a zone is UTC: that is how it is written (``...Z``) and read back."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value


class Relevance(_Model):
    """Why the relevance filter kept a paper."""

    score: float
    """Sum of the points of the rules that counted (see the filter's ``rules.toml``)."""
    matched: list[str] = Field(default_factory=list)
    """Names of the rules that counted, largest contribution first."""
    evidence: list[str] = Field(default_factory=list)
    """Each rule's points and where it matched: ``quantization +12 (title, abstract x3)``."""
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


class Paper(_Model):
    """Front matter of ``docs/papers/<id>.md``. The page body holds the ``## Summary`` bullets."""

    title: str = Field(min_length=1)
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
        if not (_NEW_ID.match(value) or _OLD_ID.match(value)):
            raise ValueError(f"not a bare arXiv id: {value!r}")
        return value

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


class Day(_Model):
    """Front matter of ``docs/days/YYYY-MM-DD.md``. The body is an optional hand-written intro."""

    date: dt.date
    """The announcement date (the listing's ``pubDate``)."""
    status: Literal["announced", "no-announcement"]
    """``no-announcement`` for weekends and arXiv holidays."""
    papers: list[str] = Field(default_factory=list)
    """Bare ids of the kept papers, in listing order."""
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
    def reader_owned(self) -> bool:
        """True when a person wrote or edited the summary: no command may rewrite it."""
        return is_reader_owned(self.meta.summary, self.bullets)


class DayPage(BaseModel):
    """A day page as stored: front matter and the hand-written intro (may be empty)."""

    model_config = ConfigDict(frozen=True)
    meta: Day
    intro: str = ""


# ---------------------------------------------------------------- ids and paths


def split_version(raw_id: str) -> tuple[str, int | None]:
    """``2306.12929v2`` -> (``2306.12929``, 2); ``cs/0601001`` -> (``cs/0601001``, None)."""
    match = _VERSIONED.match(raw_id.strip())
    if match and (_NEW_ID.match(match["id"]) or _OLD_ID.match(match["id"])):
        return match["id"], int(match["version"])
    return raw_id.strip(), None


def paper_slug(arxiv_id: str) -> str:
    """File stem of a paper page: old-style ids lose their slash (``cs/0601001`` -> ``cs-0601001``)."""
    return arxiv_id.replace("/", "-")


def paper_path(docs_dir: Path, arxiv_id: str) -> Path:
    return docs_dir / PAPERS_DIR / f"{paper_slug(arxiv_id)}.md"


def day_path(docs_dir: Path, date: dt.date) -> Path:
    return docs_dir / DAYS_DIR / f"{date.isoformat()}.md"


# ---------------------------------------------------------------- summaries


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


def is_reader_owned(info: SummaryInfo, bullets: list[str]) -> bool:
    if info.by in READER_AUTHORS:
        return True
    return info.sha256 is not None and info.sha256 != summary_sha256(bullets)


def parse_bullets(body: str) -> list[str]:
    """The bullets of the ``## Summary`` section (``-``, ``*`` or ``+`` items; continuations joined)."""
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


def render_body(bullets: list[str]) -> str:
    # A blank bullet would render as a bare "-" that reads back as part of its neighbour.
    return SUMMARY_HEADING + "\n\n" + "".join(f"- {b}\n" for b in _folded(bullets))


# ---------------------------------------------------------------- reading


def _load(text: str, where: str) -> tuple[dict[str, Any], str]:
    text = text.removeprefix("\ufeff")  # an editor's byte-order mark; MkDocs drops it too
    if not text.startswith("---"):
        raise DigestError("no front matter (the page must start with '---')", where=where)
    quick = _quick_load(text)
    if quick is not None:
        return quick
    try:
        post = frontmatter.loads(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(err, "problem", None) or type(err).__name__
        raise DigestError(f"front matter is not valid YAML{line}: {problem}", where=where) from None
    if not isinstance(post.metadata, dict) or not post.metadata:
        raise DigestError("front matter is empty or not a mapping", where=where)
    return dict(post.metadata), post.content


# ---------------------------------------------------------------- reading the writer's own YAML
#
# A page's front matter is read once per build, and YAML takes most of that time. Pages are
# nearly always as ``_dump`` wrote them: keys at two levels, one scalar per line, sequences
# without indentation. ``_quick_load`` reads exactly that form and gives up (None) on anything
# else (comments, blank lines, flow or block collections, double quotes, multi-line or unusual
# scalars), which the YAML library then reads. Scalars are resolved and constructed by the
# YAML library's own resolver and constructors, so a value has the same type and value either
# way; tests/test_schema_quick_load.py compares the two readers.

_YAML = yaml.SafeLoader("")
_YAML_STR = "tag:yaml.org,2002:str"
#: Tags of plain scalars that the quick reader constructs (merge keys and the like: YAML's).
_YAML_QUICK_TAGS = frozenset({_YAML_STR} | {f"tag:yaml.org,2002:{t}" for t in
                                            ("int", "float", "bool", "null", "timestamp")})
# ``[  ]KEY: VALUE``, ``[  ]KEY:`` or ``[  ]- ITEM``; KEY a plain word (field or category name).
_YAML_LINE = re.compile(r"(?P<indent>(?:  )?)(?:(?P<key>[A-Za-z][A-Za-z0-9_.-]*):"
                        r"(?: (?P<value>[^ ].*))?|- (?P<item>[^ ].*))")
# Characters outside YAML's printable set, its line breaks other than \n, tabs and the BOM.
_YAML_UNUSUAL = re.compile("[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe"
                           "\uff00-\ufffd\U00010000-\U0010ffff]")
#: Characters that may not start a plain scalar here (YAML's indicators, and space).
_YAML_NOT_FIRST = frozenset("-?:,[]{}#&*!|>'\"%@`<= ~")
#: First characters of plain scalars that YAML may resolve to something else than a string
#: (every one, if it has a resolver for any first character).
_YAML_RESOLVED = (None if None in _YAML.yaml_implicit_resolvers
                  else frozenset(_YAML.yaml_implicit_resolvers))


def _quick_scalar(text: str) -> tuple[Any] | None:
    """A one-line scalar as the YAML library reads it, in a 1-tuple; None when unsure."""
    if text[0] == "'":
        inner = text[1:-1]
        if len(text) < 2 or text[-1] != "'" or "'" in inner.replace("''", ""):
            return None
        return (inner.replace("''", "'"),)
    if text[0] in _YAML_NOT_FIRST or ": " in text or " #" in text or text[-1] in ": ":
        return None
    if _YAML_RESOLVED is not None and text[0] not in _YAML_RESOLVED:
        return (text,)
    tag = _YAML.resolve(yaml.ScalarNode, text, (True, False))
    if tag == _YAML_STR:
        return (text,)
    if tag not in _YAML_QUICK_TAGS:
        return None
    return (_YAML.yaml_constructors[tag](_YAML, yaml.ScalarNode(tag, text)),)


def _quick_value(text: str) -> tuple[Any] | None:
    if text == "[]":
        return ([],)
    if text == "{}":
        return ({},)
    return _quick_scalar(text)


@functools.lru_cache(maxsize=4096)
def _quick_key(text: str) -> str | None:
    # A key is a plain scalar too: ``on`` or ``null`` would not be a string.
    return text if _YAML.resolve(yaml.ScalarNode, text, (True, False)) == _YAML_STR else None


def _quick_entry(key: str, value: str | None) -> tuple[str, tuple[Any] | None] | None:
    """A ``key: value`` line's key and parsed value (None for ``key:`` that opens a block);
    None when either is not in the writer's form."""
    name = _quick_key(key)
    parsed = _quick_value(value) if value is not None else None
    if name is None or (value is not None and parsed is None):
        return None
    return name, parsed


def _quick_load(text: str) -> tuple[dict[str, Any], str] | None:
    """Front matter and body as ``_load`` reads them, for pages in the writer's form; else None."""
    close = text.find("\n---", 3)
    if not text.startswith("---\n") or close < 0 or text[close + 4 : close + 5] not in ("\n", ""):
        return None
    front = text[4:close]
    if _YAML_UNUSUAL.search(front):
        return None
    meta: dict[str, Any] = {}
    # The top-level key whose block is being read, and its mapping or sequence once known;
    # likewise a key of that mapping whose sequence is being read.
    top: str | None = None
    top_value: dict[str, Any] | list[Any] | None = None
    inner: str | None = None
    inner_value: list[Any] | None = None
    for line in front.split("\n"):
        match = _YAML_LINE.fullmatch(line)
        if match is None:
            return None
        key, value, item = match["key"], match["value"], match["item"]
        if not match["indent"]:
            if item is not None:  # an item of the open top-level sequence
                scalar = _quick_scalar(item)
                if top is None or isinstance(top_value, dict) or scalar is None:
                    return None
                if top_value is None:
                    top_value = meta[top] = []
                top_value.append(scalar[0])
                continue
            if (top is not None and top_value is None) or (inner is not None
                                                            and inner_value is None):
                return None  # a key with nothing under it is null: the YAML library's case
            top, top_value, inner, inner_value = None, None, None, None
            entry = _quick_entry(key, value)
            if entry is None:
                return None
            name, parsed = entry
            if parsed is None:
                top = name
            else:
                meta[name] = parsed[0]
            continue
        if top is None or isinstance(top_value, list):
            return None
        if top_value is None:
            top_value = meta[top] = {}
        if item is not None:  # an item of the open sequence in the nested mapping
            scalar = _quick_scalar(item)
            if inner is None or scalar is None:
                return None
            if inner_value is None:
                inner_value = top_value[inner] = []
            inner_value.append(scalar[0])
            continue
        if inner is not None and inner_value is None:
            return None
        inner, inner_value = None, None
        entry = _quick_entry(key, value)
        if entry is None:
            return None
        name, parsed = entry
        if parsed is None:
            inner = name
        else:
            top_value[name] = parsed[0]
    if (top is not None and top_value is None) or (inner is not None and inner_value is None):
        return None
    if not meta:
        return None
    # python-frontmatter's reading of the body: Windows line ends made \n, then stripped.
    return meta, text[close + 4 :].replace("\r\n", "\n").strip()


def _validate(model: type[_Model], meta: dict[str, Any], where: str) -> Any:
    try:
        return model.model_validate(meta)
    except ValidationError as err:
        first = err.errors()[0]
        key = ".".join(str(p) for p in first["loc"]) or "(front matter)"
        msg = "unknown key" if first["type"] == "extra_forbidden" else first["msg"]
        raise DigestError(f"{msg}", where=f"{where}: {key}") from None


def parse_paper(text: str, where: str = "<paper>") -> PaperPage:
    meta, body = _load(text, where)
    paper = _validate(Paper, meta, where)
    return PaperPage(meta=paper, bullets=parse_bullets(body), body=body)


def parse_day(text: str, where: str = "<day>") -> DayPage:
    meta, body = _load(text, where)
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


class _Dumper(yaml.SafeDumper):
    """Block style, schema key order, long lines kept whole (diffs stay one line per field)."""

    def ignore_aliases(self, data: Any) -> bool:
        # A value used twice (the same datetime for published and updated) is written twice,
        # never as a YAML anchor and alias that a person editing the page would not expect.
        return True


# Line breaks of YAML 1.1 (\x85, \u2028, \u2029), of Python's splitlines (\x1c-\x1e) and of
# MkDocs' front-matter regex, and characters YAML may not hold raw. PyYAML writes such strings
# plain or single-quoted across several lines, where libyaml, PyYAML and MkDocs read them back
# differently (or a line '---' ends the front matter early); double quotes escape them all.
_ESCAPE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")


def _str_representer(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = '"' if _ESCAPE.search(value) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _datetime_representer(dumper: yaml.SafeDumper, value: dt.datetime) -> yaml.Node:
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return dumper.represent_scalar("tag:yaml.org,2002:timestamp", value.isoformat() + "Z")


_Dumper.add_representer(str, _str_representer)
_Dumper.add_representer(dt.datetime, _datetime_representer)


def _dump(meta: dict[str, Any], body: str) -> str:
    text = yaml.dump(
        meta, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=2**31, default_flow_style=False
    )
    body = body.strip("\n")
    return f"---\n{text}---\n" + (f"\n{body}\n" if body else "")


def _plain(model: BaseModel) -> dict[str, Any]:
    return model.model_dump(mode="python", exclude_none=True)


def render_paper(paper: Paper, body: str) -> str:
    """The page text for ``paper`` with ``body`` (from :func:`render_body` or as a person left it)."""
    return _dump(_plain(paper), body)


def render_day(day: Day, intro: str = "") -> str:
    return _dump(_plain(day), intro)
