"""Property tests: any text arXiv, an LLM or a reader produces survives the page schema exactly."""

from __future__ import annotations

import datetime as dt

import frontmatter
import pytest
import yaml
from arxiv_digest.pages import schema
from arxiv_digest.pages.frontmatter import FORBIDDEN, clean
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from mkdocs.utils.meta import get_data

# Explicit budgets, so the suite's run time and the reported example counts are fixed.
EXAMPLES = 200
_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    # No "explain" phase: it reruns a failure thousands of times (minutes) to annotate it.
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],
)

# Inputs that broke front-matter writers somewhere: YAML syntax, line breaks YAML knows and
# Python does not (and the other way round), invisible marks, bidi text, numbers-that-are-strings.
TRICKY = [
    "---", "...", "a\n---\nb", "a\n...\nb", "--- x", "key: value", "a: b: c", "- item", "? q",
    "#", "# not a comment", "a #b", "'", '"', "'\"'", "\\", "\\n", "{a: 1}", "[1, 2]", "&anchor",
    "*alias", "!tag", "%YAML 1.1", "@at", "`tick`", "|", ">", "\t", "a\tb", "\ttab first",
    "\x00", "x\x00y", "\x07\x08\x1b", "\x7f", "\x85", "x\x85y", "\u2028", "x\u2028y", "\u2029",
    "\ufeff", "\ufeffBOM", "\r", "a\rb", "a\r\nb", "\x0b\x0c", "\x1c\x1d\x1e\x1f", "\u200b",
    "\u200f\u202e", "עברית وعربي", "emoji 🤖🧠 \U0001f600", "\u3000", "\xa0", " lead", "trail ",
    "  ", "\n", "\n\n", "null", "Null", "~", "true", "yes", "no", "on", "off", "y", "n", "1",
    "-1", "0x1F", "0o17", "1e3", "1_000", ".inf", ".nan", "3.14", "2306.12929", "2024-01-01",
    "2024-01-01T00:00:00Z", "12:30:00", "<script>alert(1)</script>", "{{ x }}", "{% raw %}",
    "[link](javascript:alert(1))", "$O(n^2)$", "=", "<<",
]

_chars = st.characters(exclude_categories=("Cs",))  # lone surrogates cannot be UTF-8 encoded
# Text as it enters a page: what the boundary leaves of it (no character XML forbids).
_piece = st.one_of(st.sampled_from(TRICKY), st.text(_chars, max_size=30)).map(clean)
# Tricky pieces glued to random text, so the nasty part lands at the start, middle or end.
_text = st.lists(_piece, max_size=6).map("".join)
# Very long text (an abstract of a few thousand words), built by repeating a random piece.
_long = st.builds(lambda s, n: ((s or "x") * n)[:6000], _text, st.integers(50, 600))
text = st.one_of(_text, _text, _text, _long)
nonempty = text.filter(lambda s: len(s) > 0)

_offsets = st.sampled_from(
    [dt.UTC, dt.timezone(dt.timedelta(hours=-5)), dt.timezone(dt.timedelta(hours=5, minutes=30))]
)
_moment = st.datetimes(
    min_value=dt.datetime(1970, 1, 1), max_value=dt.datetime(2200, 1, 1), timezones=_offsets
)
_naive = st.datetimes(min_value=dt.datetime(1970, 1, 1), max_value=dt.datetime(2200, 1, 1))
moment = st.one_of(st.none(), _moment, _naive)
arxiv_id = st.one_of(
    st.from_regex(r"\A\d{4}\.\d{4,5}\Z"), st.from_regex(r"\A[a-z][a-z.-]{0,8}(\.[A-Z]{2})?/\d{7}\Z")
)

summary_info = st.builds(
    schema.SummaryInfo,
    by=nonempty,
    at=moment,
    sha256=st.one_of(st.none(), st.from_regex(r"\A[0-9a-f]{64}\Z")),
)
relevance = st.builds(
    schema.Relevance,
    score=st.floats(allow_nan=False),
    matched=st.lists(text, max_size=4),
)
category = st.from_regex(r"\A[a-z][a-z-]{0,8}(\.[A-Za-z][A-Za-z-]{0,6})?\Z")
# Topics start with a digit here, so that none shares a tag with a category.
topic = st.from_regex(r"\A[0-9][a-z0-9-]{0,12}\Z")


def _distinct(tags: list[str]) -> list[str]:
    return list({schema.tag_key(t): t for t in reversed(tags)}.values())[::-1]


papers = st.builds(
    schema.Paper,
    title=nonempty.map(lambda t: t[: schema.MAX_TITLE]),
    arxiv_id=arxiv_id,
    version=st.one_of(st.none(), st.integers(1, 10**6)),
    authors=st.lists(text, max_size=6),
    categories=st.lists(category, max_size=4).map(_distinct),
    announced=st.dates(),
    published=moment,
    updated=moment,
    comment=st.one_of(st.none(), text),
    topics=st.lists(topic, max_size=4).map(_distinct),
    relevance=st.one_of(st.none(), relevance),
    abstract=st.one_of(st.none(), text),
    summary=summary_info,
)
days = st.builds(
    schema.Day,
    date=st.dates(),
    status=st.sampled_from(["announced", "no-announcement"]),
    papers=st.lists(arxiv_id, max_size=8),
    listed=st.dictionaries(text, st.integers(0, 10**9), max_size=6),
    backfilled=st.booleans(),
    incomplete=st.booleans(),
)
bullets = st.lists(text, min_size=1, max_size=5)


