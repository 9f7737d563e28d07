"""Parser for the hand-kept README digest that preceded the site: dated sections of papers."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import ftfy

from ..pages.frontmatter import clean
from ..pages.schema import split_version

# Only the fixes that undo a wrong decoding: quotes, ligatures, widths, HTML entities and
# Unicode normalization are left as the author wrote them.
_FTFY = ftfy.TextFixerConfig(
    unescape_html=False,
    uncurl_quotes=False,
    fix_latin_ligatures=False,
    fix_character_width=False,
    normalization=None,
    explain=False,
)

_HEADING = re.compile(r"^(?P<level>#{1,6})\s+(?P<text>.*?)\s*#*\s*$")
_PAPER = re.compile(r"^\[(?P<title>.+)\]\((?P<url>[^)\s]+)\)\s*(?P<rest>.*)$")
_ARXIV_URL = re.compile(
    r"^https?://(?:www\.|export\.)?arxiv\.org/(?:abs|pdf)/"
    r"(?P<id>\d{4}\.\d{4,5}|[a-z][a-z.-]*(?:\.[A-Z]{2})?/\d{7})"
    r"(?:v(?P<version>[1-9]\d*))?(?:\.pdf)?/?(?:[?#]\S*)?$"
)
_DETAILS_OPEN = re.compile(r"<details>\s*(?:<summary>.*?</summary>)?\s*(?:<p>)?", re.IGNORECASE)
_DETAILS_CLOSE = re.compile(r"\s*(?:</p>)?\s*</details>\s*$", re.IGNORECASE)
# Markup of the block itself, however the author spread it over lines.
_BLOCK_TAGS = re.compile(r"</?p>|<summary>.*?</summary>|^<details>", re.IGNORECASE)
_BULLET = re.compile(r"^[*+-]\s+(?P<text>.*)$")
# A bold lead-in, ``**Name**: text`` or ``**Name:** text``: the site shows bullets as plain text.
_LEAD_IN = re.compile(r"^(\*\*|__)(?P<name>[^*_:]+?)(?::\1|\1:)")
_NO_PAPERS = re.compile(r"^no new papers( on arxiv)?[.!]?$", re.IGNORECASE)
# GitHub's inline math delimiters $`x`$; the site's math syntax is $x$.
_GITHUB_MATH = re.compile(r"\$`(?P<tex>[^`]+)`\$")
_DATE_FORMATS = ("%B %d, %Y", "%b %d, %Y", "%B %d %Y", "%b %d %Y", "%Y-%m-%d")


@dataclass
class LegacyPaper:
    """One linked paper under a dated section."""

    arxiv_id: str
    """Bare id from the link."""
    version: int | None
    """Version from the link, if it had one."""
    title: str
    """Title with GitHub math turned into ``$x$`` and mojibake repaired."""
    bullets: list[str]
    """Summary bullets of its ``<details>`` block (empty when it had none)."""
    line: int
    """Line number of the link in the README."""


@dataclass
class LegacyDay:
    """One ``## Month D, YYYY`` section."""

    date: dt.date
    line: int
    papers: list[LegacyPaper] = field(default_factory=list)
    """Papers in README order, each id once."""
    no_papers_notice: bool = False
    """The section says "No new papers on arXiv"."""


@dataclass
class LegacyReadme:
    """What the parser understood, and what it did not."""

    days: list[LegacyDay] = field(default_factory=list)
    """Sections in README order, each date once."""
    skipped: list[str] = field(default_factory=list)
    """``line N: reason: text`` for every line left out."""
    warnings: list[str] = field(default_factory=list)
    """Things kept but worth a look (a repeated date, an unclosed summary)."""
    repaired: int = 0
    """Titles and bullets whose mojibake was repaired."""


def parse_readme(text: str) -> LegacyReadme:
    """Parse the old README; never raises on content, every unknown line lands in ``skipped``."""
    return _Parser().run(text)


def repair_text(text: str) -> str:
    """Undo UTF-8 read as Latin-1/cp1252; text that is already right comes back unchanged."""
    fixed = ftfy.fix_text(text, _FTFY)
    if fixed != text:
        return fixed
    # ftfy's heuristic lets short sequences pass (``â„“`` alone reads as plausible text);
    # a whole string that re-encodes to strictly valid UTF-8 was mojibake all the same.
    # ftfy's sloppy codec is the one that maps every byte, like the editor that caused it.
    try:
        candidate = text.encode("sloppy-windows-1252").decode("utf-8")
    except UnicodeError:
        return text
    return candidate if candidate != text else text


def convert_math(text: str) -> str:
    """GitHub's ``$`x`$`` becomes ``$x$``; other text is unchanged."""
    return _GITHUB_MATH.sub(lambda m: f"${m['tex'].strip()}$", text)


def parse_date(text: str) -> dt.date | None:
    cleaned = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", " ".join(text.replace("Sept ", "Sep ").split()))
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(cleaned, fmt).date()
        except ValueError:
            continue
    return None


