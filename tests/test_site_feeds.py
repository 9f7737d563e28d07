"""The site's and the tags' feeds, built by real `mkdocs build --strict`: JSON Feed 1.1 checked
against a schema of the spec's required shape, Atom read by feedparser."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import feedparser
import jsonschema
import pytest
from arxiv_digest.pages import schema

from tests.site_support import (
    HOSTILE_CATEGORY,
    HOSTILE_ID,
    SITE_URL,
    build_site,
    make_docs,
    sample_paper,
    write_day,
    write_paper,
    write_sample_pages,
)

pytestmark = pytest.mark.slow

#: RFC 3339 date-time (jsonschema checks the ``date-time`` format only with an extra package).
RFC3339 = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$"

#: What https://www.jsonfeed.org/version/1.1/ requires of a feed, and what this site promises
#: on top (an id, both links, HTML content, a date and named authors on every item).
JSON_FEED_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["version", "title", "items"],
    "properties": {
        "version": {"const": "https://jsonfeed.org/version/1.1"},
        "title": {"type": "string", "minLength": 1},
        "home_page_url": {"type": "string", "pattern": "^https?://"},
        "feed_url": {"type": "string", "pattern": "^https?://"},
        "language": {"type": "string"},
        "items": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "url", "external_url", "title", "content_html",
                             "date_published", "authors"],
                "anyOf": [{"required": ["content_html"]}, {"required": ["content_text"]}],
                "properties": {
                    "id": {"type": "string", "minLength": 1},
                    "url": {"type": "string", "pattern": "^https?://"},
                    "external_url": {"type": "string", "pattern": "^https://arxiv\\.org/abs/"},
                    "title": {"type": "string"},
                    "content_html": {"type": "string"},
                    "content_text": {"type": "string"},
                    "summary": {"type": "string"},
                    "date_published": {"type": "string", "pattern": RFC3339},
                    "date_modified": {"type": "string", "pattern": RFC3339},
                    "authors": {
                        "type": "array",
                        "minItems": 1,
                        "items": {"type": "object", "required": ["name"],
                                  "properties": {"name": {"type": "string", "minLength": 1}}},
                    },
                    "tags": {"type": "array", "items": {"type": "string"}},
                },
            },
        },
    },
}

#: Days before the sample's Monday (2026-04-27), one paper each: with the sample's two days,
#: more announcement days than a feed holds.
OLDER_DAYS = [dt.date(2026, 4, d) for d in (13, 14, 15, 16, 17, 20, 21, 22, 23, 24)]
#: The only paper of a category no recent paper has: its feeds are empty.
LONE_CATEGORY = "cs.NE"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("feeds")
    docs = make_docs(root / "docs")
    write_sample_pages(docs)
    for n, date in enumerate(OLDER_DAYS):
        arxiv_id = f"2604.{n + 100:05d}"
        categories = ["cs.LG", LONE_CATEGORY] if n == 0 else ["cs.LG"]
        write_paper(docs, sample_paper(arxiv_id, announced=date, categories=categories))
        write_day(docs, schema.Day(date=date, status="announced", papers=[arxiv_id]))
    build_site(docs, root / "site")
    return docs, root / "site"


def _feeds(site: Path, ext: str) -> list[Path]:
    return [site / f"feed{ext}", *sorted((site / "feeds").glob(f"*{ext}"))]


def _json(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text("utf-8"))


def _ids(path: Path) -> list[str]:
    return [item["id"] for item in _json(path)["items"]]


def _abs(arxiv_id: str) -> str:
    return f"https://arxiv.org/abs/{arxiv_id}"


#: The papers of the last seven announcement days, newest day first (the sample's Tuesday and
#: Monday, then the five newest older days; the Saturday had no announcement).
RECENT = ["2604.00003", "cs/0601001", HOSTILE_ID, "2604.00002",
          "2604.00109", "2604.00108", "2604.00107", "2604.00106", "2604.00105"]


def test_every_tag_has_both_feeds(built: tuple[Path, Path]) -> None:
    _, site = built
    tags = {p.parent.name for p in (site / "tags").glob("*/index.html")}
    assert {p.stem for p in _feeds(site, ".xml")[1:]} == tags
    assert {p.stem for p in _feeds(site, ".json")[1:]} == tags
    assert {"cs-lg", "cs-ai", "stat-ml", "cs-ne", "quantization", "distillation"} <= tags


def test_json_feeds_follow_json_feed_1_1(built: tuple[Path, Path]) -> None:
    _, site = built
    validator = jsonschema.Draft202012Validator(JSON_FEED_SCHEMA)
    validator.check_schema(JSON_FEED_SCHEMA)
    for path in _feeds(site, ".json"):
        errors = [e.message for e in validator.iter_errors(_json(path))]
        assert errors == [], path
    # The schema itself refuses what the spec refuses.
    bad = {"version": "https://jsonfeed.org/version/1.1", "title": "x",
           "items": [{"id": "x", "url": "https://x", "external_url": _abs("1"), "title": "t",
                      "content_html": "", "date_published": "2026-04-27",
                      "authors": ["Ada"]}]}
    assert len(list(validator.iter_errors(bad))) == 2


def test_atom_feeds_parse_with_ids_links_and_html_summaries(built: tuple[Path, Path]) -> None:
    _, site = built
    for path in _feeds(site, ".xml"):
        atom = feedparser.parse(path.read_bytes())
        assert atom.bozo == 0 and atom.version == "atom10", path
        assert atom.feed.id.startswith("tag:arxiv-digest,2026:")
        for entry in atom.entries:
            arxiv_id = entry.id.removeprefix("https://arxiv.org/abs/")
            assert entry.id != arxiv_id
            links = {link.rel: link.href for link in entry.links}
            assert links == {
                "alternate": f"{SITE_URL}papers/{schema.paper_slug(arxiv_id)}/",
                "related": f"https://arxiv.org/abs/{arxiv_id}"
                           + ("v1" if arxiv_id != "cs/0601001" else ""),
            }
            assert entry.summary_detail.type == "text/html"
            assert entry.summary.startswith("<ul><li>") and entry.summary.endswith("</li></ul>")


def test_the_site_feed_holds_the_last_seven_announcement_days(built: tuple[Path, Path]) -> None:
    _, site = built
    assert _ids(site / "feed.json") == [_abs(i) for i in RECENT]
    atom = feedparser.parse((site / "feed.xml").read_bytes())
    assert [e.id for e in atom.entries] == [_abs(i) for i in RECENT]
    # Updated when the newest entry was: the same feed from every build of the same pages.
    assert atom.feed.updated == "2026-04-28T00:00:00+00:00"


def test_a_tag_feed_holds_the_tags_papers_of_those_days(built: tuple[Path, Path]) -> None:
    _, site = built
    cs_lg = [i for i in RECENT if i != "cs/0601001"]  # the legacy paper has no categories
    assert _ids(site / "feeds/cs-lg.json") == [_abs(i) for i in cs_lg]
    assert _ids(site / "feeds/distillation.json") == [_abs("2604.00003")]
    feed = _json(site / "feeds/cs-lg.json")
    assert feed["home_page_url"] == f"{SITE_URL}tags/cs-lg/"
    assert feed["feed_url"] == f"{SITE_URL}feeds/cs-lg.json"
    # A tag with no paper in those days: an empty feed, dated by the tag's newest paper.
    assert _ids(site / "feeds/cs-ne.json") == []
    lone = feedparser.parse((site / "feeds/cs-ne.xml").read_bytes())
    assert lone.bozo == 0 and lone.entries == []
    assert lone.feed.updated == "2026-04-13T00:00:00+00:00"


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.alternates: list[dict[str, str | None]] = []
        self.hrefs: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "link" and found.get("rel") == "alternate":
            self.alternates.append(found)
        if tag == "a" and found.get("href"):
            self.hrefs.append(found["href"] or "")
        self.scripts += tag == "script"


def _parsed(html: str) -> _Links:
    parser = _Links()
    parser.feed(html)
    return parser


def test_tag_pages_link_their_feeds_and_the_tags_page_lists_them(
        built: tuple[Path, Path]) -> None:
    _, site = built
    page = _parsed((site / "tags/cs-lg/index.html").read_text("utf-8"))
    assert [(a["type"], a["href"]) for a in page.alternates] == [
        ("application/atom+xml", "../../feed.xml"),
        ("application/feed+json", "../../feed.json"),
        ("application/atom+xml", "../../feeds/cs-lg.xml"),
        ("application/feed+json", "../../feeds/cs-lg.json"),
    ]
    assert page.alternates[2]["title"] == "cs.LG — Machine Learning (Atom)"
    tags_page = _parsed((site / "tags/index.html").read_text("utf-8"))
    feed_links = [h for h in tags_page.hrefs if h.endswith((".xml", ".json"))]
    expected = [f.relative_to(site).as_posix()
                for f in [*_feeds(site, ".xml"), *_feeds(site, ".json")]]
    assert sorted(h.removeprefix("../") for h in feed_links) == sorted(expected)


def test_hostile_text_stays_text_in_every_feed(built: tuple[Path, Path]) -> None:
    _, site = built
    slug = next(p.stem for p in (site / "feeds").glob("*.json") if "pwned" in p.stem)
    atom = feedparser.parse((site / f"feeds/{slug}.xml").read_bytes())
    assert atom.bozo == 0 and atom.feed.title == f"arXiv digest: {HOSTILE_CATEGORY}"
    [entry] = atom.entries
    assert entry.id == _abs(HOSTILE_ID)
    assert entry.title.startswith("Attack <script>window.__pwned=1</script>")
    assert entry.authors[0].name == "Eve <img src=x onerror=window.__pwned=2>"
    # The summary is HTML whose text shows the script: no element of it runs.
    assert "<script>window.__pwned=4</script>" in html.unescape(entry.summary)
    assert "&lt;script&gt;" in entry.summary
    assert _parsed(entry.summary).scripts == 0
    [item] = _json(site / f"feeds/{slug}.json")["items"]
    assert _parsed(item["content_html"]).scripts == 0
    assert "&lt;script&gt;" in item["content_html"]
    assert HOSTILE_CATEGORY in item["tags"]
    page = (site / f"tags/{slug}/index.html").read_text("utf-8")
    # The tag's name is an attribute's text in the head, escaped.
    titles = [a["title"] for a in _parsed(page).alternates[2:]]
    assert titles == [f"{HOSTILE_CATEGORY} (Atom)", f"{HOSTILE_CATEGORY} (JSON Feed)"]
    assert re.search(r'title="&lt;/title&gt;&lt;script&gt;window.__pwned=5', page)


def test_ids_survive_a_change_of_site_address(built: tuple[Path, Path], tmp_path: Path) -> None:
    docs, site = built
    moved = tmp_path / "moved"
    build_site(docs, moved, env={"SITE_URL": "https://elsewhere.example.net/digest/"})
    for name in ("feed", "feeds/cs-lg"):
        before, after = (feedparser.parse((s / f"{name}.xml").read_bytes()) for s in (site, moved))
        assert after.feed.id == before.feed.id
        assert [e.id for e in after.entries] == [e.id for e in before.entries]
        assert all(e.link.startswith("https://elsewhere.example.net/digest/")
                   for e in after.entries)
        assert _ids(moved / f"{name}.json") == _ids(site / f"{name}.json")