def _fold(bullet: str) -> str:
    return " ".join(bullet.split())


def _loaders_agree(page: str) -> dict:
    """The front matter as every reader of the site sees it: ours, PyYAML's C loader, MkDocs."""
    ours = dict(frontmatter.loads(page).metadata)
    raw = page[len("---\n") : page.index("\n---\n") + 1]
    if yaml.__with_libyaml__:
        assert yaml.load(raw, Loader=yaml.CSafeLoader) == ours
    assert yaml.load(raw, Loader=yaml.SafeLoader) == ours
    # MkDocs cuts front matter at the first line that is '---' or '...': it must see the same.
    assert get_data(page)[1] == ours
    return ours


@_SETTINGS
@given(paper=papers, summary=bullets)
@example(
    paper=schema.Paper(
        title="x\u2029y", arxiv_id="2306.12929", announced=dt.date(2024, 1, 2), summary={"by": "m"}
    ),
    summary=["a"],
)
@example(
    paper=schema.Paper(
        title="x\u2028y\n---\nz", arxiv_id="cs/0601001", announced=dt.date(2024, 1, 2),
        published=dt.datetime(2024, 1, 1, 12, 0), summary={"by": "m"},
    ),
    summary=["a", "   "],
)
@example(
    paper=schema.Paper(
        title="---", arxiv_id="0000.0000", announced=dt.date(2000, 1, 1),
        summary={"by": "\\\u3000"},
    ),
    summary=[""],
)
def test_paper_front_matter_round_trips_exactly(paper: schema.Paper, summary: list[str]) -> None:
    page = schema.render_paper(paper, schema.render_body(summary))
    parsed = schema.parse_paper(page, "papers/x.md")
    assert parsed.meta == paper
    # Rendering what was read gives the same bytes: a rerun never rewrites a page.
    assert schema.render_paper(parsed.meta, parsed.body) == page
    _loaders_agree(page)


@_SETTINGS
@given(day=days, intro=text)
def test_day_front_matter_round_trips_exactly(day: schema.Day, intro: str) -> None:
    page = schema.render_day(day, intro)
    parsed = schema.parse_day(page, "days/x.md")
    assert parsed.meta == day
    # The intro is a person's Markdown: kept, with surrounding blank space trimmed and CRLF read
    # as LF (as every file is read in text mode).
    kept = intro.replace("\r\n", "\n").strip()
    assert parsed.intro == kept
    assert schema.render_day(parsed.meta, parsed.intro) == schema.render_day(day, kept)
    _loaders_agree(page)


@_SETTINGS
@given(summary=bullets)
@example(summary=["a", ""])
@example(summary=["- nested", "* star", "+ plus", "# heading", "## Summary"])
def test_bullets_round_trip_with_whitespace_folded(summary: list[str]) -> None:
    """Bullets come back as written, up to whitespace folding; blank bullets are not bullets."""
    expected = [_fold(b) for b in summary if _fold(b)]
    assert schema.parse_bullets(schema.render_body(summary)) == expected


@_SETTINGS
@given(paper=papers, summary=bullets, edit=text)
def test_generated_summary_is_not_mistaken_for_an_edit(
    paper: schema.Paper, summary: list[str], edit: str
) -> None:
    """A page as the fetch wrote it is the fetch's; any change of wording makes it the reader's."""
    info = schema.SummaryInfo(by="some-model", sha256=schema.summary_sha256(summary))
    ours = paper.model_copy(update={"summary": info})
    page = schema.render_paper(ours, schema.render_body(summary))
    assert not schema.parse_paper(page).reader_owned
    edited = [*summary[:-1], summary[-1] + " " + edit]
    if _fold(edited[-1]) != _fold(summary[-1]):
        page = schema.render_paper(
            paper.model_copy(update={"summary": info}), schema.render_body(edited)
        )
        assert schema.parse_paper(page).reader_owned


def test_page_saved_with_a_byte_order_mark_is_read() -> None:
    # Some editors save UTF-8 with a BOM; MkDocs accepts such a page, so must the schema.
    paper = schema.Paper(
        title="T", arxiv_id="2306.12929", announced=dt.date(2024, 1, 2), summary={"by": "human"}
    )
    page = "\ufeff" + schema.render_paper(paper, schema.render_body(["a"]))
    assert schema.parse_paper(page).meta == paper


@_SETTINGS
@given(before=text, bad=st.sampled_from(["\x00", "\x08", "\x1b", "\x85", "\ufffe", "\uffff",
                                         "\ud800"]), after=text)
def test_characters_xml_forbids_never_enter_a_page(before: str, bad: str, after: str) -> None:
    """A string holding one is refused by the schema, and ``clean`` leaves none."""
    value = before[:400] + bad + after[:400]
    assert FORBIDDEN.search(clean(value)) is None
    # pydantic refuses a lone surrogate itself, before the schema's own check.
    refused = "unicode string" if bad == "\ud800" else f"U\\+{ord(bad):04X}"
    with pytest.raises(ValueError, match=refused):
        schema.Paper(title=value, arxiv_id="2306.12929", announced=dt.date(2024, 1, 2),
                     summary={"by": "m"})
