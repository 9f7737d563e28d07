"""The search box merges only the shards that may hold a query (the word directory beside
them): a word of the oldest shard costs that shard alone, the box finds what merging every
shard finds, and the directory stays exact through incremental builds."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
from arxiv_digest.pages import schema
from arxiv_digest.site import words
from arxiv_digest.site.search import PRIMARY

from tests import site_support as support

if str(support.ROOT / "scripts") not in sys.path:
    sys.path.append(str(support.ROOT / "scripts"))
import bench_site  # noqa: E402
from synthetic_docs import generate_docs  # noqa: E402

pytestmark = pytest.mark.slow

#: 150 synthetic papers over New Year (shards 2025-12 and 2026-01), and an old day in 2025-06.
LAST_DAY = dt.date(2026, 1, 6)
OLD_DAY = dt.date(2025, 6, 2)
#: Papers of the old day: words that only they hold, inflections, diacritics, ids announced
#: announced months after their month (the last one six months later).
OLD_PAPERS = {
    "2506.00001": ["Measures the happiness of quantized generalizations.",
                   "Possibly the skies are dying.", "Agreed hopping transformers."],
    "2506.00002": ["A LoRA-style adapter.", "Oldshardword appears only here.",
                   "Keeps accuracy within one point."],
    "2503.09999": ["Announced three months after its month.", "Latecomer results.",
                   "Runs fast."],
    "2412.09999": ["Announced six months after its month.", "Straggler results.",
                   "Runs fast."],
}
#: Inflections that Pagefind's stemmer merges, prefixes, several words, short words.
QUERIES = ["happy", "happiness", "happily", "quantize", "quantized", "quantization",
           "quantizing", "quanti", "general", "generalization", "generalizations", "possible",
           "possibly", "die", "dying", "agree", "agreed", "hop", "hopping", "sky", "skies",
           "nunez", "Núñez", "muller", "transformer", "transformers", "efficient", "efficiency",
           "lowrank", "low-rank", "rank", "lora", "LoRA-style", "happy zzzz",
           "oldshardword kakakalox", "december", "ai", "x", "2412.09999", "nothingsuchword",
           # Typos: no shard has a word extending them (Pagefind then matches a word they extend).
           "kakakaloxx", "oldshardwordz", "quantizatoin",
           # The primary bundle's placeholder record holds "0": its hit is never shown.
           "0"]


def _write_docs(docs: Path) -> None:
    # No middle initials: in a shard without a word extending the query, Pagefind falls back on
    # a word the query extends, such as an initial "h" for "happy"; the box skips such shards.
    generate_docs(docs, 150, last_day=LAST_DAY, initials=False)
    path = docs / "papers" / "2512.00002.md"  # a word whose inflection the old day holds
    path.write_text(path.read_text("utf-8").replace("\n- ", "\n- Happy ", 1), "utf-8")
    for arxiv_id, bullets in OLD_PAPERS.items():
        authors = ["Jürgen Müller", "Ana Núñez"] if arxiv_id == "2506.00002" else None
        fields: dict[str, Any] = {"announced": OLD_DAY, "topics": ["pruning"]}
        if authors:
            fields["authors"] = authors
        support.write_paper(docs, support.sample_paper(arxiv_id, **fields), bullets)
    support.write_day(docs, schema.Day(date=OLD_DAY, status="announced",
                                       papers=list(OLD_PAPERS), listed={"cs.LG": 300}))


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    docs = support.make_docs(tmp_path_factory.mktemp("directory") / "docs")
    _write_docs(docs)
    return docs


@pytest.fixture(scope="module")
def site(source: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("www") / "arxiv-digest"  # below a sub-path
    support.build_site(source, site)
    return site


def _directory(site: Path) -> dict[str, set[str]]:
    """The directory of a built site, read back: word → shards."""
    listing = json.loads((site / "pagefind" / "shards.json").read_text())["words"]
    masks = words.decode(site / "pagefind" / words.FOLDER, listing["prefixes"].split())
    return {word: {name for i, name in enumerate(listing["shards"]) if mask >> i & 1}
            for word, mask in masks.items()}


def test_the_directory_lists_each_word_with_the_shards_holding_it(site: Path) -> None:
    listed = json.loads((site / "pagefind" / "shards.json").read_text())
    assert listed["shards"] == ["2026-01", "2025-12", "2025-06"]
    assert listed["words"]["shards"] == ["2025-06", "2025-12", "2026-01"]
    directory = _directory(site)
    assert directory["oldshardword"] == {"2025-06"}
    assert directory["happiness"] == {"2025-06"} and directory["happy"] == {"2025-12"}
    assert directory["nunez"] == {"2025-06"}
    assert directory["quantization"] >= {"2025-12", "2026-01"}
    assert directory["241209999"] == {"2025-06"}  # an id, as Pagefind reads it


_ALL_SHARDS = """async ([base, queries]) => {
  const listing = await (await fetch(base + 'pagefind/shards.json')).json();
  const pf = await import(base + 'pagefind/base/pagefind.js');
  await pf.options({excerptLength: 30});
  await pf.init();
  for (const name of listing.shards) {
    await pf.mergeIndex(new URL(`pagefind/${name}/`, base).pathname, {excerptLength: 30});
  }
  const out = {};
  for (const query of queries) {
    const results = (await pf.search(query)).results;
    if (results.some((r) => r.id === listing.placeholder)) out.placeholder = query;
    const hits = results.filter((r) => r.id !== listing.placeholder);
    out[query] = (await Promise.all(hits.map((r) => r.data()))).map((d) => d.url);
  }
  return out;
}"""


@pytest.mark.browser
def test_the_box_finds_what_merging_every_shard_finds(site: Path, browser: Any) -> None:
    with support.serve_site(site.parent) as base:
        url = f"{base}arxiv-digest/"
        reference = browser.new_page()
        reference.goto(url)
        wanted = reference.evaluate(_ALL_SHARDS, [url, QUERIES])
        page = browser.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(url)
        page.locator("input.md-search__input").click()
        for query in QUERIES:
            count, shown = support.box_search(page, query)
            assert count == len(wanted[query]), (query, count, len(wanted[query]))
            assert set(shown) <= set(wanted[query]), query
            assert len(shown) == min(count, 10), query
            assert all(href.startswith("/arxiv-digest/papers/") for href in shown), query
        assert wanted["placeholder"] == "0"  # Pagefind finds it: the box leaves it out
        # The inflections reach across shards: "happy" finds the old day's "happiness".
        assert "/arxiv-digest/papers/2506.00001/" in wanted["happy"]
        assert "/arxiv-digest/papers/2512.00002/" in wanted["happiness"]
        assert len(wanted["quantized"]) > 1 and not wanted["nothingsuchword"]
        assert not errors, errors


#: English Snowball stems (words of the algorithm's sample vocabulary and of this site).
STEMS = {
    "consign": "consign", "consigned": "consign", "consignment": "consign",
    "consistency": "consist", "consistently": "consist", "consolation": "consol",
    "consolatory": "consolatori", "consolidating": "consolid", "consolingly": "consol",
    "conspicuously": "conspicu", "conspiracy": "conspiraci", "constable": "constabl",
    "constancy": "constanc", "knackeries": "knackeri", "kneaded": "knead", "kneeling": "kneel",
    "knees": "knee", "knightly": "knight", "knitting": "knit", "knives": "knive",
    "happy": "happi", "happiness": "happi", "happily": "happili", "quantization": "quantiz",
    "quantized": "quantiz", "efficiency": "effici", "efficient": "effici",
    "transformers": "transform", "generalizations": "general", "generous": "generous",
    "hopping": "hop", "hoping": "hope", "skies": "sky", "dying": "die", "agreed": "agre",
    "cries": "cri", "ties": "tie", "gas": "gas", "gaps": "gap", "bleed": "bleed",
    "relational": "relat", "possibly": "possibl", "analogy": "analog", "quickly": "quick",
}


@pytest.mark.browser
def test_the_box_stems_words_as_pagefind_does(site: Path, browser: Any) -> None:
    with support.serve_site(site.parent) as base:
        page = browser.new_page()
        page.goto(f"{base}arxiv-digest/")
        stems, keys = page.evaluate("""async ([url, words]) => {
          const module = await import(url);
          return [words.map(module.stem), words.map(module.lookupKey)];
        }""", [f"{base}arxiv-digest/assets/javascripts/search-words.js", list(STEMS)])
        assert dict(zip(STEMS, stems, strict=True)) == STEMS
        keys = dict(zip(STEMS, keys, strict=True))
        # The key is what the word and every word its stem may extend start with.
        assert keys["happiness"] == "happ" and keys["quantization"] == "quantiz"
        assert keys["efficiency"] == "effic" and "efficient".startswith(keys["efficiency"])
        page.close()


def _pagefind_requests(page: Any, url: str, query: str) -> tuple[bench_site.Hit, list[str]]:
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url))
    hit = bench_site.search_first_hit(page, url, query)
    return hit, [u.split("/pagefind/", 1)[1] for u in seen if "/pagefind/" in u]


@pytest.mark.browser
def test_a_word_of_the_oldest_shard_fetches_that_shard_only(site: Path, browser: Any) -> None:
    with support.serve_site(site.parent) as base:
        page = browser.new_page()
        hit, fetched = _pagefind_requests(page, f"{base}arxiv-digest/", "oldshardword")
        assert hit.href == "/arxiv-digest/papers/2506.00002/"
        shards = {path.split("/")[0] for path in fetched} - {"shards.json", words.FOLDER, PRIMARY}
        assert shards == {"2025-06"}, fetched
        assert "words/ol.json" in fetched
        page.close()
        # A word no shard holds (nor extends): Pagefind may still match, in any shard, a word
        # that it extends, so every shard is searched, newest first.
        page = browser.new_page()
        seen: list[str] = []
        page.on("request", lambda request: seen.append(request.url))
        page.goto(f"{base}arxiv-digest/")
        page.locator("input.md-search__input").click()
        assert support.box_search(page, "oldshardwordz")[0] == 1
        fetched = [u.split("/pagefind/", 1)[1] for u in seen if "/pagefind/" in u]
        assert fetched[:2] == ["shards.json", "words/ol.json"], fetched
        merged = [path.split("/")[0] for path in fetched[2:] if not path.startswith(PRIMARY)]
        assert merged[0] == "2026-01"  # the newest first
        assert set(merged) == {"2026-01", "2025-12", "2025-06"}
        page.close()


@pytest.mark.browser
def test_an_id_finds_its_paper_in_any_shard(site: Path, browser: Any) -> None:
    with support.serve_site(site.parent) as base:
        for query, wanted, shards in (
            ("2512.00011", "2512.00011", {"2025-12", "2026-01"}),  # its month and the next
            ("arXiv:2503.09999v1", "2503.09999", {"2025-06"}),  # 2025-03 and 2025-04 do not exist
            # Six months late: not in its month's shards; the directory knows where it is.
            ("2412.09999", "2412.09999", {"2025-06"}),
        ):
            page = browser.new_page()
            hit, fetched = _pagefind_requests(page, f"{base}arxiv-digest/", query)
            assert hit.href == f"/arxiv-digest/papers/{wanted}/", (query, hit)
            assert hit.bytes < 500_000
            merged = {path.split("/")[0] for path in fetched}
            merged -= {"shards.json", words.FOLDER, PRIMARY}
            assert merged == shards, (query, fetched)
            page.close()


# ---------------------------------------------------------------- incremental builds


def _directory_files(site: Path) -> dict[str, bytes]:
    folder = site / "pagefind" / words.FOLDER
    return {p.name: p.read_bytes() for p in folder.iterdir()}


def test_the_directory_stays_exact_through_incremental_builds(
    source: Path, tmp_path: Path,
) -> None:
    docs = Path(shutil.copytree(source, tmp_path / "docs"))
    site = tmp_path / "site"
    support.build_site(docs, site, dirty=True)
    before = _directory(site)
    assert before["oldshardword"] == {"2025-06"}

    # A reader's fix of an old paper: its shard's words are replaced, the others kept.
    path = docs / "papers" / "2506.00002.md"
    path.write_text(path.read_text("utf-8").replace("Oldshardword", "Readerfixword"), "utf-8")
    support.build_site(docs, site, dirty=True)
    after = _directory(site)
    assert "oldshardword" not in after and after["readerfixword"] == {"2025-06"}
    assert {w: s for w, s in after.items() if w != "readerfixword"} == {
        w: s for w, s in before.items() if w != "oldshardword"}
    support.build_site(docs, tmp_path / "scratch")
    assert _directory_files(site) == _directory_files(tmp_path / "scratch")
    assert ((site / "pagefind" / "shards.json").read_bytes()
            == (tmp_path / "scratch" / "pagefind" / "shards.json").read_bytes())

    # A paper removed (from its day too): its words leave the directory.
    unique = "kakakalox"  # the first synthetic paper's coined word (2512.00001)
    assert after[unique] == {"2025-12"}
    (docs / "papers" / "2512.00001.md").unlink()
    day = docs / "days" / "2025-12-31.md"
    day.write_text(day.read_text("utf-8").replace("- '2512.00001'\n", "")
                   .replace("- 2512.00001\n", ""), "utf-8")
    support.build_site(docs, site, dirty=True)
    assert unique not in _directory(site)
    shutil.rmtree(tmp_path / "scratch")
    support.build_site(docs, tmp_path / "scratch")
    assert _directory_files(site) == _directory_files(tmp_path / "scratch")