class _Parser:
    def __init__(self) -> None:
        self.out = LegacyReadme()
        self.by_date: dict[dt.date, LegacyDay] = {}
        self.day: LegacyDay | None = None
        self.paper: LegacyPaper | None = None
        # The paper whose <details> block is open; bullets go to it.
        self.open: LegacyPaper | None = None
        self.seen_heading = False

    def run(self, text: str) -> LegacyReadme:
        for number, raw in enumerate(text.splitlines(), start=1):
            self._line(number, raw.strip())
        if self.open is not None:
            self._unclosed(self.open, "end of file")
        return self.out

    def _line(self, number: int, line: str) -> None:
        if not line:
            return
        if self.open is not None and self._in_details(number, line):
            return
        heading = _HEADING.match(line)
        if heading:
            self._heading(number, heading["text"], len(heading["level"]))
        elif self.day is None and not self.seen_heading:
            return  # the title block: badges, introduction, table of contents
        elif _PAPER.match(line):
            self._paper_line(number, line)
        elif _DETAILS_OPEN.fullmatch(line) and self.paper is not None and not self.paper.bullets:
            self.open = self.paper
        elif _NO_PAPERS.match(_strip_markup(line)) and self.day is not None:
            self.day.no_papers_notice = True
        elif self.day is None:
            self._skip(number, "no dated section above", line)
        else:
            self._skip(number, "not understood", line)

    def _in_details(self, number: int, line: str) -> bool:
        """Handle a line inside an open ``<details>``; False hands it back to the main parser."""
        assert self.open is not None
        closing = _DETAILS_CLOSE.search(line)
        content = line[: closing.start()].strip() if closing else line
        content = _BLOCK_TAGS.sub("", content).strip()
        if content:
            bullet = _BULLET.match(content)
            if bullet:
                self._add_bullet(bullet["text"])
            elif _HEADING.match(content) or _PAPER.match(content):
                self._unclosed(self.open, f"line {number}")
                return False
            elif self.open.bullets:
                # A bullet wrapped onto the next line.
                wrapped = self._text(convert_math(content))
                self.open.bullets[-1] = f"{self.open.bullets[-1]} {wrapped}"
            else:
                self._skip(number, "not a bullet", line)
        if closing:
            self.open = None
        return True

    def _heading(self, number: int, text: str, level: int) -> None:
        self.paper = None
        date = parse_date(_strip_markup(text))
        if date is None:
            if self.day is not None:
                self._skip(number, "heading is not a date", f"{'#' * level} {text}")
            self.day = None
            return
        self.seen_heading = True
        if date in self.by_date:
            self.day = self.by_date[date]
            self.out.warnings.append(
                f"line {number}: {date} appears again (first at line {self.day.line}); merged"
            )
            return
        self.day = self.by_date[date] = LegacyDay(date=date, line=number)
        self.out.days.append(self.day)

    def _paper_line(self, number: int, line: str) -> None:
        match = _PAPER.match(line)
        assert match is not None
        if self.day is None:
            self._skip(number, "no dated section above", line)
            return
        url = _ARXIV_URL.match(match["url"])
        if url is None:
            self._skip(number, "not an arXiv link", line)
            return
        arxiv_id, version = split_version(url["id"])
        version = int(url["version"]) if url["version"] else version
        title = self._text(convert_math(" ".join(match["title"].split())))
        if not title.strip("$ "):
            title = f"arXiv:{arxiv_id}"
            self.out.warnings.append(f"line {number}: link without a title; titled {title}")
        paper = LegacyPaper(arxiv_id, version, title, [], number)
        rest = match["rest"]
        known = next((p for p in self.day.papers if p.arxiv_id == arxiv_id), None)
        if known is None:
            self.day.papers.append(paper)
        else:
            self.out.warnings.append(
                f"line {number}: {arxiv_id} listed again on {self.day.date} "
                f"(first at line {known.line}); kept once"
            )
            # The first summary wins; a later one is read (and dropped) only if the first had none.
            if not known.bullets:
                paper = known
        self.paper = paper
        self.open = None
        opening = _DETAILS_OPEN.search(rest)
        if opening:
            self.open = paper
            tail = rest[opening.end() :].strip()
            if tail:
                self._in_details(number, tail)
        elif rest:
            self._skip(number, "text after the link ignored", rest)

    def _add_bullet(self, text: str) -> None:
        assert self.open is not None
        text = " ".join(text.split())
        text = _LEAD_IN.sub(lambda m: f"{m['name'].strip()}:", text)
        text = self._text(convert_math(text))
        if text:
            self.open.bullets.append(text)

    def _text(self, text: str) -> str:
        # Repaired first: a control byte may be part of the mojibake of one character.
        fixed = clean(repair_text(text))
        if fixed != text:
            self.out.repaired += 1
        return fixed

    def _unclosed(self, paper: LegacyPaper, where: str) -> None:
        self.out.warnings.append(
            f"line {paper.line}: summary of {paper.arxiv_id} not closed before {where}; "
            f"kept {len(paper.bullets)} bullet(s)"
        )
        self.open = None

    def _skip(self, number: int, reason: str, line: str) -> None:
        shown = line if len(line) <= 80 else line[:77] + "..."
        self.out.skipped.append(f"line {number}: {reason}, skipped: {shown}")


def _strip_markup(text: str) -> str:
    return re.sub(r"[*_]", "", re.sub(r"<[^>]+>", "", text)).strip()
